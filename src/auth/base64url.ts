/**
 * @module auth/base64url: the two base64 decoders authentication needs, both strict.
 * - `decodeBase64Url`: JOSE's unpadded base64url (token segments, JWK members). Like jose-jwt's
 *   parser, padding and characters outside the URL alphabet are errors, and so is a length of
 *   4n+1 (no byte sequence encodes to that).
 * - `decodeSecretBase64`: PostgREST's reading of a jwt-secret with jwt-secret-is-base64: URL-safe
 *   characters (`-`, `_`, and `.` for `=`) are mapped back to the standard alphabet, surrounding
 *   whitespace is ignored, and the result must then be canonical padded base64.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const URL_VALUES = new Int16Array(128).fill(-1)
const STD_VALUES = new Int16Array(128).fill(-1)
for (let i = 0; i < 62; i++) {
  const c = ALPHABET.charCodeAt(i)
  URL_VALUES[c] = i
  STD_VALUES[c] = i
}
URL_VALUES['-'.charCodeAt(0)] = 62
URL_VALUES['_'.charCodeAt(0)] = 63
STD_VALUES['+'.charCodeAt(0)] = 62
STD_VALUES['/'.charCodeAt(0)] = 63

/** Decodes `s` (no padding) with the given alphabet table; null on any invalid character or length. */
const decodeWith = (s: string, table: Int16Array): Uint8Array<ArrayBuffer> | null => {
  const n = s.length
  if (n % 4 === 1) return null
  const out = new Uint8Array(Math.floor((n * 3) / 4))
  let acc = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    const v = c < 128 ? (table[c] ?? -1) : -1
    if (v < 0) return null
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  return out
}

/** Unpadded base64url, as in JWS compact serialization and JWK members; null when invalid. */
export const decodeBase64Url = (s: string): Uint8Array<ArrayBuffer> | null => decodeWith(s, URL_VALUES)

/** PostgREST's decoding of a base64 jwt-secret (see the module comment); null when invalid. */
export const decodeSecretBase64 = (secret: string): Uint8Array<ArrayBuffer> | null => {
  const std = secret.replace(/_/g, '/').replace(/-/g, '+').replace(/\./g, '=').trim()
  if (std.length % 4 !== 0) return null
  const m = /^([A-Za-z0-9+/]*?)(={0,2})$/.exec(std)
  if (m === null) return null
  const body = m[1] ?? ''
  const pad = (m[2] ?? '').length
  // Padding only ever completes the last quantum.
  if ((body.length + pad) % 4 !== 0 || (pad > 0 && body.length % 4 === 0)) return null
  return decodeWith(body, STD_VALUES)
}

/** UTF-8 text → bytes. */
export const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s)

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

/** Bytes → text, or null when they are not valid UTF-8 (aeson refuses such JSON). */
export const decodeUtf8 = (bytes: Uint8Array): string | null => {
  try {
    return STRICT_UTF8.decode(bytes)
  } catch {
    return null
  }
}
