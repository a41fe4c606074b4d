/**
 * The authenticator end to end, without a database: every key form (HMAC secret, base64 secret,
 * JWK, inline JWKS with RS256/ES256/EdDSA/PS256 keys), PostgREST's errors for each way a token can
 * be wrong, the roles a token leads to, and the per-isolate cache of verified tokens under a
 * controlled clock.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { base64url } from 'jose'
import { createAuthenticator, buildAuthenticator, type Authenticator } from '../../../src/auth/index.ts'
import { defaultConfig } from '../../../src/config/defaults.ts'
import type { AppConfig } from '../../../src/config/types.ts'
import type { AppError } from '../../../src/errors/types.ts'
import type { Result } from '../../../src/result.ts'
import type { AuthResult } from '../../../src/auth/types.ts'
import { SECRET, hs, hsRawPayload, keyPair, rawToken, sign, type KeyPair } from './tokens.ts'

const config = (over: Partial<AppConfig>): AppConfig => ({ ...defaultConfig, dbAnonRole: 'anon', jwtSecret: SECRET, ...over })

const bearer = (t: string): string => `Bearer ${t}`

/** The JWT error of a result, in errors/types.ts terms. */
const jwtError = (r: Result<AuthResult, AppError>): unknown => {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`)
  if (r.error.origin !== 'jwt') throw new Error(`not a JWT error: ${JSON.stringify(r.error)}`)
  return r.error.error
}

const value = (r: Result<AuthResult, AppError>): AuthResult => {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`)
  return r.value
}

const noSuitableKey = { kind: 'decode', error: { kind: 'keyError', details: 'No suitable key was found to decode the JWT' } }
const noKeyVerifies = { kind: 'decode', error: { kind: 'keyError', details: 'None of the keys was able to decode the JWT' } }

describe('HMAC secret (HS256, as PostgREST)', () => {
  const auth = createAuthenticator(config({}))

  it('no token: the anonymous role with empty claims', async () => {
    expect(value(await auth(null))).toEqual({ role: 'anon', claims: {}, authenticated: false })
    expect(value(await auth('Basic abc'))).toEqual({ role: 'anon', claims: {}, authenticated: false })
  })

  it('a valid token: its role claim and all its claims (keys sorted, nested objects intact)', async () => {
    const r = value(await auth(bearer(await hs({ sub: 'u1', role: 'author', app_metadata: { org: 'acme', tier: 2 } }))))
    expect(r).toEqual({ role: 'author', claims: { app_metadata: { org: 'acme', tier: 2 }, role: 'author', sub: 'u1' }, authenticated: true })
    expect(Object.keys(r.claims)).toEqual(['app_metadata', 'role', 'sub'])
  })

  it('a valid token naming the anonymous role is not "authenticated" (42501 stays 401)', async () => {
    expect(value(await auth(bearer(await hs({ role: 'anon' }))))).toMatchObject({ role: 'anon', authenticated: false })
  })

  it('a valid token without a role claim: the anonymous role (PostgREST default)', async () => {
    expect(value(await auth(bearer(await hs({ sub: 'u1' }))))).toEqual({ role: 'anon', claims: { sub: 'u1' }, authenticated: false })
  })

  it('structure errors, in PostgREST’s order and words', async () => {
    expect(jwtError(await auth('Bearer'))).toEqual({ kind: 'decode', error: { kind: 'emptyAuthHeader' } })
    expect(jwtError(await auth('Bearer a.b'))).toEqual({ kind: 'decode', error: { kind: 'unexpectedParts', parts: 2 } })
    expect(jwtError(await auth('Bearer a.b.c.d'))).toEqual({ kind: 'decode', error: { kind: 'unexpectedParts', parts: 4 } })
    expect(jwtError(await auth('Bearer quifquirndsjagnrgniur.fonvoienqhhdj.iuqvnvhojah'))).toEqual({ kind: 'decode', error: { kind: 'badCrypto' } })
  })

  it('alg none is refused before any key is tried', async () => {
    const none = rawToken({ alg: 'none', typ: 'JWT' }, { role: 'admin' }, '')
    expect(jwtError(await auth(bearer(none)))).toEqual({
      kind: 'decode',
      error: { kind: 'badAlgorithm', details: "JWT is unsecured but expected 'alg' was not 'none'" },
    })
  })

  it('a wrong signature or a tampered payload: no key verifies it', async () => {
    expect(jwtError(await auth(bearer(await hs({ role: 'author' }, { secret: 'another-secret-another-secret-xx' }))))).toEqual(noKeyVerifies)
    const [h, , s] = (await hs({ role: 'anon' })).split('.')
    const tampered = `${h}.${base64url.encode(JSON.stringify({ role: 'admin' }))}.${s}`
    expect(jwtError(await auth(bearer(tampered)))).toEqual(noKeyVerifies)
  })

  it('another algorithm, a kid, or an RSA-signed token: no key may verify it (no confusion)', async () => {
    expect(jwtError(await auth(bearer(await hs({ role: 'author' }, { alg: 'HS512' }))))).toEqual(noSuitableKey)
    expect(jwtError(await auth(bearer(await hs({ role: 'author' }, { kid: 'k1' }))))).toEqual(noSuitableKey)
    const rsa = await keyPair('RS256', 'r1')
    expect(jwtError(await auth(bearer(await sign(rsa, { role: 'author' }))))).toEqual(noSuitableKey)
  })

  it('a signed payload that is not a JSON object: Parsing claims failed', async () => {
    expect(jwtError(await auth(bearer(await hsRawPayload('[1,2]'))))).toEqual({ kind: 'claims', error: 'parsingClaimsFailed' })
    expect(jwtError(await auth(bearer(await hsRawPayload('not json'))))).toEqual({ kind: 'claims', error: 'parsingClaimsFailed' })
  })

  it('claims errors', async () => {
    const now = Math.floor(Date.now() / 1000)
    expect(jwtError(await auth(bearer(await hs({ role: 'author', exp: now - 60 }))))).toEqual({ kind: 'claims', error: 'expired' })
    expect(value(await auth(bearer(await hs({ role: 'author', exp: now - 10 }))))).toMatchObject({ role: 'author' })
    expect(jwtError(await auth(bearer(await hs({ role: 'author', nbf: now + 60 }))))).toEqual({ kind: 'claims', error: 'notYetValid' })
    expect(jwtError(await auth(bearer(await hs({ role: 'author', iat: now + 60 }))))).toEqual({ kind: 'claims', error: 'issuedAtFuture' })
    expect(jwtError(await auth(bearer(await hs({ role: 'author', exp: 'soon' }))))).toEqual({ kind: 'claims', error: 'expNotNumber' })
    expect(jwtError(await auth(bearer(await hs({ role: 'author', aud: 1 }))))).toEqual({ kind: 'claims', error: 'audNotStringOrArray' })
  })

  it('a non-string role claim becomes its JSON text', async () => {
    expect(value(await auth(bearer(await hs({ role: 42 }))))).toMatchObject({ role: '42' })
  })
})

