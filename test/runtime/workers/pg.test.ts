/**
 * EDGEREST_EXECUTOR=pg on the Worker inside workerd: node-postgres over workerd's TCP sockets,
 * with no Neon endpoint or WebSocket bridge involved (their bindings point at a closed port, so
 * any use of them would fail the request); interactive on its own (a forced rollback needs no
 * second executor); a database it cannot reach answers PostgREST's 503; the Neon-only build
 * (edgerest/workers) refuses it and says where it is; and EDGEREST_HYPERDRIVE is checked.
 * The spec, write, rpc and parity cases also run over pg (spec.test.ts and the others).
 */
import { env } from 'cloudflare:workers'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import worker from '../../../src/entry/workers-pg.ts'
import neonOnlyWorker from '../../../src/workers.ts'
import { createNeonHttpExecutor } from '../../../src/execute/neon-http.ts'
import type { Bindings as EdgeEnv } from '../../../src/bindings.ts'
import { WRITES_SETTINGS } from '../../spec/types.ts'

const call = async (handler: typeof worker, path: string, bindings: EdgeEnv, init: RequestInit = {}): Promise<Response> => {
  const ctx = createExecutionContext()
  const res = await handler.fetch(new Request(`http://localhost${path}`, init), bindings, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

const uniqueName = (prefix: string): string => `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`

/** A port nothing listens on. */
const CLOSED = '127.0.0.1:1'
const noNeon = { EDGEREST_NEON_FETCH_ENDPOINT: `http://${CLOSED}/sql`, EDGEREST_NEON_WS_PROXY: CLOSED }

const pgEnv: EdgeEnv = { ...env, ...noNeon, EDGEREST_EXECUTOR: 'pg' }
const pgWritesEnv: EdgeEnv = { ...pgEnv, ...WRITES_SETTINGS, EDGEREST_SCHEMA_CACHE: env.WRITES_SCHEMA_CACHE }
const neonWritesEnv: EdgeEnv = { ...env, ...noNeon, ...WRITES_SETTINGS, EDGEREST_SCHEMA_CACHE: env.WRITES_SCHEMA_CACHE }

/** Reads as superuser through the local Neon endpoint: its own transaction, outside the API. */
const superuser = createNeonHttpExecutor({ connectionString: env.DB_URL, fetchEndpoint: env.NEON_HTTP_URL })
const thingIds = async (id: string): Promise<unknown[]> => {
  const [r] = await superuser.run([{ text: 'SELECT id FROM writes.things WHERE id = $1', params: [id] }], { readOnly: true, end: 'commit' })
  return (r?.rows ?? []).map((row) => row[0])
}

describe('pg over TCP, without Neon', () => {
  it('the Neon bindings point nowhere, and over neon-http the same request fails', async () => {
    const res = await call(worker, '/items?id=eq.1&select=id,name', { ...env, ...noNeon })
    expect(res.status).toBe(503)
    expect(((await res.json()) as { code: string }).code).toBe('PGRST000')
  })

  it('a read', async () => {
    const res = await call(worker, '/items?id=lte.2&select=id,name&order=id', pgEnv, { headers: { Prefer: 'count=exact' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Range')).toBe('0-1/2')
    expect(await res.json()).toEqual([
      { id: 1, name: 'apple' },
      { id: 2, name: 'banana' },
    ])
  })

  it('a committed write', async () => {
    const id = uniqueName('pg')
    const res = await call(worker, '/things?select=id,n', pgWritesEnv, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
      body: JSON.stringify({ id, n: 7 }),
    })
    expect([res.status, await res.json()]).toEqual([201, [{ id, n: 7 }]])
    expect(await thingIds(id)).toEqual([id])
  })

  it('a write that must roll back after its results are read runs on the pg executor itself (neon-http needs neon-ws for it)', async () => {
    const id = uniqueName('pg_rb')
    const init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: 'return=representation, tx=rollback' },
      body: JSON.stringify({ id, n: 1 }),
    }
    const res = await call(worker, '/things?select=id', pgWritesEnv, init)
    expect([res.status, await res.json()]).toEqual([201, [{ id }]])
    expect(await thingIds(id)).toEqual([])
    // The same request on neon-http goes to neon-ws, whose proxy is unreachable here.
    expect((await call(worker, '/things?select=id', neonWritesEnv, init)).status).toBe(503)
  })

  it('a database it cannot reach is 503 PGRST000, as PostgREST answers', async () => {
    const uri = new URL(env.PGRST_DB_URI)
    uri.port = '1'
    const res = await call(worker, '/items', { ...pgEnv, PGRST_DB_URI: uri.toString() })
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ code: 'PGRST000', hint: null, message: 'Database connection error.' })
  })
})

describe('misconfiguration: 500 for every request, the reason in the log', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  const expectMisconfigured = async (handler: typeof worker, bindings: EdgeEnv, logged: RegExp): Promise<void> => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const res = await call(handler, '/items', bindings)
    expect(res.status).toBe(500)
    expect(((await res.json()) as { code: string }).code).toBe('PGRSTX00')
    expect(String(log.mock.calls[0]?.[0])).toMatch(logged)
  }

  it('EDGEREST_EXECUTOR=pg on the Neon-only build (edgerest/workers) says where pg is', async () => {
    await expectMisconfigured(neonOnlyWorker, { ...env, EDGEREST_EXECUTOR: 'pg' }, /EDGEREST_EXECUTOR: "pg" .* on Cloudflare Workers use the edgerest\/workers-pg build/)
  })

  it('EDGEREST_HYPERDRIVE naming something that is not a Hyperdrive binding', async () => {
    await expectMisconfigured(worker, { ...env, EDGEREST_HYPERDRIVE: 'PGRST_DB_URI' }, /EDGEREST_HYPERDRIVE: "PGRST_DB_URI" is not a Hyperdrive binding of this Worker/)
  })

  it('EDGEREST_HYPERDRIVE with a Neon executor', async () => {
    await expectMisconfigured(worker, { ...env, EDGEREST_HYPERDRIVE: 'HYPERDRIVE', EDGEREST_EXECUTOR: 'neon-ws' }, /EDGEREST_HYPERDRIVE: .* EDGEREST_EXECUTOR is "neon-ws"/)
  })
})
