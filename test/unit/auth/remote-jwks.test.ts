/**
 * PGRST_JWT_JWKS_URL against a real local JWKS endpoint (dev/jwks-server.ts over HTTP), with a
 * controlled clock: one fetch per isolate, rotation picked up without a restart, the cooldown that
 * protects the provider, and the stale copy that keeps tokens working while the provider is down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuthenticator, type AuthOptions } from '../../../src/auth/index.ts'
import { defaultConfig } from '../../../src/config/defaults.ts'
import type { AppConfig } from '../../../src/config/types.ts'
import type { AppError } from '../../../src/errors/types.ts'
import type { Result } from '../../../src/result.ts'
import type { AuthResult } from '../../../src/auth/types.ts'
import { startJwksServer, type JwksServer } from '../../../dev/jwks-server.ts'
import { SECRET, hs, rawToken } from './tokens.ts'

let server: JwksServer
beforeAll(async () => {
  server = await startJwksServer()
})
afterAll(async () => {
  await server.stop()
})

let tenants = 0
/** A fresh key set on the server, and helpers to drive it. */
const provider = () => {
  const name = `unit${++tenants}-${Math.random().toString(36).slice(2, 8)}`
  const call = async (action: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${server.url}/${name}/${action}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })
    return (await res.json()) as Record<string, unknown>
  }
  return {
    url: server.jwksUrl(name),
    token: async (claims: Record<string, unknown>, opts: Record<string, unknown> = {}): Promise<string> => `Bearer ${(await call('sign', { claims, ...opts }))['token'] as string}`,
    rotate: async (opts: Record<string, unknown> = {}): Promise<string> => (await call('rotate', opts))['kid'] as string,
    down: (mode: 'status' | 'reset' = 'status') => call('down', { mode }),
    up: () => call('up', {}),
    hits: async (): Promise<number> => (await call('stats'))['hits'] as number,
  }
}

const COOLDOWN = 10_000
const MAX_AGE = 60_000

const setup = (url: string, over: Partial<AppConfig> = {}, opts: AuthOptions = {}) => {
  const clock = { now: 1_000_000 }
  const logs: string[] = []
  const auth = createAuthenticator(
    { ...defaultConfig, dbAnonRole: 'anon', jwtJwksUrl: url, ...over },
    { now: () => clock.now, jwksCooldownMs: COOLDOWN, jwksMaxAgeMs: MAX_AGE, log: (m) => logs.push(m), ...opts },
  )
  return { auth, clock, logs }
}

