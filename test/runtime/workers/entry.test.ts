/**
 * The Worker entry (src/entry/workers.ts) inside workerd: one HTTP round trip per request over
 * neon-http (counted by the local Neon endpoint per application_name), no HTTP at all over
 * neon-ws, the bundled snapshot when no EDGEREST_SCHEMA_CACHE binding is given, and a 500 with a
 * logged reason for every kind of misconfiguration.
 */
import { env } from 'cloudflare:workers'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import worker from '../../../src/entry/workers.ts'
import bundledSnapshot from '../../../schema-cache/snapshot.json'
import type { Bindings as EdgeEnv } from '../../../src/bindings.ts'

const call = async (path: string, bindings: EdgeEnv, init: RequestInit = {}): Promise<Response> => {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`http://localhost${path}`, init), bindings, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

const uniqueName = (prefix: string): string => `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`

/** The bindings with the connection string tagged by an application_name the endpoint counts. */
const tagged = (name: string, extra: Record<string, unknown> = {}): EdgeEnv => {
  const uri = new URL(env.PGRST_DB_URI)
  uri.searchParams.set('application_name', name)
  return { ...env, PGRST_DB_URI: uri.toString(), ...extra }
}

/** `/sql` requests the local Neon endpoint received for this application_name. */
const httpRequestsFor = async (name: string): Promise<number> => {
  const res = await fetch(new URL('/__stats', env.EDGEREST_NEON_FETCH_ENDPOINT))
  const stats = (await res.json()) as { byApplicationName: Record<string, number> }
  return stats.byApplicationName[name] ?? 0
}

const without = (key: string): EdgeEnv => Object.fromEntries(Object.entries(env).filter(([k]) => k !== key))

describe('neon-http: one HTTP request per API request', () => {
  it('a GET with an exact count is one /sql request', async () => {
    const name = uniqueName('one_get')
    const res = await call('/items?id=lte.2&select=id,name&order=id', tagged(name), { headers: { Prefer: 'count=exact' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Range')).toBe('0-1/2')
    expect(await res.json()).toEqual([
      { id: 1, name: 'apple' },
      { id: 2, name: 'banana' },
    ])
    expect(await httpRequestsFor(name)).toBe(1)
  })

  it('three API requests are three /sql requests (the schema cache is never fetched)', async () => {
    const name = uniqueName('three_gets')
    const bindings = tagged(name)
    for (const id of [1, 2, 3]) expect((await call(`/items?id=eq.${id}&select=id`, bindings)).status).toBe(200)
    expect(await httpRequestsFor(name)).toBe(3)
  })

  it('a request the schema cache rejects makes no request at all', async () => {
    const name = uniqueName('no_rel')
    const res = await call('/items?select=id,no_such_table(*)', tagged(name))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { code: string }).code).toBe('PGRST200')
    expect(await httpRequestsFor(name)).toBe(0)
  })

  it('an unknown table costs one request: whether the database has it (a stale snapshot)', async () => {
    const name = uniqueName('no_table')
    const res = await call('/no_such_table', tagged(name))
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ code: 'PGRST205', hint: null })
    expect(await httpRequestsFor(name)).toBe(1)
  })

  it('EDGEREST_EXECUTOR=neon-ws answers the same without using the HTTP endpoint', async () => {
    const name = uniqueName('over_ws')
    const res = await call('/items?id=eq.1&select=id,name', tagged(name, { EDGEREST_EXECUTOR: 'neon-ws' }))
    expect(await res.json()).toEqual([{ id: 1, name: 'apple' }])
    expect(await httpRequestsFor(name)).toBe(0)
  })
})

describe('schema cache source', () => {
  it('EDGEREST_SCHEMA_CACHE may be the parsed object instead of JSON text', async () => {
    const res = await call('/items?id=eq.3&select=name', { ...env, EDGEREST_SCHEMA_CACHE: JSON.parse(env.EDGEREST_SCHEMA_CACHE) as unknown })
    expect(await res.json()).toEqual([{ name: 'carrot' }])
  })

  it('without EDGEREST_SCHEMA_CACHE the bundled schema-cache/snapshot.json is used', async () => {
    // The demo snapshot (dev/demo.sql) and the test fixtures both have api.students(id, name).
    expect(bundledSnapshot.schemas).toContain('api')
    expect(bundledSnapshot.tables.some((t) => t.schema === 'api' && t.name === 'students')).toBe(true)
    const bindings = { ...without('EDGEREST_SCHEMA_CACHE'), PGRST_DB_SCHEMAS: 'api' }
    const res = await call('/students?select=id,name&order=id', bindings)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([
      { id: 1, name: 'Ada Lovelace' },
      { id: 2, name: 'Alan Turing' },
    ])
    // Tables of the test schema are not in the demo snapshot: the bundled one really was used.
    const other = await call('/items', bindings)
    expect(other.status).toBe(404)
  })
})

describe('misconfiguration: 500 for every request, the reason in the log', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  const expectMisconfigured = async (bindings: EdgeEnv, logged: RegExp[]): Promise<void> => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    for (let i = 0; i < 2; i++) {
      const res = await call('/items', bindings)
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({
        code: 'PGRSTX00',
        details: null,
        hint: 'The server log says what is wrong.',
        message: 'Server misconfigured',
      })
    }
    expect(log).toHaveBeenCalledTimes(2)
    const text = String(log.mock.calls[0]?.[0])
    for (const re of logged) expect(text).toMatch(re)
  }

  it('an invalid PGRST_* value', async () => {
    await expectMisconfigured({ ...env, PGRST_DB_MAX_ROWS: 'lots' }, [/PGRST_DB_MAX_ROWS: expected an integer, got "lots"/])
  })

  it('a corrupt EDGEREST_SCHEMA_CACHE', async () => {
    await expectMisconfigured({ ...env, EDGEREST_SCHEMA_CACHE: '{"format":"something else"}' }, [
      /the EDGEREST_SCHEMA_CACHE binding: not an edgerest schema cache snapshot/,
    ])
  })

  it('a snapshot that does not cover db-schemas', async () => {
    await expectMisconfigured({ ...env, PGRST_DB_SCHEMAS: 'test,elsewhere' }, [/db-schemas includes elsewhere/])
  })

  it('several problems at once are all reported', async () => {
    await expectMisconfigured({ ...env, PGRST_DB_MAX_ROWS: 'lots', EDGEREST_NEON_WS_INSECURE: 'maybe', EDGEREST_SCHEMA_CACHE: 'not json' }, [
      /PGRST_DB_MAX_ROWS/,
      /EDGEREST_NEON_WS_INSECURE: expected a boolean/,
      /EDGEREST_SCHEMA_CACHE binding: schema cache snapshot is not valid JSON/,
    ])
  })
})
