/**
 * @module config/from-env: `PGRST_*` settings (Worker bindings or `process.env`) → `AppConfig`,
 * with PostgREST v16.2's names, aliases and defaults (Config.hs). The only reader of the
 * environment. Pure: no file reads, so `@filename` values of db-uri / jwt-secret are kept as
 * given.
 *
 * Where we differ from PostgREST, on purpose:
 * - A value PostgREST cannot parse is silently replaced by the default there (an int or bool
 *   that does not read); here it is a startup error naming the variable, so a typo cannot
 *   quietly change behaviour. All errors are reported at once, one per line.
 * - Booleans accept PostgREST's forms (true/false in any case, ignoring non-letters; an integer,
 *   true when > 0) plus yes/no/on/off.
 * - `server-host`: warp's reserved names are resolved to a bind address (see `resolveBindHost`).
 * - `app.settings.*` names from `PGRST_APP_SETTINGS_<NAME>` are lower-cased (Postgres folds
 *   setting names anyway; PostgREST documents the case as unimportant).
 * - Values are never echoed for the secret-bearing settings (jwt-secret, db-uri).
 */
import { err, ok, type Result } from '../result.ts'
import type { QualifiedIdentifier } from '../schema-cache/types.ts'
import { DEFAULT_HOISTED_TX_SETTINGS, DEFAULT_MAX_BODY_BYTES, DEFAULT_SERVER_HOST_SETTING } from './defaults.ts'
import type { AppConfig, ExecutorKind, LogFormat, LogLevel, OpenApiMode, Verbosity } from './types.ts'

/** Worker bindings may hold numbers/booleans (wrangler `vars`) or objects (KV, etc.). */
export type ConfigEnv = Readonly<Record<string, unknown>>

const APP_SETTINGS_PREFIX = 'PGRST_APP_SETTINGS_'

/** Collects every problem instead of stopping at the first. */
class Reader {
  readonly errors: string[] = []
  constructor(private readonly env: ConfigEnv) {}

  fail(name: string, problem: string): void {
    const line = `${name}: ${problem}`
    if (!this.errors.includes(line)) this.errors.push(line)
  }

  /** The raw value, "" included; undefined when unset. */
  raw(name: string): string | undefined {
    const v = this.env[name]
    if (v === undefined || v === null) return undefined
    if (typeof v === 'string') return v
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
    this.fail(name, `expected a string, got a ${typeof v}`)
    return undefined
  }

  /** PostgREST's `optString`: "" counts as unset. */
  opt(name: string): string | undefined {
    const v = this.raw(name)
    return v === '' ? undefined : v
  }

  /** PostgREST's `optWithAlias`: the first name that is set (non-empty) wins. */
  optAlias(...names: readonly string[]): { readonly name: string; readonly value: string } | undefined {
    for (const name of names) {
      const value = this.opt(name)
      if (value !== undefined) return { name, value }
    }
    return undefined
  }

  bool(names: readonly string[], dflt: boolean): boolean {
    const found = this.optAlias(...names)
    if (found === undefined) return dflt
    const b = parseBool(found.value)
    if (b === null) {
      this.fail(found.name, `expected a boolean (true/false), got ${JSON.stringify(found.value)}`)
      return dflt
    }
    return b
  }

