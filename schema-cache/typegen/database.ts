/**
 * @module schema-cache/typegen/database: the `Database` type of a snapshot, in the shape
 * supabase-js and postgrest-js read (`createClient<Database>(…)`) and the Supabase CLI writes:
 * per exposed schema `Tables` and `Views` (`Row`, `Insert`, `Update`, `Relationships`),
 * `Functions` (`Args`, `Returns`, `SetofOptions`; overloads as a union), `Enums` and
 * `CompositeTypes`.
 *
 * Differences from the CLI, on purpose: columns and arguments keep their declared order (the CLI
 * sorts them by name); generated columns are `?: never` in `Insert`/`Update` like identity
 * columns GENERATED ALWAYS (the database refuses a value for either); a function returning a
 * table's rows refers to that table's `Row` instead of repeating its columns. Computed fields
 * (functions of a row returning a scalar) are not added to `Row`.
 */
import type { Column, Relationship, Routine, RoutineResult, SchemaCacheSnapshot, Table, TypeInfo } from '../../src/schema-cache/types.ts'
import { compareText } from '../order.ts'
import { arrayOf, key, literalUnion, orNull, typeResolver, type TypeResolver } from './ts-type.ts'

/**
 * postgrest-js turns on the typing of newer PostgREST features (`maxAffected`, spreading to-many
 * embeds) by the version it is told, and knows versions up to 14; edgerest serves both features
 * (it follows PostgREST v16.2), so it declares the newest version postgrest-js knows.
 */
export const POSTGREST_VERSION = '14'

/** Continuation lines of a multi-line text, indented by `prefix`. */
const indentRest = (text: string, prefix: string): string => text.replaceAll('\n', `\n${prefix}`)

/** An object type, one member per line. */
export const objectType = (members: readonly string[]): string =>
  members.length === 0 ? '{}' : `{\n${members.map((m) => `  ${indentRest(m, '  ')}`).join('\n')}\n}`

/** A section keyed by name: empty sections are `{ [_ in never]: never }`, as postgrest-js expects. */
const section = (members: readonly string[]): string => objectType(members.length === 0 ? ['[_ in never]: never'] : members)

const member = (name: string, type: string): string => `${key(name)}: ${type}`

const tupleType = (items: readonly string[]): string =>
  items.length === 0 ? '[]' : `[\n${items.map((i) => `  ${indentRest(i, '  ')},`).join('\n')}\n]`

