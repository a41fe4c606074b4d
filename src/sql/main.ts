/**
 * @module sql/main: the one main statement per request, computing body, counts, GUC headers and
 * status in a single row (PostgREST's Statements.hs), plus the MainQuery that groups it with the
 * tx-vars statement, the optional pre-request call and the optional EXPLAIN for planned counts.
 */
import type { ApiRequest, MediaType } from '../parse/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { AuthResult } from '../auth/types.ts'
import type { ActionPlan, MediaHandler } from '../plan/types.ts'
import { compile, concat, empty, param, raw, type CompiledSql, type SqlFragment } from './fragment.ts'
import { currentSetting, fromQi, isAllRange, pgArrayLiteral, sql } from './format.ts'
import { readPlanToCountQuery, readPlanToQuery } from './read.ts'
import { mutatePlanToQuery } from './mutate.ts'
import { checkedCount } from './post-check.ts'
import { preRequestQuery, txVarsQuery } from './tx-vars.ts'
import { callPlanToQuery } from './call.ts'

/** The impersonated role's settings (`ALTER ROLE … SET`), set in the tx-vars statement. */
export type RoleSettingPairs = readonly (readonly [string, string])[]

export interface MainQuery {
  readonly txVars: CompiledSql
  readonly preRequest: CompiledSql | null
  readonly main: CompiledSql
  /** `EXPLAIN (FORMAT JSON)` of the count query, for count=planned|estimated. */
  readonly explain: CompiledSql | null
}

/** Columns of the main statement's one row, in order. */
export const MAIN_COLUMNS = ['total_result_set', 'page_total', 'body', 'response_headers', 'response_status', 'response_inserted'] as const

const strip = (on: boolean, f: SqlFragment): SqlFragment => (on ? concat(raw('json_strip_nulls('), f, raw(')')) : f)

/**
 * CSV built in SQL: header from the first row's keys, body from each row's text form with the
 * surrounding parentheses removed (a record's text output is already CSV-quoted).
 */
const asCsv = raw(
  "(SELECT coalesce(string_agg(a.k, ','), '')  FROM (    SELECT json_object_keys(r)::text as k    FROM (       SELECT row_to_json(hh) as r from pgrst_source as hh limit 1    ) s  ) a)" +
    " || '\n' || " +
    "coalesce(string_agg(substring(_postgrest_t::text, 2, length(_postgrest_t::text) - 2), '\n'), '')",
)

/** What the result rows of a function look like, for the JSON aggregates (PostgREST's handlerF with a routine). */
export interface RoutineShape {
  /** One scalar value: `json_agg(_postgrest_t.pgrst_scalar)->0`. */
  readonly scalar: boolean
  /** A set of scalars: an array of the values, not of rows. */
  readonly setOfScalar: boolean
  /** One composite value: the object, not an array of one. */
  readonly singleComposite: boolean
}

const NOT_A_ROUTINE: RoutineShape = { scalar: false, setOfScalar: false, singleComposite: false }

const asJson = (rout: RoutineShape, stripNulls: boolean): SqlFragment => {
  if (rout.singleComposite) return concat(raw('coalesce('), strip(stripNulls, raw('json_agg(_postgrest_t)->0')), raw(", 'null')"))
  if (rout.scalar) return concat(raw('coalesce('), strip(stripNulls, raw('json_agg(_postgrest_t.pgrst_scalar)->0')), raw(", 'null')"))
  if (rout.setOfScalar) return concat(raw('coalesce('), strip(stripNulls, raw('json_agg(_postgrest_t.pgrst_scalar)')), raw(", '[]')"))
  return concat(raw('coalesce('), strip(stripNulls, raw('json_agg(_postgrest_t)')), raw(", '[]')"))
}

const asJsonSingle = (rout: RoutineShape, stripNulls: boolean): SqlFragment =>
  concat(raw('coalesce('), strip(stripNulls, raw(rout.scalar ? 'json_agg(_postgrest_t.pgrst_scalar)->0' : 'json_agg(_postgrest_t)->0')), raw(", 'null')"))

/**
 * PostgREST sends a custom handler's value in Postgres's binary form: the bytes of a bytea, the
 * text of text/json/xml, and for jsonb a version byte before its text. `record_send` of a
 * one-column row gives any type's binary form after a 12-byte header (column count, type, length;
 * nothing at all for NULL); it travels as hex and respond/ turns it back into bytes.
 */
const binarySend = (value: SqlFragment): SqlFragment =>
  concat(raw("pg_catalog.encode(substring(pg_catalog.record_send(ROW("), value, raw(")) FROM 13), 'hex')"))

/**
 * The body expression of a handler. `explained`: the statement is only EXPLAINed, so a custom
 * handler's value is not wrapped for transport and the plan shows the handler as PostgREST's does.
 */
