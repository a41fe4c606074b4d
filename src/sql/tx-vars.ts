/**
 * @module sql/tx-vars: the per-request `set_config` statement and the pre-request call
 * (PostgREST's PreQuery.hs). One statement sets every transaction-local setting: search_path,
 * role, request.jwt.claims, request.method/path/headers/cookies, timezone, app settings and
 * hoisted function settings — so the whole context costs no extra round trip.
 */
import type { ApiRequest, QualifiedIdentifier } from '../parse/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { AuthResult } from '../auth/types.ts'
import { concat, join, param, quoteIdent, raw, type SqlFragment } from './fragment.ts'
import { fromQi } from './format.ts'

/** `set_config('name', $n, true)`: transaction-local, like SET LOCAL, but parameterisable. */
const setLocal = (name: string, value: string): SqlFragment => concat(raw(`set_config('${name}', `), param(value), raw(', true)'))
/** For names that come from configuration or the catalog, the name is a parameter too. */
const setLocalDynamic = (name: string, value: string): SqlFragment =>
  concat(raw('set_config('), param(name), raw(', '), param(value), raw(', true)'))

/** Headers/cookies as one JSON object GUC: names with `-` are not valid GUC names (PostgREST #1857). */
const jsonObject = (pairs: readonly (readonly [string, string])[]): string => {
  const o: Record<string, string> = {}
  for (const [k, v] of pairs) o[k] = v
  return JSON.stringify(o)
}

export interface TxVarsInput {
  readonly config: AppConfig
  readonly auth: AuthResult
  readonly request: ApiRequest
  /** Function-level settings hoisted from the called routine (RPC only). */
  readonly funcSettings?: readonly (readonly [string, string])[] | undefined
  /** The impersonated role's own settings (`ALTER ROLE … SET`), from the schema cache. */
  readonly roleSettings?: readonly (readonly [string, string])[] | undefined
}

export const txVarsQuery = ({ config, auth, request, funcSettings = [], roleSettings = [] }: TxVarsInput): SqlFragment => {
  const searchPath = [request.schema, ...config.dbExtraSearchPath].map(quoteIdent).join(', ')
  const claims = JSON.stringify({ ...auth.claims, role: auth.role })
  const tz = request.preferences.timezone
  const parts: SqlFragment[] = [
    setLocal('search_path', searchPath),
    // Before the role: a setting the login role was granted SET on (PostgreSQL 15+) must be set
    // while still acting as the login role (PostgREST #3045).
    ...roleSettings.map(([k, v]) => setLocalDynamic(k, v)),
    setLocal('role', auth.role),
    setLocal('request.jwt.claims', claims),
    setLocal('request.method', request.method),
    setLocal('request.path', request.path),
    setLocal('request.headers', jsonObject(request.headers)),
    setLocal('request.cookies', jsonObject(request.cookies)),
    ...(tz !== undefined ? [setLocal('timezone', tz)] : []),
    ...funcSettings.map(([k, v]) => setLocalDynamic(k, v)),
    ...config.appSettings.map(([k, v]) => setLocalDynamic(k, v)),
  ]
  return concat(raw('select '), join(parts, ', '))
}

export const preRequestQuery = (fn: QualifiedIdentifier): SqlFragment => concat(raw('select '), fromQi(fn), raw('()'))
