/**
 * @module server/config-text: the configuration in effect (environment plus in-database settings)
 * as PostgREST's admin server printed it at /config (and `postgrest --dump-config` still does):
 * `key = value` lines in PostgREST's names, sorted, strings quoted. Like PostgREST's, it includes
 * db-uri and jwt-secret: the admin server belongs on a private address.
 */
import type { AppConfig } from '../config/types.ts'

const q = (s: string): string => `"${s.replace(/"/g, '\\"')}"`
const qi = (v: { readonly schema: string; readonly name: string } | null): string => q(v === null ? '' : v.schema === '' ? v.name : `${v.schema}.${v.name}`)

const txEnd = (c: AppConfig): string =>
  `${c.dbTxRollbackAll ? 'rollback' : 'commit'}${c.dbTxAllowOverride ? '-allow-override' : ''}`

export const configText = (c: AppConfig): string => {
  const settings: [string, string][] = [
    ['admin-server-host', q(c.adminServerHost)],
    ['admin-server-port', c.adminServerPort === null ? '""' : String(c.adminServerPort)],
    ['client-error-verbosity', q(c.clientErrorVerbosity)],
    ['db-aggregates-enabled', String(c.dbAggregatesEnabled)],
    ['db-anon-role', q(c.dbAnonRole ?? '')],
    ['db-channel', q(c.dbChannel)],
    ['db-channel-enabled', String(c.dbChannelEnabled)],
    ['db-config', String(c.dbConfig)],
    ['db-extra-search-path', q(c.dbExtraSearchPath.join(','))],
    ['db-hoisted-tx-settings', q(c.dbHoistedTxSettings.join(','))],
    ['db-max-rows', c.dbMaxRows === null ? '""' : String(c.dbMaxRows)],
    ['db-plan-enabled', String(c.dbPlanEnabled)],
    ['db-pool', String(c.dbPool)],
    ['db-pool-acquisition-timeout', String(c.dbPoolAcquisitionTimeout)],
    ['db-pool-automatic-recovery', String(c.dbPoolAutomaticRecovery)],
    ['db-pool-max-idletime', String(c.dbPoolMaxIdletime)],
    ['db-pool-max-lifetime', String(c.dbPoolMaxLifetime)],
    ['db-pre-config', qi(c.dbPreConfig)],
    ['db-pre-request', qi(c.dbPreRequest)],
    ['db-prepared-statements', String(c.dbPreparedStatements)],
    ['db-root-spec', qi(c.dbRootSpec)],
    ['db-schemas', q(c.dbSchemas.join(','))],
    ['db-tx-end', q(txEnd(c))],
    ['db-uri', q(c.dbUri)],
    ['jwt-aud', q(c.jwtAud ?? '')],
    ['jwt-cache-max-entries', String(c.jwtCacheMaxEntries)],
    ['jwt-role-claim-key', q(c.jwtRoleClaimKey)],
    ['jwt-secret', q(c.jwtSecret ?? '')],
    ['jwt-secret-is-base64', String(c.jwtSecretIsBase64)],
    ['log-level', q(c.logLevel)],
    ['log-query', String(c.logQuery)],
    ['openapi-mode', q(c.openApiMode)],
    ['openapi-security-active', String(c.openApiSecurityActive)],
    ['openapi-server-proxy-uri', q(c.openApiServerProxyUri ?? '')],
    ['server-cors-allowed-origins', q((c.serverCorsAllowedOrigins ?? []).join(','))],
    ['server-host', q(c.serverHost)],
    ['server-port', String(c.serverPort)],
    ['server-timing-enabled', String(c.serverTimingEnabled)],
    ['server-trace-header', q(c.serverTraceHeader ?? '')],
    ['url-use-legacy-target-names', String(c.urlUseLegacyTargetNames)],
    ...c.appSettings.map(([k, v]): [string, string] => [k, q(v)]),
  ]
  const lines = settings.map(([k, v]) => `${k} = ${v}`)
  lines.sort()
  return `${lines.join('\n')}\n`
}
