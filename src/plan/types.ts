/**
 * @module plan/types: ActionPlan, what will be done, with every name resolved against the schema
 * cache (PostgREST's Plan/Types.hs, ReadPlan.hs). No SQL text here.
 */
import type {
  AggregateFunction,
  Field,
  JoinType,
  JsonOperation,
  MediaType,
  Mutation,
  OpExpr,
  InvokeMethod,
  OrderDirection,
  OrderNulls,
  QualifiedIdentifier,
  Range,
} from '../parse/types.ts'
import type { Relationship, Routine, RoutineParam } from '../schema-cache/types.ts'
import type { IsolationLevel } from '../execute/types.ts'

/** A field with the type information the SQL builder needs (PostgREST's CoercibleField). */
export interface CoercibleField {
  readonly name: string
  readonly jsonPath: readonly JsonOperation[]
  /** Wrap the column in `to_jsonb()` before applying a JSON path (non-json columns). */
  readonly toJson: boolean
  /** Apply `to_tsvector([lang,] col)` for full-text operators on non-tsvector columns. */
  readonly toTsVector?: { readonly language?: string | undefined } | undefined
  /** The column's nominal type ('' when unknown). */
  readonly irType: string
  readonly baseType: string
  /** A data-representation function to apply (domain ⇄ json/text). */
  readonly transform?: string | undefined
  readonly default?: string | null | undefined
  /** Stands for the whole row (`count()` inside a spread). */
  readonly fullRow: boolean
}

export type CoercibleFilter =
  | { readonly kind: 'filter'; readonly field: CoercibleField; readonly opExpr: OpExpr }
  /** `embed=is.null` / `embed=not.is.null` turned into a test on the embed's lateral alias. */
  | { readonly kind: 'nullEmbed'; readonly negated: boolean; readonly aggAlias: string }

export type CoercibleLogicTree =
  | { readonly kind: 'expr'; readonly negated: boolean; readonly op: 'and' | 'or'; readonly children: readonly CoercibleLogicTree[] }
  | { readonly kind: 'stmnt'; readonly filter: CoercibleFilter }

export type CoercibleOrderTerm =
  | { readonly kind: 'field'; readonly field: CoercibleField; readonly direction?: OrderDirection | undefined; readonly nulls?: OrderNulls | undefined }
  | {
      readonly kind: 'relation'
      /** The embed's lateral alias once resolved (its name before). */
      readonly relation: string
      readonly field: Field
      readonly direction?: OrderDirection | undefined
      readonly nulls?: OrderNulls | undefined
    }

export interface CoercibleSelectField {
  readonly field: CoercibleField
  readonly aggregate?: AggregateFunction | undefined
  readonly aggregateCast?: string | undefined
  readonly cast?: string | undefined
  readonly alias?: string | undefined
}

export interface SpreadSelectField {
  readonly name: string
  readonly aggregate?: AggregateFunction | undefined
  readonly aggregateCast?: string | undefined
  readonly alias?: string | undefined
}

export type RelSelectField =
  | { readonly kind: 'jsonEmbed'; readonly selName: string; readonly aggAlias: string; readonly mode: 'object' | 'array'; readonly emptyEmbed: boolean }
  | { readonly kind: 'spread'; readonly spreadSel: readonly SpreadSelectField[]; readonly aggAlias: string }

export type SpreadType =
  | { readonly kind: 'toOne' }
  | {
      readonly kind: 'toMany'
      readonly extraSelect: readonly (readonly [string | null, CoercibleSelectField])[]
      readonly order: readonly CoercibleOrderTerm[]
    }

/** `(qi, column) = (qi, column)` between an embed and its parent. */
export interface JoinCondition {
  readonly left: readonly [QualifiedIdentifier, string]
  readonly right: readonly [QualifiedIdentifier, string]
}

