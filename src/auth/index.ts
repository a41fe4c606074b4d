/**
 * @module auth: the `Authorization` header → the role and claims a request runs with, by
 * PostgREST v16.2's rules (Auth.hs, Auth/Jwt.hs, Auth/JwtCache.hs), plus remote JWKS.
 *
 * 1. No bearer token → the anonymous role (PGRST_DB_ANON_ROLE) with empty claims; no anonymous role
 *    → 401 PGRST302.
 * 2. A token with no key configured → 500 PGRST300. Then, each a 401 PGRST301: an empty token, a
 *    token not of three segments, a malformed one (`JWT cryptographic operation failed`), an
 *    unsecured one (`alg: none`), one no key may verify (`No suitable key was found…`: wrong `kid`,
 *    key type or `alg` — HS/RS confusion included) and one no key verifies (`None of the keys…`:
 *    bad signature). A payload that is not a JSON object → 401 PGRST303 `Parsing claims failed`.
 * 3. Verified claims are cached per isolate (token-cache.ts); `exp`/`nbf`/`iat`/`aud` are checked on
 *    every request (claims.ts) → 401 PGRST303.
 * 4. The role is the value PGRST_JWT_ROLE_CLAIM_KEY selects (role-claim.ts). A valid token without
 *    one gets PGRST_DB_AUTHENTICATED_ROLE when set (beyond PostgREST, for auth servers that issue
 *    role-less tokens), else the anonymous role; neither → 401 PGRST302.
 * `authenticated` is "the role is not the anonymous role", which turns a 42501 into 403 (not 401).
 *
 * Keys: PGRST_JWT_SECRET (secret.ts) and, beyond PostgREST, PGRST_JWT_JWKS_URL (remote-jwks.ts);
 * with both set, tokens may be signed by either. The key state and the token cache belong to the
 * authenticator, which the entries build once per isolate and keep at module scope.
 */
import { err, ok, type Result } from '../result.ts'
import { jwtErr, type AppError, type JwtError } from '../errors/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { AuthResult } from './types.ts'
import { bearerToken } from './bearer.ts'
import { checkClaims, sortKeysDeep } from './claims.ts'
import { canVerify, type KeyHint, type VerifyKey } from './jwk.ts'
import { DEFAULT_JWKS_COOLDOWN_MS, DEFAULT_JWKS_MAX_AGE_MS, DEFAULT_JWKS_TIMEOUT_MS, type AuthOptions } from './options.ts'
import { createRemoteJwks, type RemoteJwks } from './remote-jwks.ts'
import { evaluateRoleClaim, parseRoleClaimKey, roleText } from './role-claim.ts'
import { keysFromSecret } from './secret.ts'
import { verifiesWith } from './signature.ts'
import { decodeClaims, parseCompact } from './token.ts'
import { createTokenCache } from './token-cache.ts'

export type { AuthOptions } from './options.ts'
export { readAuthOptions } from './options.ts'
export { parseRoleClaimKey } from './role-claim.ts'

export type Authenticator = (authorization: string | null) => Promise<Result<AuthResult, AppError>>

type Claims = Readonly<Record<string, unknown>>

const fail = (e: JwtError): Result<never, AppError> => err(jwtErr(e))
const keyError = (details: string): Result<never, AppError> => fail({ kind: 'decode', error: { kind: 'keyError', details } })

const NO_SUITABLE_KEY = 'No suitable key was found to decode the JWT'
const NO_KEY_VERIFIES = 'None of the keys was able to decode the JWT'
const UNSECURED = "JWT is unsecured but expected 'alg' was not 'none'"

const EMPTY_CLAIMS: Claims = Object.freeze({})

/** Tries each key that may verify the token; the claims of the first that does. */
const verifyWith = async (token: string, hint: KeyHint, payload: Uint8Array, keys: readonly VerifyKey[]): Promise<Result<Claims, AppError>> => {
  const candidates = keys.filter((k) => canVerify(hint, k))
  if (candidates.length === 0) return keyError(NO_SUITABLE_KEY)
  for (const key of candidates) {
    if (!(await verifiesWith(token, key, hint.alg))) continue
    const claims = decodeClaims(payload)
    return claims === null ? fail({ kind: 'claims', error: 'parsingClaimsFailed' }) : ok(Object.freeze(sortKeysDeep(claims) as Claims))
  }
  return keyError(NO_KEY_VERIFIES)
}

/**
 * Builds the authenticator, or says why the configuration cannot work (an invalid secret, JWK or
 * role claim key). Entries treat an error as a startup failure.
 */
