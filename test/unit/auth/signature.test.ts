/**
 * The WebCrypto signature check (src/auth/signature.ts) against tokens signed by jose: every JWS
 * algorithm verifies with its key, and what jose's verifier refused is refused here too — a
 * tampered payload or signature, a key of the wrong curve or family, an RSA key under 2048 bits,
 * a `crit` header.
 */
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { parseJwk, type JwsAlg, type VerifyKey } from '../../../src/auth/jwk.ts'
import { verifiesWith } from '../../../src/auth/signature.ts'
import { keyPair, secretBytes, sign, type KeyPair } from './tokens.ts'

const verifyKey = (jwk: unknown): VerifyKey => {
  const parsed = parseJwk(jwk)
  if (!parsed.ok || parsed.key === null) throw new Error(`not a usable JWK: ${JSON.stringify(parsed)}`)
  return parsed.key
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')

const ASYMMETRIC: readonly JwsAlg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']

/** Flip one character of a base64url segment (the last one of the token's `index`th segment). */
const tamper = (token: string, index: number): string => {
  const parts = token.split('.')
  const seg = parts[index] ?? ''
  const i = Math.max(0, seg.length - 2)
  parts[index] = seg.slice(0, i) + (seg[i] === 'A' ? 'B' : 'A') + seg.slice(i + 1)
  return parts.join('.')
}

describe('verifiesWith', () => {
  it.each(ASYMMETRIC)('%s: a token verifies with its key, not when its payload or signature changed', async (alg) => {
    const k = await keyPair(alg, alg.toLowerCase())
    const token = await sign(k, { role: 'author' })
    const key = verifyKey(k.jwk)
    expect(await verifiesWith(token, key, alg)).toBe(true)
    expect(await verifiesWith(tamper(token, 1), key, alg)).toBe(false)
    expect(await verifiesWith(tamper(token, 2), key, alg)).toBe(false)
  })

  it.each(['HS256', 'HS384', 'HS512'] as const)('%s with a shared secret', async (alg) => {
    const token = await new SignJWT({ role: 'author' }).setProtectedHeader({ alg }).sign(secretBytes())
    const key = verifyKey({ kty: 'oct', k: Buffer.from(secretBytes()).toString('base64url') })
    expect(await verifiesWith(token, key, alg)).toBe(true)
    expect(await verifiesWith(tamper(token, 1), key, alg)).toBe(false)
    const other = verifyKey({ kty: 'oct', k: Buffer.from('another secret, as long as the first one').toString('base64url') })
    expect(await verifiesWith(token, other, alg)).toBe(false)
  })

  it("another key of the same kind, or one of the wrong curve or family, verifies nothing", async () => {
    const [es256, otherEs256, es384, rs256]: KeyPair[] = await Promise.all([keyPair('ES256', 'a'), keyPair('ES256', 'b'), keyPair('ES384', 'c'), keyPair('RS256', 'd')])
    const token = await sign(es256 as KeyPair, { role: 'x' })
    expect(await verifiesWith(token, verifyKey((otherEs256 as KeyPair).jwk), 'ES256')).toBe(false)
    // A P-384 key offered for ES256 (jose: "the key's curve must be the algorithm's").
    expect(await verifiesWith(token, verifyKey((es384 as KeyPair).jwk), 'ES256')).toBe(false)
    expect(await verifiesWith(token, verifyKey((rs256 as KeyPair).jwk), 'ES256')).toBe(false)
  })

  it('an RSA key under 2048 bits verifies nothing, as jose requires', async () => {
    // jose will not make such a key or sign with it: WebCrypto does both.
    const alg = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
    const small = await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])
    const jwk = await crypto.subtle.exportKey('jwk', small.publicKey)
    const input = `${b64({ alg: 'RS256' })}.${b64({ role: 'x' })}`
    const signature = await crypto.subtle.sign(alg, small.privateKey, new TextEncoder().encode(input))
    const token = `${input}.${Buffer.from(signature).toString('base64url')}`
    expect(await verifiesWith(token, verifyKey(jwk), 'RS256')).toBe(false)
    const big = await keyPair('RS256', 'big')
    expect(await verifiesWith(await sign(big, { role: 'x' }), verifyKey(big.jwk), 'RS256')).toBe(true)
  })

  it('a header with crit (an extension the verifier must understand) is refused', async () => {
    const key = verifyKey({ kty: 'oct', k: Buffer.from(secretBytes()).toString('base64url') })
    const hmac = await crypto.subtle.importKey('raw', secretBytes(), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    const signed = async (header: object): Promise<string> => {
      const input = `${b64(header)}.${b64({ role: 'x' })}`
      return `${input}.${Buffer.from(await crypto.subtle.sign('HMAC', hmac, new TextEncoder().encode(input))).toString('base64url')}`
    }
    expect(await verifiesWith(await signed({ alg: 'HS256', crit: ['exp'], exp: 1 }), key, 'HS256')).toBe(false)
    // The same token without crit verifies: the signature is right, crit alone refuses it.
    expect(await verifiesWith(await signed({ alg: 'HS256', exp: 1 }), key, 'HS256')).toBe(true)
  })
})