/** One node of the read tree: the root resource or an embedded one. */
export interface ReadPlan {
  readonly select: readonly CoercibleSelectField[]
  readonly from: QualifiedIdentifier
  readonly fromAlias?: string | undefined
  readonly where: readonly CoercibleLogicTree[]
  readonly order: readonly CoercibleOrderTerm[]
  readonly range: Range
  readonly relName: string
  readonly relToParent?: Relationship | undefined
  readonly relJoinConds: readonly JoinCondition[]
  readonly relAlias?: string | undefined
  readonly relAggAlias: string
  readonly relHint?: string | undefined
  readonly relJoinType?: JoinType | undefined
  readonly relSpread?: SpreadType | undefined
  readonly relSelect: readonly RelSelectField[]
  readonly depth: number
  readonly relIsLegacyTargetNameMatch: boolean
  readonly children: readonly ReadPlan[]
}

/** How the rows become a body (PostgREST's MediaHandler). */
export type MediaHandler =
  | { readonly kind: 'builtinAggSingleJson'; readonly stripNulls: boolean }
  | { readonly kind: 'builtinAggArrayJsonStrip' }
  | { readonly kind: 'builtinOvAggJson' }
  | { readonly kind: 'builtinOvAggGeoJson' }
  | { readonly kind: 'builtinOvAggCsv' }
  | { readonly kind: 'customFunc'; readonly function: QualifiedIdentifier; readonly target: QualifiedIdentifier | null }
  | { readonly kind: 'noAgg' }

export type TxMode = 'read' | 'write'

/**
 * The write itself (PostgREST's MutatePlan.hs). Columns are payload keys resolved against the
 * table, typed with the column's nominal type and carrying the json → type representation
 * function and the column default (for `Prefer: missing=default`). `returning` lists the columns
 * the response needs (sorted, or `*`); empty means `RETURNING 1` (only the count is needed).
 */
export type MutatePlan =
  | {
      readonly kind: 'insert'
      readonly into: QualifiedIdentifier
      readonly columns: readonly CoercibleField[]
      /** The JSON payload text (null when there is none). */
      readonly body: string | null
      /** `ON CONFLICT (columns) DO …`; absent for a plain insert. */
      readonly onConflict?: { readonly resolution: 'merge-duplicates' | 'ignore-duplicates'; readonly columns: readonly string[] } | undefined
      /** PUT only: the URL's primary-key filters, applied to the payload row. */
      readonly where: readonly CoercibleLogicTree[]
      readonly returning: readonly string[]
      /** Primary-key columns for the Location header (empty for PUT). */
      readonly pkCols: readonly string[]
      readonly applyDefaults: boolean
    }
  | {
      readonly kind: 'update'
      readonly table: QualifiedIdentifier
      readonly columns: readonly CoercibleField[]
      readonly body: string | null
      readonly where: readonly CoercibleLogicTree[]
      readonly returning: readonly string[]
      readonly applyDefaults: boolean
    }
  | {
      readonly kind: 'delete'
      readonly table: QualifiedIdentifier
      readonly where: readonly CoercibleLogicTree[]
      readonly returning: readonly string[]
    }

/**
 * A condition on the number of rows the write produced that must hold before the transaction may
 * commit (PostgREST's failNotSingular, failExceedsMaxAffectedPref, failPut). The main statement
 * checks them itself and raises when one fails, so the write is undone on every executor,
 * including the non-interactive HTTP batch.
 */
export type PostCheck =
  /** `vnd.pgrst.object+json`: exactly one row (PGRST116). */
  | { readonly kind: 'singular' }
  /** `Prefer: handling=strict, max-affected=n`: at most n rows (PGRST124). */
  | { readonly kind: 'maxAffected'; readonly max: number }
  /** PUT: the payload's key matched the URL's, i.e. exactly one row (PGRST115). */
  | { readonly kind: 'putMatchingPk' }

/**
 * An argument given in the query string or a urlencoded body (PostgREST's RpcParamValue): one
 * value, or every value of a repeated VARIADIC parameter, in order.
 */
export type RpcParamValue = { readonly kind: 'fixed'; readonly value: string } | { readonly kind: 'variadic'; readonly values: readonly string[] }

