/**
 * @module plan/read-plan: ApiRequest + schema cache → the ReadPlan tree, built in the same
 * ordered passes as PostgREST's `readPlan` (filters, orders, ranges, logic trees, relationships,
 * star expansion, aliases, related orders, null-embed filters, rel selects, aggregate checks,
 * spread hoisting, max-rows). Pure.
 */
import { err, ok, type Result } from '../result.ts'
import { apiErr, type AppError } from '../errors/types.ts'
import type { ApiRequest, EmbedPath, QualifiedIdentifier, Range, SelectItem } from '../parse/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { SchemaCache } from '../schema-cache/types.ts'
import { qiKey } from '../schema-cache/types.ts'
import { noRelBetweenHint } from '../schema-cache/fuzzy.ts'
import { findRel, joinConditions, relIsToOne } from './embed.ts'
import {
  columnField,
  resolveFilter,
  resolveLogicTree,
  resolveOrder,
  resolveOutputField,
  unknownField,
  withOutputFormat,
  type ResolverContext,
} from './fields.ts'
import type {
  CoercibleLogicTree,
  CoercibleOrderTerm,
  CoercibleSelectField,
  ReadPlan,
  RelSelectField,
  SpreadSelectField,
} from './types.ts'

export const SOURCE_CTE = 'pgrst_source'
export const ALL_RANGE: Range = { offset: 0 }

type NodePatch = { -readonly [K in keyof ReadPlan]?: ReadPlan[K] }

/**
 * `{ ...n, ...patch }`, written out field by field in one order. Planning copies nodes many times
 * per request, and object spread over nodes of varying shapes (optional fields present or not)
 * is V8's slow generic path; built here, every node shares one hidden class. An undefined field
 * in the patch keeps the node's value (no pass clears a field).
 */
const nodeWith = (n: ReadPlan, p: NodePatch): ReadPlan => ({
  select: p.select ?? n.select,
  from: p.from ?? n.from,
  fromAlias: p.fromAlias ?? n.fromAlias,
  where: p.where ?? n.where,
  order: p.order ?? n.order,
  range: p.range ?? n.range,
  relName: p.relName ?? n.relName,
  relToParent: p.relToParent ?? n.relToParent,
  relJoinConds: p.relJoinConds ?? n.relJoinConds,
  relAlias: p.relAlias ?? n.relAlias,
  relAggAlias: p.relAggAlias ?? n.relAggAlias,
  relHint: p.relHint ?? n.relHint,
  relJoinType: p.relJoinType ?? n.relJoinType,
  relSpread: p.relSpread ?? n.relSpread,
  relSelect: p.relSelect ?? n.relSelect,
  depth: p.depth ?? n.depth,
  relIsLegacyTargetNameMatch: p.relIsLegacyTargetNameMatch ?? n.relIsLegacyTargetNameMatch,
  children: p.children ?? n.children,
})

const emptyNode = (from: QualifiedIdentifier, relName: string, depth: number, embed: NodePatch = {}): ReadPlan =>
  nodeWith(
    {
      select: [],
      from,
      where: [],
      order: [],
      range: ALL_RANGE,
      relName,
      relJoinConds: [],
      relAggAlias: '',
      relSelect: [],
      depth,
      relIsLegacyTargetNameMatch: false,
      children: [],
    },
    embed,
  )

/*
 * Planning runs on every request, so the recursive helpers of the passes are module-level
 * functions rather than closures made per call (bundlers that keep function names wrap every
 * named closure in a helper call each time it is created).
 */

const TO_ONE = { kind: 'toOne' } as const

const buildNode = (ctx: ResolverContext, node: ReadPlan, items: readonly SelectItem[]): ReadPlan => {
  const select: CoercibleSelectField[] = []
  const children: ReadPlan[] = []
  const fieldCtx: ResolverContext = { cache: ctx.cache, qi: node.from, outputType: ctx.outputType }
  for (const si of items) {
    switch (si.kind) {
      case 'field':
        select.push({
          field: resolveOutputField(fieldCtx, si.field),
          aggregate: si.aggregate,
          aggregateCast: si.aggregateCast,
          cast: si.cast,
          alias: si.alias,
        })
        break
      case 'relation':
      case 'spread': {
        // Like PostgREST, an embed's fields are resolved against the relation named in the
        // request (its table when the embed is named by table) before relationships are known.
        const child = emptyNode({ schema: ctx.qi.schema, name: si.relation }, si.relation, node.depth + 1, {
          relAlias: si.kind === 'relation' ? si.alias : undefined,
          relHint: si.hint,
          relJoinType: si.joinType,
          relSpread: si.kind === 'spread' ? TO_ONE : undefined,
        })
        children.push(buildNode(ctx, child, si.children))
        break
      }
      default: {
        const never: never = si
        throw new TypeError(`unknown select item ${String(never)}`)
      }
    }
  }
  return nodeWith(node, { select, children })
}

