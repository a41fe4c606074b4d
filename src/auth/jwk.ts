/**
 * @module auth/jwk: verification keys — parsed from PGRST_JWT_SECRET (an HMAC secret, a JWK or a
 * JWKS) or from a JWKS document fetched from PGRST_JWT_JWKS_URL — and the rule deciding which keys
 * may verify a token, as PostgREST applies it (jose-jwt's `canDecodeJws`):
 * - a key with `use: "enc"` never verifies signatures;
 * - a token with a `kid` is only tried against keys with that same `kid` (keys without a `kid`
 *   do not match it); a token without a `kid` is tried against every key in turn;
 * - a key's `alg`, when present, must equal the token's;
 * - the key type decides the algorithm family: `oct` ↔ HS*, `RSA` ↔ RS* (and PS*), `EC` ↔ ES*,
 *   `OKP` ↔ EdDSA. The server, not the token, chooses: an HS256 token never meets an RSA public
 *   key as an HMAC secret, and `alg: none` is refused before any key is consulted.
 *
 * A plain secret becomes one `oct` key restricted to HS256, as in PostgREST. Keys of a type or
 * `alg` jose-jwt does not know are ignored (kept out of the set), as PostgREST ignores them.
 * Beyond PostgREST: PS256/PS384/PS512 (RSA-PSS) are accepted for RSA keys.
 */
import { decodeBase64Url } from './base64url.ts'

/** Signature algorithms a token may use. `none` is not one of them. */
export type JwsAlg = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA'

export const JWS_ALGS: readonly JwsAlg[] = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']

export const isJwsAlg = (s: unknown): s is JwsAlg => typeof s === 'string' && (JWS_ALGS as readonly string[]).includes(s)

/** Key-management algorithms of JWE: a key may name one (then it never verifies a JWS). */
const JWE_ALGS = ['RSA1_5', 'RSA-OAEP', 'RSA-OAEP-256', 'A128KW', 'A192KW', 'A256KW']

export type KeyMaterial =
  | { readonly kty: 'oct'; readonly k: Uint8Array<ArrayBuffer> }
  | { readonly kty: 'RSA'; readonly n: string; readonly e: string }
  | { readonly kty: 'EC'; readonly crv: 'P-256' | 'P-384' | 'P-521'; readonly x: string; readonly y: string }
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519' | 'Ed448'; readonly x: string }

export interface VerifyKey {
  readonly material: KeyMaterial
  readonly kid: string | null
  readonly use: 'sig' | 'enc' | null
  /** The key's `alg` member (a JWS or JWE algorithm), or null. */
  readonly alg: string | null
}

/** What a token's protected header says about the key it needs. */
export interface KeyHint {
  readonly alg: JwsAlg
  readonly kid: string | null
}

const familyMatches = (alg: JwsAlg, m: KeyMaterial): boolean => {
  switch (m.kty) {
    case 'oct':
      return alg === 'HS256' || alg === 'HS384' || alg === 'HS512'
    case 'RSA':
      return alg.startsWith('RS') || alg.startsWith('PS')
    case 'EC':
      return alg.startsWith('ES')
    case 'OKP':
      return alg === 'EdDSA'
    default: {
      const never: never = m
      throw new TypeError(`unknown key type ${String(never)}`)
    }
  }
}

/** jose-jwt's canDecodeJws (see the module comment). OKP keys always count as EdDSA keys. */
export const canVerify = (hint: KeyHint, key: VerifyKey): boolean =>
  key.use !== 'enc' &&
  (hint.kid === null || key.kid === hint.kid) &&
  (key.material.kty === 'OKP' || key.alg === null || key.alg === hint.alg) &&
  familyMatches(hint.alg, key.material)

/** The one key a plain PGRST_JWT_SECRET stands for: HS256 only, no kid (as PostgREST). */
export const secretKey = (bytes: Uint8Array<ArrayBuffer>): VerifyKey => ({ material: { kty: 'oct', k: bytes }, kid: null, use: 'sig', alg: 'HS256' })

