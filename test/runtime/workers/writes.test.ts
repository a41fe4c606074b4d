/**
 * The write scenarios (test/spec/writes-scenarios.ts) inside workerd, through the Worker entry,
 * over each executor: `neon-http` (the default, one HTTP batch per request; the writes that
 * must roll back after their results are read go over WebSockets), `neon-ws` and `pg` (TCP,
 * interactive on its own: the forced rollbacks need no second executor). What was
 * committed is read back with the superuser through the local Neon endpoint, outside the API.
 *
 * Also: POST, PATCH, PUT and DELETE over neon-http are exactly one HTTP request to the database,
 * a failed post-check too (and nothing is written), and a `tx=rollback` write uses no HTTP request
 * at all (it runs on the interactive executor).
 */
import { env } from 'cloudflare:workers'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../../src/entry/workers-pg.ts'
import { createNeonHttpExecutor } from '../../../src/execute/neon-http.ts'
import type { Bindings as EdgeEnv } from '../../../src/bindings.ts'
import { specRequest } from '../../spec/check.ts'
import { WRITES_SETTINGS, type SpecRequest } from '../../spec/types.ts'
import { FORCED_ROLLBACK_SCENARIOS, WRITE_SCENARIOS, type WriteContext } from '../../spec/writes-scenarios.ts'

const uniqueName = (prefix: string): string => `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`

// Built once per bindings set: the entry caches its wiring per bindings object, as per isolate.
const writesEnv: EdgeEnv = { ...env, ...WRITES_SETTINGS, EDGEREST_SCHEMA_CACHE: env.WRITES_SCHEMA_CACHE }
const bindings = {
  'neon-http': writesEnv,
  'neon-ws': { ...writesEnv, EDGEREST_EXECUTOR: 'neon-ws' },
  pg: { ...writesEnv, EDGEREST_EXECUTOR: 'pg' },
} as const
const rollbackBindings = {
  'neon-http': { ...writesEnv, PGRST_DB_TX_END: 'rollback' },
  'neon-ws': { ...writesEnv, PGRST_DB_TX_END: 'rollback', EDGEREST_EXECUTOR: 'neon-ws' },
  pg: { ...writesEnv, PGRST_DB_TX_END: 'rollback', EDGEREST_EXECUTOR: 'pg' },
} as const

const call = async (request: SpecRequest, b: EdgeEnv): Promise<Response> => {
  const ctx = createExecutionContext()
  const res = await worker.fetch(specRequest('http://localhost', request), b, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

/** Reads as superuser through the local Neon endpoint: its own transaction, outside the API. */
const superuser = createNeonHttpExecutor({ connectionString: env.DB_URL, fetchEndpoint: env.NEON_HTTP_URL })
const query = async (text: string, params: readonly string[] = []): Promise<(string | null)[][]> => {
  const [r] = await superuser.run([{ text, params }], { readOnly: true, end: 'commit' })
  return (r?.rows ?? []).map((row) => [...row])
}

const contextFor = (kind: string, b: EdgeEnv): WriteContext => ({
  send: (r) => call(r, b),
  query,
  key: (prefix = 'k') => uniqueName(`${kind.replace('-', '')}_${prefix}`),
})

describe.each(['neon-http', 'neon-ws', 'pg'] as const)('writes on workerd over %s', (kind) => {
  describe('db-tx-end=commit-allow-override', () => {
    it.each(WRITE_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
      await s.run(contextFor(kind, bindings[kind]))
    })
  })
  describe('db-tx-end=rollback', () => {
    it.each(FORCED_ROLLBACK_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
      await s.run(contextFor(kind, rollbackBindings[kind]))
    })
  })
})

/** The bindings with the connection string tagged by an application_name the endpoint counts. */
const tagged = (name: string): EdgeEnv => {
  const uri = new URL(env.PGRST_DB_URI)
  uri.searchParams.set('application_name', name)
  return { ...writesEnv, PGRST_DB_URI: uri.toString() }
}

const httpRequestsFor = async (name: string): Promise<number> => {
  const res = await fetch(new URL('/__stats', env.NEON_HTTP_URL))
  const stats = (await res.json()) as { byApplicationName: Record<string, number> }
  return stats.byApplicationName[name] ?? 0
}

const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}): SpecRequest => ({
  method,
  path,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

describe('neon-http: a write is one HTTP request', () => {
  it('POST, PATCH, PUT and DELETE: one /sql request each', async () => {
    const name = uniqueName('one_write')
    const b = tagged(name)
    const k = uniqueName('rt')
    const steps: [SpecRequest, number][] = [
      [json('POST', '/things?select=id,n', { id: k, n: 1 }, { Prefer: 'return=representation, count=exact' }), 201],
      [json('PATCH', `/things?id=eq.${k}`, { n: 2 }, { Prefer: 'return=representation, handling=strict, max-affected=1' }), 200],
      [json('PUT', `/things?id=eq.${k}`, { id: k, n: 3 }, { Prefer: 'return=representation' }), 200],
      [{ method: 'DELETE', path: `/things?id=eq.${k}`, headers: { Accept: 'application/vnd.pgrst.object+json', Prefer: 'return=representation' } }, 200],
    ]
    let expected = 0
    for (const [request, status] of steps) {
      const res = await call(request, b)
      expect(res.status, `${request.method} ${await res.text()}`).toBe(status)
      expected++
      expect(await httpRequestsFor(name)).toBe(expected)
    }
    expect(await query('SELECT id FROM writes.things WHERE id = $1', [k])).toEqual([])
  })

  it('a failed post-check is still one request, and nothing is written', async () => {
    const name = uniqueName('one_check')
    const b = tagged(name)
    const [a, c] = [uniqueName('pc'), uniqueName('pc')]
    const res = await call(json('POST', '/things', [{ id: a, n: 1 }, { id: c, n: 1 }], { Accept: 'application/vnd.pgrst.object+json' }), b)
    expect(res.status).toBe(406)
    expect(await res.json()).toEqual({
      code: 'PGRST116',
      details: 'The result contains 2 rows',
      hint: null,
      message: 'Cannot coerce the result to a single JSON object',
    })
    expect(await httpRequestsFor(name)).toBe(1)
    expect(await query('SELECT id FROM writes.things WHERE id = ANY($1::text[])', [`{${a},${c}}`])).toEqual([])
  })

  it('tx=rollback goes to the interactive executor: no HTTP request, nothing written', async () => {
    const name = uniqueName('rollback')
    const b = tagged(name)
    const k = uniqueName('rb')
    const res = await call(json('POST', '/things?select=id', { id: k, n: 1 }, { Prefer: 'return=representation, tx=rollback' }), b)
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual([{ id: k }])
    expect(await httpRequestsFor(name)).toBe(0)
    expect(await query('SELECT id FROM writes.things WHERE id = $1', [k])).toEqual([])
  })
})
