/**
 * The parity scenarios (test/spec/parity/) against the Worker inside workerd, over neon-http (the
 * edge default), neon-ws and pg (TCP): the bindings are the parity login role, its snapshot (which carries
 * its role settings and in-database configuration) and PARITY_SETTINGS plus a scenario's
 * overrides. Then the one-round-trip rule for what these added: `GET /`, EXPLAIN, and requests
 * whose role has settings are each exactly one HTTP request to the SQL endpoint.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { cachedBindings, callWorker } from './worker-call.ts'
import type { Bindings as EdgeEnv } from '../../../src/bindings.ts'
import { specRequest } from '../../spec/check.ts'
import { PARITY_SETTINGS } from '../../spec/parity-settings.ts'
import { PARITY_SCENARIOS } from '../../spec/parity/index.ts'
import { bearer, type ParityTarget, type Settings } from '../../spec/parity/target.ts'

/** One bindings object per (executor, settings, login URL). */
const bindingsFor = cachedBindings(
  (executor: 'neon-http' | 'neon-ws' | 'pg', settings: Settings = {}, dbUri: string = env.PARITY_AUTH_URL): EdgeEnv => ({
    ...env,
    ...PARITY_SETTINGS,
    PGRST_DB_URI: dbUri,
    EDGEREST_SCHEMA_CACHE: env.PARITY_SCHEMA_CACHE,
    EDGEREST_EXECUTOR: executor,
    ...settings,
  }),
)
const call = callWorker

const targetFor = (runtime: 'neon-http' | 'neon-ws' | 'pg'): ParityTarget => ({
  runtime,
  send: (request, settings) => call(specRequest('http://localhost', request), bindingsFor(runtime, settings)),
  fetchFor: (settings) => ((input: RequestInfo | URL, init?: RequestInit) => call(new Request(input, init), bindingsFor(runtime, settings))) as typeof fetch,
})

describe.each(['neon-http', 'neon-ws', 'pg'] as const)('parity scenarios on workerd over %s', (runtime) => {
  const target = targetFor(runtime)
  for (const [file, scenarios] of Object.entries(PARITY_SCENARIOS)) {
    describe(file, () => {
      for (const s of scenarios) it(s.name, () => s.run(target))
    })
  }
})

describe('neon-http: still one HTTP request per API request', () => {
  const tagged = (): { name: string; uri: string } => {
    const name = `parity_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`
    const uri = new URL(env.PARITY_AUTH_URL)
    uri.searchParams.set('application_name', name)
    return { name, uri: uri.toString() }
  }
  const requestsFor = async (name: string): Promise<number> => {
    const stats = (await (await fetch(new URL('/__stats', env.EDGEREST_NEON_FETCH_ENDPOINT))).json()) as { byApplicationName: Record<string, number> }
    return stats.byApplicationName[name] ?? 0
  }
  it.each([
    ['GET / (the OpenAPI document, privileges checked for the role)', '/', {}],
    ['GET / as OpenAPI 3.1', '/', { Accept: 'application/vnd.oai.openapi+json;version=3.1' }],
    ['an EXPLAIN', '/books?select=title,authors(name)', { Accept: 'application/vnd.pgrst.plan+json; options=analyze' }],
    ['a call whose role has settings of its own', '/rpc/setting?name=work_mem', {}],
  ] as const)('%s', async (_what, path, headers) => {
    const { name, uri } = tagged()
    const res = await call(new Request(`http://localhost${path}`, { headers }), bindingsFor('neon-http', {}, uri))
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(await requestsFor(name)).toBe(1)
  })
  it('a signed-in role with an isolation level of its own', async () => {
    const { name, uri } = tagged()
    const res = await call(new Request('http://localhost/rpc/isolation', { headers: await bearer('parity_user') }), bindingsFor('neon-http', {}, uri))
    expect(await res.json()).toBe('serializable')
    expect(await requestsFor(name)).toBe(1)
  })
})