const role = (r: Result<AuthResult, AppError>): string => {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`)
  return r.value.role
}
const error = (r: Result<AuthResult, AppError>): unknown => (r.ok ? `unexpected success as ${r.value.role}` : r.error.origin === 'jwt' ? r.error.error : r.error)

const noSuitableKey = { kind: 'decode', error: { kind: 'keyError', details: 'No suitable key was found to decode the JWT' } }

describe('remote JWKS', () => {
  it('is fetched lazily, once, and serves every later request from memory', async () => {
    const p = provider()
    const { auth } = setup(p.url)
    const token = await p.token({ role: 'author' })
    expect(await p.hits()).toBe(0)
    expect(role(await auth(null))).toBe('anon')
    expect(await p.hits()).toBe(0)
    for (let i = 0; i < 5; i++) expect(role(await auth(token))).toBe('author')
    expect(role(await auth(await p.token({ role: 'other' })))).toBe('other')
    expect(await p.hits()).toBe(1)
  })

  it('concurrent first requests share one fetch', async () => {
    const p = provider()
    const { auth } = setup(p.url, { jwtCacheMaxEntries: 0 })
    const tokens = await Promise.all(Array.from({ length: 8 }, (_, i) => p.token({ role: `r${i}` })))
    const roles = await Promise.all(tokens.map(async (t) => role(await auth(t))))
    expect(roles).toEqual(tokens.map((_, i) => `r${i}`))
    expect(await p.hits()).toBe(1)
  })

  it('rotation: a token signed by a new key is accepted without a restart', async () => {
    const p = provider()
    const { auth, clock } = setup(p.url)
    const before = await p.token({ role: 'old' })
    expect(role(await auth(before))).toBe('old')
    clock.now += COOLDOWN
    await p.rotate()
    const after = await p.token({ role: 'new' })
    expect(role(await auth(after))).toBe('new')
    expect(role(await auth(before))).toBe('old')
    expect(await p.hits()).toBe(2)
  })

  it('rotation with a token that has no kid: a failed verification asks the provider again', async () => {
    const p = provider()
    const { auth, clock } = setup(p.url)
    expect(role(await auth(await p.token({ role: 'a' })))).toBe('a')
    clock.now += COOLDOWN
    await p.rotate({ alg: 'ES256' })
    expect(role(await auth(await p.token({ role: 'b' }, { omitKid: true })))).toBe('b')
    expect(await p.hits()).toBe(2)
  })

  it('cooldown: unknown kids within it never reach the provider; after it, one fetch', async () => {
    const p = provider()
    const { auth, clock } = setup(p.url)
    expect(role(await auth(await p.token({ role: 'a' })))).toBe('a')
    await p.rotate()
    const fresh = await p.token({ role: 'fresh' })
    // Just fetched: the new kid is unknown, and the provider may not be asked yet.
    expect(error(await auth(fresh))).toEqual(noSuitableKey)
    for (let i = 0; i < 30; i++) {
      expect(error(await auth(`Bearer ${rawToken({ alg: 'RS256', kid: `made-up-${i}` }, { role: 'admin' })}`))).toEqual(noSuitableKey)
    }
    expect(await p.hits()).toBe(1)
    clock.now += COOLDOWN
    expect(role(await auth(fresh))).toBe('fresh')
    for (let i = 0; i < 30; i++) await auth(`Bearer ${rawToken({ alg: 'RS256', kid: `made-up-again-${i}` }, {})}`)
    expect(await p.hits()).toBe(2)
  })

  it('provider down: tokens whose key is cached keep working, also past the max age', async () => {
    for (const mode of ['status', 'reset'] as const) {
      const p = provider()
      const { auth, clock, logs } = setup(p.url, { jwtCacheMaxEntries: 0 })
      const token = await p.token({ role: 'author' })
      expect(role(await auth(token))).toBe('author')
      await p.down(mode)
      clock.now += MAX_AGE
      expect(role(await auth(token))).toBe('author')
      expect(await p.hits()).toBe(2)
      expect(logs.some((l) => l.includes('keeping the keys fetched before'))).toBe(true)
      // A failed refresh counts for the cooldown: the next requests do not ask again.
      expect(role(await auth(token))).toBe('author')
      expect(await p.hits()).toBe(2)
      // Back up and rotated: a new kid is fetched once the cooldown has passed.
      await p.up()
      await p.rotate()
      const fresh = await p.token({ role: 'fresh' })
      clock.now += COOLDOWN
      expect(role(await auth(fresh))).toBe('fresh')
    }
  })

  it('provider down before the first fetch: PGRST300 until it answers', async () => {
    const p = provider()
    const { auth, clock } = setup(p.url)
    const token = await p.token({ role: 'author' })
    await p.down()
    expect(error(await auth(token))).toEqual({ kind: 'secretMissing' })
    expect(error(await auth(token))).toEqual({ kind: 'secretMissing' })
    expect(await p.hits()).toBe(1)
    await p.up()
    clock.now += COOLDOWN
    expect(role(await auth(token))).toBe('author')
  })

  it('an unreachable URL is like a provider that is down', async () => {
    const { auth } = setup('http://127.0.0.1:9/jwks.json', {}, { jwksTimeoutMs: 2000 })
    expect(error(await auth(`Bearer ${rawToken({ alg: 'RS256', kid: 'k' }, {})}`))).toEqual({ kind: 'secretMissing' })
  })

  it('a key the provider withdrew stops verifying, cached tokens included', async () => {
    const p = provider()
    const { auth, clock } = setup(p.url)
    const old = await p.token({ role: 'old' })
    expect(role(await auth(old))).toBe('old')
    await p.rotate({ retire: true })
    clock.now += COOLDOWN
    expect(role(await auth(await p.token({ role: 'new' })))).toBe('new')
    expect(error(await auth(old))).toEqual(noSuitableKey)
  })

  it('the copy is refreshed after its max age, at the next token not already verified', async () => {
    const p = provider()
    const { auth, clock } = setup(p.url)
    const token = await p.token({ role: 'author' })
    expect(role(await auth(token))).toBe('author')
    clock.now += MAX_AGE - 1
    expect(role(await auth(await p.token({ role: 'second' })))).toBe('second')
    expect(await p.hits()).toBe(1)
    clock.now += 1
    // A cached token needs no key: the provider is not asked for it.
    expect(role(await auth(token))).toBe('author')
    expect(await p.hits()).toBe(1)
    expect(role(await auth(await p.token({ role: 'third' })))).toBe('third')
    expect(await p.hits()).toBe(2)
  })

  it('with PGRST_JWT_SECRET too: tokens signed by either are accepted', async () => {
    const p = provider()
    const { auth } = setup(p.url, { jwtSecret: SECRET })
    expect(role(await auth(await p.token({ role: 'from-idp' })))).toBe('from-idp')
    expect(role(await auth(`Bearer ${await hs({ role: 'from-secret' })}`))).toBe('from-secret')
  })

  it('a document that is not a JWKS keeps the previous keys and is logged', async () => {
    let body = ''
    const p = provider()
    const realFetch = globalThis.fetch
    const { auth, clock, logs } = setup(p.url, { jwtCacheMaxEntries: 0 }, {
      fetch: async (input, init) => (body === '' ? realFetch(input, init) : new Response(body, { status: 200 })),
    })
    const token = await p.token({ role: 'author' })
    expect(role(await auth(token))).toBe('author')
    body = '<html>maintenance</html>'
    clock.now += MAX_AGE
    expect(role(await auth(token))).toBe('author')
    expect(logs.some((l) => l.includes('is not a JWKS'))).toBe(true)
  })
})
