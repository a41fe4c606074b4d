/**
 * @module schema-cache/types: the catalog model (PostgREST's SchemaCache/*.hs). The snapshot is
 * what `schema-cache/` writes at build time; `SchemaCache` is the indexed form the planner reads.
 * Everything expensive (relationships through views, inverses, many-to-many) is derived at build
 * time and stored in the snapshot, so loading is a JSON parse plus building maps.
 */

export interface QualifiedIdentifier {
  readonly schema: string
  readonly name: string
}

export interface Column {
  readonly name: string
  readonly description: string | null
  readonly nullable: boolean
  /** Type as `format_type` shows it, e.g. `character varying`, `integer[]`, `test.my_domain`. */
  readonly type: string
  /** Nominal type: the domain/alias name when there is one, used for casts and representations. */
  readonly nominalType: string
  readonly maxLen: number | null
  readonly default: string | null
  /** Labels when the (base) type is an enum, in sort order. */
  readonly enum: readonly string[]
}

export interface Table {
  readonly schema: string
  readonly name: string
  readonly description: string | null
  readonly isView: boolean
  readonly insertable: boolean
  readonly updatable: boolean
  readonly deletable: boolean
  /** Primary key columns; for views, the base table's key when the view exposes all of it. */
  readonly pkCols: readonly string[]
  /** Columns in attnum order. */
  readonly columns: readonly Column[]
}

/** Pairs of (column in `table`, column in `foreignTable`). */
export type ColumnPairs = readonly (readonly [string, string])[]

export interface Junction {
  readonly table: QualifiedIdentifier
  readonly constraint1: string
  readonly constraint2: string
  readonly colsSource: ColumnPairs
  readonly colsTarget: ColumnPairs
}

export type Cardinality =
  | { readonly kind: 'O2M'; readonly constraint: string; readonly columns: ColumnPairs }
  | { readonly kind: 'M2O'; readonly constraint: string; readonly columns: ColumnPairs }
  | { readonly kind: 'O2O'; readonly constraint: string; readonly columns: ColumnPairs; readonly isParent: boolean }
  | { readonly kind: 'M2M'; readonly junction: Junction }

export type Relationship =
  | {
      readonly kind: 'fk'
      readonly table: QualifiedIdentifier
      readonly foreignTable: QualifiedIdentifier
      readonly isSelf: boolean
      readonly cardinality: Cardinality
      readonly tableIsView: boolean
      readonly foreignTableIsView: boolean
    }
  | {
      /** A function `f(table_row) RETURNS [SETOF] foreign_table` (computed relationship). */
      readonly kind: 'computed'
      readonly function: QualifiedIdentifier
      readonly table: QualifiedIdentifier
      readonly foreignTable: QualifiedIdentifier
      readonly tableAlias: QualifiedIdentifier
      readonly toOne: boolean
      readonly isSelf: boolean
    }

export type PgType =
  | { readonly kind: 'scalar'; readonly qi: QualifiedIdentifier }
  | { readonly kind: 'composite'; readonly qi: QualifiedIdentifier; readonly isDomainAlias: boolean }

export type RetType = { readonly kind: 'single'; readonly type: PgType } | { readonly kind: 'setOf'; readonly type: PgType }

export type Volatility = 'volatile' | 'stable' | 'immutable'

export interface RoutineParam {
  readonly name: string
  readonly type: string
  /** Type including its length modifier, e.g. `character varying(10)`. */
  readonly typeMaxLength: string
  readonly required: boolean
  readonly variadic: boolean
}

export interface Routine {
  readonly schema: string
  readonly name: string
  readonly description: string | null
  readonly params: readonly RoutineParam[]
  readonly returnType: RetType
  readonly volatility: Volatility
  readonly hasVariadic: boolean
  /** `SET default_transaction_isolation` on the function, if any. */
  readonly isolationLevel: IsolationLevelName | null
  /** Function-level `SET name = value` pairs (hoisted when listed in db-hoisted-tx-settings). */
  readonly settings: readonly (readonly [string, string])[]
  /**
   * `name(schema.type,…)` over the input parameter types, independent of any search_path: how the
   * OpenAPI output matches this routine with the ones the request's role may execute. Absent in
   * snapshots written before it existed (such routines are matched by name).
   */
  readonly signature?: string | undefined
}

export type IsolationLevelName = 'read committed' | 'repeatable read' | 'serializable'

/** `ALTER ROLE … SET` of one role the login role can switch to (PostgREST's role settings). */
export interface RoleSettings {
  readonly role: string
  /** Settings a user may SET (and `default_transaction_isolation` apart), in name order. */
  readonly settings: readonly (readonly [string, string])[]
  /** The role's `default_transaction_isolation`, the isolation level of its transactions. */
  readonly isolationLevel: IsolationLevelName | null
}

/**
 * What PostgREST reads from the database besides the catalog, at startup and on every reload: read
 * at build time as the login role (the role introspection connects as).
 */
export interface DatabaseSettings {
  readonly loginRole: string
  /** Per-role settings of the roles the login role is a member of, by role name. */
  readonly roles: readonly RoleSettings[]
  /**
   * In-database configuration (db-config): the login role's `pgrst.*` settings (database-specific
   * first) and what db-pre-config set, by PostgREST's precedence, names without the `pgrst.` prefix.
   */
  readonly config: readonly (readonly [string, string])[]
}

/** A cast function between a domain and json/text (PostgREST "data representations"). */
export interface DataRepresentation {
  readonly sourceType: string
  readonly targetType: string
  readonly function: string
}

/** A custom media-type handler: an aggregate/function whose return type is a domain named after a media type. */
export interface MediaHandler {
  /** The media type, e.g. `text/html` or `*\/*`. */
  readonly mediaType: string
  readonly function: QualifiedIdentifier
  /** The relation (table/view/composite) it applies to; `anyelement` handlers apply to all. */
  readonly relation: QualifiedIdentifier | null
}