  int(names: readonly string[], min: number, max: number): number | undefined {
    const found = this.optAlias(...names)
    if (found === undefined) return undefined
    const n = parseIntStrict(found.value)
    if (n === null) {
      this.fail(found.name, `expected an integer, got ${JSON.stringify(found.value)}`)
      return undefined
    }
    if (n < min || n > max) {
      this.fail(found.name, `expected an integer from ${min} to ${max}, got ${n}`)
      return undefined
    }
    return n
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], dflt: T): T {
    const v = this.opt(name)
    if (v === undefined) return dflt
    const hit = allowed.find((a) => a === v)
    if (hit === undefined) {
      this.fail(name, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`)
      return dflt
    }
    return hit
  }
}

/** PostgREST's `coerceBool` (letters only, title-cased, read as Bool; else an integer > 0), plus yes/no/on/off. */
export const parseBool = (s: string): boolean | null => {
  const word = s.trim().toLowerCase()
  if (word === 'yes' || word === 'on') return true
  if (word === 'no' || word === 'off') return false
  const letters = s.replace(/[^\p{L}]/gu, '').toLowerCase()
  if (letters === 'true') return true
  if (letters === 'false') return false
  const n = parseIntStrict(s)
  return n === null ? null : n > 0
}

/** Haskell `readMaybe` of an Int, as PostgREST reads numbers: optional spaces and minus sign, digits. */
export const parseIntStrict = (s: string): number | null => {
  if (!/^\s*-?[0-9]+\s*$/.test(s)) return null
  const n = Number(s.trim())
  return Number.isSafeInteger(n) ? n : null
}

/** PostgREST's `splitOnCommas`: split on ",", trim each element. */
const splitOnCommas = (s: string): string[] => s.split(',').map((x) => x.trim())

/** PostgREST's `toQi`: split at the first dot; no dot (or nothing after it) means unqualified (schema ''). */
export const toQualifiedIdentifier = (s: string): QualifiedIdentifier => {
  const dot = s.indexOf('.')
  if (dot < 0) return { schema: '', name: s }
  const rest = s.slice(dot + 1)
  return rest === '' ? { schema: '', name: s.slice(0, dot) } : { schema: s.slice(0, dot), name: rest }
}

/**
 * A bind address for PostgREST's server-host. warp's reserved names: `!4` (the default) and
 * `*4` → `0.0.0.0`; `!6` and `*6` → `::`; `*` → `0.0.0.0` (IPv4 is always there, dual-stack
 * `::` is not guaranteed in containers). Anything else is an address or host name, kept.
 */
export const resolveBindHost = (setting: string): string => {
  switch (setting) {
    case '!4':
    case '*4':
    case '*':
      return '0.0.0.0'
    case '!6':
    case '*6':
      return '::'
    default:
      return setting
  }
}

/** RFC 3986 characters of a URI (approximates network-uri's `isURI`). */
const URI_CHARS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/

/** network-uri's `isURI`, approximated: a scheme, then only URI characters. */
export const isUri = (s: string): boolean => URI_SCHEME.test(s) && URI_CHARS.test(s)

/**
 * PostgREST's `isMalformedProxyUri`: valid is an absolute http(s) URI with a host, an optional
 * port 1–65535, a path, and no user info, query or fragment.
 */
export const isMalformedProxyUri = (s: string): boolean => {
  if (!isUri(s)) return true
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(s)
  if (m === null) return true
  const [, scheme = '', authority = '', , query, fragment] = m
  if (!/^https?$/i.test(scheme) || query !== undefined || fragment !== undefined) return true
  if (authority.includes('@')) return true
  const a = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority)
  if (a === null) return true
  const [, host = '', port] = a
  if (host === '') return true
  if (port === undefined) return false
  if (!/^[0-9]+$/.test(port)) return true
  const p = Number(port)
  return !(p > 0 && p < 65536)
}

const isJwkLike = (s: string): boolean => {
  try {
    const v = JSON.parse(s) as unknown
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
    const o = v as Record<string, unknown>
    return typeof o['kty'] === 'string' || Array.isArray(o['keys'])
  } catch {
    return false
  }
}

/**
 * Decode a base64 secret as PostgREST does (URL-safe characters mapped back, padding
 * required); null when it is not valid base64.
 */
const decodeBase64Secret = (s: string): string | null => {
  const std = s.replace(/\./g, '=').replace(/-/g, '+').replace(/_/g, '/').trim()
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(std) || std.length % 4 !== 0) return null
  try {
    return atob(std)
  } catch {
    return null
  }
}

/**
 * PostgREST refuses at startup a jwt-secret that is neither a JWK/JWKS nor at least 32 bytes
 * long (after base64 decoding when jwt-secret-is-base64). `@filename` secrets are read later by
 * the runtime that can read files, so they are not checked here.
 */
const checkJwtSecret = (r: Reader, name: string, secret: string, isBase64: boolean): void => {
  if (secret.startsWith('@')) return
  let text = secret
  let byteLength: number
  if (isBase64) {
    const decoded = decodeBase64Secret(secret)
    if (decoded === null) {
      r.fail(name, 'not valid base64 (jwt-secret-is-base64 is true)')
      return
    }
    text = decoded
    byteLength = decoded.length // atob yields one char per byte
  } else {
    byteLength = new TextEncoder().encode(secret).length
  }
  if (!isJwkLike(text) && byteLength < 32) r.fail(name, 'The JWT secret must be at least 32 characters long.')
}

/** RFC 3986 `pchar`s: what a path segment may hold without further encoding. */
const PATH_SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/

/**
 * EDGEREST_BASE_PATH: `/rest/v1` (a leading slash, no trailing one, no empty, `.` or `..`
 * segments); unset, '' or '/' = served at the root. A value that could not be a path prefix is
 * refused rather than guessed at, since every request's routing depends on it.
 */
const readBasePath = (r: Reader): string => {
  const v = r.opt('EDGEREST_BASE_PATH')
  if (v === undefined || v === '/') return ''
  const segments = v.split('/').slice(1)
  const valid = v.startsWith('/') && segments.every((s) => PATH_SEGMENT.test(s) && s !== '.' && s !== '..')
  if (!valid) r.fail('EDGEREST_BASE_PATH', `expected a path such as /rest/v1 (a leading slash, no trailing slash), got ${JSON.stringify(v)}`)
  return valid ? v : ''
}

const VERBOSITIES: readonly Verbosity[] = ['minimal', 'verbose']
const LOG_LEVELS: readonly LogLevel[] = ['crit', 'error', 'warn', 'info', 'debug']
const OPENAPI_MODES: readonly OpenApiMode[] = ['follow-privileges', 'ignore-privileges', 'disabled']
const EXECUTORS: readonly ExecutorKind[] = ['neon-http', 'neon-ws', 'pg']
const LOG_FORMATS: readonly LogFormat[] = ['text', 'json']
const TX_ENDS = ['commit', 'commit-allow-override', 'rollback', 'rollback-allow-override'] as const

const FORBIDDEN_SCHEMAS = ['pg_catalog', 'information_schema'] as const

const readSchemas = (r: Reader): readonly [string, ...string[]] => {
  const found = r.optAlias('PGRST_DB_SCHEMAS', 'PGRST_DB_SCHEMA')
  if (found === undefined) return ['public']
  const [first = '', ...rest] = splitOnCommas(found.value)
  const schemas: [string, ...string[]] = [first, ...rest]
  for (const forbidden of FORBIDDEN_SCHEMAS) {
    if (schemas.includes(forbidden)) r.fail(found.name, `db-schemas does not allow schema: '${forbidden}'`)
  }
  if (schemas.includes('')) r.fail(found.name, `empty schema name in ${JSON.stringify(found.value)}`)
  return schemas
}

const readAppSettings = (r: Reader, env: ConfigEnv): (readonly [string, string])[] => {
  const settings = new Map<string, string>()
  for (const key of Object.keys(env)) {
    if (!key.startsWith(APP_SETTINGS_PREFIX)) continue
    const suffix = key.slice(APP_SETTINGS_PREFIX.length)
    if (suffix === '') {
      r.fail(key, 'the setting needs a name after PGRST_APP_SETTINGS_')
      continue
    }
    const value = r.raw(key)
    if (value !== undefined) settings.set(`app.settings.${suffix.toLowerCase()}`, value)
  }
  return [...settings.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/** log-query: a boolean in PostgREST v16; `main-query` / `disabled` as earlier versions spelled it. */
const readLogQuery = (r: Reader): boolean => {
  const v = r.opt('PGRST_LOG_QUERY')
  if (v === 'main-query') return true
  if (v === 'disabled') return false
  return r.bool(['PGRST_LOG_QUERY'], false)
}

/**
 * admin-server-port: none by default. PostgREST refuses the API's own port; 0 (a free port, as
 * tests use for both) is allowed twice since it names no port.
 */
const readAdminPort = (r: Reader, serverPort: number): number | null => {
  const port = r.int(['PGRST_ADMIN_SERVER_PORT'], 0, 65535)
  if (port === undefined) return null
  if (port !== 0 && port === serverPort) r.fail('PGRST_ADMIN_SERVER_PORT', 'admin-server-port cannot be the same as server-port')
  return port
}

/** EDGEREST_MAX_BODY_BYTES: 10 MiB unless set; 0 turns the limit off. */
const readMaxBody = (r: Reader): number | null => {
  const n = r.int(['EDGEREST_MAX_BODY_BYTES'], 0, Number.MAX_SAFE_INTEGER)
  return n === undefined ? DEFAULT_MAX_BODY_BYTES : n === 0 ? null : n
}

/** Read every setting; `err` lists each invalid one as `NAME: problem`, one per line, sorted. */
export const readConfig = (env: ConfigEnv): Result<AppConfig, string> => {
  const r = new Reader(env)

  const txEnd = r.oneOf('PGRST_DB_TX_END', TX_ENDS, 'commit')

  const extraSearchPath = r.raw('PGRST_DB_EXTRA_SEARCH_PATH')
  const hoisted = r.opt('PGRST_DB_HOISTED_TX_SETTINGS')
  const preRequest = r.optAlias('PGRST_DB_PRE_REQUEST', 'PGRST_PRE_REQUEST')
  const rootSpec = r.optAlias('PGRST_DB_ROOT_SPEC', 'PGRST_ROOT_SPEC')
  const preConfig = r.opt('PGRST_DB_PRE_CONFIG')

  const jwtAud = r.opt('PGRST_JWT_AUD')
  if (jwtAud !== undefined && jwtAud.includes(':') && !isUri(jwtAud)) {
    r.fail('PGRST_JWT_AUD', 'jwt-aud should be a string or a valid URI')
  }

  const jwtSecretIsBase64 = r.bool(['PGRST_JWT_SECRET_IS_BASE64', 'PGRST_SECRET_IS_BASE64'], false)
  const jwtSecret = r.opt('PGRST_JWT_SECRET')
  if (jwtSecret !== undefined) checkJwtSecret(r, 'PGRST_JWT_SECRET', jwtSecret, jwtSecretIsBase64)

  const jwksUrl = r.opt('PGRST_JWT_JWKS_URL')
  if (jwksUrl !== undefined && !/^https?:\/\//i.test(jwksUrl)) {
    r.fail('PGRST_JWT_JWKS_URL', `expected an http(s) URL, got ${JSON.stringify(jwksUrl)}`)
  } else if (jwksUrl !== undefined) {
    try {
      new URL(jwksUrl)
    } catch {
      r.fail('PGRST_JWT_JWKS_URL', `expected an http(s) URL, got ${JSON.stringify(jwksUrl)}`)
    }
  }

  const proxyUri = r.opt('PGRST_OPENAPI_SERVER_PROXY_URI')
  if (proxyUri !== undefined && isMalformedProxyUri(proxyUri)) {
    r.fail('PGRST_OPENAPI_SERVER_PROXY_URI', 'Malformed proxy uri, a correct example: https://example.com:8443/basePath')
  }

  const cors = r.opt('PGRST_SERVER_CORS_ALLOWED_ORIGINS')
  const executor = r.opt('EDGEREST_EXECUTOR')
  const serverHost = resolveBindHost(r.opt('PGRST_SERVER_HOST') ?? DEFAULT_SERVER_HOST_SETTING)
  const serverPort = r.int(['PGRST_SERVER_PORT'], 0, 65535) ?? 3000
  const logFormat = r.opt('EDGEREST_LOG_FORMAT')

  const config: AppConfig = {
    appSettings: readAppSettings(r, env),
    clientErrorVerbosity: r.oneOf('PGRST_CLIENT_ERROR_VERBOSITY', VERBOSITIES, 'verbose'),
    dbAggregatesEnabled: r.bool(['PGRST_DB_AGGREGATES_ENABLED'], false),
    dbConfig: r.bool(['PGRST_DB_CONFIG'], true),
    dbPreConfig: preConfig === undefined ? null : toQualifiedIdentifier(preConfig),
    dbAnonRole: r.opt('PGRST_DB_ANON_ROLE') ?? null,
    dbAuthenticatedRole: r.opt('PGRST_DB_AUTHENTICATED_ROLE') ?? null,
    // "Emptyable": unset → public, "" → no extra schemas.
    dbExtraSearchPath: extraSearchPath === undefined ? ['public'] : extraSearchPath === '' ? [] : splitOnCommas(extraSearchPath),
    dbHoistedTxSettings: hoisted === undefined ? DEFAULT_HOISTED_TX_SETTINGS : splitOnCommas(hoisted),
    dbMaxRows: r.int(['PGRST_DB_MAX_ROWS', 'PGRST_MAX_ROWS'], 0, Number.MAX_SAFE_INTEGER) ?? null,
    dbPool: r.int(['PGRST_DB_POOL'], 1, 100_000) ?? 10,
    dbPoolAcquisitionTimeout: r.int(['PGRST_DB_POOL_ACQUISITION_TIMEOUT'], 1, 86_400) ?? 10,
    dbPoolMaxLifetime: r.int(['PGRST_DB_POOL_MAX_LIFETIME'], 0, Number.MAX_SAFE_INTEGER) ?? 1800,
    dbPoolMaxIdletime: r.int(['PGRST_DB_POOL_TIMEOUT', 'PGRST_DB_POOL_MAX_IDLETIME'], 0, Number.MAX_SAFE_INTEGER) ?? 30,
    dbPoolAutomaticRecovery: r.bool(['PGRST_DB_POOL_AUTOMATIC_RECOVERY'], true),
    dbChannel: r.opt('PGRST_DB_CHANNEL') ?? 'pgrst',
    dbChannelEnabled: r.bool(['PGRST_DB_CHANNEL_ENABLED'], true),
    dbPlanEnabled: r.bool(['PGRST_DB_PLAN_ENABLED'], false),
    dbPreRequest: preRequest === undefined ? null : toQualifiedIdentifier(preRequest.value),
    dbPreparedStatements: r.bool(['PGRST_DB_PREPARED_STATEMENTS'], true),
    dbRootSpec: rootSpec === undefined ? null : toQualifiedIdentifier(rootSpec.value),
    dbSchemas: readSchemas(r),
    dbTxAllowOverride: txEnd === 'commit-allow-override' || txEnd === 'rollback-allow-override',
    dbTxRollbackAll: txEnd === 'rollback' || txEnd === 'rollback-allow-override',
    dbUri: r.opt('PGRST_DB_URI') ?? 'postgresql://',
    jwtAud: jwtAud ?? null,
    jwtRoleClaimKey: r.optAlias('PGRST_JWT_ROLE_CLAIM_KEY', 'PGRST_ROLE_CLAIM_KEY')?.value ?? '$.role',
    jwtSecret: jwtSecret ?? null,
    jwtSecretIsBase64,
    jwtJwksUrl: jwksUrl ?? null,
    jwtCacheMaxEntries: r.int(['PGRST_JWT_CACHE_MAX_ENTRIES'], 0, Number.MAX_SAFE_INTEGER) ?? 1000,
    logLevel: r.oneOf('PGRST_LOG_LEVEL', LOG_LEVELS, 'error'),
    logQuery: readLogQuery(r),
    logFormat: logFormat === undefined ? null : r.oneOf('EDGEREST_LOG_FORMAT', LOG_FORMATS, 'text'),
    openApiMode: r.oneOf('PGRST_OPENAPI_MODE', OPENAPI_MODES, 'follow-privileges'),
    openApiSecurityActive: r.bool(['PGRST_OPENAPI_SECURITY_ACTIVE'], false),
    openApiServerProxyUri: proxyUri ?? null,
    // Unset or "" → null: any origin (PostgREST's empty list).
    serverCorsAllowedOrigins: cors === undefined ? null : splitOnCommas(cors),
    serverHost,
    serverPort,
    serverTraceHeader: r.opt('PGRST_SERVER_TRACE_HEADER') ?? null,
    serverTimingEnabled: r.bool(['PGRST_SERVER_TIMING_ENABLED'], false),
    urlUseLegacyTargetNames: r.bool(['PGRST_URL_USE_LEGACY_TARGET_NAMES'], true),
    // PostgREST: admin-server-host falls back to server-host.
    adminServerHost: resolveBindHost(r.optAlias('PGRST_ADMIN_SERVER_HOST', 'PGRST_SERVER_HOST')?.value ?? DEFAULT_SERVER_HOST_SETTING),
    adminServerPort: readAdminPort(r, serverPort),
    maxBodyBytes: readMaxBody(r),
    executor: executor === undefined ? null : r.oneOf('EDGEREST_EXECUTOR', EXECUTORS, 'neon-http'),
    basePath: readBasePath(r),
  }
  return r.errors.length === 0 ? ok(config) : err([...r.errors].sort().join('\n'))
}

/** `readConfig` for entry points: throws with every problem listed (bad config fails at startup). */
export const readConfigOrThrow = (env: ConfigEnv): AppConfig => {
  const r = readConfig(env)
  if (!r.ok) throw new Error(`Error in config:\n${r.error}`)
  return r.value
}
