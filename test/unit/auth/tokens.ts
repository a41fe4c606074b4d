/**
 * @module test/unit/auth/tokens: making tokens for the auth tests with jose — signed ones of every
 * algorithm, plus the hand-built malformed ones PostgREST's rules must reject.
 */
import { SignJWT, base64url, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose'

export const SECRET = 'reallyreallyreallyreallyverysafe'
export const secretBytes = (s: string = SECRET): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s)

export const hs = (claims: Record<string, unknown>, opts: { alg?: string; kid?: string; secret?: string } = {}): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'HS256', ...(opts.kid !== undefined ? { kid: opts.kid } : {}) }).sign(secretBytes(opts.secret))

export interface KeyPair {
  readonly alg: string
  readonly kid: string
  readonly privateKey: CryptoKey
  /** The public JWK with `kid` (and `alg` unless `withAlg` was false). */
  readonly jwk: JWK
}

export const keyPair = async (alg: string, kid: string, withAlg = true): Promise<KeyPair> => {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, ...(withAlg ? { alg } : {}) }
  return { alg, kid, privateKey, jwk }
}

export const sign = (k: KeyPair, claims: Record<string, unknown>, header: { kid?: string | null; alg?: string } = {}): Promise<string> => {
  const kid = header.kid === undefined ? k.kid : header.kid
  return new SignJWT(claims).setProtectedHeader({ alg: header.alg ?? k.alg, ...(kid !== null ? { kid } : {}) }).sign(k.privateKey)
}

const enc = (v: unknown): string => base64url.encode(typeof v === 'string' ? v : JSON.stringify(v))

/** A token from raw parts: header and payload are JSON-encoded unless given as strings. */
export const rawToken = (header: unknown, payload: unknown, signature = 'c2ln'): string => `${enc(header)}.${enc(payload)}.${signature}`

/** An HS256 token over an arbitrary payload text (e.g. a JSON array), correctly signed. */
export const hsRawPayload = async (payloadText: string, secret = SECRET): Promise<string> => {
  const input = `${enc({ alg: 'HS256' })}.${enc(payloadText)}`
  const key = await crypto.subtle.importKey('raw', secretBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)))
  return `${input}.${base64url.encode(sig)}`
}

/** Seconds since the epoch, now. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000)
