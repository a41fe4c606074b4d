/**
 * @module auth/signature: checks a compact JWS's signature with one key, with WebCrypto directly
 * (every runtime edgerest runs on has it: Workers, Vercel Edge, Node 20).
 *
 * Why not jose: it was this module's only use of it (importJWK + compactVerify), and it cost about
 * 4.7 KB gzip of the Worker bundle, which decides whether the Worker stays under its size budget.
 * What jose added over WebCrypto is reproduced here: the key must suit the algorithm (curve of an
 * EC key, RSA modulus of at least 2048 bits, as jose requires), a token with a `crit` header is
 * refused (jose understands only `b64`, an option no JWT uses), and the signature is checked over
 * the ASCII of `header.payload`.
 *
 * Keys are imported once per (key, algorithm) and kept with the key, so a key set that lives for
 * the isolate costs one import per algorithm it serves. Only public members are imported (a JWK
 * that carries private members verifies with its public half), without `use`/`key_ops`/`ext`, so
 * WebCrypto's usage checks cannot refuse a verifying key. A key that cannot be imported (an EC key
 * whose curve is not the algorithm's, Ed448 where WebCrypto lacks it) simply verifies nothing.
 */
import { decodeBase64Url, decodeUtf8 } from './base64url.ts'
import type { JwsAlg, VerifyKey } from './jwk.ts'

/** The hash of an algorithm's name: `RS256` → `SHA-256`. */
const shaOf = (alg: JwsAlg): string => `SHA-${alg.slice(2)}`

/** How WebCrypto imports and verifies with a key for `alg` (null: the key cannot serve `alg`). */
interface Scheme {
  readonly importAs: AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams | HmacImportParams
  readonly verifyAs: AlgorithmIdentifier | RsaPssParams | EcdsaParams
}

const EC_CURVE: Readonly<Record<'ES256' | 'ES384' | 'ES512', string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }

const schemeFor = (key: VerifyKey, alg: JwsAlg): Scheme | null => {
  const m = key.material
  switch (alg) {
    case 'HS256':
    case 'HS384':
    case 'HS512':
      return m.kty === 'oct' ? { importAs: { name: 'HMAC', hash: shaOf(alg) }, verifyAs: 'HMAC' } : null
    case 'RS256':
    case 'RS384':
    case 'RS512':
      return m.kty === 'RSA' ? { importAs: { name: 'RSASSA-PKCS1-v1_5', hash: shaOf(alg) }, verifyAs: 'RSASSA-PKCS1-v1_5' } : null
    case 'PS256':
    case 'PS384':
    case 'PS512':
      // JWA (RFC 7518 §3.5): the salt is as long as the hash.
      return m.kty === 'RSA' ? { importAs: { name: 'RSA-PSS', hash: shaOf(alg) }, verifyAs: { name: 'RSA-PSS', saltLength: Number(alg.slice(2)) / 8 } } : null
    case 'ES256':
    case 'ES384':
    case 'ES512':
      return m.kty === 'EC' && m.crv === EC_CURVE[alg] ? { importAs: { name: 'ECDSA', namedCurve: m.crv }, verifyAs: { name: 'ECDSA', hash: shaOf(alg) } } : null
    case 'EdDSA':
      return m.kty === 'OKP' ? { importAs: { name: m.crv }, verifyAs: { name: m.crv } } : null
    default: {
      const never: never = alg
      throw new TypeError(`unknown algorithm ${String(never)}`)
    }
  }
}

/** The modulus length in bits of a base64url `n`. */
const modulusBits = (n: string): number => {
  const bytes = decodeBase64Url(n)
  if (bytes === null) return 0
  let i = 0
  while (i < bytes.length && bytes[i] === 0) i++
  if (i === bytes.length) return 0
  return (bytes.length - i) * 8 - Math.clz32(bytes[i] ?? 0) + 24
}

/** The key's public members as a JWK for importKey('jwk'); null for an HMAC key (imported raw). */
const publicJwk = (key: VerifyKey): JsonWebKey | null => {
  const m = key.material
  switch (m.kty) {
    case 'oct':
      return null
    case 'RSA':
      return { kty: 'RSA', n: m.n, e: m.e }
    case 'EC':
      return { kty: 'EC', crv: m.crv, x: m.x, y: m.y }
    case 'OKP':
      return { kty: 'OKP', crv: m.crv, x: m.x }
    default: {
      const never: never = m
      throw new TypeError(`unknown key type ${String(never)}`)
    }
  }
}

interface Imported {
  readonly key: CryptoKey
  readonly verifyAs: Scheme['verifyAs']
}

const importKey = async (key: VerifyKey, alg: JwsAlg): Promise<Imported | null> => {
  const scheme = schemeFor(key, alg)
  if (scheme === null) return null
  const m = key.material
  try {
    if (m.kty === 'oct') {
      // An HMAC key of zero length cannot be imported; such a key verifies nothing.
      if (m.k.length === 0) return null
      return { key: await crypto.subtle.importKey('raw', m.k, scheme.importAs, false, ['verify']), verifyAs: scheme.verifyAs }
    }
    if (m.kty === 'RSA' && modulusBits(m.n) < 2048) return null
    const jwk = publicJwk(key)
    if (jwk === null) return null
    return { key: await crypto.subtle.importKey('jwk', jwk, scheme.importAs, false, ['verify']), verifyAs: scheme.verifyAs }
  } catch {
    return null
  }
}

const imports = new WeakMap<VerifyKey, Map<JwsAlg, Promise<Imported | null>>>()

const importedKey = (key: VerifyKey, alg: JwsAlg): Promise<Imported | null> => {
  let byAlg = imports.get(key)
  if (byAlg === undefined) {
    byAlg = new Map()
    imports.set(key, byAlg)
  }
  let p = byAlg.get(alg)
  if (p === undefined) {
    p = importKey(key, alg)
    byAlg.set(alg, p)
  }
  return p
}

/** A header with `crit` names extensions the verifier must understand; this one understands none. */
const hasCrit = (headerSegment: string): boolean => {
  const bytes = decodeBase64Url(headerSegment)
  const text = bytes === null ? null : decodeUtf8(bytes)
  if (text === null) return true
  try {
    const header: unknown = JSON.parse(text)
    return typeof header !== 'object' || header === null || 'crit' in header
  } catch {
    return true
  }
}

const ASCII = new TextEncoder()

/** Whether `key` verifies the signature of the compact JWS `token` made with `alg`. */
export const verifiesWith = async (token: string, key: VerifyKey, alg: JwsAlg): Promise<boolean> => {
  const k = await importedKey(key, alg)
  if (k === null) return false
  const dot = token.lastIndexOf('.')
  const signature = decodeBase64Url(token.slice(dot + 1))
  if (dot < 0 || signature === null || hasCrit(token.slice(0, token.indexOf('.')))) return false
  try {
    return await crypto.subtle.verify(k.verifyAs, k.key, signature, ASCII.encode(token.slice(0, dot)))
  } catch {
    return false
  }
}