/** Pass 1: the tree shape from `select`, with output fields resolved against each node's table. */
const initReadRequest = (ctx: ResolverContext, items: readonly SelectItem[]): ReadPlan => buildNode(ctx, emptyNode(ctx.qi, ctx.qi.name, 0), items)

/**
 * Apply `f` to the node at `path` (embed names/aliases from the root). A path naming something
 * that is not embedded is PGRST108; with legacy target names off, naming an aliased embed by its
 * table name is reported with the alias to use instead.
 */
const updateNode = (
  useLegacyNames: boolean,
  tree: ReadPlan,
  path: EmbedPath,
  f: (n: ReadPlan) => ReadPlan,
): Result<ReadPlan, AppError> => {
  const [head, ...rest] = path
  if (head === undefined) return ok(f(tree))
  const matches = (legacy: boolean) => (n: ReadPlan) =>
    legacy ? n.relName === head || n.relAlias === head : (n.relAlias ?? n.relName) === head
  const idx = tree.children.findIndex(matches(useLegacyNames))
  if (idx < 0) {
    const legacy = useLegacyNames ? undefined : tree.children.find(matches(true))
    const alias = legacy?.relAlias !== undefined ? { name: head, alias: legacy.relAlias } : undefined
    return err(apiErr({ kind: 'notEmbedded', resource: head, alias }))
  }
  const target = tree.children[idx] as ReadPlan
  const marked =
    target.relName === head && target.relAlias !== undefined && target.relAlias !== head
      ? nodeWith(target, { relIsLegacyTargetNameMatch: true })
      : target
  const updated = updateNode(useLegacyNames, marked, rest, f)
  if (!updated.ok) return updated
  const children = [...tree.children]
  children[idx] = updated.value
  return ok(nodeWith(tree, { children }))
}

type Pass = (tree: ReadPlan) => Result<ReadPlan, AppError>

const foldUpdates = <T>(
  tree: ReadPlan,
  items: readonly (readonly [EmbedPath, T])[],
  useLegacy: boolean,
  apply: (value: T, node: ReadPlan) => ReadPlan,
): Result<ReadPlan, AppError> => {
  let acc: Result<ReadPlan, AppError> = ok(tree)
  for (const [path, value] of items) {
    if (!acc.ok) return acc
    acc = updateNode(useLegacy, acc.value, path, (n) => apply(value, n))
  }
  return acc
}

/** The resolver context for a node's own table. */
const atNode = (ctx: ResolverContext, n: ReadPlan): ResolverContext => ({ cache: ctx.cache, qi: n.from, outputType: ctx.outputType })

const isRead = (req: ApiRequest): boolean => req.action.kind === 'relationRead' || req.action.kind === 'routine'

const addFilters = (ctx: ResolverContext, req: ApiRequest, useLegacy: boolean): Pass => (tree) => {
  const qp = req.queryParams
  const filters = isRead(req) ? qp.filters : qp.filtersNotRoot
  return foldUpdates(tree, filters, useLegacy, (flt, n) =>
    nodeWith(n, { where: [...n.where, { kind: 'stmnt', filter: resolveFilter(atNode(ctx, n), flt) }] }),
  )
}

const addOrders = (ctx: ResolverContext, req: ApiRequest, useLegacy: boolean): Pass => (tree) =>
  foldUpdates(tree, req.queryParams.order, useLegacy, (terms, n) => {
    const nctx = atNode(ctx, n)
    return nodeWith(n, { order: terms.map((t) => resolveOrder(nctx, t)) })
  })

const addRanges = (req: ApiRequest, useLegacy: boolean): Pass => (tree) => {
  if (req.action.kind === 'relationMut') return ok(tree)
  const items: (readonly [EmbedPath, Range])[] = [...req.ranges].map(([k, r]) => [k === '' ? [] : k.split('\u0000'), r] as const)
  return foldUpdates(tree, items, useLegacy, (range, n) => nodeWith(n, { range }))
}

