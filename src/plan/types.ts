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
  OpExpr,
  OrderDirection,
  OrderNulls,
  QualifiedIdentifier,
  Range,
} from '../parse/types.ts'
import type { Relationship } from '../schema-cache/types.ts'

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
  /** OPTIONS on a table/view: answered without the database. */
  | { readonly kind: 'relationInfo'; readonly qi: QualifiedIdentifier; readonly allow: readonly string[] }
