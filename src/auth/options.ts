/**
 * @module auth/options: the runtime knobs of authentication that are not PostgREST settings, read
 * from the same bindings / environment as PGRST_* (entries call `readAuthOptions(env)`):
 * - EDGEREST_JWKS_COOLDOWN_SECONDS (default 30): the least time between two fetches of
 *   PGRST_JWT_JWKS_URL, whatever tokens arrive;
 * - EDGEREST_JWKS_MAX_AGE_SECONDS (default 600): a fetched key set older than this is fetched
 *   again on its next use (a failed fetch keeps the old copy);
 * - EDGEREST_JWKS_TIMEOUT_SECONDS (default 5): how long one fetch may take.
 * Tests also inject a clock, a `fetch` and a logger.
 */
import { err, ok, type Result } from '../result.ts'

export interface AuthOptions {
  /** Milliseconds since the epoch (default Date.now). */
  readonly now?: (() => number) | undefined
  readonly fetch?: typeof fetch | undefined
  readonly jwksCooldownMs?: number | undefined
  readonly jwksMaxAgeMs?: number | undefined
  readonly jwksTimeoutMs?: number | undefined
  readonly log?: ((message: string) => void) | undefined
}

export const DEFAULT_JWKS_COOLDOWN_MS = 30_000
export const DEFAULT_JWKS_MAX_AGE_MS = 600_000
export const DEFAULT_JWKS_TIMEOUT_MS = 5_000

const SETTINGS = [
  ['EDGEREST_JWKS_COOLDOWN_SECONDS', 'jwksCooldownMs'],
  ['EDGEREST_JWKS_MAX_AGE_SECONDS', 'jwksMaxAgeMs'],
  ['EDGEREST_JWKS_TIMEOUT_SECONDS', 'jwksTimeoutMs'],
] as const

/** The EDGEREST_JWKS_* settings; every invalid one is reported, one per entry. */
export const readAuthOptions = (env: Readonly<Record<string, unknown>>): Result<AuthOptions, string[]> => {
  const problems: string[] = []
  const out: { -readonly [K in keyof AuthOptions]: AuthOptions[K] } = {}
  for (const [name, field] of SETTINGS) {
    const v = env[name]
    if (v === undefined || v === null || v === '') continue
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[0-9]+(\.[0-9]+)?\s*$/.test(v) ? Number(v) : NaN
    if (!Number.isFinite(n) || n < 0) {
      problems.push(`${name}: expected a number of seconds (0 or more), got ${JSON.stringify(v)}`)
      continue
    }
    out[field] = Math.round(n * 1000)
  }
  return problems.length > 0 ? err(problems) : ok(out)
}
