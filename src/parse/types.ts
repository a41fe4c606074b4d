/**
 * @module parse/types: ApiRequest, what the client asked for, in PostgREST's vocabulary
 * (ApiRequest/Types.hs). Built from the HTTP request and config only; it never consults the
 * schema cache, so names here are unresolved.
 */

/** A column name plus an optional JSON path: `data->a->>b` is `{ name: 'data', jsonPath: [...] }`. */
export interface Field {
  readonly name: string
  readonly jsonPath: readonly JsonOperation[]
}
/**
 * `->` (arrow) keeps JSON, `->>` (doubleArrow) yields text. Keys vs array indexes (`->0`); index
 * values carry PostgREST's explicit sign (`->1` is `'+1'`, `->-1` is `'-1'`).
 */
export interface JsonOperation {
  readonly op: 'arrow' | 'doubleArrow'
  readonly operand: { readonly kind: 'key' | 'idx'; readonly value: string }
}

export type AggregateFunction = 'sum' | 'avg' | 'max' | 'min' | 'count'
export type JoinType = 'inner' | 'left'

/** One item of `select=`; relations carry their own sub-select. */
export type SelectItem =
  | {
      readonly kind: 'field'
      readonly field: Field
      readonly alias?: string | undefined
      readonly cast?: string | undefined
      readonly aggregate?: AggregateFunction | undefined
      readonly aggregateCast?: string | undefined
    }
  | {
      readonly kind: 'relation'
      readonly relation: string
      readonly alias?: string | undefined
      readonly hint?: string | undefined
      readonly joinType?: JoinType | undefined
      readonly children: readonly SelectItem[]
    }
  | {
      readonly kind: 'spread'
      readonly relation: string
      readonly hint?: string | undefined
      readonly joinType?: JoinType | undefined
      readonly children: readonly SelectItem[]
    }

export type OrderDirection = 'asc' | 'desc'
export type OrderNulls = 'nullsfirst' | 'nullslast'
export type OrderTerm =
  | { readonly kind: 'field'; readonly field: Field; readonly direction?: OrderDirection | undefined; readonly nulls?: OrderNulls | undefined }
  | {
      /** `order=rel(col).desc`: order the parent by a to-one embedded resource's column. */
      readonly kind: 'relation'
      readonly relation: string
      readonly field: Field
      readonly direction?: OrderDirection | undefined
      readonly nulls?: OrderNulls | undefined
    }

/** Operators that take a quantifier `(any)`/`(all)` (PostgREST's QuantOperator). */
export type QuantOperator = 'eq' | 'gte' | 'gt' | 'lte' | 'lt' | 'like' | 'ilike' | 'match' | 'imatch'
/** Operators without quantifiers (SimpleOperator). */
export type SimpleOperator = 'neq' | 'cs' | 'cd' | 'ov' | 'sl' | 'sr' | 'nxr' | 'nxl' | 'adj'
export type FtsOperator = 'fts' | 'plfts' | 'phfts' | 'wfts'
export type IsValue = 'null' | 'not_null' | 'true' | 'false' | 'unknown'

export type Operation =
  | { readonly kind: 'simple'; readonly op: SimpleOperator; readonly value: string }
  | { readonly kind: 'quant'; readonly op: QuantOperator; readonly quantifier?: 'any' | 'all' | undefined; readonly value: string }
  | { readonly kind: 'in'; readonly values: readonly string[] }
  | { readonly kind: 'is'; readonly value: IsValue }
  | { readonly kind: 'isdistinct'; readonly value: string }
  | { readonly kind: 'fts'; readonly op: FtsOperator; readonly language?: string | undefined; readonly value: string }

/** `negated` is the `not.` prefix. */
export interface OpExpr {
  readonly negated: boolean
  readonly operation: Operation
}
export interface Filter {
  readonly field: Field
  readonly opExpr: OpExpr
}

/** `or=(a.eq.1,and(b.gt.2,c.lt.3))`, `not.and=(...)`. */
export type LogicTree =
  | { readonly kind: 'expr'; readonly negated: boolean; readonly op: 'and' | 'or'; readonly children: readonly LogicTree[] }
  | { readonly kind: 'stmnt'; readonly filter: Filter }

/** Path of embed names from the root: `[]` for the root, `['clients','projects']` for `clients.projects.x=...`. */
export type EmbedPath = readonly string[]

/**
 * Rows from `offset`, at most `limit` of them (`limit` undefined means unbounded). The top-level
 * range is never negative; embedded levels keep what the client sent, as PostgREST does
 * (`x.offset=-4` / `x.limit=-1` reach PostgreSQL as OFFSET -4 / LIMIT -1 and fail there).
 */
export interface Range {
  readonly offset: number
  readonly limit?: number | undefined
}

