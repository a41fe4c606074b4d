/**
 * @module settings: the bindings `edgerest()` reads, typed for users' editors. Names, meanings
 * and defaults are PostgREST v16.2's (README "Configuration"); config/from-env.ts is what reads
 * and validates them. Values are strings as in an environment; Worker `vars` may also be numbers
 * or booleans. Unknown keys are allowed: Worker bindings carry the user's own KV, R2, … too.
 */

/** A setting's value as an environment or Worker `vars` holds it. */
export type SettingValue = string | number | boolean

export interface EdgerestSettings {
  /** Connection string of the login role (e.g. `authenticator`). */
  readonly PGRST_DB_URI?: string
  /** Exposed schemas, comma separated; the first is the default (alias PGRST_DB_SCHEMA). */
  readonly PGRST_DB_SCHEMAS?: string
  readonly PGRST_DB_SCHEMA?: string
  /** Role for requests without a token. */
  readonly PGRST_DB_ANON_ROLE?: string
  /** Role for valid tokens without a role claim (beyond PostgREST). */
  readonly PGRST_DB_AUTHENTICATED_ROLE?: string
  readonly PGRST_DB_EXTRA_SEARCH_PATH?: string
  readonly PGRST_DB_MAX_ROWS?: SettingValue
  readonly PGRST_DB_PRE_REQUEST?: string
  readonly PGRST_DB_ROOT_SPEC?: string
  /** `commit`, `commit-allow-override`, `rollback`, `rollback-allow-override`. */
  readonly PGRST_DB_TX_END?: string
  readonly PGRST_DB_AGGREGATES_ENABLED?: SettingValue
  readonly PGRST_DB_PLAN_ENABLED?: SettingValue
  readonly PGRST_DB_PREPARED_STATEMENTS?: SettingValue
  readonly PGRST_DB_HOISTED_TX_SETTINGS?: string
  /** Connections of the `pg` pool (Node), concurrent neon-ws connections per isolate (edge). Default 10. */
  readonly PGRST_DB_POOL?: SettingValue
  /** Seconds a request waits for a connection before 504 PGRST003. Default 10. */
  readonly PGRST_DB_POOL_ACQUISITION_TIMEOUT?: SettingValue
  readonly PGRST_DB_POOL_MAX_LIFETIME?: SettingValue
  readonly PGRST_DB_POOL_MAX_IDLETIME?: SettingValue
  readonly PGRST_DB_POOL_AUTOMATIC_RECOVERY?: SettingValue
  /** The NOTIFY channel of the Node server (default `pgrst`). */
  readonly PGRST_DB_CHANNEL?: string
  readonly PGRST_DB_CHANNEL_ENABLED?: SettingValue
  /** An HMAC secret of at least 32 characters, a JWK or a JWKS; `@path` reads a file (Node). */
  readonly PGRST_JWT_SECRET?: string
  readonly PGRST_JWT_SECRET_IS_BASE64?: SettingValue
  readonly PGRST_JWT_AUD?: string
  readonly PGRST_JWT_ROLE_CLAIM_KEY?: string
  readonly PGRST_JWT_CACHE_MAX_ENTRIES?: SettingValue
  /** An identity provider's JWKS URL, fetched on first use (beyond PostgREST). */
  readonly PGRST_JWT_JWKS_URL?: string
  readonly PGRST_CLIENT_ERROR_VERBOSITY?: string
  /** `crit`, `error` (default), `warn`, `info`, `debug`. */
  readonly PGRST_LOG_LEVEL?: string
  /** `true` (or `main-query`): log the SQL of each request, never the parameters' values. */
  readonly PGRST_LOG_QUERY?: SettingValue
  readonly PGRST_OPENAPI_MODE?: string
  readonly PGRST_OPENAPI_SECURITY_ACTIVE?: SettingValue
  readonly PGRST_OPENAPI_SERVER_PROXY_URI?: string
  readonly PGRST_SERVER_CORS_ALLOWED_ORIGINS?: string
  readonly PGRST_SERVER_TIMING_ENABLED?: SettingValue
  readonly PGRST_SERVER_TRACE_HEADER?: string
  readonly PGRST_URL_USE_LEGACY_TARGET_NAMES?: SettingValue
  /** The Node server's admin server (`/live`, `/ready`, `/metrics`, …); none unless a port is given. */
  readonly PGRST_ADMIN_SERVER_HOST?: string
  readonly PGRST_ADMIN_SERVER_PORT?: SettingValue
  /**
   * The schema cache snapshot (`npx edgerest-schema-cache … --out snapshot.json`): the parsed
   * object (e.g. `import snapshot from './snapshot.json'`), its JSON text, or on Node a file path.
   */
  readonly EDGEREST_SCHEMA_CACHE?: string | object
  /** `neon-http` (edge default), `neon-ws`, `pg` (the Node default; on Workers the edgerest/workers-pg build). */
  readonly EDGEREST_EXECUTOR?: 'neon-http' | 'neon-ws' | 'pg' | (string & {})
  /** Workers (edgerest/workers-pg): the name of a Hyperdrive binding to reach the database through; implies `pg`. */
  readonly EDGEREST_HYPERDRIVE?: string
  /** Read replicas: one or several connection URIs, comma separated; reads go to them, writes to PGRST_DB_URI. */
  readonly EDGEREST_DB_READ_URI?: string
  /** Workers (edgerest/workers-pg): Hyperdrive bindings (names, comma separated) in front of read replicas. */
  readonly EDGEREST_HYPERDRIVE_READ?: string
  /** The path prefix the API is served under, e.g. `/rest/v1` for supabase-js. */
  readonly EDGEREST_BASE_PATH?: string
  /** The largest request body accepted, in bytes (default 10 MiB; 0 = no limit). */
  readonly EDGEREST_MAX_BODY_BYTES?: SettingValue
  /** `text` (PostgREST's lines, the Node default) or `json` (one object per line, the edge default). */
  readonly EDGEREST_LOG_FORMAT?: 'text' | 'json' | (string & {})
  readonly EDGEREST_NEON_FETCH_ENDPOINT?: string
  readonly EDGEREST_NEON_WS_PROXY?: string
  readonly EDGEREST_NEON_WS_INSECURE?: SettingValue
  readonly EDGEREST_JWKS_COOLDOWN_SECONDS?: SettingValue
  readonly EDGEREST_JWKS_MAX_AGE_SECONDS?: SettingValue
  readonly EDGEREST_JWKS_TIMEOUT_SECONDS?: SettingValue
}

/** What `edgerest()` takes: the settings above, plus anything else a Worker's `env` holds. */
export type EdgerestBindings = EdgerestSettings & Readonly<Record<string, unknown>>
