/**
 * The edge entries' wiring (src/entry/shared.ts) without a runtime: which executors a deployment
 * gets, and how the EDGEREST_NEON_* bindings are read and refused. The same wiring is exercised
 * end to end inside workerd (test/runtime/workers) and the edge runtime (test/runtime/vercel).
 */
import { describe, expect, inject, it } from 'vitest'
import { buildEdgeDeps, edgeExecutors, readNeonTransport } from '../../src/entry/shared.ts'
import { readConfig } from '../../src/config/from-env.ts'
import { qiKey } from '../../src/schema-cache/types.ts'
import { SPEC_SETTINGS } from '../spec/types.ts'

const config = (extra: Record<string, string> = {}) => {
  const c = readConfig({ ...SPEC_SETTINGS, PGRST_DB_URI: 'postgres://u:p@db.example/neondb', ...extra })
  if (!c.ok) throw new Error(c.error)
  return c.value
}
const noTransport = { fetchEndpoint: undefined, wsProxy: undefined, wsInsecure: false }

describe('edgeExecutors', () => {
  it('neon-http by default, with neon-ws for the requests that roll back after reading', () => {
    const r = edgeExecutors(config(), noTransport)
    expect(r.ok && [r.value.executor.kind, r.value.executor.interactive, r.value.interactiveExecutor.kind]).toEqual(['neon-http', false, 'neon-ws'])
  })

  it('EDGEREST_EXECUTOR=neon-ws runs everything over WebSockets', () => {
    const r = edgeExecutors(config({ EDGEREST_EXECUTOR: 'neon-ws' }), noTransport)
    expect(r.ok && [r.value.executor.kind, r.value.interactiveExecutor.kind]).toEqual(['neon-ws', 'neon-ws'])
  })

  it('EDGEREST_EXECUTOR=pg is refused on the edge', () => {
    expect(edgeExecutors(config({ EDGEREST_EXECUTOR: 'pg' }), noTransport)).toEqual({
      ok: false,
      error: 'EDGEREST_EXECUTOR: "pg" (node-postgres over TCP) runs on the Node entry only; use "neon-http" or "neon-ws" on the edge',
    })
  })
})

describe('readNeonTransport', () => {
  it('unset bindings keep the driver defaults (Neon)', () => {
    expect(readNeonTransport({})).toEqual({ ok: true, value: noTransport })
  })

  it('reads the local-development bindings; wrangler booleans are accepted', () => {
    expect(
      readNeonTransport({ EDGEREST_NEON_FETCH_ENDPOINT: 'http://127.0.0.1:4444/sql', EDGEREST_NEON_WS_PROXY: '127.0.0.1:5555', EDGEREST_NEON_WS_INSECURE: true }),
    ).toEqual({ ok: true, value: { fetchEndpoint: 'http://127.0.0.1:4444/sql', wsProxy: '127.0.0.1:5555', wsInsecure: true } })
  })

  it('reports every bad binding', () => {
    expect(readNeonTransport({ EDGEREST_NEON_FETCH_ENDPOINT: '127.0.0.1/sql', EDGEREST_NEON_WS_PROXY: 'ws://x:1', EDGEREST_NEON_WS_INSECURE: 'sometimes' })).toEqual({
      ok: false,
      error: [
        'EDGEREST_NEON_FETCH_ENDPOINT: expected an http(s) URL such as https://host/sql, got "127.0.0.1/sql"',
        'EDGEREST_NEON_WS_PROXY: expected host:port[/path] without a scheme, got "ws://x:1"',
        'EDGEREST_NEON_WS_INSECURE: expected a boolean (true/false), got "sometimes"',
      ],
    })
  })
})

describe('buildEdgeDeps', () => {
  it('wires config, the injected snapshot and the executors', () => {
    const deps = buildEdgeDeps({ ...SPEC_SETTINGS, PGRST_DB_URI: inject('authUrl'), EDGEREST_SCHEMA_CACHE: inject('schemaCacheJson') }, null)
    expect(deps.ok && [deps.value.config.dbSchemas, deps.value.cache.tables.has(qiKey({ schema: 'test', name: 'items' })), deps.value.executor.kind]).toEqual([
      ['test', 'api', 'other'],
      true,
      'neon-http',
    ])
  })

  it('names the source of a bad snapshot', () => {
    const deps = buildEdgeDeps({ ...SPEC_SETTINGS, PGRST_DB_URI: 'postgres://u:p@h/db' }, { format: 'edgerest-schema-cache', version: 0 })
    expect(deps.ok ? '' : deps.error).toMatch(/^the bundled schema-cache\/snapshot\.json: schema cache snapshot version 0 is not supported/)
  })
})
