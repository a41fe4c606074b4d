/**
 * @module auth/claims: what PostgREST checks in a verified token's claims on every request (cached
 * tokens included, so a cached token still expires), in its order — `exp`, `nbf`, `iat`, `aud` —
 * reporting the first failure:
 * - a claim that is absent or `null` is not checked;
 * - `exp`/`nbf`/`iat` must be JSON numbers (else "The JWT 'exp' claim must be a number", …); a
 *   value that is not a whole number within 64-bit range counts as 0, as PostgREST's conversion
 *   does;
 * - 30 seconds of clock skew: expired when `exp` < now − 30, not yet valid when `nbf` > now + 30,
 *   issued in the future when `iat` > now + 30 (now in whole seconds);
 * - `aud` must be a string or an array of strings; when PGRST_JWT_AUD is set the string must equal
 *   it, or the array must be empty or contain it.
 * Also here: the claims as PostgREST hands them to SQL, with object keys in sorted order (aeson's
 * ordered key map), so `request.jwt.claims` reads the same text as under PostgREST.
 */
import type { JwtClaimsError } from '../errors/types.ts'

export const CLOCK_SKEW_SECONDS = 30

const INT64_MAX = 9223372036854775807

const toWholeSeconds = (n: number): number => (Number.isInteger(n) && Math.abs(n) <= INT64_MAX ? n : 0)

type TimeCheck = readonly [claim: string, notNumber: JwtClaimsError, failed: JwtClaimsError, isBad: (t: number, now: number) => boolean]

const TIME_CHECKS: readonly TimeCheck[] = [
  ['exp', 'expNotNumber', 'expired', (t, now) => now - CLOCK_SKEW_SECONDS > t],
  ['nbf', 'nbfNotNumber', 'notYetValid', (t, now) => now + CLOCK_SKEW_SECONDS < t],
  ['iat', 'iatNotNumber', 'issuedAtFuture', (t, now) => now + CLOCK_SKEW_SECONDS < t],
]

/** The first problem with the claims at `nowSeconds`, or null when they are acceptable. */
export const checkClaims = (claims: Readonly<Record<string, unknown>>, nowSeconds: number, audience: string | null): JwtClaimsError | null => {
  const now = Math.floor(nowSeconds)
  for (const [name, notNumber, failed, isBad] of TIME_CHECKS) {
    const v = claims[name]
    if (v === undefined || v === null) continue
    if (typeof v !== 'number') return notNumber
    if (isBad(toWholeSeconds(v), now)) return failed
  }
  const aud = claims['aud']
  if (aud === undefined || aud === null) return null
  const matches = (a: string): boolean => audience === null || a === audience
  if (typeof aud === 'string') return matches(aud) ? null : 'notInAudience'
  if (Array.isArray(aud) && aud.every((a): a is string => typeof a === 'string')) {
    return aud.length === 0 || aud.some(matches) ? null : 'notInAudience'
  }
  return 'audNotStringOrArray'
}

/** A JSON value with every object's keys sorted (code point order), arrays untouched. */
export const sortKeysDeep = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(sortKeysDeep)
  if (typeof v !== 'object' || v === null) return v
  const o = v as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(o).sort(compareCodePoints)) out[k] = sortKeysDeep(o[k])
  return out
}

const compareCodePoints = (a: string, b: string): number => {
  const x = [...a]
  const y = [...b]
  const n = Math.min(x.length, y.length)
  for (let i = 0; i < n; i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0)
    if (d !== 0) return d
  }
  return x.length - y.length
}