export const handlerBody = (h: MediaHandler, rout: RoutineShape = NOT_A_ROUTINE, explained = false): SqlFragment => {
  const send = explained ? (f: SqlFragment): SqlFragment => f : binarySend
  switch (h.kind) {
    case 'builtinAggArrayJsonStrip':
      return asJson(rout, true)
    case 'builtinAggSingleJson':
      return asJsonSingle(rout, h.stripNulls)
    case 'builtinOvAggJson':
      return asJson(rout, false)
    case 'builtinOvAggGeoJson':
      return raw("json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(ST_AsGeoJSON(_postgrest_t)::json), '[]'))")
    case 'builtinOvAggCsv':
      return asCsv
    case 'customFunc':
      // A scalar function's value goes to the handler (a domain named after the media type) as is.
      if (rout.scalar) return send(concat(fromQi(h.function), raw('(_postgrest_t.pgrst_scalar)')))
      return send(
        h.target === null
          ? concat(fromQi(h.function), raw('(_postgrest_t)'))
          : concat(fromQi(h.function), raw('(_postgrest_t::'), fromQi(h.target), raw(')')),
      )
    case 'noAgg':
      return raw("''::text")
    default: {
      const never: never = h
      throw new TypeError(`unknown handler ${String(never)}`)
    }
  }
}

const explain = (q: SqlFragment): SqlFragment => concat(raw('EXPLAIN (FORMAT JSON) '), q)

const planMedia = (media: MediaType, q: SqlFragment): SqlFragment => {
  if (media.kind !== 'plan') return q
  const opts = media.options.map((o) => o.toUpperCase())
  return concat(raw(`EXPLAIN (${[`FORMAT ${media.format.toUpperCase()}`, ...opts].join(', ')}) `), q)
}

export const mainQuery = (
  plan: ActionPlan & { kind: 'read' },
  config: AppConfig,
  request: ApiRequest,
  auth: AuthResult,
  roleSettings: RoleSettingPairs = [],
): MainQuery => {
  const count = request.preferences.count
  const shouldCount = count === 'exact' || count === 'estimated'
  const rp = plan.readPlan
  const wantsExplain = plan.media.kind !== 'plan' && (count === 'planned' || count === 'estimated')
  // Only built when a count or an EXPLAIN of it is asked for: most requests need neither.
  const countQuery = shouldCount || wantsExplain ? readPlanToCountQuery(rp) : empty
  const pageCount = raw('pg_catalog.count(_postgrest_t)')
  let countCte: SqlFragment = empty
  let countResult: SqlFragment = raw('null::bigint')
  if (shouldCount) {
    // Without max-rows or a range the page is the whole result: reuse the page count.
    if (config.dbMaxRows !== null || !isAllRange(request.topLevelRange)) {
      const limited =
        count === 'estimated' && config.dbMaxRows !== null
          ? concat(countQuery, raw(` LIMIT ${String(config.dbMaxRows + 1)}`))
          : countQuery
      countCte = concat(raw(', pgrst_source_count AS ('), limited, raw(')'))
      countResult = raw('(SELECT pg_catalog.count(*) FROM pgrst_source_count)')
    } else countResult = pageCount
  }
  const main = sql`WITH pgrst_source AS ( ${readPlanToQuery(rp)} ) ${countCte} SELECT ${countResult} AS total_result_set, ${pageCount} AS page_total, ${handlerBody(plan.handler, NOT_A_ROUTINE, plan.media.kind === 'plan')} AS body, ${currentSetting('response.headers')} AS response_headers, ${currentSetting('response.status')} AS response_status, '' AS response_inserted FROM ( SELECT * FROM pgrst_source ) _postgrest_t`
  return {
    ...prelude(config, request, auth, roleSettings),
    main: compile(planMedia(plan.media, main)),
    // An EXPLAIN request gets the plan, never the planned count.
    explain: wantsExplain ? compile(explain(countQuery)) : null,
  }
}

/**
 * The statements before a main one: tx-vars (request context, the role's and a called function's
 * settings) and the pre-request call. Every MainQuery starts with them; the shape cache
 * (shape-cache.ts) puts them before a main statement made elsewhere.
 */
export const prelude = (
  config: AppConfig,
  request: ApiRequest,
  auth: AuthResult,
  roleSettings: RoleSettingPairs = [],
  funcSettings: readonly (readonly [string, string])[] = [],
): Pick<MainQuery, 'txVars' | 'preRequest'> => ({
  txVars: compile(txVarsQuery({ config, auth, request, funcSettings, roleSettings })),
  preRequest: config.dbPreRequest ? compile(preRequestQuery(config.dbPreRequest)) : null,
})

/**
 * Run before a ROLLBACK that ends a request which succeeded (`Prefer: tx=rollback`,
 * `db-tx-end=rollback*`): deferred constraints are checked now, so a write that could never have
 * committed still fails the way it would have (PostgREST's optionalRollback).
 */
export const SET_CONSTRAINTS_IMMEDIATE: CompiledSql = compile(raw('SET CONSTRAINTS ALL IMMEDIATE'))

/**
 * `k=eq.v` pairs of the primary key of the one inserted row, for the Location header
 * (`is.null` for a NULL key column), in the row's column order.
 */
