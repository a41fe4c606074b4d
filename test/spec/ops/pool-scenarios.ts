/**
 * @module test/spec/ops/pool-scenarios: PGRST_DB_POOL and PGRST_DB_POOL_ACQUISITION_TIMEOUT on the
 * executors that hold connections: `pg` (a pool per process) and neon-ws (a connection per run,
 * limited per isolate). neon-http holds none.
 */
import { expect } from 'vitest'
import type { OpsScenario } from './target.ts'
import { unique, withAppName } from './target.ts'

const get = (path: string): Request => new Request(`http://localhost${path}`)

export const poolScenarios: OpsScenario[] = [
  {
    name: 'PGRST_DB_POOL: no more connections run statements at once than the pool holds',
    runtimes: ['node', 'neon-ws'],
    run: async (t) => {
      const app = unique('pool')
      const settings = { PGRST_DB_POOL: '2', PGRST_DB_URI: withAppName(t.authUrl, app) }
      // Six calls at once, each counting (after a nap) the sessions of this API running a statement.
      const counts = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const res = await t.send(get(`/rpc/nap_count?seconds=0.4&app=${app}`), settings)
          expect(res.status).toBe(200)
          return (await res.json()) as number
        }),
      )
      expect(Math.max(...counts)).toBe(2)
    },
  },
  {
    name: 'a request that waits longer than PGRST_DB_POOL_ACQUISITION_TIMEOUT: 504 PGRST003, as PostgREST',
    runtimes: ['node', 'neon-ws'],
    run: async (t) => {
      const settings = { PGRST_DB_POOL: '1', PGRST_DB_POOL_ACQUISITION_TIMEOUT: '1', PGRST_DB_URI: withAppName(t.authUrl, unique('timeout')) }
      const slow = t.send(get('/rpc/nap?seconds=3'), settings)
      await new Promise((r) => setTimeout(r, 300))
      const started = Date.now()
      const waited = await t.send(get('/items?select=id&limit=1'), settings)
      const elapsed = Date.now() - started
      expect([waited.status, waited.headers.get('content-type'), await waited.json()]).toEqual([
        504,
        'application/json; charset=utf-8',
        { code: 'PGRST003', details: null, hint: null, message: 'Timed out acquiring connection from connection pool.' },
      ])
      // It gave up after the timeout, not when the slow call ended.
      expect(elapsed).toBeGreaterThanOrEqual(900)
      expect(elapsed).toBeLessThan(2500)
      expect((await slow).status).toBe(200)
      // The connection is free again: the next request is served.
      expect((await t.send(get('/items?select=id&limit=1'), settings)).status).toBe(200)
    },
  },
]
