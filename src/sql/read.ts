/**
 * @module sql/read: a ReadPlan tree → one SELECT, embeds as LATERAL subqueries aggregated to
 * JSON inside Postgres (PostgREST's readPlanToQuery / readPlanToCountQuery).
 */
import type { QualifiedIdentifier } from '../parse/types.ts'
import type { CoercibleLogicTree, CoercibleSelectField, ReadPlan, RelSelectField, SpreadSelectField } from '../plan/types.ts'
import { unknownField } from '../plan/fields.ts'
import { concat, empty, ident, join, raw, type SqlFragment } from './fragment.ts'
import {
  applyAggregate,
  fmtAs,
  fmtField,
  fmtFilter,
  fmtJoinCondition,
  fmtLogicTree,
  fmtSelectItem,
  fromQi,
  limitOffsetClause,
  orderClause,
} from './format.ts'

/** The name rows of a node are referred to by: its alias, or for computed relationships the function. */
const nodeQi = (n: ReadPlan): QualifiedIdentifier => {
  const rel = n.relToParent
  if (rel?.kind === 'computed') return { schema: '', name: n.fromAlias ?? rel.function.name }
  return n.fromAlias !== undefined ? { schema: '', name: n.fromAlias } : n.from
}

const fromClause = (n: ReadPlan): SqlFragment => {
  const rel = n.relToParent
  const source =
    rel?.kind === 'computed'
      ? concat(fromQi(rel.function), raw('('), ident(rel.tableAlias.name), raw('::'), fromQi(rel.table), raw(')'))
      : fromQi(n.from)
  const junction = rel?.kind === 'fk' && rel.cardinality.kind === 'M2M' ? concat(raw(', '), fromQi(rel.cardinality.junction.table)) : empty
  return concat(raw(' FROM '), source, n.fromAlias !== undefined ? concat(raw(' AS '), ident(n.fromAlias)) : empty, junction)
}

const fullSelName = (aggAlias: string, name: string): SqlFragment =>
  name === '*' ? concat(ident(aggAlias), raw('.*')) : concat(ident(aggAlias), raw('.'), ident(name))

const fmtSpreadSelectItem = (aggAlias: string, s: SpreadSelectField): SqlFragment =>
  concat(applyAggregate(s.aggregate, s.aggregateCast, fullSelName(aggAlias, s.name)), fmtAs(s.alias))

const relSelectItems = (r: RelSelectField): SqlFragment[] => {
  switch (r.kind) {
    case 'jsonEmbed':
      if (r.emptyEmbed) return []
      return r.mode === 'object'
        ? [concat(raw('row_to_json('), ident(r.aggAlias), raw('.*)::jsonb AS '), ident(r.selName))]
        : [concat(raw('COALESCE( '), ident(r.aggAlias), raw('.'), ident(r.aggAlias), raw(", '[]') AS "), ident(r.selName))]
    case 'spread':
      return r.spreadSel.map((s) => fmtSpreadSelectItem(r.aggAlias, s))
    default: {
      const never: never = r
      throw new TypeError(`unknown rel select ${String(never)}`)
    }
  }
}

/** GROUP BY every non-aggregated output when any aggregate is selected (PostgREST's groupF). */
const groupClause = (qi: QualifiedIdentifier, select: readonly CoercibleSelectField[], relSelect: readonly RelSelectField[]): SqlFragment => {
  const noAgg = select.every((s) => s.aggregate === undefined)
  const noRelAgg = relSelect.every((r) => r.kind !== 'spread' || r.spreadSel.every((s) => s.aggregate === undefined))
  if (noAgg && noRelAgg) return empty
  const terms: SqlFragment[] = []
  for (const s of select) {
    if (s.aggregate !== undefined) continue
    terms.push(s.alias !== undefined ? ident(s.alias) : fmtField(qi, s.field))
  }
  for (const r of relSelect) {
    if (r.kind === 'jsonEmbed') terms.push(ident(r.selName))
    else {
      const t = r.spreadSel.filter((s) => s.aggregate === undefined).map((s) => concat(ident(r.aggAlias), raw('.'), ident(s.alias ?? s.name)))
      if (t.length > 0) terms.push(join(t, ', '))
    }
  }
  return terms.length === 0 ? empty : concat(raw(' GROUP BY '), join(terms, ', '))
}

const DEFAULT_SELECT: CoercibleSelectField = { field: unknownField('*', []) }