const locationQuery = (pkCols: readonly string[]): SqlFragment =>
  concat(
    raw(
      "(WITH data AS (SELECT row_to_json(_) AS row FROM pgrst_source AS _ LIMIT 1) SELECT array_agg(json_data.key || '=' || coalesce('eq.' || json_data.value, 'is.null')) FROM data CROSS JOIN json_each_text(data.row) AS json_data WHERE json_data.key = ANY(",
    ),
    param(pgArrayLiteral(pkCols)),
    raw('::text[]))'),
  )

const NO_LOCATION = raw('array[]::text[]')

/**
 * The main statement of a write (PostgREST's mainWrite): the mutation as the `pgrst_source` CTE,
 * then one row with the row count (checked, see sql/post-check), the Location pairs, the body read
 * back through the read plan, the GUC headers/status and, for upserts, how many rows were inserted.
 */
export const mainWrite = (
  plan: ActionPlan & { kind: 'mutate' },
  config: AppConfig,
  request: ApiRequest,
  auth: AuthResult,
  roleSettings: RoleSettingPairs = [],
): MainQuery => {
  const mp = plan.mutatePlan
  const isInsert = mp.kind === 'insert'
  const isPut = mp.kind === 'insert' && mp.where.length > 0
  const mergeDups = request.preferences.resolution === 'merge-duplicates'
  const inserted = isInsert && (isPut || mergeDups) ? raw("nullif(current_setting('pgrst.inserted', true),'')::int") : raw("''")
  const count = raw('pg_catalog.count(_postgrest_t)')
  const location =
    mp.kind === 'insert' && request.preferences.representation === 'headers-only'
      ? concat(raw('CASE WHEN pg_catalog.count(_postgrest_t) = 1 THEN coalesce('), locationQuery(mp.pkCols), raw(', '), NO_LOCATION, raw(') ELSE '), NO_LOCATION, raw(' END'))
      : NO_LOCATION
  // Without a body the select list must not name columns RETURNING may not have produced.
  const select = plan.handler.kind === 'noAgg' ? raw('SELECT * FROM pgrst_source') : readPlanToQuery(plan.readPlan)
  const main = sql`WITH pgrst_source AS (${mutatePlanToQuery(mp)}) SELECT '' AS total_result_set, ${checkedCount(plan.checks, count)} AS page_total, ${location} AS header, ${handlerBody(plan.handler, NOT_A_ROUTINE, plan.media.kind === 'plan')} AS body, ${currentSetting('response.headers')} AS response_headers, ${currentSetting('response.status')} AS response_status, ${inserted} AS response_inserted FROM (${select}) _postgrest_t`
  return {
    ...prelude(config, request, auth, roleSettings),
    main: compile(planMedia(plan.media, main)),
    explain: null,
  }
}

/**
 * The main statement of a function call (PostgREST's mainCall): the call as the `pgrst_source`
 * CTE, read through the read plan (select, filters, order, range, embeds), aggregated by the
 * handler as the function's return type requires. A function returning one value counts as one
 * row. The tx-vars statement also sets the function's hoisted settings.
 */
export const mainCall = (
  plan: ActionPlan & { kind: 'call' },
  config: AppConfig,
  request: ApiRequest,
  auth: AuthResult,
  roleSettings: RoleSettingPairs = [],
): MainQuery => {
  const count = request.preferences.count
  const rp = plan.readPlan
  const rout = plan.routine
  const shape: RoutineShape = {
    scalar: plan.callPlan.scalar,
    setOfScalar: plan.callPlan.setOfScalar,
    singleComposite: rout.returnType.kind === 'single' && rout.returnType.type.kind === 'composite',
  }
  const pageCount = rout.returnType.kind === 'single' ? raw('1') : raw('pg_catalog.count(_postgrest_t)')
  let countCte: SqlFragment = empty
  let countResult: SqlFragment = raw('null::bigint')
  if (count === 'exact' || count === 'estimated') {
    if (config.dbMaxRows !== null || !isAllRange(request.topLevelRange)) {
      countCte = concat(raw(', pgrst_source_count AS ('), readPlanToCountQuery(rp), raw(')'))
      countResult = raw('(SELECT pg_catalog.count(*) FROM pgrst_source_count)')
    } else countResult = pageCount
  }
  const body = handlerBody(plan.handler, shape, plan.media.kind === 'plan')
  const main = sql`WITH pgrst_source AS (${callPlanToQuery(plan.callPlan)}) ${countCte} SELECT ${countResult} AS total_result_set, ${checkedCount(plan.checks, pageCount)} AS page_total, ${body} AS body, ${currentSetting('response.headers')} AS response_headers, ${currentSetting('response.status')} AS response_status, '' AS response_inserted FROM (${readPlanToQuery(rp)}) _postgrest_t`
  return {
    ...prelude(config, request, auth, roleSettings, plan.funcSettings),
    main: compile(planMedia(plan.media, main)),
    explain: null,
  }
}