describe('configuration variants', () => {
  it('no anonymous role: PGRST302 without a token, and for a valid token without role', async () => {
    const auth = createAuthenticator(config({ dbAnonRole: null }))
    expect(jwtError(await auth(null))).toEqual({ kind: 'tokenRequired' })
    expect(jwtError(await auth(bearer(await hs({ sub: 'u' }))))).toEqual({ kind: 'tokenRequired' })
    expect(value(await auth(bearer(await hs({ role: 'author' }))))).toMatchObject({ role: 'author', authenticated: true })
  })

  it('PGRST_DB_AUTHENTICATED_ROLE: the role of valid tokens without a role claim', async () => {
    const auth = createAuthenticator(config({ dbAuthenticatedRole: 'authenticated' }))
    expect(value(await auth(bearer(await hs({ sub: 'u1', aud: 'app' }))))).toEqual({ role: 'authenticated', claims: { aud: 'app', sub: 'u1' }, authenticated: true })
    expect(value(await auth(bearer(await hs({ sub: 'u1', role: 'author' }))))).toMatchObject({ role: 'author' })
    expect(value(await auth(null))).toMatchObject({ role: 'anon', authenticated: false })
  })

  it('no secret: a token is a server error (PGRST300), no token is still anonymous', async () => {
    const auth = createAuthenticator(config({ jwtSecret: null }))
    expect(jwtError(await auth(bearer(await hs({ role: 'author' }))))).toEqual({ kind: 'secretMissing' })
    expect(jwtError(await auth('Bearer'))).toEqual({ kind: 'secretMissing' })
    expect(value(await auth(null))).toMatchObject({ role: 'anon' })
  })

  it('PGRST_JWT_AUD', async () => {
    const auth = createAuthenticator(config({ jwtAud: 'youraudience' }))
    expect(value(await auth(bearer(await hs({ role: 'author', aud: ['x', 'youraudience'] }))))).toMatchObject({ role: 'author' })
    expect(jwtError(await auth(bearer(await hs({ role: 'author', aud: 'x' }))))).toEqual({ kind: 'claims', error: 'notInAudience' })
  })

  it('PGRST_JWT_ROLE_CLAIM_KEY, nested and deprecated', async () => {
    const token = bearer(await hs({ role: 'top', app_metadata: { role: 'nested', roles: ['a', 'b'] } }))
    expect(value(await createAuthenticator(config({ jwtRoleClaimKey: '$.app_metadata.role' }))(token)).role).toBe('nested')
    expect(value(await createAuthenticator(config({ jwtRoleClaimKey: '.app_metadata.roles[1]' }))(token)).role).toBe('b')
    expect(value(await createAuthenticator(config({ jwtRoleClaimKey: '$.missing' }))(token)).role).toBe('anon')
  })

  it('base64 secret', async () => {
    const auth = createAuthenticator(config({ jwtSecret: btoa(SECRET), jwtSecretIsBase64: true }))
    expect(value(await auth(bearer(await hs({ role: 'author' }))))).toMatchObject({ role: 'author' })
  })

  it('invalid settings are startup errors', () => {
    expect(buildAuthenticator(config({ jwtSecret: 'short' }))).toMatchObject({ ok: false })
    expect(buildAuthenticator(config({ jwtRoleClaimKey: 'role' }))).toMatchObject({ ok: false, error: expect.stringContaining('PGRST_JWT_ROLE_CLAIM_KEY') })
    expect(() => createAuthenticator(config({ jwtSecret: '{"kty":"EC"}' }))).toThrow(/invalid JWK/)
  })
})

