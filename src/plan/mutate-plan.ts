/**
 * @module plan/mutate-plan: ApiRequest + schema cache → the MutatePlan of a POST, PUT, PATCH or
 * DELETE on a table or view (PostgREST's `mutatePlan`), the columns the response must get back
 * from `RETURNING` (`inferColsEmbedNeeds`) and the post-checks the main statement must make
 * before the write may commit. Pure.
 */
import { err, ok, type Result } from '../result.ts'
import { apiErr, cacheErr, type AppError } from '../errors/types.ts'
import type { ApiRequest, Mutation, QualifiedIdentifier } from '../parse/types.ts'
import type { SchemaCache, Table } from '../schema-cache/types.ts'
import { qiKey } from '../schema-cache/types.ts'
import { compareCodePoints } from '../parse/url-encoding.ts'
import { columnField, resolveFilter, resolveLogicTree, withTransformer } from './fields.ts'
import type { CoercibleField, CoercibleLogicTree, MutatePlan, PostCheck, ReadPlan } from './types.ts'

/** A payload key → the column it writes (PGRST204 when the table has no such column). */
const resolvePayloadColumn = (cache: SchemaCache, table: Table, name: string): Result<CoercibleField, AppError> => {
  const col = cache.columns.get(qiKey(table))?.get(name)
  if (!col) return err(cacheErr({ kind: 'columnNotFound', relation: table.name, column: name }))
  return ok(withTransformer({ cache, qi: table, outputType: 'json' }, 'json', col.nominalType, columnField(col)))
}

/**
 * The columns RETURNING must give the read-back query (PostgREST's inferColsEmbedNeeds): `*` when
 * the select has `*` (anything more would be output twice) or an embed goes through a computed
 * relationship (its needs are unknown); otherwise the selected columns plus the local columns of
 * every embed's relationship plus the primary key (for Location), deduplicated and sorted.
 */
export const returningColumns = (rp: ReadPlan, pkCols: readonly string[]): string[] => {
  const names = new Set(rp.select.map((s) => s.field.name))
  if (names.has('*')) return ['*']
  if (rp.children.some((c) => c.relToParent?.kind === 'computed')) return ['*']
  for (const c of rp.children) {
    const rel = c.relToParent
    if (rel?.kind !== 'fk') continue
    const card = rel.cardinality
    const pairs = card.kind === 'M2M' ? card.junction.colsSource : card.columns
    for (const [local] of pairs) names.add(local)
  }
  for (const pk of pkCols) names.add(pk)
  return [...names].sort(compareCodePoints)
}

/** PUT's filters must be exactly the primary key, each `col=eq.value` (PostgREST's MutationSingleUpsert guard). */
const isPutOnPk = (req: ApiRequest, pkCols: readonly string[]): boolean => {
  const qp = req.queryParams
  const pk = new Set(pkCols)
  const fields = new Set(qp.filterFields)
  const sameSet = fields.size === pk.size && [...fields].every((f) => pk.has(f))
  return (
    qp.logic.length === 0 &&
    pk.size > 0 &&
    sameSet &&
    qp.filtersRoot.every((f) => {
      const op = f.opExpr.operation
      return !f.opExpr.negated && op.kind === 'quant' && op.op === 'eq' && op.quantifier === undefined
    })
  )
}

/** The post-checks of a write, in PostgREST's order (MainTx's failMutation). */
export const postChecks = (mutation: Mutation, req: ApiRequest, singular: boolean): PostCheck[] => {
  const { handling, maxAffected } = req.preferences
  const maxCheck: PostCheck[] = handling === 'strict' && maxAffected !== undefined ? [{ kind: 'maxAffected', max: maxAffected }] : []
  const singularCheck: PostCheck[] = singular ? [{ kind: 'singular' }] : []
  switch (mutation) {
    case 'create':
      return singularCheck
    case 'update':
    case 'delete':
      return [...singularCheck, ...maxCheck]
    case 'singleUpsert':
      return [{ kind: 'putMatchingPk' }]
    default: {
      const never: never = mutation
      throw new TypeError(`unknown mutation ${String(never)}`)
    }
  }
}

/**
 * The MutatePlan for `mutation` on `table`, given the read plan that will read the written rows
 * back. Errors: PGRST204 for a payload key or `columns` entry the table lacks, PGRST105 for a PUT
 * whose filters are not exactly the primary key with `eq`.
 */
export const mutatePlan = (mutation: Mutation, table: Table, req: ApiRequest, cache: SchemaCache, rp: ReadPlan): Result<MutatePlan, AppError> => {
  const qi: QualifiedIdentifier = { schema: table.schema, name: table.name }
  const prefs = req.preferences
  const qp = req.queryParams
  const pkCols = table.pkCols
  const rep = prefs.representation
  const returning = rep === undefined || rep === 'none' ? [] : returningColumns(rp, pkCols)
  // Root filters first (in query-string order), then the root logic trees.
  const ctx = { cache, qi, outputType: 'json' }
  const logic = qp.logic.filter(([path]) => path.length === 0).map(([, t]) => resolveLogicTree(ctx, t))
  const where: CoercibleLogicTree[] = [...qp.filtersRoot.map((f): CoercibleLogicTree => ({ kind: 'stmnt', filter: resolveFilter(ctx, f) })), ...logic]
  const body = req.payload?.kind === 'json' || req.payload?.kind === 'rawJson' ? req.payload.raw : null
  const applyDefaults = prefs.missing === 'default'

  const columns = (): Result<CoercibleField[], AppError> => {
    const out: CoercibleField[] = []
    for (const name of req.columns) {
      const c = resolvePayloadColumn(cache, table, name)
      if (!c.ok) return c
      out.push(c.value)
    }
    return ok(out)
  }

  switch (mutation) {
    case 'create': {
      const cols = columns()
      if (!cols.ok) return cols
      const resolution = prefs.resolution
      return ok({
        kind: 'insert',
        into: qi,
        columns: cols.value,
        body,
        onConflict: resolution === undefined ? undefined : { resolution, columns: qp.onConflict ?? pkCols },
        where: [],
        returning,
        pkCols,
        applyDefaults,
      })
    }
    case 'update': {
      const cols = columns()
      if (!cols.ok) return cols
      return ok({ kind: 'update', table: qi, columns: cols.value, body, where, returning, applyDefaults })
    }
    case 'singleUpsert': {
      if (!isPutOnPk(req, pkCols)) return err(apiErr({ kind: 'invalidFilters' }))
      const cols = columns()
      if (!cols.ok) return cols
      return ok({
        kind: 'insert',
        into: qi,
        columns: cols.value,
        body,
        onConflict: { resolution: 'merge-duplicates', columns: pkCols },
        where,
        returning,
        pkCols: [],
        applyDefaults: false,
      })
    }
    case 'delete':
      return ok({ kind: 'delete', table: qi, where, returning })
    default: {
      const never: never = mutation
      throw new TypeError(`unknown mutation ${String(never)}`)
    }
  }
}
