/**
 * Authentication in the Worker inside workerd, against the real database over neon-http: inline
 * JWK/JWKS secrets verified with workerd's WebCrypto (RS256, ES256, EdDSA, PS256), a role-less
 * token under PGRST_DB_AUTHENTICATED_ROLE, and PGRST_JWT_JWKS_URL fetched over loopback HTTP from
 * the local JWKS endpoint of the global setup (dev/jwks-server.ts): one fetch per isolate even
 * for concurrent first requests, rotation without a restart, the cooldown, and the provider
 * being down. Each bindings object is its own deployment (the entry builds its wiring, key cache
 * included, once per bindings object).
 */
import { env } from 'cloudflare:workers'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose'
import worker from '../../../src/entry/workers.ts'
import type { Bindings as EdgeEnv } from '../../../src/bindings.ts'

const NOTES = '/rls_notes?select=id&order=id'

const call = async (bindings: EdgeEnv, path: string, token?: string): Promise<{ status: number; body: unknown }> => {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`http://localhost${path}`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } }), bindings, ctx)
  await waitOnExecutionContext(ctx)
  return { status: res.status, body: await res.json() }
}

const ids = (...n: number[]): { id: number }[] => n.map((id) => ({ id }))
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

interface Signer {
  readonly jwk: JWK
  readonly sign: (claims: Record<string, unknown>, kid?: string | null) => Promise<string>
}

const signer = async (alg: string, kid: string): Promise<Signer> => {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  return {
    jwk: { ...(await exportJWK(publicKey)), kid, alg },
    sign: (claims, k = kid) => new SignJWT(claims).setProtectedHeader({ alg, ...(k !== null ? { kid: k } : {}) }).sign(privateKey),
  }
}

describe('inline keys (PGRST_JWT_SECRET as JWK / JWKS)', () => {
  it('a JWKS with RS256, ES256, EdDSA and PS256 keys: each verifies its tokens, RLS by sub', async () => {
    const keys = await Promise.all([signer('RS256', 'rs'), signer('ES256', 'es'), signer('EdDSA', 'ed'), signer('PS256', 'ps')])
    const bindings: EdgeEnv = { ...env, PGRST_JWT_SECRET: JSON.stringify({ keys: keys.map((k) => k.jwk) }) }
    for (const k of keys) {
      expect(await call(bindings, NOTES, await k.sign({ role: 'authenticated', sub: 'user-3' }))).toEqual({ status: 200, body: ids(3, 4) })
      expect(await call(bindings, NOTES, await k.sign({ role: 'authenticated', sub: 'user-1', app_metadata: { org: 'acme' } }, null))).toEqual({ status: 200, body: ids(1, 2) })
    }
    expect(await call(bindings, NOTES, await keys[0]!.sign({ role: 'authenticated' }, 'unknown'))).toEqual({
      status: 401,
      body: { code: 'PGRST301', message: 'No suitable key or wrong key type', details: 'No suitable key was found to decode the JWT', hint: null },
    })
  })

  it('a single JWK, and a role-less token under PGRST_DB_AUTHENTICATED_ROLE', async () => {
    const ed = await signer('EdDSA', 'only')
    const bindings: EdgeEnv = { ...env, PGRST_JWT_SECRET: JSON.stringify(ed.jwk), PGRST_DB_AUTHENTICATED_ROLE: 'authenticated' }
    expect(await call(bindings, NOTES, await ed.sign({ sub: 'user-2', app_metadata: { org: 'globex' } }))).toEqual({ status: 200, body: ids(2, 3) })
    expect(await call(bindings, '/rls_whoami?select=uid,role', await ed.sign({ sub: 'user-2' }))).toEqual({ status: 200, body: [{ uid: 'user-2', role: 'authenticated' }] })
  })

  it('an invalid JWK is a configuration error: every request gets the 500 of a misconfigured deployment', async () => {
    const res = await call({ ...env, PGRST_JWT_SECRET: '{"kty":"EC","crv":"P-256"}' }, NOTES)
    expect(res).toEqual({ status: 500, body: { code: 'PGRSTX00', details: null, hint: 'The server log says what is wrong.', message: 'Server misconfigured' } })
  })
})