describe('asymmetric keys: a JWK, an inline JWKS', () => {
  let rs: KeyPair
  let es: KeyPair
  let ed: KeyPair
  let ps: KeyPair
  let noAlg: KeyPair
  let jwks: Authenticator
  beforeAll(async () => {
    ;[rs, es, ed, ps, noAlg] = await Promise.all([
      keyPair('RS256', 'rs'),
      keyPair('ES256', 'es'),
      keyPair('EdDSA', 'ed'),
      keyPair('PS256', 'ps'),
      keyPair('ES384', 'es-noalg', false),
    ])
    jwks = createAuthenticator(config({ jwtSecret: JSON.stringify({ keys: [rs.jwk, es.jwk, ed.jwk, ps.jwk, noAlg.jwk] }) }))
  })

  it('a single JWK as the secret', async () => {
    const auth = createAuthenticator(config({ jwtSecret: JSON.stringify(rs.jwk) }))
    expect(value(await auth(bearer(await sign(rs, { role: 'author' }))))).toMatchObject({ role: 'author' })
    expect(value(await auth(bearer(await sign(rs, { role: 'author' }, { kid: null }))))).toMatchObject({ role: 'author' })
  })

  it('every key of the set verifies its own tokens, found by kid', async () => {
    for (const k of [rs, es, ed, ps, noAlg]) {
      expect(value(await jwks(bearer(await sign(k, { role: `r-${k.kid}` })))).role, k.kid).toBe(`r-${k.kid}`)
    }
  })

  it('without a kid, each key is tried in turn', async () => {
    for (const k of [rs, es, ed, noAlg]) {
      expect(value(await jwks(bearer(await sign(k, { role: 'x' }, { kid: null })))).role, k.kid).toBe('x')
    }
  })

  it('an unknown kid, or a kid naming a key of another type: no suitable key', async () => {
    expect(jwtError(await jwks(bearer(await sign(rs, { role: 'x' }, { kid: 'nope' }))))).toEqual(noSuitableKey)
    expect(jwtError(await jwks(bearer(await sign(rs, { role: 'x' }, { kid: 'es' }))))).toEqual(noSuitableKey)
  })

  it('a kid naming the right type of key, but another key: no key verifies it', async () => {
    const other = await keyPair('RS256', 'rs')
    expect(jwtError(await jwks(bearer(await sign(other, { role: 'x' }))))).toEqual(noKeyVerifies)
  })

  it('HS256 signed with the RSA public key as HMAC secret (the classic confusion attack): refused', async () => {
    const pem = JSON.stringify(rs.jwk)
    const token = await hs({ role: 'admin' }, { secret: pem, kid: 'rs' })
    expect(jwtError(await jwks(bearer(token)))).toEqual(noSuitableKey)
  })

  it('a key’s alg binds it to that algorithm', async () => {
    // The `rs` key says alg RS256; a token for the same kid claiming RS512 finds no key to try.
    expect(jwtError(await jwks(bearer(rawToken({ alg: 'RS512', kid: 'rs' }, { role: 'x' }))))).toEqual(noSuitableKey)
    // The `es-noalg` key has no alg: ES384 (its curve) verifies, ES256 is tried and fails.
    expect(jwtError(await jwks(bearer(rawToken({ alg: 'ES256', kid: 'es-noalg' }, { role: 'x' }))))).toEqual(noKeyVerifies)
  })
})

describe('the cache of verified tokens', () => {
  it('a cached token is still checked for expiry at every request', async () => {
    let now = Date.now()
    const auth = createAuthenticator(config({ jwtCacheMaxEntries: 10 }), { now: () => now })
    const token = bearer(await hs({ role: 'author', exp: Math.floor(now / 1000) + 60 }))
    expect(value(await auth(token)).role).toBe('author')
    now += 120_000
    expect(jwtError(await auth(token))).toEqual({ kind: 'claims', error: 'expired' })
  })

  it('caching (or not) never changes the outcome', async () => {
    for (const max of [0, 1, 1000]) {
      const auth = createAuthenticator(config({ jwtCacheMaxEntries: max }))
      const a = bearer(await hs({ role: 'a' }))
      const b = bearer(await hs({ role: 'b' }))
      for (const t of [a, b, a, b, a]) expect(value(await auth(t)).role).toBe(t === a ? 'a' : 'b')
      expect(jwtError(await auth(bearer(await hs({ role: 'a' }, { secret: 'x'.repeat(32) }))))).toEqual(noKeyVerifies)
    }
  })
})