export const buildAuthenticator = (config: AppConfig, options: AuthOptions = {}): Result<Authenticator, string> => {
  const problems: string[] = []
  const now = options.now ?? Date.now
  const log = options.log ?? ((m: string) => console.error(m))

  let staticKeys: readonly VerifyKey[] | null = null
  if (config.jwtSecret !== null) {
    const keys = keysFromSecret(config.jwtSecret, config.jwtSecretIsBase64)
    if (keys.ok) staticKeys = keys.value
    else problems.push(keys.error)
  }
  const path = parseRoleClaimKey(config.jwtRoleClaimKey)
  if (!path.ok) problems.push(`PGRST_JWT_ROLE_CLAIM_KEY: ${path.error}`)
  if (!path.ok || problems.length > 0) return err(problems.join('\n'))
  const rolePath = path.value

  const cache = createTokenCache<Claims>(config.jwtCacheMaxEntries)
  const remote: RemoteJwks | null =
    config.jwtJwksUrl === null
      ? null
      : createRemoteJwks({
          url: config.jwtJwksUrl,
          fetch: options.fetch ?? ((input, init) => fetch(input, init)),
          now,
          cooldownMs: options.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
          maxAgeMs: options.jwksMaxAgeMs ?? DEFAULT_JWKS_MAX_AGE_MS,
          timeoutMs: options.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
          log,
          // A withdrawn key must stop verifying tokens verified with it before.
          onChange: () => cache.clear(),
        })

  /** The keys in force: the configured ones and the provider's current set. null = none at all. */
  const currentKeys = async (): Promise<readonly VerifyKey[] | null> => {
    const fetched = remote === null ? null : await remote.keys()
    if (staticKeys === null && fetched === null) return null
    return [...(staticKeys ?? []), ...(fetched ?? [])]
  }

  const decode = async (token: string): Promise<Result<Claims, AppError>> => {
    const parsed = parseCompact(token)
    if (parsed === null) return fail({ kind: 'decode', error: { kind: 'badCrypto' } })
    if (parsed.kind === 'unsecured') return fail({ kind: 'decode', error: { kind: 'badAlgorithm', details: UNSECURED } })
    const { hint, payload } = parsed
    const keys = await currentKeys()
    if (keys === null) return fail({ kind: 'secretMissing' })
    const first = await verifyWith(token, hint, payload, keys)
    if (first.ok || remote === null || first.error.origin !== 'jwt' || first.error.error.kind !== 'decode') return first
    // Rotation: a key the provider may have published since the last fetch.
    const unknownKid = hint.kid !== null && !keys.some((k) => k.kid === hint.kid)
    if (!unknownKid && hint.kid !== null) return first
    if (!(await remote.refreshForUnknownKey())) return first
    const again = await currentKeys()
    return again === null ? first : verifyWith(token, hint, payload, again)
  }

  const roleFor = (claims: Claims, withToken: boolean): Result<AuthResult, AppError> => {
    const selected = evaluateRoleClaim(rolePath, claims)
    const role = selected !== undefined ? roleText(selected) : withToken ? (config.dbAuthenticatedRole ?? config.dbAnonRole) : config.dbAnonRole
    if (role === null) return fail({ kind: 'tokenRequired' })
    return ok({ role, claims, authenticated: role !== config.dbAnonRole })
  }

  return ok(async (authorization) => {
    const token = bearerToken(authorization)
    if (token === null) return roleFor(EMPTY_CLAIMS, false)
    if (staticKeys === null && remote === null) return fail({ kind: 'secretMissing' })
    if (token === '') return fail({ kind: 'decode', error: { kind: 'emptyAuthHeader' } })
    const parts = token.split('.').length
    if (parts !== 3) return fail({ kind: 'decode', error: { kind: 'unexpectedParts', parts } })
    let claims = cache.get(token)
    if (claims === undefined) {
      const decoded = await decode(token)
      if (!decoded.ok) return decoded
      claims = decoded.value
      cache.set(token, claims)
    }
    const problem = checkClaims(claims, now() / 1000, config.jwtAud)
    if (problem !== null) return fail({ kind: 'claims', error: problem })
    return roleFor(claims, true)
  })
}

/** `buildAuthenticator` for callers that treat a bad configuration as a bug: throws with the reasons. */
export const createAuthenticator = (config: AppConfig, options: AuthOptions = {}): Authenticator => {
  const built = buildAuthenticator(config, options)
  if (!built.ok) throw new Error(`edgerest: invalid authentication settings:\n${built.error}`)
  return built.value
}
