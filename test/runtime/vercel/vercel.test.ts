// @vitest-environment edge-runtime
/**
 * The project's Vercel function (api/index.ts, the package's src/vercel.ts handler) in vitest's
 * edge-runtime environment (Vercel's `@edge-runtime/vm`: the web globals Vercel Edge Functions
 * get). Its default export is called with a Request, settings come from environment variables,
 * and the query goes through the Neon driver over HTTP to the local /sql endpoint in front of the
 * real PostgreSQL.
 */
import { beforeAll, describe, expect, inject, it, vi } from 'vitest'
import handler, { config } from '../../../api/index.ts'
import { SPEC_SETTINGS } from '../../spec/types.ts'

declare const EdgeRuntime: string | undefined

/** `/sql` requests the local Neon endpoint received for this application_name. */
const httpRequestsFor = async (name: string): Promise<number> => {
  const res = await fetch(new URL('/__stats', inject('neonHttpUrl')))
  const stats = (await res.json()) as { byApplicationName: Record<string, number> }
  return stats.byApplicationName[name] ?? 0
}

const APP_NAME = `vercel_${Math.random().toString(36).slice(2, 12)}`

beforeAll(() => {
  // The entry builds its wiring from process.env on the first request: set it before any.
  const uri = new URL(inject('authUrl'))
  uri.searchParams.set('application_name', APP_NAME)
  for (const [k, v] of Object.entries(SPEC_SETTINGS)) vi.stubEnv(k, v)
  vi.stubEnv('PGRST_DB_URI', uri.toString())
  vi.stubEnv('EDGEREST_SCHEMA_CACHE', inject('schemaCacheJson'))
  vi.stubEnv('EDGEREST_NEON_FETCH_ENDPOINT', inject('neonHttpUrl'))
  return () => vi.unstubAllEnvs()
})

describe('Vercel Edge entry', () => {
  it('declares the edge runtime and runs in one', () => {
    expect(config).toEqual({ runtime: 'edge' })
    expect(typeof EdgeRuntime).toBe('string')
  })

  it('answers a GET from the fixtures over neon-http, in one /sql request', async () => {
    const before = await httpRequestsFor(APP_NAME)
    const res = await handler(new Request('http://localhost/items?id=eq.1&select=id,name', { headers: { 'Accept-Profile': 'test' } }))
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(await res.json()).toEqual([{ id: 1, name: 'apple' }])
    expect((await httpRequestsFor(APP_NAME)) - before).toBe(1)
  })

  it('reports errors as PostgREST does', async () => {
    const res = await handler(new Request('http://localhost/itemz'))
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      code: 'PGRST205',
      details: null,
      hint: "Perhaps you meant the table 'test.items'",
      message: "Could not find the table 'test.itemz' in the schema cache",
    })
  })
})