type Parsed = { readonly ok: true; readonly key: VerifyKey | null } | { readonly ok: false; readonly error: string }

const fail = (error: string): Parsed => ({ ok: false, error })

const b64Member = (o: Record<string, unknown>, name: string): string | null | undefined => {
  const v = o[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || decodeBase64Url(v) === null) return null
  return v
}

/**
 * One JWK. `key: null` = a key of a type or algorithm we do not know, which is skipped (jose-jwt's
 * UnsupportedJwk). Errors are for keys that claim a known type but are malformed.
 */
export const parseJwk = (value: unknown): Parsed => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('a JWK must be a JSON object')
  const o = value as Record<string, unknown>
  const { kty, alg, use, kid } = o
  if (kty === undefined || kty === null) return fail('a JWK needs "kty"')
  if (typeof kty !== 'string') return fail('"kty" must be a string')
  if (alg !== undefined && alg !== null && typeof alg !== 'string') return fail('"alg" must be a string')
  if (kty !== 'oct' && kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') return { ok: true, key: null }
  const algName = typeof alg === 'string' ? alg : null
  if (algName !== null && !isJwsAlg(algName) && !JWE_ALGS.includes(algName)) return { ok: true, key: null }
  if (use !== undefined && use !== null && use !== 'sig' && use !== 'enc') return fail(`"use" must be "sig" or "enc", got ${JSON.stringify(use)}`)
  if (kid !== undefined && kid !== null && typeof kid !== 'string') return fail('"kid" must be a string')
  const meta: Omit<VerifyKey, 'material'> = { kid: typeof kid === 'string' ? kid : null, use: use === 'sig' || use === 'enc' ? use : null, alg: algName }
  const need = (name: string): string | Parsed => {
    const v = b64Member(o, name)
    if (v === undefined) return fail(`a ${kty} key needs "${name}"`)
    if (v === null) return fail(`"${name}" is not valid base64url`)
    return v
  }
  switch (kty) {
    case 'oct': {
      const k = need('k')
      if (typeof k !== 'string') return k
      return { ok: true, key: { ...meta, material: { kty, k: decodeBase64Url(k) ?? new Uint8Array() } } }
    }
    case 'RSA': {
      const n = need('n')
      if (typeof n !== 'string') return n
      const e = need('e')
      if (typeof e !== 'string') return e
      return { ok: true, key: { ...meta, material: { kty, n, e } } }
    }
    case 'EC': {
      const crv = o['crv']
      if (crv !== 'P-256' && crv !== 'P-384' && crv !== 'P-521') return fail(`"crv" must be P-256, P-384 or P-521, got ${JSON.stringify(crv)}`)
      const x = need('x')
      if (typeof x !== 'string') return x
      const y = need('y')
      if (typeof y !== 'string') return y
      return { ok: true, key: { ...meta, material: { kty, crv, x, y } } }
    }
    case 'OKP': {
      const crv = o['crv']
      if (crv !== 'Ed25519' && crv !== 'Ed448') return fail(`"crv" must be Ed25519 or Ed448, got ${JSON.stringify(crv)}`)
      const x = need('x')
      if (typeof x !== 'string') return x
      return { ok: true, key: { ...meta, material: { kty, crv, x } } }
    }
  }
}

export interface ParsedKeySet {
  readonly keys: readonly VerifyKey[]
  /** One line per key that could not be used (malformed), e.g. `keys[2]: a RSA key needs "n"`. */
  readonly problems: readonly string[]
}

/** A JWKS document (`{"keys":[…]}`); null when it is not one at all. */
export const parseJwks = (value: unknown): ParsedKeySet | null => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const list = (value as Record<string, unknown>)['keys']
  if (!Array.isArray(list)) return null
  const keys: VerifyKey[] = []
  const problems: string[] = []
  list.forEach((k: unknown, i) => {
    const p = parseJwk(k)
    if (!p.ok) problems.push(`keys[${i}]: ${p.error}`)
    else if (p.key !== null) keys.push(p.key)
  })
  return { keys, problems }
}
