/**
 * @module auth/token: the structure of a compact JWS, checked before any key is consulted, in the
 * order and with the outcomes of jose-jwt's parser (which PostgREST uses):
 * - header segment → base64url → UTF-8 JSON object. `"alg": "none"` makes it an unsecured token
 *   (refused by the caller with PGRST301 "Wrong or unsupported encoding algorithm"); a header with
 *   `enc` is a JWE, which cannot fit in three segments; otherwise `alg` must be a supported
 *   signature algorithm and `kid`/`typ`/`cty`, when present, strings;
 * - payload and signature segments → base64url.
 * Any failure is jose-jwt's BadCrypto: PGRST301 "JWT cryptographic operation failed".
 * The payload's JSON is read only after the signature is verified (`decodeClaims`).
 */
import { decodeBase64Url, decodeUtf8 } from './base64url.ts'
import { isJwsAlg, type KeyHint } from './jwk.ts'

export type ParsedToken =
  | { readonly kind: 'unsecured' }
  | { readonly kind: 'jws'; readonly hint: KeyHint; readonly payload: Uint8Array }

const jsonObject = (bytes: Uint8Array): Record<string, unknown> | null => {
  const text = decodeUtf8(bytes)
  if (text === null) return null
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

const optionalString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string'

/** Parses a token of exactly three dot-separated segments; null = BadCrypto. */
export const parseCompact = (token: string): ParsedToken | null => {
  const [h = '', p = '', s = ''] = token.split('.')
  const headerBytes = decodeBase64Url(h)
  if (headerBytes === null) return null
  const header = jsonObject(headerBytes)
  if (header === null) return null
  const payload = decodeBase64Url(p)
  if (header['alg'] === 'none') return payload === null ? null : { kind: 'unsecured' }
  if ('enc' in header) return null
  const { alg, kid } = header
  if (!isJwsAlg(alg) || !optionalString(kid) || !optionalString(header['typ']) || !optionalString(header['cty'])) return null
  if (payload === null || decodeBase64Url(s) === null) return null
  return { kind: 'jws', hint: { alg, kid: typeof kid === 'string' ? kid : null }, payload }
}

/** The verified payload as a claims object; null = PGRST303 "Parsing claims failed". */
export const decodeClaims = (payload: Uint8Array): Record<string, unknown> | null => jsonObject(payload)
