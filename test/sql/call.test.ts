/**
 * @module test/sql/call: golden SQL for function calls — plan → `{ text, params }` (sql/main.ts
 * mainCall with sql/call.ts), on the literal cache of test/unit/plan/call-cache.ts. Every argument
 * is a parameter (the JSON body is ONE parameter; a raw bytea body travels as hex text); types and
 * names come from the schema cache; the tx-vars statement carries the hoisted settings.
 */
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/defaults.ts'
import type { AppConfig } from '../../src/config/types.ts'
import { parseApiRequest } from '../../src/parse/index.ts'
import { actionPlan } from '../../src/plan/index.ts'
import { mainCall } from '../../src/sql/main.ts'
import { byteaHex, callPlanToQuery } from '../../src/sql/call.ts'
import { compile } from '../../src/sql/fragment.ts'
import { CALL_CACHE } from '../unit/plan/call-cache.ts'

const config: AppConfig = { ...defaultConfig, dbSchemas: ['api'] }
const AUTH = { role: 'anon', claims: {}, authenticated: false } as const

const planned = (method: string, target: string, body: string | null = null, headers: [string, string][] = []) => {
  const req = parseApiRequest({ method, url: new URL(target, 'http://localhost'), headers, body: body === null ? null : new TextEncoder().encode(body) }, config)
  if (!req.ok) throw new Error(JSON.stringify(req.error))
  const p = actionPlan(req.value, config, CALL_CACHE)
  if (!p.ok || p.value.kind !== 'call') throw new Error(JSON.stringify(p))
  return { plan: p.value, req: req.value }
}
const main = (...args: Parameters<typeof planned>) => {
  const { plan, req } = planned(...args)
  return mainCall(plan, config, req, AUTH)
}
/** Only the `pgrst_source` CTE: the call itself. */
const source = (...args: Parameters<typeof planned>) => compile(callPlanToQuery(planned(...args).plan.callPlan))

const JSON_HDR: [string, string][] = [['Content-Type', 'application/json']]
const TAIL = `nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted`

describe('the main statement', () => {
  it('a scalar over GET: one value, counted as one row, its JSON value as the body', () => {
    expect(main('GET', '/rpc/add?a=1&b=2').main).toEqual({
      text:
        `WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT "api"."add"("a" := $1::integer, "b" := $2::integer) pgrst_scalar) pgrst_call)  ` +
        `SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, ${TAIL} ` +
        `FROM (SELECT "add".* FROM "pgrst_source" AS "add"   ) _postgrest_t`,
      params: ['1', '2'],
    })
  })

  it('a set of rows from the JSON body, embedded, filtered and counted', () => {
    expect(main('POST', '/rpc/things_between?select=id,parents(name)&n=gt.0&limit=5', '{"lo":1,"hi":2}', [...JSON_HDR, ['Prefer', 'count=exact']]).main).toEqual({
      text:
        `WITH pgrst_source AS (SELECT "pgrst_call"."id", "pgrst_call"."n", "pgrst_call"."parent_id" FROM (SELECT $1::json AS json_data) pgrst_payload, ` +
        `LATERAL (SELECT "lo", "hi" FROM json_to_record(pgrst_payload.json_data) AS _("lo" integer, "hi" integer) LIMIT 1) pgrst_body , ` +
        `LATERAL "api"."things_between"("lo" := pgrst_body."lo", "hi" := pgrst_body."hi") pgrst_call) ` +
        `, pgrst_source_count AS (SELECT 1 FROM "pgrst_source" AS "things" WHERE "things"."n" > $2) ` +
        `SELECT (SELECT pg_catalog.count(*) FROM pgrst_source_count) AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]') AS body, ${TAIL} ` +
        `FROM (SELECT "things"."id", row_to_json("things_parents_1".*)::jsonb AS "parents" FROM "pgrst_source" AS "things" ` +
        `LEFT JOIN LATERAL ( SELECT "parents_1"."name" FROM "api"."parents" AS "parents_1" WHERE "parents_1"."id" = "things"."parent_id"    ) AS "things_parents_1" ON TRUE ` +
        `WHERE "things"."n" > $3   LIMIT $4 OFFSET $5) _postgrest_t`,
      params: ['{"lo":1,"hi":2}', '0', '0', '5', '0'],
    })
  })

  it('the singular and max-affected checks are part of the row count', () => {
    const { text, params } = main('POST', '/rpc/touch', '{"id":"x"}', [
      ...JSON_HDR,
      ['Accept', 'application/vnd.pgrst.object+json'],
      ['Prefer', 'handling=strict, max-affected=3'],
    ]).main
    const count = 'pg_catalog.count(_postgrest_t)'
    expect(text).toContain(
      `CASE WHEN ${count} <> 1 THEN ('edgerest:PGRST116:' || ${count})::bigint WHEN ${count} > $2::bigint THEN ('edgerest:PGRST124:' || ${count})::bigint ELSE ${count} END AS page_total, ` +
        `coalesce(json_agg(_postgrest_t)->0, 'null') AS body`,
    )
    expect(params).toEqual(['{"id":"x"}', '3'])
  })

  it('a custom handler value leaves as the hex of its binary form', () => {
    expect(main('GET', '/rpc/page?title=x', null, [['Accept', 'text/html']]).main.text).toContain(
      `pg_catalog.encode(substring(pg_catalog.record_send(ROW("api"."text/html"(_postgrest_t.pgrst_scalar))) FROM 13), 'hex') AS body`,
    )
  })

  it('a set of scalars aggregates the values; a single composite is the object', () => {
    expect(main('GET', '/rpc/amounts').main.text).toContain(`coalesce(json_agg(_postgrest_t.pgrst_scalar), '[]') AS body`)
    expect(main('GET', '/rpc/one_thing?id=a').main.text).toContain(`1 AS page_total, coalesce(json_agg(_postgrest_t)->0, 'null') AS body`)
    expect(main('GET', '/rpc/add?a=1&b=2', null, [['Accept', 'application/vnd.pgrst.object+json']]).main.text).toContain(
      `coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body`,
    )
  })

  it('the tx-vars statement sets the hoisted function settings, names and values as parameters', () => {
    const tv = main('GET', '/rpc/iso').txVars
    expect(tv.text.endsWith(`set_config('request.cookies', $7, true), set_config($8, $9, true), set_config($10, $11, true)`)).toBe(true)
    expect(tv.params.slice(7)).toEqual(['default_transaction_isolation', 'serializable', 'statement_timeout', '5s'])
  })
})

