/**
 * @module test/sql/embed-helpers: what the embedding golden-SQL tests share. A request path goes
 * through the real stages (parse → plan → sql) against the fixtures' schema cache — the packed
 * snapshot global-setup provides, the same one the Worker gets — and comes out as the read query
 * (`readPlanToQuery`) and the count query (`readPlanToCountQuery`), compiled to `{ text, params }`.
 * `runRead` executes a compiled read query against the test database as the API would see it:
 * as the `authenticator` login switched to `anonymous`, in a read-only transaction, with the rows
 * aggregated to JSON by Postgres.
 */
import pg from 'pg'
import { inject } from 'vitest'
import { readConfig } from '../../src/config/from-env.ts'
import type { AppConfig } from '../../src/config/types.ts'
import { parseApiRequest } from '../../src/parse/index.ts'
import { actionPlan } from '../../src/plan/index.ts'
import type { ReadPlan } from '../../src/plan/types.ts'
import { loadSchemaCacheOrThrow } from '../../src/schema-cache/load.ts'
import type { SchemaCache } from '../../src/schema-cache/types.ts'
import { compile, type CompiledSql } from '../../src/sql/fragment.ts'
import { readPlanToCountQuery, readPlanToQuery } from '../../src/sql/read.ts'
import { SPEC_SETTINGS } from '../spec/types.ts'

let cache: SchemaCache | undefined
/** The fixtures' schema cache, loaded once from the packed snapshot global-setup built. */
export const fixtureCache = (): SchemaCache => (cache ??= loadSchemaCacheOrThrow(inject('schemaCacheJson')))

export const configWith = (overrides: Readonly<Record<string, string>> = {}): AppConfig => {
  const cfg = readConfig({ ...SPEC_SETTINGS, PGRST_DB_URI: inject('authUrl'), ...overrides })
  if (!cfg.ok) throw new Error(cfg.error)
  return cfg.value
}

/** The read plan of `GET path`, or the error the stages answered with. */
export const planOf = (path: string, config: AppConfig = configWith()): ReadPlan => {
  const url = new URL(`http://localhost${path}`)
  const req = parseApiRequest({ method: 'GET', url, headers: [], body: null }, config)
  if (!req.ok) throw new Error(`parse: ${JSON.stringify(req.error)}`)
  const plan = actionPlan(req.value, config, fixtureCache())
  if (!plan.ok) throw new Error(`plan: ${JSON.stringify(plan.error)}`)
  if (plan.value.kind !== 'read') throw new Error(`expected a read plan, got ${plan.value.kind}`)
  return plan.value.readPlan
}

/** The error (as the stages report it) of planning `GET path`. */
export const planError = (path: string, config: AppConfig = configWith()): unknown => {
  const req = parseApiRequest({ method: 'GET', url: new URL(`http://localhost${path}`), headers: [], body: null }, config)
  if (!req.ok) return req.error
  const plan = actionPlan(req.value, config, fixtureCache())
  if (plan.ok) throw new Error(`expected ${path} to fail planning`)
  return plan.error
}

export const readSql = (path: string, config?: AppConfig): CompiledSql => compile(readPlanToQuery(planOf(path, config)))
export const countSql = (path: string, config?: AppConfig): CompiledSql => compile(readPlanToCountQuery(planOf(path, config)))

/** Runs a compiled read query as `anonymous` (read-only) and returns its rows as Postgres renders them to JSON. */
export const runRead = async (q: CompiledSql): Promise<unknown[]> => {
  const client = new pg.Client({ connectionString: inject('authUrl') })
  await client.connect()
  try {
    await client.query('BEGIN READ ONLY')
    await client.query('SET LOCAL ROLE anonymous')
    const res = await client.query<{ body: string }>(`SELECT coalesce(json_agg(_t), '[]')::text AS body FROM (${q.text}) _t`, [...q.params])
    await client.query('ROLLBACK')
    return JSON.parse(res.rows[0]?.body ?? 'null') as unknown[]
  } finally {
    await client.end()
  }
}

/** Runs a compiled count query the same way; returns the number of rows it yields. */
export const runCount = async (q: CompiledSql): Promise<number> => {
  const client = new pg.Client({ connectionString: inject('authUrl') })
  await client.connect()
  try {
    await client.query('BEGIN READ ONLY')
    await client.query('SET LOCAL ROLE anonymous')
    const res = await client.query<{ n: string }>(`SELECT count(*) AS n FROM (${q.text}) _c`, [...q.params])
    await client.query('ROLLBACK')
    return Number(res.rows[0]?.n)
  } finally {
    await client.end()
  }
}