/** A fresh key set at the local JWKS endpoint, and the bindings of a deployment that uses it. */
const provider = (settings: Record<string, string> = {}) => {
  const tenant = `wk-${crypto.randomUUID().slice(0, 8)}`
  const base = `${env.JWKS_BASE}/${tenant}`
  const post = async (action: string, body: unknown = {}): Promise<Record<string, unknown>> =>
    (await (await fetch(`${base}/${action}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>
  const bindings: EdgeEnv = {
    ...env,
    PGRST_JWT_SECRET: '',
    PGRST_JWT_JWKS_URL: `${base}/jwks.json`,
    PGRST_DB_AUTHENTICATED_ROLE: 'authenticated',
    EDGEREST_JWKS_COOLDOWN_SECONDS: '1',
    ...settings,
  }
  return {
    bindings,
    sign: async (claims: Record<string, unknown>, opts: Record<string, unknown> = {}): Promise<string> => (await post('sign', { claims, ...opts }))['token'] as string,
    rotate: (opts: Record<string, unknown> = {}) => post('rotate', opts),
    down: () => post('down', {}),
    hits: async (): Promise<number> => ((await (await fetch(`${base}/stats`)).json()) as { hits: number }).hits,
  }
}

describe('PGRST_JWT_JWKS_URL over loopback HTTP', () => {
  it('concurrent first requests share one fetch; later ones fetch nothing', async () => {
    const p = provider()
    const tokens = await Promise.all(['user-1', 'user-2', 'user-3', 'user-1', 'user-3', 'user-2'].map((sub) => p.sign({ sub })))
    const results = await Promise.all(tokens.map((t) => call(p.bindings, '/rls_whoami?select=uid', t)))
    expect(results.map((r) => r.body)).toEqual(['user-1', 'user-2', 'user-3', 'user-1', 'user-3', 'user-2'].map((uid) => [{ uid }]))
    expect(await call(p.bindings, NOTES, await p.sign({ sub: 'user-3' }))).toEqual({ status: 200, body: ids(3, 4) })
    expect(await p.hits()).toBe(1)
  })

  it('rotation: a token signed by the new key is accepted without a restart, once the cooldown has passed', async () => {
    const p = provider()
    const old = await p.sign({ sub: 'user-3' })
    expect(await call(p.bindings, NOTES, old)).toEqual({ status: 200, body: ids(3, 4) })
    await p.rotate({ alg: 'EdDSA' })
    const fresh = await p.sign({ sub: 'user-1', app_metadata: { org: 'acme' } })
    // Within the cooldown the new kid is unknown and the provider is not asked.
    expect((await call(p.bindings, NOTES, fresh)).status).toBe(401)
    for (let i = 0; i < 10; i++) expect((await call(p.bindings, NOTES, await p.sign({ sub: 'x' }))).status).toBe(401)
    expect(await p.hits()).toBe(1)
    await sleep(1100)
    expect(await call(p.bindings, NOTES, fresh)).toEqual({ status: 200, body: ids(1, 2) })
    expect(await call(p.bindings, NOTES, old)).toEqual({ status: 200, body: ids(3, 4) })
    expect(await p.hits()).toBe(2)
  })

  it('the provider down: tokens whose key is cached keep working past the max age', async () => {
    const p = provider({ EDGEREST_JWKS_MAX_AGE_SECONDS: '1', PGRST_JWT_CACHE_MAX_ENTRIES: '0' })
    const token = await p.sign({ sub: 'user-3' })
    expect(await call(p.bindings, NOTES, token)).toEqual({ status: 200, body: ids(3, 4) })
    await p.down()
    await sleep(1100)
    expect(await call(p.bindings, NOTES, token)).toEqual({ status: 200, body: ids(3, 4) })
    expect(await call(p.bindings, NOTES, await p.sign({ sub: 'user-2', app_metadata: { org: 'globex' } }))).toEqual({ status: 200, body: ids(2, 3) })
    expect(await p.hits()).toBe(2)
  })

  it('the provider down before any fetch: 500 PGRST300, and anonymous requests still work', async () => {
    const p = provider()
    const token = await p.sign({ sub: 'user-3' })
    await p.down()
    expect(await call(p.bindings, NOTES, token)).toEqual({ status: 500, body: { code: 'PGRST300', message: 'Server lacks JWT secret', details: null, hint: null } })
    expect(await call(p.bindings, NOTES)).toEqual({ status: 200, body: ids(4) })
  })
})
