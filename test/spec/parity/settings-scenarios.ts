/**
 * @module test/spec/parity/settings-scenarios: per-role settings (`ALTER ROLE … SET`, the role's
 * isolation level), in-database configuration (the login role's `pgrst.*` settings and
 * db-pre-config, with PostgREST's precedence over the environment) and the trace header.
 */
import { expect } from 'vitest'
import type { ParityScenario } from './target.ts'
import { bearer, get, jsonOf, JSON_CT } from './target.ts'

const body = async (res: Response): Promise<unknown> => {
  expect([res.status, res.headers.get('content-type')]).toEqual([200, JSON_CT])
  return jsonOf(res)
}

export const settingsScenarios: ParityScenario[] = [
  {
    name: "the impersonated role's statement_timeout cancels a slow call with PostgREST's 500 (57014)",
    run: async (t) => {
      const res = await t.send(get('/rpc/sleep_for?seconds=2'))
      expect([res.status, await jsonOf(res)]).toEqual([500, { code: '57014', details: null, hint: null, message: 'canceling statement due to statement timeout' }])
      // A role without the setting is not limited.
      expect(await body(await t.send(get('/rpc/sleep_for?seconds=0.5', await bearer('parity_user'))))).toBe(1)
    },
  },
  {
    name: "the role's other settings apply in its transactions",
    run: async (t) => {
      expect(await body(await t.send(get('/rpc/setting?name=work_mem')))).toBe('7MB')
      expect(await body(await t.send(get('/rpc/setting?name=lock_timeout', await bearer('parity_user'))))).toBe('2s')
      expect(await body(await t.send(get('/rpc/setting?name=work_mem', await bearer('parity_user'))))).toBe('4MB')
    },
  },
  {
    name: "the role's default_transaction_isolation is its transactions' isolation level",
    run: async (t) => {
      expect(await body(await t.send(get('/rpc/isolation', await bearer('parity_user'))))).toBe('serializable')
      expect(await body(await t.send(get('/rpc/isolation')))).toBe('read committed')
      // Read-write transactions too (a volatile function).
      const res = await t.send({ method: 'POST', path: '/rpc/write_isolation', headers: { ...(await bearer('parity_user')), 'Content-Type': 'application/json' }, body: '{}' })
      expect(await body(res)).toBe('serializable')
    },
  },
  {
    name: 'PGRST_DB_CONFIG=false: neither role settings nor in-database configuration apply',
    run: async (t) => {
      const off = { PGRST_DB_CONFIG: 'false' }
      expect(await body(await t.send(get('/rpc/setting?name=work_mem'), off))).toBe('4MB')
      expect(await body(await t.send(get('/rpc/isolation', await bearer('parity_user')), off))).toBe('read committed')
      expect(await body(await t.send(get('/rpc/sleep_for?seconds=0.5'), off))).toBe(1)
      const agg = await t.send(get('/books?select=pages.sum()'), off)
      expect([agg.status, ((await jsonOf(agg)) as { code: string }).code]).toEqual([400, 'PGRST123'])
    },
  },
  {
    name: 'in-database configuration: the login role setting for this database beats its setting for all, which beats db-pre-config',
    run: async (t) => {
      // pgrst.server_trace_header: X-Parity-Trace IN DATABASE, X-Role-Wide for all, X-From-Pre-Config by the function.
      const res = await t.send(get('/authors?select=id', { 'X-Parity-Trace': 'req-1' }))
      expect(res.headers.get('x-parity-trace')).toBe('req-1')
      expect([res.headers.get('x-role-wide'), res.headers.get('x-from-pre-config')]).toEqual([null, null])
      // db-pre-config alone sets db-aggregates-enabled.
      expect(await body(await t.send(get('/books?select=pages.sum()')))).toEqual([{ sum: 126 }])
    },
  },
  {
    name: 'in-database configuration overrides the environment',
    run: async (t) => {
      const res = await t.send(get('/authors', { Accept: 'application/vnd.pgrst.plan+json' }), { PGRST_DB_PLAN_ENABLED: 'false', PGRST_SERVER_TRACE_HEADER: 'X-Env' })
      expect(res.status).toBe(200)
      expect(res.headers.get('x-env')).toBeNull()
    },
  },
  {
    name: 'PGRST_SERVER_TRACE_HEADER is echoed on every response: success, error, preflight; empty when not sent',
    run: async (t) => {
      const env = { PGRST_DB_CONFIG: 'false', PGRST_SERVER_TRACE_HEADER: 'X-Request-Id' }
      const ok = await t.send(get('/authors?select=id', { 'X-Request-Id': 'abc-123' }), env)
      expect([ok.status, ok.headers.get('x-request-id')]).toEqual([200, 'abc-123'])
      const missing = await t.send(get('/nope', { 'X-Request-Id': 'e-1' }), env)
      expect([missing.status, missing.headers.get('x-request-id')]).toEqual([404, 'e-1'])
      const preflight = await t.send(
        { method: 'OPTIONS', path: '/authors', headers: { Origin: 'http://example.com', 'Access-Control-Request-Method': 'GET', 'X-Request-Id': 'pre' } },
        env,
      )
      expect([preflight.status, preflight.headers.get('x-request-id')]).toEqual([200, 'pre'])
      const none = await t.send(get('/authors?select=id'), env)
      expect(none.headers.get('x-request-id')).toBe('')
    },
  },
]