const addLogicTrees = (ctx: ResolverContext, req: ApiRequest, useLegacy: boolean): Pass => (tree) => {
  const logic = isRead(req) ? req.queryParams.logic : req.queryParams.logic.filter(([p]) => p.length > 0)
  return foldUpdates(tree, logic, useLegacy, (t, n) => nodeWith(n, { where: [resolveLogicTree(atNode(ctx, n), t), ...n.where] }))
}

/** The embeds of `parent`, each resolved by `resolveRelNode`; the first error stops. */
const resolveChildren = (cache: SchemaCache, schema: string, parent: ReadPlan): Result<ReadPlan, AppError> => {
  const children: ReadPlan[] = []
  for (const c of parent.children) {
    const v = resolveRelNode(cache, schema, c, parent)
    if (!v.ok) return v
    children.push(v.value)
  }
  return ok(nodeWith(parent, { children }))
}

/** One embed: its relationship to `parent` (findRel), its aliases and join conditions, then its own embeds. */
const resolveRelNode = (cache: SchemaCache, schema: string, node: ReadPlan, parent: ReadPlan): Result<ReadPlan, AppError> => {
  const origin = node.depth === 1 ? (parent.fromAlias ?? parent.from.name) : parent.from.name
  const found = findRel(cache, schema, origin, node.relName, node.relHint, () => noRelBetweenHint(cache, origin, node.relName, schema))
  if (!found.ok) return found
  const r = found.value
  const newAlias = `${r.foreignTable.name}_${node.depth}`
  const aggAlias = `${r.table.name}_${node.relAlias ?? node.relName}_${node.depth}`
  const relSpread = node.relSpread !== undefined && !relIsToOne(r) ? { kind: 'toMany' as const, extraSelect: [], order: [] } : node.relSpread
  let updated: ReadPlan
  if (r.kind === 'fk' && r.cardinality.kind === 'M2M') {
    // The junction table joins the embed's FROM unaliased, so the embed is not aliased either.
    updated = nodeWith(node, { from: r.foreignTable, relToParent: r, relAggAlias: aggAlias, relJoinConds: joinConditions(undefined, parent.fromAlias, r), relSpread })
  } else if (r.kind === 'computed') {
    const tableAlias = parent.fromAlias !== undefined ? { schema: '', name: parent.fromAlias } : r.table
    updated = nodeWith(node, { from: r.foreignTable, relToParent: { ...r, tableAlias }, relAggAlias: aggAlias, fromAlias: newAlias, relSpread })
  } else {
    updated = nodeWith(node, {
      from: r.foreignTable,
      relToParent: r,
      relAggAlias: aggAlias,
      fromAlias: newAlias,
      relJoinConds: joinConditions(newAlias, parent.fromAlias, r),
      relSpread,
    })
  }
  return resolveChildren(cache, schema, updated)
}

/** Resolve each embed's relationship, its aliases and join conditions. */
const addRels = (cache: SchemaCache, schema: string, req: ApiRequest): Pass => (root) => {
  const isMutOrCall = req.action.kind === 'relationMut' || req.action.kind === 'routine'
  // Mutations and RPC read from the CTE, aliased as the table so relationships are still found.
  const newRoot = isMutOrCall ? nodeWith(root, { from: { schema: '', name: SOURCE_CTE }, fromAlias: root.from.name }) : root
  return resolveChildren(cache, schema, newRoot)
}

/*
 * The passes below rebuild only what they change: a node `f` returns as is, whose children are
 * unchanged too, is kept (most requests have no aggregates, spreads or null-embed filters, and
 * planning runs on every request).
 */

/** `children` mapped with `f`; the same array when `f` changed none of them. */
function mapSame<T>(items: readonly T[], f: (item: T) => T): readonly T[] {
  let out: T[] | undefined
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T
    const next = f(item)
    if (out === undefined && next !== item) out = items.slice(0, i)
    if (out !== undefined) out.push(next)
  }
  return out ?? items
}

const withChildren = (n: ReadPlan, children: readonly ReadPlan[]): ReadPlan => (children === n.children ? n : nodeWith(n, { children }))

const mapTree = (t: ReadPlan, f: (n: ReadPlan) => ReadPlan): ReadPlan => {
  const n = f(t)
  return withChildren(n, mapSame(n.children, (c) => mapTree(c, f)))
}

