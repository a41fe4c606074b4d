/**
 * PGRST_JWT_SECRET → keys (plain secret, base64, JWK, JWKS), and which keys may verify a token:
 * kid matching, key alg, key type per algorithm family, `use`.
 */
import { describe, expect, it } from 'vitest'
import { canVerify, parseJwk, parseJwks, secretKey, type VerifyKey } from '../../../src/auth/jwk.ts'
import { keysFromSecret } from '../../../src/auth/secret.ts'

const RSA_PUB = {
  kty: 'RSA',
  e: 'AQAB',
  n: '9zKNYTaYGfGm1tBMpRT6FxOYrM720GhXdettc02uyakYSEHU2IJz90G_MLlEl4-WWWYoS_QKFupw3s7aPYlaAjamG22rAnvWu-rRkP5sSSkKvud_IgKL4iE6Y2WJx2Bkl1XUFkdZ8wlEUR6O1ft3TS4uA-qKifSZ43CahzAJyUezOH9shI--tirC028lNg767ldEki3WnVr3zokSujC9YJ_9XXjw2hFBfmJUrNb0-wldvxQbFU8RPXip-GQ_JPTrCTZhrzGFeWPvhA6Rqmc3b1PhM9jY7Dur1sjYWYVyXlFNCK3c-6feo5WlRfe1aCWmwZQh6O18eTmLeT4nWYkDzQ',
}
const EC_PUB = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }
const OKP_PUB = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }

const key = (v: unknown): VerifyKey => {
  const p = parseJwk(v)
  if (!p.ok || p.key === null) throw new Error(JSON.stringify(p))
  return p.key
}

describe('keysFromSecret', () => {
  it('a plain secret of 32+ bytes is one HS256 key', () => {
    const r = keysFromSecret('reallyreallyreallyreallyverysafe', false)
    expect(r.ok && r.value).toEqual([secretKey(new TextEncoder().encode('reallyreallyreallyreallyverysafe'))])
    expect(r.ok && r.value[0]?.alg).toBe('HS256')
  })

  it('a shorter secret is a startup error with PostgREST’s text', () => {
    expect(keysFromSecret('short', false)).toEqual({ ok: false, error: 'PGRST_JWT_SECRET: The JWT secret must be at least 32 characters long.' })
  })

  it('base64: decoded first; the length rule applies to the decoded bytes', () => {
    const r = keysFromSecret(btoa('reallyreallyreallyreallyverysafe'), true)
    expect(r.ok && r.value[0]?.material).toEqual({ kty: 'oct', k: new TextEncoder().encode('reallyreallyreallyreallyverysafe') })
    expect(keysFromSecret(btoa('too short'), true).ok).toBe(false)
    expect(keysFromSecret('***', true)).toMatchObject({ ok: false, error: expect.stringContaining('not valid base64') })
  })

  it('a JWK, or a base64-encoded one', () => {
    const r = keysFromSecret(JSON.stringify({ ...RSA_PUB, alg: 'RS256', kid: 'k' }), false)
    expect(r.ok && r.value.map((k) => [k.material.kty, k.kid, k.alg])).toEqual([['RSA', 'k', 'RS256']])
    const b = keysFromSecret(btoa(JSON.stringify(EC_PUB)), true)
    expect(b.ok && b.value.map((k) => k.material.kty)).toEqual(['EC'])
  })

  it('a JWKS: every usable key, unknown types and algorithms skipped', () => {
    const r = keysFromSecret(JSON.stringify({ keys: [RSA_PUB, EC_PUB, OKP_PUB, { kty: 'oct', k: 'c2VjcmV0' }, { kty: 'XYZ' }, { ...EC_PUB, alg: 'ES256K' }] }), false)
    expect(r.ok && r.value.map((k) => k.material.kty)).toEqual(['RSA', 'EC', 'OKP', 'oct'])
  })

  it('a malformed JWK or JWKS is a startup error naming the problem', () => {
    expect(keysFromSecret(JSON.stringify({ kty: 'RSA', e: 'AQAB' }), false)).toEqual({ ok: false, error: 'PGRST_JWT_SECRET: invalid JWK: a RSA key needs "n"' })
    expect(keysFromSecret(JSON.stringify({ keys: [EC_PUB, { ...EC_PUB, crv: 'P-999' }] }), false)).toEqual({
      ok: false,
      error: 'PGRST_JWT_SECRET: invalid JWKS: keys[1]: "crv" must be P-256, P-384 or P-521, got "P-999"',
    })
    expect(keysFromSecret(JSON.stringify({ ...OKP_PUB, x: 'not base64!' }), false).ok).toBe(false)
    expect(keysFromSecret(JSON.stringify({ ...EC_PUB, use: 'both' }), false).ok).toBe(false)
  })

  it('@filename is for the Node entry; on its own it is an error', () => {
    expect(keysFromSecret('@/run/secrets/jwt', false)).toMatchObject({ ok: false })
  })
})

