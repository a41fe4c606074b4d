/**
 * @module auth: Authorization header → AuthResult (role + claims). This is the foundation's
 * version: anonymous access, and HMAC-signed tokens verified with jose using PGRST_JWT_SECRET,
 * role from a `$.role`-style claim path. Key sets, remote JWKS and the full rule set come with
 * the authentication issue.
 */
import { jwtVerify, errors as joseErrors } from 'jose'
import { err, ok, type Result } from '../result.ts'
import { jwtErr, type AppError } from '../errors/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { AuthResult } from './types.ts'

const bearerToken = (authorization: string | null): string | null => {
  if (authorization === null) return null
  const m = /^bearer\s+(.*)$/i.exec(authorization.trim())
  return m ? (m[1] ?? '') : null
}

/** `$.a.b[0]` / `.a.b` (legacy) → path segments. */
export const parseRoleClaimKey = (key: string): (string | number)[] => {
  const segs: (string | number)[] = []
  const re = /\.([A-Za-z_][\w-]*)|\["([^"]*)"\]|\[(\d+)\]|\.?"([^"]*)"/g
  const body = key.startsWith('$') ? key.slice(1) : key
  let m: RegExpExecArray | null
  while ((m = re.exec(body)) !== null) {
    if (m[1] !== undefined) segs.push(m[1])
    else if (m[2] !== undefined) segs.push(m[2])
    else if (m[3] !== undefined) segs.push(Number(m[3]))
    else if (m[4] !== undefined) segs.push(m[4])
  }
  return segs
}

const walk = (v: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((acc, seg) => (acc !== null && typeof acc === 'object' ? (acc as Record<string | number, unknown>)[seg] : undefined), v)

export type Authenticator = (authorization: string | null) => Promise<Result<AuthResult, AppError>>

export const createAuthenticator = (config: AppConfig): Authenticator => {
  const secret = config.jwtSecret === null ? null : config.jwtSecretIsBase64 ? Uint8Array.from(atob(config.jwtSecret), (c) => c.charCodeAt(0)) : new TextEncoder().encode(config.jwtSecret)
  const rolePath = parseRoleClaimKey(config.jwtRoleClaimKey)
  const anonymous = (): Result<AuthResult, AppError> =>
    config.dbAnonRole === null ? err(jwtErr({ kind: 'tokenRequired' })) : ok({ role: config.dbAnonRole, claims: {}, authenticated: false })
  return async (authorization) => {
    const token = bearerToken(authorization)
    if (token === null) return anonymous()
    if (token === '') return err(jwtErr({ kind: 'decode', error: { kind: 'emptyAuthHeader' } }))
    const parts = token.split('.').length
    if (parts !== 3) return err(jwtErr({ kind: 'decode', error: { kind: 'unexpectedParts', parts } }))
    if (secret === null) return err(jwtErr({ kind: 'secretMissing' }))
    try {
      const { payload } = await jwtVerify(token, secret, {
        algorithms: ['HS256', 'HS384', 'HS512'],
        clockTolerance: 30,
        ...(config.jwtAud !== null ? { audience: config.jwtAud } : {}),
      })
      const role = walk(payload, rolePath)
      if (typeof role === 'string' && role !== '') return ok({ role, claims: payload, authenticated: true })
      const fallback = config.dbAuthenticatedRole ?? config.dbAnonRole
      return fallback === null ? err(jwtErr({ kind: 'tokenRequired' })) : ok({ role: fallback, claims: payload, authenticated: fallback !== config.dbAnonRole })
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return err(jwtErr({ kind: 'claims', error: 'expired' }))
      if (e instanceof joseErrors.JWTClaimValidationFailed) {
        const claim = e.claim
        return err(jwtErr({ kind: 'claims', error: claim === 'nbf' ? 'notYetValid' : claim === 'iat' ? 'issuedAtFuture' : claim === 'aud' ? 'notInAudience' : 'parsingClaimsFailed' }))
      }
      return err(jwtErr({ kind: 'decode', error: { kind: 'badCrypto' } }))
    }
  }
}