export interface QueryParams {
  /** Canonical query string (params sorted), used e.g. in Content-Location. */
  readonly canonical: string
  /** RPC arguments given in the query string (non-reserved params for GET /rpc). */
  readonly params: readonly (readonly [string, string])[]
  /** `limit`/`offset` per embed path, keyed by the path joined with `\0` ('' = root). */
  readonly ranges: ReadonlyMap<string, Range>
  readonly order: readonly (readonly [EmbedPath, readonly OrderTerm[]])[]
  readonly logic: readonly (readonly [EmbedPath, LogicTree])[]
  readonly columns?: readonly string[] | undefined
  readonly select: readonly SelectItem[]
  readonly filters: readonly (readonly [EmbedPath, Filter])[]
  readonly filtersRoot: readonly Filter[]
  readonly filtersNotRoot: readonly (readonly [EmbedPath, Filter])[]
  /**
   * Raw keys of all filter parameters (`id`, `clients.id`, `data->a`), unique and sorted — PostgREST's
   * qsFilterFields, compared against the primary key for PUT (PGRST105).
   */
  readonly filterFields: readonly string[]
  readonly onConflict?: readonly string[] | undefined
}

/**
 * EXPLAIN's output format. PostgREST offers json and text; xml and yaml (`vnd.pgrst.plan+xml`,
 * `+yaml`) are edgerest additions, since Postgres produces them as readily.
 */
export type PlanFormat = 'json' | 'text' | 'xml' | 'yaml'

export type MediaType =
  | { readonly kind: 'json' }
  | { readonly kind: 'geojson' }
  | { readonly kind: 'csv' }
  | { readonly kind: 'text' }
  | { readonly kind: 'html' }
  | { readonly kind: 'xml' }
  | { readonly kind: 'octet' }
  | { readonly kind: 'urlencoded' }
  | { readonly kind: 'openapi' }
  /** Beyond PostgREST: `application/vnd.oai.openapi+json;version=3.1`, the OpenAPI 3.1 document at `/`. */
  | { readonly kind: 'openapi31' }
  | { readonly kind: 'arrayJson'; readonly stripNulls: boolean }
  | { readonly kind: 'singular'; readonly stripNulls: boolean }
  | { readonly kind: 'plan'; readonly for: MediaType; readonly format: PlanFormat; readonly options: readonly string[] }
  | { readonly kind: 'any' }
  | { readonly kind: 'other'; readonly type: string }

export interface Preferences {
  readonly resolution?: 'merge-duplicates' | 'ignore-duplicates' | undefined
  readonly representation?: 'full' | 'headers-only' | 'none' | undefined
  readonly count?: 'exact' | 'planned' | 'estimated' | undefined
  readonly transaction?: 'commit' | 'rollback' | undefined
  readonly missing?: 'default' | 'null' | undefined
  readonly handling?: 'strict' | 'lenient' | undefined
  readonly timezone?: string | undefined
  readonly maxAffected?: number | undefined
  /**
   * Beyond PostgREST: `read-your-writes` sends a read to the primary instead of a read replica
   * (EDGEREST_DB_READ_URI), so it sees what the client just wrote. A known preference, so
   * `handling=strict` accepts it.
   */
  readonly readYourWrites?: true | undefined
  /** Raw preference tokens that were not understood (for handling=strict → PGRST122). */
  readonly invalid: readonly string[]
}

export type Mutation = 'create' | 'delete' | 'singleUpsert' | 'update'
export type InvokeMethod = { readonly kind: 'inv' } | { readonly kind: 'invRead'; readonly headersOnly: boolean }

export interface QualifiedIdentifier {
  readonly schema: string
  readonly name: string
}

export type Action =
  | { readonly kind: 'relationRead'; readonly qi: QualifiedIdentifier; readonly headersOnly: boolean }
  | { readonly kind: 'relationMut'; readonly qi: QualifiedIdentifier; readonly mutation: Mutation }
  | { readonly kind: 'routine'; readonly qi: QualifiedIdentifier; readonly invMethod: InvokeMethod }
  | { readonly kind: 'schemaRead'; readonly schema: string; readonly headersOnly: boolean }
  | { readonly kind: 'relationInfo'; readonly qi: QualifiedIdentifier }
  | { readonly kind: 'routineInfo'; readonly qi: QualifiedIdentifier; readonly invMethod: InvokeMethod }
  | { readonly kind: 'schemaInfo' }

export type Payload =
  | { readonly kind: 'json'; readonly raw: string; readonly keys: ReadonlySet<string> }
  | { readonly kind: 'urlencoded'; readonly pairs: readonly (readonly [string, string])[]; readonly keys: ReadonlySet<string> }
  | { readonly kind: 'rawJson'; readonly raw: string }
  | { readonly kind: 'raw'; readonly raw: Uint8Array }

export interface ApiRequest {
  readonly action: Action
  /** Ranges per embed path (same keys as QueryParams.ranges), after combining with the Range header. */
  readonly ranges: ReadonlyMap<string, Range>
  readonly topLevelRange: Range
  readonly payload?: Payload | undefined
  readonly preferences: Preferences
  readonly queryParams: QueryParams
  readonly columns: ReadonlySet<string>
  /** Lower-cased header names, in request order. */
  readonly headers: readonly (readonly [string, string])[]
  readonly cookies: readonly (readonly [string, string])[]
  readonly path: string
  readonly method: string
  readonly schema: string
  /** True when the schema came from Accept-Profile/Content-Profile (then echoed in Content-Profile). */
  readonly negotiatedByProfile: boolean
  readonly acceptMediaTypes: readonly MediaType[]
  readonly contentMediaType: MediaType
}
