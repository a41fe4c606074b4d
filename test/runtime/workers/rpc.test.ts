/**
 * Functions through `/rpc` inside workerd, through the Worker entry, over each executor
 * (`neon-http`, the default: one HTTP batch per request; `neon-ws`; `pg` over TCP), with the `rpc` schema's
 * snapshot (test/fixtures/80-rpc.sql, RPC_SETTINGS): the shared cases of test/spec/rpc-cases.ts,
 * a function reading `request.jwt.claims` from a signed token, a committed write, and exactly one
 * HTTP request to the database per call over neon-http — a failed check included.
 */
import { env } from 'cloudflare:workers'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import worker from '../../../src/entry/workers-pg.ts'
import { createNeonHttpExecutor } from '../../../src/execute/neon-http.ts'
import type { Bindings as EdgeEnv } from '../../../src/bindings.ts'
import { checkSpecResponse, specRequest } from '../../spec/check.ts'
import { RPC_CASES, RPC_SETTINGS, signHs256 } from '../../spec/rpc-cases.ts'
import type { SpecRequest } from '../../spec/types.ts'

const uniqueName = (prefix: string): string => `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`

// Built once per bindings set: the entry caches its wiring per bindings object, as per isolate.
const rpcEnv: EdgeEnv = { ...env, ...RPC_SETTINGS, EDGEREST_SCHEMA_CACHE: inject('rpcSchemaCacheJson') }
const bindings = {
  'neon-http': rpcEnv,
  'neon-ws': { ...rpcEnv, EDGEREST_EXECUTOR: 'neon-ws' },
  pg: { ...rpcEnv, EDGEREST_EXECUTOR: 'pg' },
} as const

const call = async (request: SpecRequest, b: EdgeEnv): Promise<Response> => {
  const ctx = createExecutionContext()
  const res = await worker.fetch(specRequest('http://localhost', request), b, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

const json = (path: string, body: unknown, headers: Record<string, string> = {}): SpecRequest => ({
  method: 'POST',
  path,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

/** Reads as superuser through the local Neon endpoint: its own transaction, outside the API. */
const superuser = createNeonHttpExecutor({ connectionString: env.DB_URL, fetchEndpoint: env.NEON_HTTP_URL })
const notes = async (prefix: string): Promise<string[]> => {
  const [r] = await superuser.run([{ text: 'SELECT id FROM rpc.notes WHERE id LIKE $1 ORDER BY id', params: [`${prefix}%`] }], { readOnly: true, end: 'commit' })
  return (r?.rows ?? []).map((row) => String(row[0]))
}

describe.each(['neon-http', 'neon-ws', 'pg'] as const)('rpc on workerd over %s', (kind) => {
  it.each(RPC_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await checkSpecResponse(await call(c.request, bindings[kind]), c.expect)
  })

  it('a function reads the verified claims of an HS256 token from request.jwt.claims', async () => {
    const token = await signHs256({ role: 'authenticated', sub: `edge-${kind}`, email: 'edge@example.com' }, env.PGRST_JWT_SECRET as string)
    const res = await call({ method: 'POST', path: '/rpc/whoami', headers: { Authorization: `Bearer ${token}` } }, bindings[kind])
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ role: 'authenticated', sub: `edge-${kind}`, email: 'edge@example.com' })
  })

  it('a volatile function commits its write', async () => {
    const id = uniqueName(`${kind.replace('-', '')}_note`)
    const res = await call(json('/rpc/add_note', { id, body: 'edge' }), bindings[kind])
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id, body: 'edge', n: 0 })
    expect(await notes(id)).toEqual([id])
  })

  it('a custom handler value is sent as bytes', async () => {
    const res = await call({ method: 'GET', path: '/rpc/blob', headers: { Accept: 'x/y' } }, bindings[kind])
    expect(res.headers.get('Content-Type')).toBe('application/octet-stream')
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0x00, 0xff, 0x10])
  })
})

/** The neon-http bindings with the connection string tagged by an application_name the endpoint counts. */
const tagged = (name: string): EdgeEnv => {
  const uri = new URL(env.PGRST_DB_URI)
  uri.searchParams.set('application_name', name)
  return { ...rpcEnv, PGRST_DB_URI: uri.toString() }
}

const httpRequestsFor = async (name: string): Promise<number> => {
  const res = await fetch(new URL('/__stats', env.NEON_HTTP_URL))
  const stats = (await res.json()) as { byApplicationName: Record<string, number> }
  return stats.byApplicationName[name] ?? 0
}

describe('neon-http: a call is one HTTP request', () => {
  it('GET, POST, a write, a count, a claims read and a custom handler: one /sql request each', async () => {
    const name = uniqueName('one_call')
    const b = tagged(name)
    const token = await signHs256({ role: 'authenticated', sub: 'counted' }, env.PGRST_JWT_SECRET as string)
    const id = uniqueName('counted')
    const steps: [SpecRequest, number][] = [
      [{ method: 'GET', path: '/rpc/add?a=1&b=2' }, 200],
      [json('/rpc/get_filtered_transactions?select=id,account:accounts(owner)&order=id&limit=2', { filters: [] }, { Prefer: 'count=exact' }), 206],
      [json('/rpc/add_note', { id, body: 'x' }), 200],
      [{ method: 'GET', path: '/rpc/whoami', headers: { Authorization: `Bearer ${token}` } }, 200],
      [{ method: 'GET', path: '/rpc/isolation' }, 200],
      [{ method: 'GET', path: '/rpc/page?title=x', headers: { Accept: 'text/html' } }, 200],
    ]
    let expected = 0
    for (const [request, status] of steps) {
      const res = await call(request, b)
      expect(res.status, `${request.path} ${await res.text()}`).toBe(status)
      expected++
      expect(await httpRequestsFor(name)).toBe(expected)
    }
  })

  it('a failed max-affected check is one request, and the function deleted nothing', async () => {
    const prefix = uniqueName('mx')
    for (const k of ['a', 'b']) expect((await call(json('/rpc/add_note', { id: `${prefix}_${k}`, body: k }), rpcEnv)).status).toBe(200)
    const name = uniqueName('one_check')
    const res = await call(json('/rpc/delete_notes', { prefix }, { Prefer: 'handling=strict, max-affected=1' }), tagged(name))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { code: string }).code).toBe('PGRST124')
    expect(await httpRequestsFor(name)).toBe(1)
    expect(await notes(prefix)).toEqual([`${prefix}_a`, `${prefix}_b`])
  })

  it('a function that is not in the schema cache makes no request at all', async () => {
    const name = uniqueName('no_fn')
    const res = await call({ method: 'GET', path: '/rpc/nope' }, tagged(name))
    expect(res.status).toBe(404)
    expect(await httpRequestsFor(name)).toBe(0)
  })
})
