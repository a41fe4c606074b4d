/**
 * @module test/spec/auth.test: authentication settings other than SPEC_SETTINGS' HS256 secret,
 * through the whole Node app against the real database (RLS fixtures: test/fixtures/50-auth.sql):
 * JWK and JWKS secrets (RS256, ES256, EdDSA), a base64 secret, PGRST_DB_AUTHENTICATED_ROLE for
 * role-less tokens, nested role claims, PGRST_JWT_AUD, no anonymous role, no secret, the JWT cache
 * switched off, a db-pre-request hook that validates callers by their claims, and
 * PGRST_SERVER_CORS_ALLOWED_ORIGINS.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose'
import { createSpecApp, type SpecApp } from './harness.ts'
import { SPEC_SETTINGS } from './types.ts'

const NOTES = '/rls_notes?select=id&order=id'
const secret = new TextEncoder().encode(SPEC_SETTINGS['PGRST_JWT_SECRET'])

const hs256 = (claims: Record<string, unknown>): Promise<string> => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret)

interface Signer {
  readonly jwk: JWK
  readonly sign: (claims: Record<string, unknown>, kid?: string | null) => Promise<string>
}

const signer = async (alg: string, kid: string): Promise<Signer> => {
  const { publicKey, privateKey }: { publicKey: CryptoKey; privateKey: CryptoKey } = await generateKeyPair(alg, { extractable: true })
  return {
    jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    sign: (claims, k = kid) => new SignJWT(claims).setProtectedHeader({ alg, ...(k !== null ? { kid: k } : {}) }).sign(privateKey),
  }
}

const get = async (app: SpecApp, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Headers }> => {
  const res = await app.send({ method: 'GET', path, headers })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, headers: res.headers }
}

const auth = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` })
const ids = (...n: number[]): { id: number }[] => n.map((id) => ({ id }))

describe('a JWKS as PGRST_JWT_SECRET (keys an identity provider publishes)', () => {
  let app: SpecApp
  let rs: Signer
  let es: Signer
  let ed: Signer
  beforeAll(async () => {
    ;[rs, es, ed] = await Promise.all([signer('RS256', 'rsa-1'), signer('ES256', 'ec-1'), signer('EdDSA', 'ed-1')])
    app = await createSpecApp({ PGRST_JWT_SECRET: JSON.stringify({ keys: [rs.jwk, es.jwk, ed.jwk] }) })
  })

  it.each(['rs', 'es', 'ed'] as const)('tokens signed by the %s key reach RLS with their sub', async (which) => {
    const s = { rs, es, ed }[which]
    expect(await get(app, NOTES, auth(await s.sign({ role: 'authenticated', sub: 'user-3' })))).toMatchObject({ status: 200, body: ids(3, 4) })
    expect(await get(app, NOTES, auth(await s.sign({ role: 'authenticated', sub: 'user-1', app_metadata: { org: 'acme' } }, null)))).toMatchObject({
      status: 200,
      body: ids(1, 2),
    })
  })

  it('an unknown kid and the HMAC secret are refused with PostgREST’s body', async () => {
    const unknown = await get(app, NOTES, auth(await rs.sign({ role: 'authenticated' }, 'rsa-2')))
    expect(unknown.status).toBe(401)
    expect(unknown.body).toEqual({ code: 'PGRST301', message: 'No suitable key or wrong key type', details: 'No suitable key was found to decode the JWT', hint: null })
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="No suitable key or wrong key type"')
    expect((await get(app, NOTES, auth(await hs256({ role: 'authenticated' })))).status).toBe(401)
  })
})

describe('a single JWK, and a base64 secret', () => {
  it('a JWK', async () => {
    const es = await signer('ES256', 'only')
    const app = await createSpecApp({ PGRST_JWT_SECRET: JSON.stringify(es.jwk) })
    expect(await get(app, NOTES, auth(await es.sign({ role: 'authenticated', sub: 'user-3' })))).toMatchObject({ status: 200, body: ids(3, 4) })
  })

  it('a base64 secret', async () => {
    const app = await createSpecApp({ PGRST_JWT_SECRET: btoa(SPEC_SETTINGS['PGRST_JWT_SECRET'] ?? ''), PGRST_JWT_SECRET_IS_BASE64: 'true' })
    expect(await get(app, NOTES, auth(await hs256({ role: 'authenticated', sub: 'user-3' })))).toMatchObject({ status: 200, body: ids(3, 4) })
  })
})

describe('PGRST_DB_AUTHENTICATED_ROLE: tokens without a role claim (Better Auth style)', () => {
  let app: SpecApp
  let ed: Signer
  beforeAll(async () => {
    ed = await signer('EdDSA', 'better-auth-1')
    app = await createSpecApp({
      PGRST_JWT_SECRET: JSON.stringify({ keys: [ed.jwk] }),
      PGRST_DB_AUTHENTICATED_ROLE: 'authenticated',
      PGRST_JWT_AUD: 'https://api.example.com',
    })
  })

  it('a valid role-less token runs as the authenticated role, RLS by its sub and nested claims', async () => {
    const token = await ed.sign({ sub: 'user-1', aud: 'https://api.example.com', iss: 'https://auth.example.com', app_metadata: { org: 'acme' } })
    expect(await get(app, NOTES, auth(token))).toMatchObject({ status: 200, body: ids(1, 2) })
    expect(await get(app, '/rls_whoami?select=uid,role', auth(token))).toMatchObject({ body: [{ uid: 'user-1', role: 'authenticated' }] })
  })

  it('a role claim still wins; no token is still anonymous; a foreign audience is refused', async () => {
    expect(await get(app, '/rls_whoami?select=role', auth(await ed.sign({ role: 'anonymous', aud: 'https://api.example.com' })))).toMatchObject({ body: [{ role: 'anonymous' }] })
    expect(await get(app, NOTES)).toMatchObject({ status: 200, body: ids(4) })
    const foreign = await get(app, NOTES, auth(await ed.sign({ sub: 'user-1', aud: 'https://other.example.com' })))
    expect(foreign).toMatchObject({ status: 401, body: { code: 'PGRST303', message: 'JWT not in audience', details: null, hint: null } })
  })
})

describe('PGRST_JWT_ROLE_CLAIM_KEY', () => {
  // Without the key the tokens below have no role claim and would run as `anonymous`.
  it.each([
    ['$.app_metadata.role', { app_metadata: { role: 'authenticated' } }],
    ['.app_metadata.role', { app_metadata: { role: 'authenticated' } }],
    ['$.roles[1]', { roles: ['anonymous', 'authenticated'] }],
    ["$.roles[?(@ == 'authenticated')]", { roles: ['anonymous', 'authenticated', 'admin'] }],
    ["$['https://example.com/claims'].role", { 'https://example.com/claims': { role: 'authenticated' } }],
  ])('%s', async (key, claims) => {
    const app = await createSpecApp({ PGRST_JWT_ROLE_CLAIM_KEY: key })
    expect(await get(app, '/rls_whoami?select=role,uid', auth(await hs256({ ...claims, sub: 'x' })))).toMatchObject({ status: 200, body: [{ role: 'authenticated', uid: 'x' }] })
  })
})

describe('anonymous access and missing keys', () => {
  it('no anonymous role: 401 PGRST302 without a token', async () => {
    const app = await createSpecApp({ PGRST_DB_ANON_ROLE: '' })
    const res = await get(app, NOTES)
    expect(res).toMatchObject({ status: 401, body: { code: 'PGRST302', message: 'Anonymous access is disabled', details: null, hint: null } })
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
    expect(await get(app, NOTES, auth(await hs256({ role: 'authenticated', sub: 'user-3' })))).toMatchObject({ status: 200, body: ids(3, 4) })
  })

  it('no secret: a token is a server error (500 PGRST300), anonymous requests still work', async () => {
    const app = await createSpecApp({ PGRST_JWT_SECRET: '' })
    const res = await get(app, NOTES, auth(await hs256({ role: 'authenticated' })))
    expect(res).toMatchObject({ status: 500, body: { code: 'PGRST300', message: 'Server lacks JWT secret', details: null, hint: null } })
    expect(res.headers.get('www-authenticate')).toBeNull()
    expect(await get(app, NOTES)).toMatchObject({ status: 200, body: ids(4) })
  })

  it('the JWT cache switched off changes nothing visible', async () => {
    const app = await createSpecApp({ PGRST_JWT_CACHE_MAX_ENTRIES: '0' })
    const token = await hs256({ role: 'authenticated', sub: 'user-3' })
    for (let i = 0; i < 3; i++) expect(await get(app, NOTES, auth(token))).toMatchObject({ status: 200, body: ids(3, 4) })
  })
})

describe('db-pre-request validating callers by their claims (auth.check_user)', () => {
  let app: SpecApp
  beforeAll(async () => {
    app = await createSpecApp({ PGRST_DB_PRE_REQUEST: 'auth.check_user' })
  })

  it('sees the claims: sets a response header from sub', async () => {
    const res = await get(app, NOTES, auth(await hs256({ role: 'authenticated', sub: 'user-3' })))
    expect(res).toMatchObject({ status: 200, body: ids(3, 4) })
    expect(res.headers.get('x-user')).toBe('user-3')
    expect((await get(app, NOTES)).headers.get('x-user')).toBe('anonymous')
  })

  it('RAISE EXCEPTION refuses the request (P0001 → 400)', async () => {
    const res = await get(app, NOTES, auth(await hs256({ role: 'authenticated', email: 'evil@example.com' })))
    expect(res).toMatchObject({ status: 400, body: { code: 'P0001', message: 'No, you are evil', details: null, hint: 'Stop being so evil and maybe you can log in' } })
  })

  it("RAISE SQLSTATE 'PGRST' chooses status, body and headers", async () => {
    const res = await app.send({ method: 'GET', path: NOTES, headers: auth(await hs256({ role: 'authenticated', sub: 'suspended' })) })
    expect([res.status, res.statusText, res.headers.get('x-account')]).toEqual([403, 'Suspended', 'suspended'])
    expect(await res.json()).toEqual({ code: 'AUTH1', message: 'Account suspended', details: 'Ask an administrator', hint: null })
  })

  it('response.status and response.headers set by the hook; invalid values are PGRST111/PGRST112', async () => {
    const teapot = await get(app, NOTES, auth(await hs256({ role: 'authenticated', sub: 'teapot' })))
    expect(teapot).toMatchObject({ status: 418, body: [] })
    expect(teapot.headers.get('x-user')).toBe('teapot')
    expect(await get(app, NOTES, auth(await hs256({ role: 'authenticated', sub: 'bad-headers' })))).toMatchObject({
      status: 500,
      body: { code: 'PGRST111', message: 'response.headers guc must be a JSON array composed of objects with a single key and a string value', details: null, hint: null },
    })
    expect(await get(app, NOTES, auth(await hs256({ role: 'authenticated', sub: 'bad-status' })))).toMatchObject({
      status: 500,
      body: { code: 'PGRST112', message: 'response.status guc must be a valid status code', details: null, hint: null },
    })
  })

  it('a PTxyz SQLSTATE sets the status', async () => {
    const res = await get(app, NOTES, auth(await hs256({ role: 'authenticated', sub: 'unpaid' })))
    expect(res).toMatchObject({ status: 402, body: { code: 'PT402', message: 'Payment Required', details: 'Quota exceeded', hint: 'Upgrade your plan' } })
  })
})

describe('PGRST_SERVER_CORS_ALLOWED_ORIGINS', () => {
  let app: SpecApp
  beforeAll(async () => {
    app = await createSpecApp({ PGRST_SERVER_CORS_ALLOWED_ORIGINS: 'https://app.example.com, https://admin.example.com' })
  })

  const preflight = (origin: string) =>
    app.send({ method: 'OPTIONS', path: '/rls_notes', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'Authorization, Content-Type' } })

  it('a listed origin: echoed with credentials, in the preflight and the response', async () => {
    const pre = await preflight('https://admin.example.com')
    expect(Object.fromEntries(pre.headers.entries())).toEqual({
      'access-control-allow-origin': 'https://admin.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD',
      'access-control-allow-headers': 'Authorization, Authorization, Content-Type, Accept, Accept-Language, Content-Language',
      'access-control-max-age': '86400',
    })
    const res = await get(app, NOTES, { Origin: 'https://app.example.com' })
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
  })

  it('another origin: no CORS headers (the browser blocks it); the OPTIONS goes to the API', async () => {
    const pre = await preflight('https://evil.example.com')
    expect(pre.status).toBe(200)
    expect(pre.headers.get('access-control-allow-methods')).toBeNull()
    expect(pre.headers.get('allow')).toBe('OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE')
    const res = await get(app, NOTES, { Origin: 'https://evil.example.com' })
    expect(res).toMatchObject({ status: 200, body: ids(4) })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    expect(res.headers.get('access-control-expose-headers')).toBeNull()
  })
})
