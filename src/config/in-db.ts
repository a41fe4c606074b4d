/**
 * @module config/in-db: PostgREST's in-database configuration (db-config). With
 * `PGRST_DB_CONFIG=true` (the default) the login role's `pgrst.*` settings — `ALTER ROLE
 * authenticator SET pgrst.db_plan_enabled = 'true'` — and what the db-pre-config function sets
 * override the environment. edgerest reads them when the schema cache snapshot is built (the Node
 * entry: whenever it introspects), so the edge applies them without a round trip.
 */
import { parseBool, type ConfigEnv } from './from-env.ts'

export const IN_DB_PREFIX = 'pgrst.'

/** The settings PostgREST reads from the database, by their in-database names. */
export const IN_DB_SETTINGS = [
  'db_aggregates_enabled',
  'client_error_verbosity',
  'db_anon_role',
  'db_pre_config',
  'db_extra_search_path',
  'db_max_rows',
  'db_plan_enabled',
  'db_pre_request',
  'db_prepared_statements',
  'db_root_spec',
  'db_schemas',
  'db_tx_end',
  'db_hoisted_tx_settings',
  'jwt_aud',
  'jwt_role_claim_key',
  'jwt_secret',
  'jwt_secret_is_base64',
  'jwt_cache_max_lifetime',
  'openapi_mode',
  'openapi_security_active',
  'openapi_server_proxy_uri',
  'server_cors_allowed_origins',
  'server_trace_header',
  'server_timing_enabled',
  'url_use_legacy_target_names',
] as const

/** Whether PGRST_DB_CONFIG (default true) lets in-database settings apply. */
export const dbConfigEnabled = (env: ConfigEnv): boolean => {
  const v = env['PGRST_DB_CONFIG']
  // An unreadable value is reported by readConfig; here it counts as the default.
  return v === undefined || v === null || v === '' ? true : parseBool(String(v)) !== false
}

/**
 * The environment with the in-database settings laid over it (they win, as in PostgREST), when
 * db-config is on. `db_schemas` becomes PGRST_DB_SCHEMAS, and so on.
 */
export const withInDbConfig = (env: ConfigEnv, inDb: readonly (readonly [string, string])[] | undefined): ConfigEnv => {
  if (inDb === undefined || inDb.length === 0 || !dbConfigEnabled(env)) return env
  const over: Record<string, string> = {}
  for (const [name, value] of inDb) over[`PGRST_${name.toUpperCase()}`] = value
  return { ...env, ...over }
}
