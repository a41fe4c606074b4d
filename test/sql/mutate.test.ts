/**
 * @module test/sql/mutate: golden SQL for writes — plan → the main statement's `{ text, params }`
 * (sql/main.ts mainWrite with sql/mutate.ts and sql/post-check.ts), on the literal schema cache of
 * test/unit/plan/fixture-cache.ts. The payload is always ONE parameter; every user value is a
 * parameter; identifiers are quoted; the post-checks are part of the row count.
 */
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/defaults.ts'
import type { AppConfig } from '../../src/config/types.ts'
import { parseApiRequest } from '../../src/parse/index.ts'
import { actionPlan } from '../../src/plan/index.ts'
import { mainWrite, SET_CONSTRAINTS_IMMEDIATE } from '../../src/sql/main.ts'
import { checkedCount, postCheckFailure } from '../../src/sql/post-check.ts'
import { compile, raw } from '../../src/sql/fragment.ts'
import { CACHE } from '../unit/plan/fixture-cache.ts'

const config: AppConfig = { ...defaultConfig, dbSchemas: ['api'] }
const AUTH = { role: 'anon', claims: {}, authenticated: false } as const

const main = (method: string, target: string, body: unknown, headers: [string, string][] = []) => {
  const text = body === null ? null : JSON.stringify(body)
  const req = parseApiRequest({ method, url: new URL(target, 'http://localhost'), headers, body: text === null ? null : new TextEncoder().encode(text) }, config)
  if (!req.ok) throw new Error(JSON.stringify(req.error))
  const p = actionPlan(req.value, config, CACHE)
  if (!p.ok || p.value.kind !== 'mutate') throw new Error(JSON.stringify(p))
  return mainWrite(p.value, config, req.value, AUTH).main
}

/** The columns every write's row has after its count, as PostgREST's mainWrite selects them. */
const TAIL = `nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status`
const COUNT = 'pg_catalog.count(_postgrest_t)'
const INSERTED_PLUS = `set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) + 1)::text, true) <> '0'`
const INSERTED_MINUS = `set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) - 1)::text, true) <> '-1'`

