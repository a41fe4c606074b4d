/**
 * @module config/types: AppConfig, flat and readonly, one field per PostgREST setting
 * (Config.hs names: `db-anon-role` → `dbAnonRole`). Read from `PGRST_*` bindings/env by
 * `config/from-env.ts`; nothing else reads the environment.
 */
import type { QualifiedIdentifier } from '../schema-cache/types.ts'

export type Verbosity = 'minimal' | 'verbose'
export type LogLevel = 'crit' | 'error' | 'warn' | 'info' | 'debug'
export type OpenApiMode = 'follow-privileges' | 'ignore-privileges' | 'disabled'
/** Which executor runs the transaction (see README "Executors"). */
export type ExecutorKind = 'neon-http' | 'neon-ws' | 'pg'
/** How log lines are written: PostgREST's text lines, or one JSON object per line (Workers Logs). */
export type LogFormat = 'text' | 'json'

export interface AppConfig {
  readonly appSettings: readonly (readonly [string, string])[]
  readonly clientErrorVerbosity: Verbosity
  readonly dbAggregatesEnabled: boolean
  /** db-config: whether in-database settings (captured in the schema cache snapshot) override these. */
  readonly dbConfig: boolean
  /** db-pre-config: a function setting `pgrst.*` settings, called when the snapshot is built. */
  readonly dbPreConfig: QualifiedIdentifier | null
  readonly dbAnonRole: string | null
  /** Beyond PostgREST: role for valid tokens that carry no role claim (null = anon role, as PostgREST). */
  readonly dbAuthenticatedRole: string | null
  readonly dbExtraSearchPath: readonly string[]
  readonly dbHoistedTxSettings: readonly string[]
  readonly dbMaxRows: number | null
  /**
   * db-pool: the most connections the `pg` pool opens (per process), and the most neon-ws
   * connections open at once (per isolate).
   */
  readonly dbPool: number
  /** db-pool-acquisition-timeout, seconds: how long a request waits for a connection (then 504 PGRST003). */
  readonly dbPoolAcquisitionTimeout: number
  /** db-pool-max-lifetime, seconds: a `pg` connection older than this is closed when it is next idle (0 = never). */
  readonly dbPoolMaxLifetime: number
  /** db-pool-max-idletime (alias db-pool-timeout), seconds: an idle `pg` connection is closed after this (0 = never). */
  readonly dbPoolMaxIdletime: number
  /** db-pool-automatic-recovery: the Node server retries the database with backoff (false: it exits instead). */
  readonly dbPoolAutomaticRecovery: boolean
  /** db-channel: the NOTIFY channel the Node server listens on for `reload schema` / `reload config`. */
  readonly dbChannel: string
  readonly dbChannelEnabled: boolean
  readonly dbPlanEnabled: boolean
  readonly dbPreRequest: QualifiedIdentifier | null
  readonly dbPreparedStatements: boolean
  readonly dbRootSpec: QualifiedIdentifier | null
  readonly dbSchemas: readonly [string, ...string[]]
  readonly dbTxAllowOverride: boolean
  readonly dbTxRollbackAll: boolean
  readonly dbUri: string
  readonly jwtAud: string | null
  /** Raw JSONPath text of jwt-role-claim-key (parsed by auth/). */
  readonly jwtRoleClaimKey: string
  readonly jwtSecret: string | null
  readonly jwtSecretIsBase64: boolean
  /** Beyond PostgREST: a JWKS URL fetched lazily and cached per isolate. */
  readonly jwtJwksUrl: string | null
  readonly jwtCacheMaxEntries: number
  readonly logLevel: LogLevel
  /** log-query: log the SQL of each request's statements (texts only, never the parameters' values). */
  readonly logQuery: boolean
  /** Beyond PostgREST (EDGEREST_LOG_FORMAT): null = the runtime's default (text on Node, json on the edge). */
  readonly logFormat: LogFormat | null
  readonly openApiMode: OpenApiMode
  readonly openApiSecurityActive: boolean
  readonly openApiServerProxyUri: string | null
  /** Empty = any origin. */
  readonly serverCorsAllowedOrigins: readonly string[] | null
  readonly serverHost: string
  readonly serverPort: number
  readonly serverTraceHeader: string | null
  readonly serverTimingEnabled: boolean
  readonly urlUseLegacyTargetNames: boolean
  /** admin-server-host (default: server-host) and admin-server-port (null = no admin server). Node only. */
  readonly adminServerHost: string
  readonly adminServerPort: number | null
  /**
   * Beyond PostgREST (EDGEREST_MAX_BODY_BYTES): the largest request body accepted, in bytes; a larger
   * one is refused with 413 before it is read whole. null = no limit.
   */
  readonly maxBodyBytes: number | null
  /** Beyond PostgREST: executor selection (`EDGEREST_EXECUTOR`); null = the runtime's default. */
  readonly executor: ExecutorKind | null
  /**
   * Beyond PostgREST: the path prefix the API is served under (`EDGEREST_BASE_PATH`, e.g.
   * `/rest/v1`), with a leading and no trailing slash; '' = the root. The app strips it before
   * parsing; respond puts it back into Location/Content-Location.
   */
  readonly basePath: string
}
