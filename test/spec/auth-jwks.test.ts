/**
 * @module test/spec/auth-jwks.test: PGRST_JWT_JWKS_URL through the whole Node app against the real
 * database, with a real local JWKS endpoint (dev/jwks-server.ts) and a controlled clock for the
 * fetch cooldown: an identity provider's tokens reach row-level security, a key rotated at the
 * provider is picked up without restarting, the provider going down does not break tokens whose
 * key is cached, and a flood of unknown `kid`s does not reach the provider.
 * (The key-cache rules themselves are unit-tested in test/unit/auth/remote-jwks.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { startJwksServer, type JwksServer } from '../../dev/jwks-server.ts'
import { createApp } from '../../src/app.ts'
import { createAuthenticator } from '../../src/auth/index.ts'
import { readConfig } from '../../src/config/from-env.ts'
import { createPgExecutor } from '../../src/execute/pg.ts'
import { loadSchemaCache } from '../../src/schema-cache/load.ts'
import { introspectUrl } from '../../schema-cache/from-url.ts'
import type { PipelineDeps } from '../../src/pipeline.ts'
import { SPEC_SETTINGS } from './types.ts'

const COOLDOWN = 30_000
const NOTES = '/rls_notes?select=id&order=id'

let server: JwksServer
let snapshot: unknown
beforeAll(async () => {
  server = await startJwksServer()
  const cfg = readConfig({ ...SPEC_SETTINGS, PGRST_DB_URI: inject('authUrl') })
  if (!cfg.ok) throw new Error(cfg.error)
  snapshot = await introspectUrl(cfg.value.dbUri, { schemas: [...cfg.value.dbSchemas], extraSearchPath: [...cfg.value.dbExtraSearchPath] })
})
afterAll(async () => {
  await server.stop()
})

/** The app with an identity provider's JWKS URL, its own clock, and a fresh key set at the provider. */
const setup = async (settings: Record<string, string> = {}) => {
  const tenant = `spec-${Math.random().toString(36).slice(2, 10)}`
  const cfg = readConfig({ ...SPEC_SETTINGS, PGRST_DB_URI: inject('authUrl'), PGRST_JWT_SECRET: '', PGRST_JWT_JWKS_URL: server.jwksUrl(tenant), ...settings })
  if (!cfg.ok) throw new Error(cfg.error)
  const cache = loadSchemaCache(snapshot)
  if (!cache.ok) throw new Error(cache.error)
  const clock = { now: Date.now() }
  const executor = createPgExecutor({ connectionString: cfg.value.dbUri })
  const deps: PipelineDeps = {
    config: cfg.value,
    cache: cache.value,
    authenticate: createAuthenticator(cfg.value, { now: () => clock.now, jwksCooldownMs: COOLDOWN, log: () => undefined }),
    executor,
    interactiveExecutor: executor,
  }
  const app = createApp(() => deps)
  const call = async (action: string, body?: unknown): Promise<Record<string, unknown>> =>
    (await (await fetch(`${server.url}/${tenant}/${action}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>
  return {
    clock,
    notes: async (token?: string): Promise<{ status: number; body: unknown }> => {
      const res = await app.fetch(new Request(`http://localhost${NOTES}`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } }))
      return { status: res.status, body: await res.json() }
    },
    sign: async (claims: Record<string, unknown>): Promise<string> => (await call('sign', { claims }))['token'] as string,
    rotate: (opts: Record<string, unknown> = {}) => call('rotate', opts),
    down: () => call('down', {}),
    hits: async (): Promise<number> => (await call('stats'))['hits'] as number,
  }
}

const ids = (...n: number[]): { id: number }[] => n.map((id) => ({ id }))
const noSuitableKey = { code: 'PGRST301', message: 'No suitable key or wrong key type', details: 'No suitable key was found to decode the JWT', hint: null }

describe('PGRST_JWT_JWKS_URL', () => {
  it("the provider's tokens reach RLS; role-less ones run as PGRST_DB_AUTHENTICATED_ROLE", async () => {
    const p = await setup({ PGRST_DB_AUTHENTICATED_ROLE: 'authenticated' })
    expect(await p.notes(await p.sign({ sub: 'user-1', app_metadata: { org: 'acme' } }))).toEqual({ status: 200, body: ids(1, 2) })
    expect(await p.notes(await p.sign({ sub: 'user-3' }))).toEqual({ status: 200, body: ids(3, 4) })
    expect(await p.notes()).toEqual({ status: 200, body: ids(4) })
    expect(await p.hits()).toBe(1)
  })

  it('rotation at the provider: the new key is fetched once the cooldown allows, no restart', async () => {
    const p = await setup()
    const before = await p.sign({ role: 'authenticated', sub: 'user-3' })
    expect(await p.notes(before)).toEqual({ status: 200, body: ids(3, 4) })
    await p.rotate({ alg: 'ES256' })
    const after = await p.sign({ role: 'authenticated', sub: 'user-1', app_metadata: { org: 'acme' } })
    // Fetched just now: asking again must wait for the cooldown.
    expect(await p.notes(after)).toEqual({ status: 401, body: noSuitableKey })
    expect(await p.hits()).toBe(1)
    p.clock.now += COOLDOWN
    expect(await p.notes(after)).toEqual({ status: 200, body: ids(1, 2) })
    expect(await p.notes(before)).toEqual({ status: 200, body: ids(3, 4) })
    expect(await p.hits()).toBe(2)
  })

  it('the provider down: tokens whose key is cached keep working', async () => {
    const p = await setup({ PGRST_JWT_CACHE_MAX_ENTRIES: '0' })
    const token = await p.sign({ role: 'authenticated', sub: 'user-3' })
    expect(await p.notes(token)).toEqual({ status: 200, body: ids(3, 4) })
    await p.down()
    p.clock.now += 24 * 3600_000
    expect(await p.notes(token)).toEqual({ status: 200, body: ids(3, 4) })
    expect(await p.notes(await p.sign({ role: 'authenticated', sub: 'user-2', app_metadata: { org: 'globex' } }))).toEqual({ status: 200, body: ids(2, 3) })
    expect(await p.hits()).toBe(2)
  })

  it('a flood of unknown kids within the cooldown does not reach the provider', async () => {
    const p = await setup()
    expect((await p.notes(await p.sign({ role: 'authenticated', sub: 'user-3' }))).status).toBe(200)
    const forged = (i: number): string =>
      `${btoa(JSON.stringify({ alg: 'RS256', kid: `forged-${i}` })).replace(/=+$/, '')}.${btoa('{"role":"authenticated"}').replace(/=+$/, '')}.c2ln`
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => p.notes(forged(i))))
    expect(results.every((r) => r.status === 401)).toBe(true)
    expect(await p.hits()).toBe(1)
  })
})
