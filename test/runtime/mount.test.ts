/**
 * The public API on Node, in-process: `edgerest()` mounted in a user's own Hono app (at a fixed
 * path, at a path with parameters, under EDGEREST_BASE_PATH), the three ways of passing
 * bindings, and how bad bindings show. The same API from the packed tarball, over sockets and in
 * workerd, is test/package/pack.test.ts.
 */
import { Hono } from 'hono'
import { afterEach, describe, expect, inject, it, vi } from 'vitest'
import { edgerest, EdgerestConfigError, type EdgerestApp, type EdgerestBindings } from '../../src/index-node.ts'
import { SPEC_SETTINGS } from '../spec/types.ts'

const bindings = (extra: Record<string, unknown> = {}): EdgerestBindings => ({
  ...SPEC_SETTINGS,
  PGRST_DB_URI: inject('authUrl'),
  EDGEREST_SCHEMA_CACHE: inject('schemaCacheJson'),
  ...extra,
})

const userApp = (mount: string, api: EdgerestApp): Hono => {
  const app = new Hono()
  app.get('/', (c) => c.text('my own app'))
  app.route(mount, api)
  return app
}

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

describe('mounted in a Hono app', () => {
  const app = userApp('/api', edgerest(bindings()))

  it('serves the API under the mount point; the user app keeps its own routes', async () => {
    const res = await app.request('/api/items?id=eq.1&select=id,name')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([{ id: 1, name: 'apple' }])
    expect(res.headers.get('Content-Location')).toBe('/api/items?id=eq.1&select=id%2Cname')
    expect(await (await app.request('/')).text()).toBe('my own app')
  })

  it('PostgREST errors under the mount point, Hono 404s outside it', async () => {
    const missing = await app.request('/api/itemz')
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { code: string }).code).toBe('PGRST205')
    const other = await app.request('/apix/items')
    expect([other.status, await other.text()]).toEqual([404, '404 Not Found'])
  })

  it('a mount point with parameters and EDGEREST_BASE_PATH below it', async () => {
    const tenant = userApp('/t/:tenant', edgerest(bindings({ EDGEREST_BASE_PATH: '/rest/v1' })))
    const res = await tenant.request('/t/acme/rest/v1/items?id=eq.2&select=name')
    expect(await res.json()).toEqual([{ name: 'banana' }])
    expect(res.headers.get('Content-Location')).toBe('/t/acme/rest/v1/items?id=eq.2&select=name')
    const outside = await tenant.request('/t/acme/items')
    expect([outside.status, ((await outside.json()) as { code: string }).code]).toEqual([404, 'PGRST125'])
  })
})

describe('bindings', () => {
  it('edgerest(bindings) is built once per bindings object', () => {
    const b = bindings()
    expect(edgerest(b)).toBe(edgerest(b))
    expect(edgerest(bindings())).not.toBe(edgerest(b))
  })

  it('edgerest(bindings) throws every problem at once', () => {
    const failure = (() => {
      try {
        edgerest(bindings({ PGRST_DB_MAX_ROWS: 'lots', EDGEREST_SCHEMA_CACHE: '{"format":"nope"}' }))
        return null
      } catch (e) {
        return e
      }
    })()
    expect(failure).toBeInstanceOf(EdgerestConfigError)
    expect((failure as EdgerestConfigError).problems).toEqual([
      'PGRST_DB_MAX_ROWS: expected an integer, got "lots"',
      'the EDGEREST_SCHEMA_CACHE binding: not an edgerest schema cache snapshot: "format" is "nope", expected "edgerest-schema-cache"',
    ])
  })

  it('edgerest() reads the process environment on Node', async () => {
    for (const [k, v] of Object.entries(bindings())) vi.stubEnv(k, String(v))
    const res = await edgerest().request('/items?id=eq.3&select=name')
    expect(await res.json()).toEqual([{ name: 'carrot' }])
  })

  it('edgerest(derive) builds its bindings from the runtime’s; bad ones answer 500 and are logged', async () => {
    vi.stubEnv('PGRST_DB_URI', inject('authUrl'))
    const derived = edgerest((env) => ({ ...bindings(), PGRST_DB_URI: env.PGRST_DB_URI }))
    expect(await (await derived.request('/items?id=eq.1&select=name')).json()).toEqual([{ name: 'apple' }])
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const broken = edgerest((env) => ({ ...env, ...bindings(), EDGEREST_BASE_PATH: 'no-slash' }))
    const res = await broken.request('/items')
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ code: 'PGRSTX00', details: null, hint: 'The server log says what is wrong.', message: 'Server misconfigured' })
    expect(String(log.mock.calls[0]?.[0])).toMatch(/EDGEREST_BASE_PATH: expected a path such as \/rest\/v1/)
  })
})
