/**
 * @module schema-cache/type-info: builds the snapshot's `typeInfo` (what `--types` needs beyond
 * the server's model) from the rows of type-info.sql. Build time only, pure.
 *
 * The query returns the enums, composite types and domains of every user schema, because a column
 * or function of an exposed schema may use a type defined anywhere; only those the exposed schemas
 * define or use (directly, as array elements, through domains or composite attributes) are kept,
 * so the snapshot, and its fingerprint, do not follow unrelated schemas.
 */
import type { NamedType, Routine, RoutineResult, Table, TypeInfo } from '../src/schema-cache/types.ts'
import { compareQi } from './order.ts'
import type { TypeInfoRow } from './rows.ts'

/** `text[]` → `text`: arrays refer to their element type. */
export const elementType = (type: string): string => type.replace(/(\[\])+$/, '')

const toNamedType = (row: Extract<TypeInfoRow, { kind: 'type' }>): NamedType => {
  const { schema, name, type } = row
  switch (row.typeKind) {
    case 'enum':
      return { kind: 'enum', schema, name, type, labels: row.labels }
    case 'composite':
      return { kind: 'composite', schema, name, type, attributes: row.attributes.map((a) => ({ name: a.name, type: a.type })) }
    case 'domain':
      return { kind: 'domain', schema, name, type, baseType: row.baseType ?? '' }
    case 'relation':
      return { kind: 'relation', schema, name, type }
    default: {
      const never: never = row.typeKind
      throw new Error(`type-info: unknown type kind ${String(never)}`)
    }
  }
}

const routineKey = (schema: string, name: string, args: readonly string[]): string => JSON.stringify([schema, name, args])

export function buildTypeInfo(
  rows: readonly TypeInfoRow[],
  opts: { readonly dbSchemas: readonly string[]; readonly tables: readonly Table[]; readonly routines: readonly Routine[] },
): TypeInfo {
  const results = new Map<string, RoutineResult>()
  const named: NamedType[] = []
  const readOnlyColumns: TypeInfo['readOnlyColumns'][number][] = []
  for (const row of rows) {
    if (row.kind === 'type') named.push(toNamedType(row))
    else if (row.kind === 'routine') {
      const { schema, name, args, returns, setOf, rows: estimate, columns } = row
      results.set(routineKey(schema, name, args), { schema, name, args, returns, setOf, rows: estimate, columns })
    } else readOnlyColumns.push({ table: { schema: row.schema, name: row.name }, columns: row.columns })
  }

  // In the order of `routines`, one each (a missing one is a bug in the two queries' filters).
  const routines = opts.routines.map((r) => {
    const result = results.get(routineKey(r.schema, r.name, r.params.map((p) => p.type)))
    if (result === undefined) throw new Error(`schema cache introspection: no declared result for function ${r.schema}.${r.name}`)
    return result
  })

  // Keep what the exposed schemas define (enums, composites) or use, following what kept types use.
  const exposed = new Set(opts.dbSchemas)
  const byType = new Map(named.map((t) => [t.type, t]))
  const kept = new Set<NamedType>()
  const pending: string[] = []
  const use = (type: string): void => {
    pending.push(elementType(type))
  }
  for (const t of named) if ((t.kind === 'enum' || t.kind === 'composite') && exposed.has(t.schema)) kept.add(t)
  for (const t of kept) if (t.kind === 'composite') t.attributes.forEach((a) => use(a.type))
  for (const table of opts.tables) for (const c of table.columns) use(c.type), use(c.nominalType)
  for (const r of opts.routines) for (const p of r.params) use(p.type)
  for (const r of routines) {
    use(r.returns)
    r.columns.forEach((c) => use(c.type))
  }
  for (let type = pending.pop(); type !== undefined; type = pending.pop()) {
    const t = byType.get(type)
    if (t === undefined || kept.has(t)) continue
    kept.add(t)
    if (t.kind === 'composite') t.attributes.forEach((a) => use(a.type))
    if (t.kind === 'domain') use(t.baseType)
  }

  return {
    dbSchemas: opts.dbSchemas,
    types: [...kept].sort(compareQi),
    routines,
    readOnlyColumns: readOnlyColumns.sort((a, b) => compareQi(a.table, b.table)),
  }
}
