/**
 * @module schema-cache/rows: the shapes of the rows the catalog queries return.
 *
 * Every query returns one column `r` holding a JSON object, so the same code works whatever the
 * driver does with JSON: node-postgres and the Neon driver hand back parsed values, an executor
 * that reports Postgres's text output hands back the JSON text. `rowObjects` accepts both.
 */

/** Runs one parameterised statement and resolves with its rows (column name → value). */
export type QueryFn = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>

/** The JSON objects in column `r` of each row. */
export function rowObjects<T>(rows: readonly Record<string, unknown>[], what: string): T[] {
  return rows.map((row, i) => {
    const value = row['r']
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`schema cache introspection: row ${i} of the ${what} query has no JSON object in column "r"`)
    }
    return parsed as T
  })
}

export interface ServerRow {
  readonly versionNum: number
  readonly version: string
  readonly existingSchemas: string[]
}

export interface ColumnRow {
  readonly name: string
  readonly description: string | null
  readonly nullable: boolean
  readonly type: string
  readonly nominalType: string
  readonly maxLen: number | null
  readonly default: string | null
  readonly enum: string[]
}

export interface TableRow {
  readonly schema: string
  readonly name: string
  readonly description: string | null
  readonly isView: boolean
  readonly insertable: boolean
  readonly updatable: boolean
  readonly deletable: boolean
  readonly pkCols: string[]
  readonly columns: ColumnRow[]
}

export interface ConstraintRow {
  readonly oid: number
  /** `p` primary key, `u` unique, `f` foreign key. */
  readonly type: 'p' | 'u' | 'f'
  readonly name: string
  readonly inherited: boolean
  readonly tableOid: number
  readonly tableSchema: string
  readonly table: string
  /** 0 unless a foreign key. */
  readonly foreignOid: number
  readonly foreignSchema: string | null
  readonly foreignTable: string | null
  readonly columns: string[]
  readonly attnums: number[]
  readonly foreignColumns: string[] | null
  readonly foreignAttnums: number[] | null
}

export interface ViewRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  /** [attnum, name] pairs. */
  readonly columns: [number, string][] | null
  /** `pg_rewrite.ev_action` as text. */
  readonly tree: string
}

export interface ParamRow {
  readonly name: string
  readonly type: string
  readonly typeMaxLength: string
  readonly required: boolean
  readonly variadic: boolean
}

export interface RoutineRow {
  readonly schema: string
  readonly name: string
  readonly description: string | null
  readonly params: ParamRow[]
  readonly returnSchema: string
  readonly returnName: string
  readonly returnsSet: boolean
  readonly returnsComposite: boolean
  readonly returnsDomain: boolean
  /** `i`, `s` or `v`. */
  readonly volatility: string
  readonly hasVariadic: boolean
  readonly signature: string
  /** `pg_proc.proconfig`: `name=value` entries. */
  readonly config: string[]
}

export interface ComputedRelRow {
  readonly functionSchema: string
  readonly function: string
  readonly tableSchema: string
  readonly table: string
  readonly foreignSchema: string
  readonly foreignTable: string
  readonly toOne: boolean
}

export interface RepresentationRow {
  readonly sourceType: string
  readonly targetType: string
  readonly function: string
}

export interface MediaHandlerRow {
  readonly kind: 'aggregate' | 'function'
  readonly mediaType: string
  readonly functionSchema: string
  readonly function: string
  readonly targetSchema: string
  readonly target: string
}

export interface RoleSettingRow {
  readonly role: string
  readonly key: string
  readonly value: string
}

export interface DbSettingRow {
  readonly key: string
  readonly value: string
  readonly databaseSpecific: boolean
}
/** A row of type-info.sql: a named type, a function's declared result, or a relation's read-only columns. */
export type TypeInfoRow =
  | {
      readonly kind: 'type'
      readonly typeKind: 'enum' | 'composite' | 'domain' | 'relation'
      readonly schema: string
      readonly name: string
      readonly type: string
      readonly labels: string[]
      readonly attributes: { readonly name: string; readonly type: string }[]
      readonly baseType: string | null
    }
  | {
      readonly kind: 'routine'
      readonly schema: string
      readonly name: string
      readonly args: string[]
      readonly returns: string
      readonly setOf: boolean
      readonly rows: number
      readonly columns: { readonly name: string; readonly type: string }[]
    }
  | { readonly kind: 'readOnly'; readonly schema: string; readonly name: string; readonly columns: string[] }