/**
 * A named type as type generation sees it (`--types`). `type` is the name as the snapshot's
 * columns and parameters spell it (`format_type`, qualified unless in pg_catalog), which is how
 * they refer to it; `[]` after such a name is an array of it.
 */
export type NamedType =
  | { readonly kind: 'enum'; readonly schema: string; readonly name: string; readonly type: string; readonly labels: readonly string[] }
  | {
      readonly kind: 'composite'
      readonly schema: string
      readonly name: string
      readonly type: string
      readonly attributes: readonly { readonly name: string; readonly type: string }[]
    }
  | { readonly kind: 'domain'; readonly schema: string; readonly name: string; readonly type: string; readonly baseType: string }
  /** The row type of a table or view of an exposed schema. */
  | { readonly kind: 'relation'; readonly schema: string; readonly name: string; readonly type: string }

/** The declared result of a function, for its type (the server reads `Routine.returnType`). */
export interface RoutineResult {
  readonly schema: string
  readonly name: string
  /** Input parameter types, as `RoutineParam.type`: with schema and name, the routine it describes. */
  readonly args: readonly string[]
  /** The declared return type (`record` for several OUT or TABLE columns). */
  readonly returns: string
  readonly setOf: boolean
  /** The `ROWS` estimate (0 unless set-returning); 1 declares at most one row. */
  readonly rows: number
  /** OUT, INOUT and TABLE columns in order; empty when there are none. */
  readonly columns: readonly { readonly name: string; readonly type: string }[]
}

/**
 * What generating TypeScript types needs beyond what the server reads. Optional: the server never
 * reads it, and snapshots written before it existed lack it (type generation then asks for a
 * regenerated snapshot).
 */
export interface TypeInfo {
  /** db-schemas: the exposed schemas (`schemas` also lists the extra search path). */
  readonly dbSchemas: readonly string[]
  /** Enums and composite types of the exposed schemas, those and domains they use from anywhere, their relations' row types. */
  readonly types: readonly NamedType[]
  /** One per routine of `routines`. */
  readonly routines: readonly RoutineResult[]
  /** Columns a client cannot write: generated, identity GENERATED ALWAYS, a writable view's computed columns. */
  readonly readOnlyColumns: readonly { readonly table: QualifiedIdentifier; readonly columns: readonly string[] }[]
}

export const SNAPSHOT_FORMAT = 'edgerest-schema-cache' as const
/**
 * 2: the packed encoding (src/schema-cache/packed.ts) was added next to the plain form; a version 1
 * file (plain only) is refused so that every snapshot in use was written by a CLI that knows both.
 */
export const SNAPSHOT_VERSION = 2 as const

export interface SchemaCacheSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT
  readonly version: typeof SNAPSHOT_VERSION
  readonly generatedAt: string
  /** `server_version_num` and the human string. */
  readonly pgVersion: { readonly num: number; readonly full: string }
  /** The schemas that were introspected (db-schemas plus extra search path). */
  readonly schemas: readonly string[]
  /** Hash of the catalog rows the snapshot was built from; compare to detect staleness. */
  readonly fingerprint: string
  readonly tables: readonly Table[]
  readonly relationships: readonly Relationship[]
  readonly routines: readonly Routine[]
  readonly representations: readonly DataRepresentation[]
  readonly mediaHandlers: readonly MediaHandler[]
  /**
   * (table, schema) pairs whose every relationship into `schema` was left out because it goes
   * through a junction table, or to a relation, outside the exposed schemas. PostgREST keeps an
   * empty entry for such a pair, and its PGRST200 hint then treats the parent as found (no
   * "Perhaps you meant" for it). Absent means none.
   */
  readonly hiddenRelationshipSources?: readonly { readonly table: QualifiedIdentifier; readonly schema: string }[]
  /** Role settings and in-database configuration; absent in snapshots written before they were read. */
  readonly settings?: DatabaseSettings | undefined
  /** For `--types` only (see `TypeInfo`); absent in snapshots written before it existed. */
  readonly typeInfo?: TypeInfo
}

/** Key for maps: `schema\0name`. */
export const qiKey = (qi: QualifiedIdentifier): string => `${qi.schema}\u0000${qi.name}`

/**
 * How much of a snapshot loading checks. `full`: every record, so a corrupt snapshot fails at load
 * with the path of its first bad value (long-lived servers, reloads, tests). `on-use`: for packed
 * snapshots with their index, loading checks only the envelope and the shape of each section, and
 * each record is checked when a lookup first decodes it (a bad one throws the same message then);
 * whole-schema reads check everything first. What a fresh edge isolate wants: it pays for the
 * tables a request touches. Plain snapshots, and packed ones written before the index, are
 * always checked in full.
 */
export type SnapshotCheck = 'full' | 'on-use'

/** The indexed, read-only form used at request time. */
export interface SchemaCache {
  readonly snapshot: SchemaCacheSnapshot
  /** By qiKey. */
  readonly tables: ReadonlyMap<string, Table>
  /** Relationships whose `table` is the key (qiKey of the source table/view). */
  readonly relationships: ReadonlyMap<string, readonly Relationship[]>
  /** Routines (overloads) by qiKey. */
  readonly routines: ReadonlyMap<string, readonly Routine[]>
  /** Columns of each table by name, by qiKey of the table. */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, Column>>
  readonly representations: ReadonlyMap<string, DataRepresentation>
  readonly mediaHandlers: readonly MediaHandler[]
  /** Role settings by role name (empty when the snapshot has none). */
  readonly roleSettings: ReadonlyMap<string, RoleSettings>
}
