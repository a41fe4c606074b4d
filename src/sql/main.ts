/**
 * @module sql/main: the one main statement per request, computing body, counts, GUC headers and
 * status in a single row (PostgREST's Statements.hs), plus the MainQuery that groups it with the
 * tx-vars statement, the optional pre-request call and the optional EXPLAIN for planned counts.
 */
import type { ApiRequest, MediaType } from '../parse/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { AuthResult } from '../auth/types.ts'
import type { ActionPlan, MediaHandler } from '../plan/types.ts'
import { compile, concat, empty, raw, type CompiledSql, type SqlFragment } from './fragment.ts'
import { currentSetting, fromQi, isAllRange, sql } from './format.ts'
import { readPlanToCountQuery, readPlanToQuery } from './read.ts'
import { preRequestQuery, txVarsQuery } from './tx-vars.ts'

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

export const handlerBody = (h: MediaHandler): SqlFragment => {
  switch (h.kind) {
    case 'builtinAggArrayJsonStrip':
      return concat(raw('coalesce('), strip(true, raw('json_agg(_postgrest_t)')), raw(", '[]')"))
    case 'builtinAggSingleJson':
      return concat(raw('coalesce('), strip(h.stripNulls, raw('json_agg(_postgrest_t)->0')), raw(", 'null')"))
    case 'builtinOvAggJson':
      return raw("coalesce(json_agg(_postgrest_t), '[]')")
    case 'builtinOvAggGeoJson':
      return raw("json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(ST_AsGeoJSON(_postgrest_t)::json), '[]'))")
    case 'builtinOvAggCsv':
      return asCsv
    case 'customFunc':
      return h.target === null
        ? concat(fromQi(h.function), raw('(_postgrest_t)'))
        : concat(fromQi(h.function), raw('(_postgrest_t::'), fromQi(h.target), raw(')'))
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
  return concat(raw(`EXPLAIN (${[media.format === 'json' ? 'FORMAT JSON' : 'FORMAT TEXT', ...opts].join(', ')}) `), q)
}

export const mainQuery = (plan: ActionPlan & { kind: 'read' }, config: AppConfig, request: ApiRequest, auth: AuthResult): MainQuery => {
  const count = request.preferences.count
  const shouldCount = count === 'exact' || count === 'estimated'
  const rp = plan.readPlan
  const countQuery = readPlanToCountQuery(rp)
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
  const main = sql`WITH pgrst_source AS ( ${readPlanToQuery(rp)} ) ${countCte} SELECT ${countResult} AS total_result_set, ${pageCount} AS page_total, ${handlerBody(plan.handler)} AS body, ${currentSetting('response.headers')} AS response_headers, ${currentSetting('response.status')} AS response_status, '' AS response_inserted FROM ( SELECT * FROM pgrst_source ) _postgrest_t`
  return {
    txVars: compile(txVarsQuery({ config, auth, request })),
    preRequest: config.dbPreRequest ? compile(preRequestQuery(config.dbPreRequest)) : null,
    main: compile(planMedia(plan.media, main)),
    explain: count === 'planned' || count === 'estimated' ? compile(explain(countQuery)) : null,
  }
}