const stringList = (items: readonly string[]): string => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`

/**
 * The relationships postgrest-js resolves embeds with: each foreign key (or one seen through
 * views) from the referencing side, to relations of the same schema. One-to-many and
 * many-to-many embeds it finds from the other relations' lists.
 */
function relationshipsOf(table: Table, relationships: readonly Relationship[]): string {
  const entries: { name: string; referenced: string; referencedColumns: string[]; text: string }[] = []
  const seen = new Set<string>()
  for (const r of relationships) {
    if (r.kind !== 'fk' || r.table.schema !== table.schema || r.table.name !== table.name) continue
    if (r.foreignTable.schema !== table.schema) continue
    const card = r.cardinality
    if (card.kind !== 'M2O' && !(card.kind === 'O2O' && !card.isParent)) continue
    const columns = card.columns.map(([c]) => c)
    const referencedColumns = card.columns.map(([, c]) => c)
    const text = objectType([
      `foreignKeyName: ${JSON.stringify(card.constraint)}`,
      `columns: ${stringList(columns)}`,
      `isOneToOne: ${card.kind === 'O2O'}`,
      `referencedRelation: ${JSON.stringify(r.foreignTable.name)}`,
      `referencedColumns: ${stringList(referencedColumns)}`,
    ])
    if (seen.has(text)) continue
    seen.add(text)
    entries.push({ name: card.constraint, referenced: r.foreignTable.name, referencedColumns, text })
  }
  entries.sort(
    (a, b) =>
      compareText(a.name, b.name) ||
      compareText(a.referenced, b.referenced) ||
      compareText(JSON.stringify(a.referencedColumns), JSON.stringify(b.referencedColumns)),
  )
  return tupleType(entries.map((e) => e.text))
}

interface Context {
  readonly snapshot: SchemaCacheSnapshot
  readonly info: TypeInfo
  readonly types: TypeResolver
  /** Read-only column names by `schema\0table`. */
  readonly readOnly: ReadonlyMap<string, ReadonlySet<string>>
}

const columnType = (ctx: Context, c: Column): string => {
  const ts = ctx.types.ts(c.type)
  // a domain over an enum of a schema the snapshot did not follow still has its labels
  return ts === 'unknown' && c.enum.length > 0 ? literalUnion(c.enum) : ts
}

function relationType(ctx: Context, table: Table): string {
  const readOnly = ctx.readOnly.get(`${table.schema}\u0000${table.name}`) ?? new Set<string>()
  const row = table.columns.map((c) => member(c.name, c.nullable ? orNull(columnType(ctx, c)) : columnType(ctx, c)))
  // In Insert and Update a view's columns are optional and nullable, whatever its base table says.
  const write = (optional: (c: Column) => boolean): string =>
    objectType(
      table.columns.map((c) => {
        if (readOnly.has(c.name)) return `${key(c.name)}?: never`
        const ts = c.nullable || table.isView ? orNull(columnType(ctx, c)) : columnType(ctx, c)
        return `${key(c.name)}${optional(c) ? '?' : ''}: ${ts}`
      }),
    )
  const members = [`Row: ${objectType(row)}`]
  if (!table.isView || table.insertable || table.updatable) {
    members.push(`Insert: ${write((c) => table.isView || c.nullable || c.default !== null)}`)
    members.push(`Update: ${write(() => true)}`)
  }
  members.push(`Relationships: ${relationshipsOf(table, ctx.snapshot.relationships)}`)
  return objectType(members)
}

/** One `{ Args, Returns, SetofOptions? }` of a function. */
function signature(ctx: Context, routine: Routine, result: RoutineResult): string {
  const args =
    routine.params.length === 0
      ? 'never'
      : objectType(routine.params.map((p) => `${key(p.name)}${p.required ? '' : '?'}: ${ctx.types.ts(p.type)}`))
  // OUT, INOUT and TABLE columns make the result an object (PostgREST answers them as one).
  const returned = result.columns.length > 0 ? undefined : ctx.types.relation(result.returns)
  const target = returned !== undefined && returned.schema === routine.schema ? returned : undefined
  let returns =
    result.columns.length > 0 ? objectType(result.columns.map((c) => member(c.name, ctx.types.ts(c.type)))) : ctx.types.ts(result.returns)
  const members: string[] = []
  // `ROWS 1` on a set-returning function: postgrest-js shapes the array itself from SetofOptions.
  const oneRow = result.rows <= 1
  if (result.setOf && !(target !== undefined && oneRow)) returns = arrayOf(returns)
  members.push(`Args: ${args}`, `Returns: ${returns}`)
  if (target !== undefined) {
    // A function of one row of a relation, returning rows of another, embeds like a relationship.
    const only = routine.params.length === 1 ? ctx.types.relation(routine.params[0]?.type ?? '') : undefined
    const from = only !== undefined && only.schema === routine.schema ? only.name : '*'
    members.push(
      `SetofOptions: ${objectType([
        `from: ${JSON.stringify(from)}`,
        `to: ${JSON.stringify(target.name)}`,
        `isOneToOne: ${oneRow}`,
        `isSetofReturn: ${result.setOf}`,
      ])}`,
    )
  }
  return objectType(members)
}

function functionsOf(ctx: Context, schema: string): string[] {
  const byName = new Map<string, string[]>()
  ctx.snapshot.routines.forEach((routine, i) => {
    if (routine.schema !== schema) return
    const result = ctx.info.routines[i] as RoutineResult
    const list = byName.get(routine.name) ?? []
    list.push(signature(ctx, routine, result))
    byName.set(routine.name, list)
  })
  return [...byName].map(([name, overloads]) =>
    overloads.length === 1
      ? member(name, overloads[0] as string)
      : `${key(name)}:\n${overloads.map((o) => `  | ${indentRest(o, '    ')}`).join('\n')}`,
  )
}

function schemaType(ctx: Context, schema: string): string {
  const relations = ctx.snapshot.tables.filter((t) => t.schema === schema)
  const named = ctx.info.types.filter((t) => t.schema === schema)
  return objectType([
    `Tables: ${section(relations.filter((t) => !t.isView).map((t) => member(t.name, relationType(ctx, t))))}`,
    `Views: ${section(relations.filter((t) => t.isView).map((t) => member(t.name, relationType(ctx, t))))}`,
    `Functions: ${section(functionsOf(ctx, schema))}`,
    `Enums: ${section(named.flatMap((t) => (t.kind === 'enum' ? [member(t.name, literalUnion(t.labels))] : [])))}`,
    `CompositeTypes: ${section(
      named.flatMap((t) =>
        t.kind === 'composite' ? [member(t.name, objectType(t.attributes.map((a) => member(a.name, orNull(ctx.types.ts(a.type))))))] : [],
      ),
    )}`,
  ])
}

/** `export type Database = …` for a snapshot with type info (checked by the caller). */
export function databaseType(snapshot: SchemaCacheSnapshot, info: TypeInfo): string {
  const readOnly = new Map<string, Set<string>>()
  for (const r of info.readOnlyColumns) readOnly.set(`${r.table.schema}\u0000${r.table.name}`, new Set(r.columns))
  const ctx: Context = { snapshot, info, types: typeResolver(snapshot, info), readOnly }
  const members = [
    `// the PostgREST version postgrest-js types requests for (createClient<Database> reads it)\n__InternalSupabase: ${objectType([
      `PostgrestVersion: ${JSON.stringify(POSTGREST_VERSION)}`,
    ])}`,
    ...info.dbSchemas.map((s) => member(s, schemaType(ctx, s))),
  ]
  return `export type Database = ${objectType(members)}\n`
}
