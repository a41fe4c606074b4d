/**
 * @module schema-cache/typegen/ts-type: PostgreSQL type names → TypeScript types, as the Supabase
 * CLI maps them (numbers of every width, `bigint` and `numeric` included, are `number`; text,
 * date and time types, uuid and bytea are `string`; json/jsonb are `Json`; anything else it does
 * not know is `unknown`), with the snapshot's enums, composite types, domains and relation row
 * types resolved to references into the generated `Database` type.
 *
 * Names are the snapshot's: `format_type` spelling, qualified unless in pg_catalog, `[]` for arrays.
 */
import type { NamedType, SchemaCacheSnapshot, Table, TypeInfo } from '../../src/schema-cache/types.ts'
import { elementType } from '../type-info.ts'

const NUMBER = ['smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric']
const STRING = [
  'bytea',
  'character',
  'character varying',
  'text',
  'date',
  'time without time zone',
  'time with time zone',
  'timestamp without time zone',
  'timestamp with time zone',
  'interval',
  'uuid',
]

/** Built-in (pg_catalog) types by their `format_type` name. */
const BUILTIN: ReadonlyMap<string, string> = new Map([
  ['boolean', 'boolean'],
  ...NUMBER.map((t) => [t, 'number'] as const),
  ...STRING.map((t) => [t, 'string'] as const),
  ['json', 'Json'],
  ['jsonb', 'Json'],
  ['void', 'undefined'],
  ['record', 'Record<string, unknown>'],
])

/** Extension types the CLI knows by name, in whichever schema the extension lives. */
const EXTENSION_STRINGS = new Set(['citext', 'vector'])

/** A property key or string literal type: bare when it is an identifier, quoted otherwise. */
export const key = (name: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name))

export const literalUnion = (labels: readonly string[]): string =>
  labels.length === 0 ? 'never' : labels.map((l) => JSON.stringify(l)).join(' | ')

/** `T[]`, parenthesised when T is a union. */
export const arrayOf = (ts: string): string => (/[|&]/.test(ts) ? `(${ts})[]` : `${ts}[]`)

/** `T | null`, except for `unknown`, which already admits null. */
export const orNull = (ts: string): string => (ts === 'unknown' ? ts : `${ts} | null`)

/** `Database["s"]["Section"]["name"]`. */
export const dbRef = (schema: string, section: string, name: string): string =>
  `Database[${JSON.stringify(schema)}][${JSON.stringify(section)}][${JSON.stringify(name)}]`

export interface TypeResolver {
  /** The TypeScript type of a value of `type`. */
  ts(type: string): string
  /** The table or view whose row type `type` is (looking through domains), if it is exposed. */
  relation(type: string): Table | undefined
}

export function typeResolver(snapshot: SchemaCacheSnapshot, info: TypeInfo): TypeResolver {
  const exposed = new Set(info.dbSchemas)
  const named = new Map<string, NamedType>(info.types.map((t) => [t.type, t]))
  const tables = new Map<string, Table>()
  for (const t of snapshot.tables) tables.set(`${t.schema}\u0000${t.name}`, t)

  /** The named type behind `type`, through domains (bounded: a domain cannot contain itself, but be safe). */
  const resolve = (type: string): NamedType | string => {
    let current: NamedType | string = type
    for (let depth = 0; depth < 32 && typeof current === 'string'; depth++) {
      const t = named.get(current)
      if (t === undefined) return current
      if (t.kind !== 'domain') return t
      current = t.baseType
    }
    return current
  }

  const relation = (type: string): Table | undefined => {
    const t = resolve(type)
    if (typeof t === 'string' || t.kind !== 'relation') return undefined
    return tables.get(`${t.schema}\u0000${t.name}`)
  }

  const ts = (type: string): string => {
    const element = elementType(type)
    if (element !== type) {
      return arrayOf(ts(element))
    }
    const t = resolve(type)
    if (typeof t === 'string') {
      const builtin = BUILTIN.get(t)
      if (builtin !== undefined) return builtin
      const bare = t.slice(t.lastIndexOf('.') + 1)
      return EXTENSION_STRINGS.has(bare) ? 'string' : 'unknown'
    }
    switch (t.kind) {
      case 'enum':
        return exposed.has(t.schema) ? dbRef(t.schema, 'Enums', t.name) : literalUnion(t.labels)
      case 'composite':
        return exposed.has(t.schema) ? dbRef(t.schema, 'CompositeTypes', t.name) : 'unknown'
      case 'relation': {
        const table = tables.get(`${t.schema}\u0000${t.name}`)
        return table === undefined ? 'unknown' : `${dbRef(table.schema, table.isView ? 'Views' : 'Tables', table.name)}["Row"]`
      }
      case 'domain':
        return 'unknown' // a chain of 32 domains
      default: {
        const never: never = t
        throw new Error(`unknown named type ${JSON.stringify(never)}`)
      }
    }
  }

  return { ts, relation }
}