describe('INSERT', () => {
  it('a plain POST: json_to_record over the one payload parameter, RETURNING 1, no body', () => {
    expect(main('POST', '/things', { id: 'a', n: 1 })).toEqual({
      text:
        `WITH pgrst_source AS (INSERT INTO "api"."things"("id", "n") SELECT "pgrst_body"."id", "pgrst_body"."n" FROM (SELECT $1::json AS json_data) pgrst_payload, ` +
        `LATERAL (SELECT "id", "n" FROM json_to_record(pgrst_payload.json_data) AS _("id" text, "n" integer) ) pgrst_body  RETURNING 1) ` +
        `SELECT '' AS total_result_set, ${COUNT} AS page_total, array[]::text[] AS header, ''::text AS body, ${TAIL}, '' AS response_inserted FROM (SELECT * FROM pgrst_source) _postgrest_t`,
      params: ['{"id":"a","n":1}'],
    })
  })

  it('a bulk merge with missing=default, a representation function, an embed and the singular check', () => {
    const q = main('POST', '/things?select=id,parents(name)', [{ id: 'a', color: '#fff', n: 2 }], [
      ['Prefer', 'return=representation, missing=default, resolution=merge-duplicates'],
      ['Accept', 'application/vnd.pgrst.object+json'],
    ])
    expect(q).toEqual({
      text:
        `WITH pgrst_source AS (INSERT INTO "api"."things"("color", "id", "n") SELECT "pgrst_body"."color", "pgrst_body"."id", "pgrst_body"."n" FROM (SELECT $1::jsonb AS json_data) pgrst_payload, ` +
        `LATERAL (SELECT jsonb_agg(jsonb_build_object('n', 0) || elem) AS val from jsonb_array_elements(pgrst_payload.json_data) elem) pgrst_json_defs, ` +
        `LATERAL (SELECT "api"."json_to_color"("color") AS "color", "id", "n" FROM jsonb_to_recordset(pgrst_json_defs.val) AS _("color" json, "id" text, "n" integer) ) pgrst_body ` +
        `WHERE ${INSERTED_PLUS} ON CONFLICT("id") DO UPDATE SET "color" = EXCLUDED."color", "id" = EXCLUDED."id", "n" = EXCLUDED."n" WHERE ${INSERTED_MINUS} ` +
        `RETURNING "api"."things"."id", "api"."things"."parent_id") ` +
        `SELECT '' AS total_result_set, CASE WHEN ${COUNT} <> 1 THEN ('edgerest:PGRST116:' || ${COUNT})::bigint ELSE ${COUNT} END AS page_total, array[]::text[] AS header, ` +
        `coalesce(json_agg(_postgrest_t)->0, 'null') AS body, ${TAIL}, nullif(current_setting('pgrst.inserted', true),'')::int AS response_inserted ` +
        `FROM (SELECT "things"."id", row_to_json("things_parents_1".*)::jsonb AS "parents" FROM "pgrst_source" AS "things" ` +
        `LEFT JOIN LATERAL ( SELECT "parents_1"."name" FROM "api"."parents" AS "parents_1" WHERE "parents_1"."id" = "things"."parent_id"    ) AS "things_parents_1" ON TRUE   ) _postgrest_t`,
      params: ['[{"id":"a","color":"#fff","n":2}]'],
    })
  })

  it('ignore-duplicates with return=headers-only computes the Location pairs of a single row', () => {
    expect(main('POST', '/pairs', { a: 'x', b: 1 }, [['Prefer', 'return=headers-only, resolution=ignore-duplicates']])).toEqual({
      text:
        `WITH pgrst_source AS (INSERT INTO "api"."pairs"("a", "b") SELECT "pgrst_body"."a", "pgrst_body"."b" FROM (SELECT $1::json AS json_data) pgrst_payload, ` +
        `LATERAL (SELECT "a", "b" FROM json_to_record(pgrst_payload.json_data) AS _("a" text, "b" integer) ) pgrst_body  ON CONFLICT("a", "b") DO NOTHING RETURNING "api"."pairs".*) ` +
        `SELECT '' AS total_result_set, ${COUNT} AS page_total, CASE WHEN ${COUNT} = 1 THEN coalesce(` +
        `(WITH data AS (SELECT row_to_json(_) AS row FROM pgrst_source AS _ LIMIT 1) SELECT array_agg(json_data.key || '=' || coalesce('eq.' || json_data.value, 'is.null')) ` +
        `FROM data CROSS JOIN json_each_text(data.row) AS json_data WHERE json_data.key = ANY($2::text[])), array[]::text[]) ELSE array[]::text[] END AS header, ` +
        `''::text AS body, ${TAIL}, '' AS response_inserted FROM (SELECT * FROM pgrst_source) _postgrest_t`,
      params: ['{"a":"x","b":1}', '{"a","b"}'],
    })
  })

  it('PUT: the URL key filters the payload row, merges on the key, and must produce exactly one row', () => {
    expect(main('PUT', '/pairs?a=eq.x&b=eq.1', { a: 'x', b: 1, v: 'y' })).toEqual({
      text:
        `WITH pgrst_source AS (INSERT INTO "api"."pairs"("a", "b", "v") SELECT "pgrst_body"."a", "pgrst_body"."b", "pgrst_body"."v" FROM (SELECT $1::json AS json_data) pgrst_payload, ` +
        `LATERAL (SELECT "a", "b", "v" FROM json_to_record(pgrst_payload.json_data) AS _("a" text, "b" integer, "v" text) ) pgrst_body ` +
        `WHERE ${INSERTED_PLUS} AND "pgrst_body"."a" = $2 AND "pgrst_body"."b" = $3 ` +
        `ON CONFLICT("a", "b") DO UPDATE SET "a" = EXCLUDED."a", "b" = EXCLUDED."b", "v" = EXCLUDED."v" WHERE ${INSERTED_MINUS} RETURNING 1) ` +
        `SELECT '' AS total_result_set, CASE WHEN ${COUNT} <> 1 THEN ('edgerest:PGRST115:' || ${COUNT})::bigint ELSE ${COUNT} END AS page_total, array[]::text[] AS header, ` +
        `''::text AS body, ${TAIL}, nullif(current_setting('pgrst.inserted', true),'')::int AS response_inserted FROM (SELECT * FROM pgrst_source) _postgrest_t`,
      params: ['{"a":"x","b":1,"v":"y"}', 'x', '1'],
    })
  })
})