const traverseTree = (t: ReadPlan, f: (n: ReadPlan) => Result<ReadPlan, AppError>): Result<ReadPlan, AppError> => {
  const n = f(t)
  if (!n.ok) return n
  let failed: AppError | undefined
  const children = mapSame(n.value.children, (c) => {
    if (failed !== undefined) return c
    const r = traverseTree(c, f)
    if (r.ok) return r.value
    failed = r.error
    return c
  })
  return failed !== undefined ? err(failed) : ok(withChildren(n.value, children))
}

/** Whether some node of the tree satisfies `p`. */
const someNode = (t: ReadPlan, p: (n: ReadPlan) => boolean): boolean => p(t) || t.children.some((c) => someNode(c, p))

/** The real table behind a node (the CTE root is aliased with the table's name). */
const nodeTable = (ctx: ResolverContext, n: ReadPlan): QualifiedIdentifier =>
  n.from.schema === '' && n.from.name === SOURCE_CTE && n.fromAlias !== undefined ? { schema: ctx.qi.schema, name: n.fromAlias } : n.from

/**
 * Expand `*` into the table's columns when a data representation must be applied to some column
 * or when aggregates are involved (a bare `*` next to an aggregate cannot be grouped).
 */
const expandStars = (ctx: ResolverContext): Pass => (tree) => {
  const go = (n: ReadPlan, hasAggIn: boolean): ReadPlan => {
    const hasAgg = hasAggIn || n.select.some((s) => s.aggregate !== undefined) || n.relSpread?.kind === 'toMany'
    const isSpread = n.relSpread !== undefined
    const considered = n.select.filter((s) => s.aggregate === undefined || (isSpread && s.aggregate === 'count'))
    const hasStar = considered.some((s) => s.field.name === '*')
    let select = n.select
    // The table's columns are looked up only for a `*` (most selects name their columns).
    if (hasStar) {
      const nctx: ResolverContext = { cache: ctx.cache, qi: nodeTable(ctx, n), outputType: ctx.outputType }
      const cols = ctx.cache.tables.get(qiKey(nctx.qi))?.columns ?? []
      const hasRep = ctx.cache.representations.size > 0 && cols.some((c) => ctx.cache.representations.has(`${c.nominalType}\u0000${ctx.outputType}`))
      if (hasAgg || hasRep) {
        select = n.select.flatMap((s) => {
          if (s.field.name === '*' && s.field.jsonPath.length === 0 && s.aggregate === undefined) {
            return cols.map((c) => ({ ...s, field: withOutputFormat(nctx, columnField(c)) }))
          }
          if (isSpread && s.field.name === '*' && s.field.jsonPath.length === 0 && s.aggregate === 'count') {
            return [{ ...s, field: { ...s.field, fullRow: true } }]
          }
          return [s]
        })
      }
    }
    const children = mapSame(n.children, (c) => go(c, hasAgg))
    return select === n.select && children === n.children ? n : nodeWith(n, { select, children })
  }
  return ok(go(tree, false))
}

/** Implicit aliases: JSON-path keys, represented fields, aggregates inside spreads. */
const addAliases: Pass = (tree) =>
  ok(
    mapTree(tree, (n) => {
      const select = mapSame(n.select, (s) => {
        if (s.alias !== undefined) return s
        if (s.aggregate !== undefined) return n.relSpread !== undefined ? { ...s, alias: s.aggregate } : s
        const jp = s.field.jsonPath
        if (jp.length > 0) {
          const last = jp[jp.length - 1]
          if (last?.operand.kind === 'key') return { ...s, alias: last.operand.value }
          if (last?.operand.kind === 'idx') {
            const lastKey = [...jp].reverse().find((o) => o.operand.kind === 'key')
            return { ...s, alias: lastKey?.operand.value ?? s.field.name }
          }
        }
        if (s.field.transform !== undefined) return { ...s, alias: s.field.name }
        return s
      })
      return select === n.select ? n : nodeWith(n, { select })
    }),
  )