describe('the call', () => {
  it('no arguments', () => {
    expect(source('POST', '/rpc/noop', '{}', JSON_HDR)).toEqual({ text: 'SELECT pgrst_call.pgrst_scalar FROM (SELECT "api"."noop"() pgrst_scalar) pgrst_call', params: [] })
  })

  it('a repeated query parameter is one VARIADIC array parameter', () => {
    expect(source('GET', '/rpc/v?parts=a&parts=b"c')).toEqual({
      text: 'SELECT pgrst_call.pgrst_scalar FROM (SELECT "api"."v"(VARIADIC "parts" := $1::text[]) pgrst_scalar) pgrst_call',
      params: ['{"a","b\\"c"}'],
    })
  })

  it('a parameter the request left out is not passed (its default applies)', () => {
    expect(source('GET', '/rpc/mixed?a=1').text).toBe('SELECT pgrst_call.pgrst_scalar FROM (SELECT "api"."mixed"("a" := $1::integer) pgrst_scalar) pgrst_call')
  })

  it('char(n) parameters take any length: the cast is to the varying type', () => {
    expect(source('GET', '/rpc/fixed_char?c=abcdef').text).toContain('"c" := $1::character varying')
  })

  it('the JSON body as the single unnamed json parameter', () => {
    expect(source('POST', '/rpc/j', '{"k":1}', JSON_HDR)).toEqual({
      text: 'SELECT pgrst_call.pgrst_scalar FROM (SELECT "api"."j"($1::json) pgrst_scalar) pgrst_call',
      params: ['{"k":1}'],
    })
  })

  it('a text body for the single unnamed text parameter', () => {
    expect(source('POST', '/rpc/t', 'héllo', [['Content-Type', 'text/plain']])).toEqual({
      text: 'SELECT pgrst_call.pgrst_scalar FROM (SELECT "api"."t"($1::text) pgrst_scalar) pgrst_call',
      params: ['héllo'],
    })
  })

  it('an octet-stream body for the single unnamed bytea parameter, as hex', () => {
    expect(source('POST', '/rpc/b', 'ab', [['Content-Type', 'application/octet-stream']])).toEqual({
      text: 'SELECT pgrst_call.pgrst_scalar FROM (SELECT "api"."b"($1::bytea) pgrst_scalar) pgrst_call',
      params: ['\\x6162'],
    })
    expect(byteaHex(new Uint8Array([0, 15, 16, 255]))).toBe('\\x000f10ff')
  })

  it('a JSON array body: json_to_recordset, first object only', () => {
    expect(source('POST', '/rpc/add', '[{"a":1,"b":2},{"a":3,"b":4}]', JSON_HDR).text).toContain(
      'LATERAL (SELECT "a", "b" FROM json_to_recordset(pgrst_payload.json_data) AS _("a" integer, "b" integer) LIMIT 1) pgrst_body',
    )
  })

  it('all columns of a set of rows with the default select', () => {
    // arguments in declaration order, whatever the order of the query string
    expect(source('GET', '/rpc/things_between?hi=2&lo=1')).toEqual({
      text: 'SELECT "pgrst_call".* FROM "api"."things_between"("lo" := $1::integer, "hi" := $2::integer) pgrst_call',
      params: ['1', '2'],
    })
  })
})
