/**
 * @module test/spec/parity-settings: the settings of the parity tests (test/fixtures/90-parity.sql):
 * the last PostgREST behaviours — OpenAPI at `/`, EXPLAIN, per-role settings, in-database
 * configuration, the trace header — on top of SPEC_SETTINGS, for the Node and workerd runners.
 */

/**
 * The parity API: schemas `parity` (default) and `parity_other`, anonymous role `parity_anon`,
 * db-pre-config `parity.pre_config`. PGRST_DB_CONFIG is left at its default (on), so the login
 * role's `pgrst.*` settings apply; EXPLAIN is never enabled here, only by them.
 */
export const PARITY_SETTINGS: Readonly<Record<string, string>> = {
  PGRST_DB_SCHEMAS: 'parity,parity_other',
  PGRST_DB_ANON_ROLE: 'parity_anon',
  PGRST_DB_EXTRA_SEARCH_PATH: 'public',
  PGRST_DB_PRE_CONFIG: 'parity.pre_config',
  PGRST_SERVER_TIMING_ENABLED: 'true',
}

/** The `parity_authenticator` URL for a stack whose `authenticator` URL is given. */
export const parityLoginUrl = (authUrl: string): string => {
  const u = new URL(authUrl)
  u.username = 'parity_authenticator'
  u.password = 'parity'
  return u.toString()
}