describe('parseJwks', () => {
  it('null when the document is not a JWKS; problems listed per key otherwise', () => {
    expect(parseJwks([1])).toBeNull()
    expect(parseJwks({ keys: 'x' })).toBeNull()
    expect(parseJwks({ keys: [RSA_PUB, 5] })).toEqual({ keys: [key(RSA_PUB)], problems: ['keys[1]: a JWK must be a JSON object'] })
  })
})

describe('canVerify (jose-jwt canDecodeJws)', () => {
  const rsa = key({ ...RSA_PUB, kid: 'r1' })
  const ec = key({ ...EC_PUB, kid: 'e1', alg: 'ES256' })
  const ed = key({ ...OKP_PUB, kid: 'd1' })
  const hmac = secretKey(new TextEncoder().encode('reallyreallyreallyreallyverysafe'))
  const oct = key({ kty: 'oct', k: 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', kid: 'o1' })

  it('the key type decides the algorithm family (no HS/RS confusion)', () => {
    expect(canVerify({ alg: 'RS256', kid: null }, rsa)).toBe(true)
    expect(canVerify({ alg: 'PS384', kid: null }, rsa)).toBe(true)
    expect(canVerify({ alg: 'HS256', kid: null }, rsa)).toBe(false)
    expect(canVerify({ alg: 'RS256', kid: null }, hmac)).toBe(false)
    expect(canVerify({ alg: 'ES256', kid: null }, ec)).toBe(true)
    expect(canVerify({ alg: 'EdDSA', kid: null }, ed)).toBe(true)
    expect(canVerify({ alg: 'EdDSA', kid: null }, ec)).toBe(false)
  })

  it('a key alg restricts the token alg; a plain secret is HS256 only; an oct JWK without alg takes any HS*', () => {
    expect(canVerify({ alg: 'ES384', kid: null }, ec)).toBe(false)
    expect(canVerify({ alg: 'HS256', kid: null }, hmac)).toBe(true)
    expect(canVerify({ alg: 'HS512', kid: null }, hmac)).toBe(false)
    expect(canVerify({ alg: 'HS512', kid: null }, oct)).toBe(true)
  })

  it('kid: a token kid must equal the key kid; keys without kid never match a token kid', () => {
    expect(canVerify({ alg: 'RS256', kid: 'r1' }, rsa)).toBe(true)
    expect(canVerify({ alg: 'RS256', kid: 'r2' }, rsa)).toBe(false)
    expect(canVerify({ alg: 'HS256', kid: 'any' }, hmac)).toBe(false)
  })

  it('encryption keys never verify signatures', () => {
    expect(canVerify({ alg: 'RS256', kid: null }, key({ ...RSA_PUB, use: 'enc' }))).toBe(false)
    expect(canVerify({ alg: 'RS256', kid: null }, key({ ...RSA_PUB, alg: 'RSA-OAEP' }))).toBe(false)
  })
})