/** `order=rel(col)` must name a to-one embed; it is then addressed by the embed's lateral alias. */
const addRelatedOrders: Pass = (tree) =>
  traverseTree(tree, (n) => {
    if (n.order.every((o) => o.kind === 'field')) return ok(n)
    const order: CoercibleOrderTerm[] = []
    for (const o of n.order) {
      if (o.kind === 'field') {
        order.push(o)
        continue
      }
      const found = n.children.find((c) => (c.relAlias ?? c.relName) === o.relation)
      if (!found) return err(apiErr({ kind: 'notEmbedded', resource: o.relation }))
      if (found.relToParent && relIsToOne(found.relToParent)) order.push({ ...o, relation: found.relAggAlias })
      else return err(apiErr({ kind: 'relatedOrderNotToOne', origin: n.from.name, target: found.relAlias ?? found.relName }))
    }
    return ok(nodeWith(n, { order }))
  })

/** `embed=is.null` / `embed=not.is.null` become anti/semi-joins on the embed. */
const addNullEmbedFilters: Pass = (tree) =>
  ok(
    mapTree(tree, (n) => {
      if (n.where.length === 0 || n.children.length === 0) return n
      const rewrite = (t: CoercibleLogicTree): CoercibleLogicTree => {
        if (t.kind === 'expr') {
          const children = mapSame(t.children, rewrite)
          return children === t.children ? t : { ...t, children }
        }
        const f = t.filter
        if (f.kind !== 'filter' || f.field.jsonPath.length > 0) return t
        const found = n.children.find((c) => (c.relAlias ?? c.relName) === f.field.name)
        const op = f.opExpr.operation
        if (found && op.kind === 'is' && op.value === 'null') {
          return { kind: 'stmnt', filter: { kind: 'nullEmbed', negated: f.opExpr.negated, aggAlias: found.relAggAlias } }
        }
        return t
      }
      const where = mapSame(n.where, rewrite)
      return where === n.where ? n : nodeWith(n, { where })
    }),
  )

const spreadSelectFields = (n: ReadPlan): SpreadSelectField[] => [
  ...n.select.map((s) => ({ name: s.alias ?? s.field.name })),
  ...n.relSelect.flatMap((r): SpreadSelectField[] => (r.kind === 'jsonEmbed' ? [{ name: r.selName }] : [...r.spreadSel])),
]

const hasOnlyNullEmbed = (noSelect: boolean, children: readonly ReadPlan[]): boolean =>
  children.reduce((acc, c) => acc && hasOnlyNullEmbed(c.select.length === 0, c.children), noSelect)

const addRelSelects: Pass = (tree) => {
  const go = (n: ReadPlan): ReadPlan => {
    if (n.children.length === 0) return n
    const children = n.children.map(go)
    const relSelect: RelSelectField[] = []
    for (const c of children) {
      const rel = c.relToParent
      if (!rel) continue
      if (c.relSpread !== undefined) relSelect.push({ kind: 'spread', spreadSel: spreadSelectFields(c), aggAlias: c.relAggAlias })
      else
        relSelect.push({
          kind: 'jsonEmbed',
          selName: c.relAlias ?? c.relName,
          aggAlias: c.relAggAlias,
          mode: relIsToOne(rel) ? 'object' : 'array',
          emptyEmbed: hasOnlyNullEmbed(c.select.length === 0, c.children),
        })
    }
    return nodeWith(n, { relSelect, children })
  }
  return ok(go(tree))
}

const hasAggregate = (n: ReadPlan): boolean => n.select.some((s) => s.aggregate !== undefined)

const validateAggFunctions = (allowed: boolean): Pass => (tree) =>
  !allowed && someNode(tree, hasAggregate) ? err(apiErr({ kind: 'aggregatesNotAllowed' })) : ok(tree)

type HoistedAgg = { readonly key: readonly [string, string]; readonly agg: Pick<SpreadSelectField, 'aggregate' | 'aggregateCast' | 'alias'> }

