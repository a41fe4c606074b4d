/**
 * @module plan/fields: resolving a field named in the request against the schema cache into a
 * CoercibleField (PostgREST's ResolverContext functions): its types, JSON-path handling,
 * full-text wrapping and data-representation transforms. Shared by the read, mutate and call
 * planners so every action types filters the same way. Pure.
 */
import type { Field, Filter, LogicTree, OpExpr, OrderTerm, QualifiedIdentifier } from '../parse/types.ts'
import type { Column, SchemaCache } from '../schema-cache/types.ts'
import { qiKey } from '../schema-cache/types.ts'
import type { CoercibleField, CoercibleFilter, CoercibleLogicTree, CoercibleOrderTerm } from './types.ts'

/** Where field types are looked up: the table being resolved and the output format. */
export interface ResolverContext {
  readonly cache: SchemaCache
  readonly qi: QualifiedIdentifier
  readonly outputType: string
}

export const unknownField = (name: string, jsonPath: Field['jsonPath']): CoercibleField => ({
  name,
  jsonPath,
  toJson: false,
  irType: '',
  baseType: '',
  fullRow: false,
})

export const columnField = (col: Column, toTsVector?: CoercibleField['toTsVector']): CoercibleField => ({
  name: col.name,
  jsonPath: [],
  toJson: false,
  toTsVector,
  irType: col.nominalType,
  baseType: col.type,
  default: col.default,
  fullRow: false,
})

export const lookupColumn = (ctx: ResolverContext, name: string): Column | undefined => ctx.cache.columns.get(qiKey(ctx.qi))?.get(name)

export const resolveTypeOrUnknown = (ctx: ResolverContext, f: Field, toTsVector?: CoercibleField['toTsVector']): CoercibleField => {
  const col = lookupColumn(ctx, f.name)
  // A name that is not a column (a computed field, or a column of an RPC result) gets no
  // to_tsvector(): its type is unknown, and it may well be a tsvector already.
  if (col === undefined) return { ...unknownField(f.name, f.jsonPath), toJson: true }
  // json/jsonb columns take arrow operators directly (keeps indexes usable, PostgREST #2594);
  // tsvector is never wrapped in to_tsvector; everything else goes through to_jsonb for paths.
  const json = col.nominalType === 'json' || col.nominalType === 'jsonb'
  const field = columnField(col, json || col.type !== 'tsvector' ? toTsVector : undefined)
  return { ...field, jsonPath: f.jsonPath, toJson: !json }
}

export const withTransformer = (ctx: ResolverContext, source: string, target: string, field: CoercibleField): CoercibleField => {
  // Most schemas have no data representations: skip building the key.
  if (ctx.cache.representations.size === 0) return field
  const rep = ctx.cache.representations.get(`${source}\u0000${target}`)
  return rep ? { ...field, irType: source, transform: rep.function } : field
}
export const withOutputFormat = (ctx: ResolverContext, f: CoercibleField): CoercibleField => withTransformer(ctx, f.irType, ctx.outputType, f)
export const withTextParse = (ctx: ResolverContext, f: CoercibleField): CoercibleField => withTransformer(ctx, 'text', f.irType, f)

export const resolveOutputField = (ctx: ResolverContext, f: Field): CoercibleField => withOutputFormat(ctx, resolveTypeOrUnknown(ctx, f))

export const resolveQueryInputField = (ctx: ResolverContext, f: Field, opExpr: OpExpr): CoercibleField => {
  const op = opExpr.operation
  const toTs = op.kind === 'fts' ? { language: op.language } : undefined
  return withTextParse(ctx, resolveTypeOrUnknown(ctx, f, toTs))
}

export const resolveFilter = (ctx: ResolverContext, f: Filter): CoercibleFilter => ({
  kind: 'filter',
  field: resolveQueryInputField(ctx, f.field, f.opExpr),
  opExpr: f.opExpr,
})

export const resolveLogicTree = (ctx: ResolverContext, t: LogicTree): CoercibleLogicTree =>
  t.kind === 'stmnt'
    ? { kind: 'stmnt', filter: resolveFilter(ctx, t.filter) }
    : { kind: 'expr', negated: t.negated, op: t.op, children: t.children.map((c) => resolveLogicTree(ctx, c)) }

export const resolveOrder = (ctx: ResolverContext, o: OrderTerm): CoercibleOrderTerm =>
  o.kind === 'relation'
    ? { kind: 'relation', relation: o.relation, field: o.field, direction: o.direction, nulls: o.nulls }
    : { kind: 'field', field: resolveTypeOrUnknown(ctx, o.field), direction: o.direction, nulls: o.nulls }

