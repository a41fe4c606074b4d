/**
 * @module auth/secret: PGRST_JWT_SECRET (with PGRST_JWT_SECRET_IS_BASE64) → verification keys, as
 * PostgREST reads it: base64-decoded first when so configured, then a JWKS (`{"keys":[…]}`), a
 * single JWK (an object with `kty`), or else an HMAC secret of at least 32 bytes (HS256).
 *
 * Stricter than PostgREST on purpose: a JWK or JWKS with a malformed key is a startup error (there
 * it silently becomes an HMAC secret made of the JSON text). `@filename` secrets are read by the
 * Node entry before this runs; on the edge there are no files, so such a value is an error.
 */
import { err, ok, type Result } from '../result.ts'
import { decodeSecretBase64, decodeUtf8, utf8 } from './base64url.ts'
import { parseJwk, parseJwks, secretKey, type VerifyKey } from './jwk.ts'

const NAME = 'PGRST_JWT_SECRET'

export const keysFromSecret = (secret: string, isBase64: boolean): Result<readonly VerifyKey[], string> => {
  if (secret.startsWith('@')) return err(`${NAME}: "@filename" secrets are read from a file by the Node entry only; set the secret itself on the edge`)
  const bytes = isBase64 ? decodeSecretBase64(secret) : utf8(secret)
  if (bytes === null) return err(`${NAME}: not valid base64 (PGRST_JWT_SECRET_IS_BASE64 is true)`)
  const text = decodeUtf8(bytes)
  let json: unknown
  try {
    json = text === null ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const set = parseJwks(json)
    if (set !== null) return set.problems.length > 0 ? err(`${NAME}: invalid JWKS: ${set.problems.join('; ')}`) : ok(set.keys)
    if ('kty' in json) {
      const one = parseJwk(json)
      if (!one.ok) return err(`${NAME}: invalid JWK: ${one.error}`)
      return ok(one.key === null ? [] : [one.key])
    }
  }
  if (bytes.length < 32) return err(`${NAME}: The JWT secret must be at least 32 characters long.`)
  return ok([secretKey(bytes)])
}