export const readPlanToQuery = (n: ReadPlan): SqlFragment => {
  const qi = nodeQi(n)
  const select = n.select.length === 0 && n.children.length === 0 ? [DEFAULT_SELECT] : n.select
  const selects = select.map((s) => fmtSelectItem(qi, s))
  const spreadExtra =
    n.relSpread?.kind === 'toMany'
      ? n.relSpread.extraSelect.map(([rel, s]) => fmtSelectItem(rel === null ? qi : { schema: '', name: rel }, s))
      : []
  const joinSelects: SqlFragment[] = []
  for (const r of n.relSelect) joinSelects.push(...relSelectItems(r))
  const conds = [...n.where.map((t) => fmtLogicTree(qi, t)), ...n.relJoinConds.map(fmtJoinCondition)]
  return concat(
    raw('SELECT '),
    join([...selects, ...spreadExtra, ...joinSelects], ', '),
    fromClause(n),
    concat(...joins(n)),
    conds.length === 0 ? empty : concat(raw(' WHERE '), join(conds, ' AND ')),
    raw(' '),
    groupClause(qi, select, n.relSelect),
    raw(' '),
    orderClause(qi, n.order),
    raw(' '),
    limitOffsetClause(n.range),
  )
}

const joins = (n: ReadPlan): SqlFragment[] =>
  n.relSelect.map((r) => {
    const child = n.children.find((c) => c.relAggAlias === r.aggAlias)
    if (!child) throw new TypeError(`embed ${r.aggAlias} has no plan node`)
    return joinFor(r, child)
  })

const joinFor = (r: RelSelectField, child: ReadPlan): SqlFragment => {
  const inner = child.relJoinType === 'inner'
  const alias = ident(r.aggAlias)
  const lateral = (sub: SqlFragment, cond: SqlFragment): SqlFragment =>
    concat(raw(inner ? ' INNER JOIN LATERAL ( ' : ' LEFT JOIN LATERAL ( '), sub, raw(' ) AS '), alias, raw(' ON '), cond)
  const sub = readPlanToQuery(child)
  const aggSelect = concat(raw('SELECT json_agg('), alias, raw(')::jsonb AS '), alias)
  const aggFrom = concat(raw(' FROM ('), sub, raw(' ) AS '), alias)
  const cond = inner ? concat(alias, raw(' IS NOT NULL')) : raw('TRUE')
  if (r.kind === 'jsonEmbed') {
    return r.mode === 'object' ? lateral(sub, raw('TRUE')) : lateral(concat(aggSelect, aggFrom), cond)
  }
  if (child.relSpread?.kind === 'toMany') {
    const spreadOrder = child.relSpread.order
    const items = r.spreadSel.map((s) =>
      concat(
        raw('COALESCE(json_agg('),
        fullSelName(r.aggAlias, s.name),
        raw(' '),
        orderClause({ schema: '', name: r.aggAlias }, spreadOrder),
        raw("),'[]')::jsonb AS "),
        ident(s.alias ?? s.name),
      ),
    )
    return lateral(concat(aggSelect, items.length > 0 ? raw(', ') : empty, join(items, ', '), aggFrom), cond)
  }
  return lateral(sub, raw('TRUE'))
}

/**
 * COUNT query for the root: WHERE only, no LIMIT/OFFSET, `SELECT 1` so expensive select
 * expressions are not evaluated. Inner-joined embeds become EXISTS (PostgREST #2009).
 */
export const readPlanToCountQuery = (n: ReadPlan): SqlFragment => {
  const qi = nodeQi(n)
  const countTree = (t: CoercibleLogicTree): SqlFragment => {
    if (t.kind === 'expr') {
      return concat(raw(t.negated ? 'NOT (' : '('), join(t.children.map(countTree), t.op === 'and' ? ' AND ' : ' OR '), raw(')'))
    }
    const f = t.filter
    if (f.kind === 'nullEmbed') {
      const child = n.children.find((c) => c.relAggAlias === f.aggAlias)
      return child ? concat(raw(f.negated ? '' : 'NOT '), raw('EXISTS ('), readPlanToCountQuery(child), raw(')')) : empty
    }
    return fmtFilter(qi, f)
  }
  const subQueries = n.children.filter((c) => c.relJoinType === 'inner').map((c) => concat(raw('EXISTS ('), readPlanToCountQuery(c), raw(' )')))
  const conds = [...n.where.map(countTree), ...n.relJoinConds.map(fmtJoinCondition), ...subQueries]
  return concat(raw('SELECT 1'), fromClause(n), conds.length === 0 ? empty : concat(raw(' WHERE '), join(conds, ' AND ')))
}
