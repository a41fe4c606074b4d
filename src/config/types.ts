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
  /** Beyond PostgREST: executor selection (`EDGEREST_EXECUTOR`); null = the runtime's default. */
  readonly executor: ExecutorKind | null
  /**
   * Beyond PostgREST: the path prefix the API is served under (`EDGEREST_BASE_PATH`, e.g.
   * `/rest/v1`), with a leading and no trailing slash; '' = the root. The app strips it before
   * parsing; respond puts it back into Location/Content-Location.
   */
  readonly basePath: string
}