/** Where the arguments come from (PostgREST's CallArgs). */
export type CallArgs =
  /** Query string (GET) or urlencoded body: one text value per parameter, cast to its type. */
  | { readonly kind: 'direct'; readonly args: ReadonlyMap<string, RpcParamValue> }
  /** The JSON body (null: none), read into typed columns by `json_to_record`. */
  | { readonly kind: 'json'; readonly body: string | null }
  /** A raw body for a single unnamed parameter (text, xml or bytea). */
  | { readonly kind: 'raw'; readonly body: Uint8Array }

/** How the function is called (PostgREST's CallParams). */
export type CallParams =
  /** `f(a := …, b := …)` with the parameters the request named, in declaration order. */
  | { readonly kind: 'key'; readonly params: readonly RoutineParam[] }
  /** `f(…)` with the one unnamed parameter, given the whole body. */
  | { readonly kind: 'onePos'; readonly param: RoutineParam }

/** The function call that becomes the `pgrst_source` CTE (PostgREST's CallPlan.hs). */
export interface CallPlan {
  readonly qi: QualifiedIdentifier
  readonly params: CallParams
  readonly args: CallArgs
  /** Returns one scalar / a set of scalars: the value is selected as `pgrst_scalar`. */
  readonly scalar: boolean
  readonly setOfScalar: boolean
  /** Columns the filters use (sorted, unique), selected next to `returning`. */
  readonly filterFields: readonly string[]
  /** Columns the response needs (sorted, unique), `['*']` for all, empty for `*` too. */
  readonly returning: readonly string[]
}

export type ActionPlan =
  | {
      readonly kind: 'read'
      readonly readPlan: ReadPlan
      readonly handler: MediaHandler
      readonly media: MediaType
      readonly headersOnly: boolean
      readonly qi: QualifiedIdentifier
      readonly txMode: TxMode
    }
  | {
      readonly kind: 'mutate'
      readonly mutation: Mutation
      /** Reads the written rows back (from the `pgrst_source` CTE) for the response body. */
      readonly readPlan: ReadPlan
      readonly mutatePlan: MutatePlan
      readonly handler: MediaHandler
      readonly media: MediaType
      readonly qi: QualifiedIdentifier
      readonly txMode: TxMode
      /** Checked in the main statement, in this order. */
      readonly checks: readonly PostCheck[]
    }
  | {
      readonly kind: 'call'
      /** Reads the function's result (the `pgrst_source` CTE) like a table: select, filters, order, range, embeds. */
      readonly readPlan: ReadPlan
      readonly callPlan: CallPlan
      readonly routine: Routine
      readonly handler: MediaHandler
      readonly media: MediaType
      readonly invMethod: InvokeMethod
      readonly qi: QualifiedIdentifier
      /** `read` for GET/HEAD and for STABLE/IMMUTABLE functions: a read-only transaction. */
      readonly txMode: TxMode
      /** The function's own `SET default_transaction_isolation`, if any. */
      readonly isolation: IsolationLevel | null
      /** Function-level settings listed in db-hoisted-tx-settings, set for the transaction. */
      readonly funcSettings: readonly (readonly [string, string])[]
      /** Checked in the main statement, in this order (singular, max-affected). */
      readonly checks: readonly PostCheck[]
    }
  /**
   * `GET /` (PostgREST's InspectPlan): the OpenAPI document of `schema`, Swagger 2.0 as PostgREST
   * serves it or OpenAPI 3.1 when asked for. The database says what the role may see.
   */
  | {
      readonly kind: 'inspect'
      readonly schema: string
      readonly headersOnly: boolean
      readonly media: MediaType & { readonly kind: 'openapi' | 'openapi31' }
    }
  /** OPTIONS on `/`: answered without the database. */
  | { readonly kind: 'schemaInfo'; readonly allow: readonly string[] }
  /** OPTIONS on a function: answered without the database. */
  | { readonly kind: 'routineInfo'; readonly qi: QualifiedIdentifier; readonly allow: readonly string[] }
  /** OPTIONS on a table/view: answered without the database. */
  | { readonly kind: 'relationInfo'; readonly qi: QualifiedIdentifier; readonly allow: readonly string[] }