describe('UPDATE and DELETE', () => {
  it('PATCH: SET from the payload row, filters and logic trees on the table, the max-affected check', () => {
    expect(main('PATCH', '/things?n=gt.1&or=(id.eq.a,color.eq.red)', { note: 'x' }, [['Prefer', 'handling=strict, max-affected=3']])).toEqual({
      text:
        `WITH pgrst_source AS (UPDATE "api"."things" SET "note" = "pgrst_body"."note" FROM (SELECT $1::json AS json_data) pgrst_payload, ` +
        `LATERAL (SELECT "note" FROM json_to_record(pgrst_payload.json_data) AS _("note" text) ) pgrst_body  ` +
        `WHERE "api"."things"."n" > $2 AND ("api"."things"."id" = $3 OR "api"."things"."color" = "api"."text_to_color"($4)) RETURNING 1) ` +
        `SELECT '' AS total_result_set, CASE WHEN ${COUNT} > $5::bigint THEN ('edgerest:PGRST124:' || ${COUNT})::bigint ELSE ${COUNT} END AS page_total, ` +
        `array[]::text[] AS header, ''::text AS body, ${TAIL}, '' AS response_inserted FROM (SELECT * FROM pgrst_source) _postgrest_t`,
      params: ['{"note":"x"}', '1', 'a', 'red', '3'],
    })
  })

  it('PATCH with an empty object updates nothing but still shapes the representation', () => {
    expect(main('PATCH', '/parents?id=eq.a', {}, [['Prefer', 'return=representation']]).text).toBe(
      `WITH pgrst_source AS (SELECT "parents".* FROM "api"."parents" WHERE false) ` +
        `SELECT '' AS total_result_set, ${COUNT} AS page_total, array[]::text[] AS header, coalesce(json_agg(_postgrest_t), '[]') AS body, ${TAIL}, '' AS response_inserted ` +
        `FROM (SELECT "parents".* FROM "pgrst_source" AS "parents"   ) _postgrest_t`,
    )
  })

  it('DELETE with both post-checks, singular first', () => {
    expect(main('DELETE', '/parents?id=eq.a', null, [['Accept', 'application/vnd.pgrst.object+json'], ['Prefer', 'handling=strict, max-affected=1']])).toEqual({
      text:
        `WITH pgrst_source AS (DELETE FROM "api"."parents"  WHERE "api"."parents"."id" = $1 RETURNING 1) ` +
        `SELECT '' AS total_result_set, CASE WHEN ${COUNT} <> 1 THEN ('edgerest:PGRST116:' || ${COUNT})::bigint WHEN ${COUNT} > $2::bigint THEN ('edgerest:PGRST124:' || ${COUNT})::bigint ELSE ${COUNT} END AS page_total, ` +
        `array[]::text[] AS header, ''::text AS body, ${TAIL}, '' AS response_inserted FROM (SELECT * FROM pgrst_source) _postgrest_t`,
      params: ['a', '1'],
    })
  })
})

describe('post-checks', () => {
  it('no checks leave the count alone', () => {
    expect(compile(checkedCount([], raw('n'))).text).toBe('n')
  })

  it.each<[string, unknown]>([
    ['invalid input syntax for type bigint: "edgerest:PGRST116:4"', { kind: 'singularity', rows: 4 }],
    ['ungültige Eingabesyntax für Typ bigint: »edgerest:PGRST116:0«', { kind: 'singularity', rows: 0 }],
    ['invalid input syntax for type bigint: "edgerest:PGRST124:12"', { kind: 'maxAffectedViolation', rows: 12 }],
    ['invalid input syntax for type bigint: "edgerest:PGRST115:0"', { kind: 'putMatchingPk' }],
  ])('%s is decoded', (message, want) => {
    const checks = [{ kind: 'singular' }, { kind: 'maxAffected', max: 1 }, { kind: 'putMatchingPk' }] as const
    expect(postCheckFailure({ code: '22P02', message }, checks)).toEqual(want)
  })

  it('only a check the request asked for, and only 22P02, is decoded', () => {
    const message = 'invalid input syntax for type bigint: "edgerest:PGRST116:4"'
    expect(postCheckFailure({ code: '22P02', message }, [])).toBeNull()
    expect(postCheckFailure({ code: '22P02', message }, [{ kind: 'putMatchingPk' }])).toBeNull()
    expect(postCheckFailure({ code: '23505', message }, [{ kind: 'singular' }])).toBeNull()
    expect(postCheckFailure({ code: '22P02', message: 'invalid input syntax for type integer: "abc"' }, [{ kind: 'singular' }])).toBeNull()
  })

  it('SET CONSTRAINTS ALL IMMEDIATE precedes a rollback', () => {
    expect(SET_CONSTRAINTS_IMMEDIATE).toEqual({ text: 'SET CONSTRAINTS ALL IMMEDIATE', params: [] })
  })
})