/** Aggregates inside to-one spreads are computed at the nearest level that is not a to-one spread. */
const hoistSpreadAggFunctions: Pass = (tree) => {
  // Nothing to hoist without aggregates (the pass would rebuild every node for nothing).
  if (!someNode(tree, hasAggregate)) return ok(tree)
  const go = (n: ReadPlan): [ReadPlan, HoistedAgg[]] => {
    const results = n.children.map(go)
    const children = results.map((r) => r[0])
    const childAggs = results.flatMap((r) => r[1])
    const isToOneSpread = n.relSpread?.kind === 'toOne'
    let select = n.select
    let aggs: HoistedAgg[] = []
    if (!(n.depth === 0 || (n.relToParent !== undefined && !isToOneSpread))) {
      aggs = []
      select = n.select.map((s) => {
        if (s.aggregate === undefined) return s
        aggs.push({ key: [n.relAggAlias, s.alias ?? s.field.name], agg: { aggregate: s.aggregate, aggregateCast: s.aggregateCast, alias: s.alias } })
        return { ...s, aggregate: undefined, aggregateCast: undefined }
      })
    }
    const hoisted = isToOneSpread ? [...aggs, ...childAggs.map((a) => ({ ...a, key: [n.relAggAlias, a.key[1]] as const }))] : aggs
    const relSelect =
      children.length === 0 || isToOneSpread
        ? n.relSelect
        : n.relSelect.map((r) =>
            r.kind !== 'spread'
              ? r
              : {
                  ...r,
                  spreadSel: r.spreadSel.map((s) => {
                    const h = childAggs.find((a) => a.key[0] === r.aggAlias && a.key[1] === s.name)
                    return h ? { ...s, ...h.agg } : s
                  }),
                },
          )
    return [nodeWith(n, { select, relSelect, children }), hoisted]
  }
  return ok(go(tree)[0])
}

const toManySpreadOrder = (n: ReadPlan): Result<ReadPlan, AppError> => {
  if (n.relSpread?.kind !== 'toMany') return ok(n)
  const anyAgg = n.select.some((s) => s.aggregate !== undefined) || n.relSelect.some((r) => r.kind === 'spread' && r.spreadSel.some((s) => s.aggregate !== undefined))
  if (anyAgg) return err(apiErr({ kind: 'notImplemented', details: 'Aggregates are not implemented for one-to-many or many-to-many spreads.' }))
  const extraSelect: (readonly [string | null, CoercibleSelectField])[] = []
  const order: CoercibleOrderTerm[] = []
  n.order.forEach((o, i) => {
    const alias = `${n.relAggAlias}_${o.field.name}_${i + 1}`
    const field = o.kind === 'field' ? o.field : unknownField(o.field.name, o.field.jsonPath)
    extraSelect.push([o.kind === 'relation' ? o.relation : null, { field, alias }])
    order.push({ kind: 'field', field: unknownField(alias, []), direction: o.direction, nulls: o.nulls })
  })
  return ok(nodeWith(n, { order: [], relSpread: { kind: 'toMany', extraSelect, order } }))
}

/** To-many spreads: their ordering moves into the json_agg, selecting the order columns under unique aliases. */
const addToManyOrderSelects: Pass = (tree) =>
  someNode(tree, (n) => n.relSpread?.kind === 'toMany') ? traverseTree(tree, toManySpreadOrder) : ok(tree)

/** db-max-rows caps every node's range (not on writes: PostgREST v10+). */
const treeRestrictRange = (maxRows: number | null, req: ApiRequest): Pass => (tree) => {
  if (req.action.kind === 'relationMut' || maxRows === null) return ok(tree)
  return ok(
    mapTree(tree, (n) =>
      nodeWith(n, { range: { offset: n.range.offset, limit: n.range.limit === undefined ? maxRows : Math.min(n.range.limit, maxRows) } }),
    ),
  )
}

export const readPlan = (qi: QualifiedIdentifier, config: AppConfig, cache: SchemaCache, req: ApiRequest): Result<ReadPlan, AppError> => {
  const ctx: ResolverContext = { cache, qi, outputType: 'json' }
  const legacy = config.urlUseLegacyTargetNames
  const passes: Pass[] = [
    addFilters(ctx, req, legacy),
    addOrders(ctx, req, legacy),
    addRanges(req, legacy),
    addLogicTrees(ctx, req, legacy),
    addRels(cache, qi.schema, req),
    expandStars(ctx),
    addAliases,
    addRelatedOrders,
    addNullEmbedFilters,
    addRelSelects,
    validateAggFunctions(config.dbAggregatesEnabled),
    hoistSpreadAggFunctions,
    addToManyOrderSelects,
    treeRestrictRange(config.dbMaxRows, req),
  ]
  let acc: Result<ReadPlan, AppError> = ok(initReadRequest(ctx, req.queryParams.select))
  for (const pass of passes) {
    if (!acc.ok) return acc
    acc = pass(acc.value)
  }
  return acc
}

/** `select=*` on the root with no embeds: custom media handlers for the relation may apply. */
export const hasDefaultSelect = (p: ReadPlan): boolean =>
  p.children.length === 0 && p.select.length === 1 && p.select[0]?.field.name === '*'
