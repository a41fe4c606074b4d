/**
 * @module config/defaults: PostgREST v16.2's documented defaults as an `AppConfig` — what
 * `readConfig({})` returns. Handy as a base for tests (`{ ...defaultConfig, dbMaxRows: 2 }`).
 */
import type { AppConfig } from './types.ts'

/** db-hoisted-tx-settings default, in PostgREST's order. */
export const DEFAULT_HOISTED_TX_SETTINGS: readonly string[] = [
  'statement_timeout',
  'plan_filter.statement_cost_limit',
  'default_transaction_isolation',
]

/** EDGEREST_MAX_BODY_BYTES default: 10 MiB, Neon's own limit for one SQL-over-HTTP request (README "Operations"). */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024

/** PostgREST's server-host default: warp's "any IPv4 host" (see `resolveBindHost`). */
export const DEFAULT_SERVER_HOST_SETTING = '!4'

export const defaultConfig: AppConfig = {
  appSettings: [],
  clientErrorVerbosity: 'verbose',
  dbAggregatesEnabled: false,
  dbConfig: true,
  dbPreConfig: null,
  dbAnonRole: null,
  dbAuthenticatedRole: null,
  dbExtraSearchPath: ['public'],
  dbHoistedTxSettings: DEFAULT_HOISTED_TX_SETTINGS,
  dbMaxRows: null,
  dbPool: 10,
  dbPoolAcquisitionTimeout: 10,
  dbPoolMaxLifetime: 1800,
  dbPoolMaxIdletime: 30,
  dbPoolAutomaticRecovery: true,
  dbChannel: 'pgrst',
  dbChannelEnabled: true,
  dbPlanEnabled: false,
  dbPreRequest: null,
  dbPreparedStatements: true,
  dbRootSpec: null,
  dbSchemas: ['public'],
  dbTxAllowOverride: false,
  dbTxRollbackAll: false,
  dbUri: 'postgresql://',
  jwtAud: null,
  jwtRoleClaimKey: '$.role',
  jwtSecret: null,
  jwtSecretIsBase64: false,
  jwtJwksUrl: null,
  jwtCacheMaxEntries: 1000,
  logLevel: 'error',
  logQuery: false,
  logFormat: null,
  openApiMode: 'follow-privileges',
  openApiSecurityActive: false,
  openApiServerProxyUri: null,
  serverCorsAllowedOrigins: null,
  serverHost: '0.0.0.0',
  serverPort: 3000,
  serverTraceHeader: null,
  serverTimingEnabled: false,
  urlUseLegacyTargetNames: true,
  adminServerHost: '0.0.0.0',
  adminServerPort: null,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  executor: null,
  basePath: '',
}
