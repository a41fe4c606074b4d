/**
 * @module test/unit/config/from-env: PGRST_* → AppConfig. Defaults and aliases as PostgREST
 * v16.2 documents them (Config.hs, configuration.rst); every invalid value names its variable.
 */
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/defaults.ts'
import {
  isMalformedProxyUri,
  parseBool,
  readConfig,
  readConfigOrThrow,
  resolveBindHost,
  toQualifiedIdentifier,
  type ConfigEnv,
} from '../../../src/config/from-env.ts'
import type { AppConfig } from '../../../src/config/types.ts'

const read = (env: ConfigEnv): AppConfig => {
  const r = readConfig(env)
  if (!r.ok) throw new Error(`unexpected config error: ${r.error}`)
  return r.value
}
const failure = (env: ConfigEnv): string => {
  const r = readConfig(env)
  if (r.ok) throw new Error('expected a config error')
  return r.error
}

/** The conformance suite's base configuration (PostgREST's spec `baseCfg`). */
const conformanceBase: Record<string, string> = {
  PGRST_APP_SETTINGS_APP_HOST: 'localhost',
  PGRST_APP_SETTINGS_EXTERNAL_API_SECRET: '0123456789abcdef',
  PGRST_CLIENT_ERROR_VERBOSITY: 'verbose',
  PGRST_DB_AGGREGATES_ENABLED: 'false',
  PGRST_DB_ANON_ROLE: 'postgrest_test_anonymous',
  PGRST_DB_CONFIG: 'false',
  PGRST_DB_EXTRA_SEARCH_PATH: '',
  PGRST_DB_HOISTED_TX_SETTINGS: 'default_transaction_isolation,plan_filter.statement_cost_limit,statement_timeout',
  PGRST_DB_MAX_ROWS: '',
  PGRST_DB_PLAN_ENABLED: 'false',
  PGRST_DB_PREPARED_STATEMENTS: 'true',
  PGRST_DB_PRE_CONFIG: '',
  PGRST_DB_PRE_REQUEST: 'test.switch_role',
  PGRST_DB_ROOT_SPEC: '',
  PGRST_DB_SCHEMAS: 'test',
  PGRST_DB_TX_END: 'rollback-allow-override',
  PGRST_JWT_AUD: '',
  PGRST_JWT_CACHE_MAX_ENTRIES: '10',
  PGRST_JWT_ROLE_CLAIM_KEY: '$.role',
  PGRST_JWT_SECRET: 'reallyreallyreallyreallyverysafe',
  PGRST_JWT_SECRET_IS_BASE64: 'false',
  PGRST_OPENAPI_MODE: 'follow-privileges',
  PGRST_OPENAPI_SECURITY_ACTIVE: 'false',
  PGRST_OPENAPI_SERVER_PROXY_URI: '',
  PGRST_SERVER_CORS_ALLOWED_ORIGINS: '',
  PGRST_SERVER_TIMING_ENABLED: 'true',
  PGRST_SERVER_TRACE_HEADER: '',
  PGRST_URL_USE_LEGACY_TARGET_NAMES: 'true',
  PGRST_DB_URI: 'postgresql://Postgrest_Test_Authenticator@localhost/postgrest_test',
  PGRST_SERVER_HOST: '127.0.0.1',
  PGRST_SERVER_PORT: '49152',
}

describe('defaults', () => {
  it('an empty environment gives PostgREST defaults', () => {
    expect(read({})).toEqual({
      appSettings: [],
      clientErrorVerbosity: 'verbose',
      dbAggregatesEnabled: false,
      dbConfig: true,
      dbPreConfig: null,
      dbAnonRole: null,
      dbAuthenticatedRole: null,
      dbExtraSearchPath: ['public'],
      dbHoistedTxSettings: ['statement_timeout', 'plan_filter.statement_cost_limit', 'default_transaction_isolation'],
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
      maxBodyBytes: 10 * 1024 * 1024,
      executor: null,
      basePath: '',
    } satisfies AppConfig)
  })

  it('defaultConfig is what an empty environment reads as', () => {
    expect(read({})).toEqual(defaultConfig)
  })

  it('empty strings count as unset for ordinary settings', () => {
    const env = Object.fromEntries(
      [
        'PGRST_DB_ANON_ROLE',
        'PGRST_DB_MAX_ROWS',
        'PGRST_DB_SCHEMAS',
        'PGRST_DB_TX_END',
        'PGRST_DB_PRE_REQUEST',
        'PGRST_DB_ROOT_SPEC',
        'PGRST_DB_HOISTED_TX_SETTINGS',
        'PGRST_JWT_SECRET',
        'PGRST_JWT_AUD',
        'PGRST_SERVER_PORT',
        'PGRST_SERVER_HOST',
        'PGRST_LOG_LEVEL',
        'PGRST_OPENAPI_MODE',
        'PGRST_CLIENT_ERROR_VERBOSITY',
        'PGRST_SERVER_CORS_ALLOWED_ORIGINS',
        'PGRST_SERVER_TRACE_HEADER',
        'PGRST_URL_USE_LEGACY_TARGET_NAMES',
        'PGRST_DB_PREPARED_STATEMENTS',
        'EDGEREST_EXECUTOR',
      ].map((k) => [k, '']),
    )
    expect(read(env)).toEqual(defaultConfig)
  })

  it('unknown PGRST_* keys and non-string bindings under other names are ignored', () => {
    expect(read({ PGRST_DB_POOL_SIZE_OF_SOMETHING: '5', PGRST_WHATEVER: 'x', MY_KV: { get() {} } })).toEqual(defaultConfig)
  })
})

describe('the conformance base configuration', () => {
  it('reads as PostgREST reads it', () => {
    const c = read(conformanceBase)
    expect(c).toMatchObject({
      appSettings: [
        ['app.settings.app_host', 'localhost'],
        ['app.settings.external_api_secret', '0123456789abcdef'],
      ],
      dbAnonRole: 'postgrest_test_anonymous',
      dbExtraSearchPath: [],
      dbHoistedTxSettings: ['default_transaction_isolation', 'plan_filter.statement_cost_limit', 'statement_timeout'],
      dbMaxRows: null,
      dbPreRequest: { schema: 'test', name: 'switch_role' },
      dbRootSpec: null,
      dbSchemas: ['test'],
      dbTxRollbackAll: true,
      dbTxAllowOverride: true,
      jwtAud: null,
      jwtCacheMaxEntries: 10,
      jwtSecret: 'reallyreallyreallyreallyverysafe',
      serverHost: '127.0.0.1',
      serverPort: 49152,
      serverTimingEnabled: true,
      serverCorsAllowedOrigins: null,
      serverTraceHeader: null,
    })
  })
})

describe('settings', () => {
  it('db-schemas: comma list, trimmed, names with special characters kept', () => {
    expect(read({ PGRST_DB_SCHEMAS: 'v1, v2 ,SPECIAL "@/\\#~_-' }).dbSchemas).toEqual(['v1', 'v2', 'SPECIAL "@/\\#~_-'])
    expect(read({ PGRST_DB_SCHEMAS: 'تست' }).dbSchemas).toEqual(['تست'])
  })

  it('db-schemas alias db-schema; the primary name wins', () => {
    expect(read({ PGRST_DB_SCHEMA: 'api' }).dbSchemas).toEqual(['api'])
    expect(read({ PGRST_DB_SCHEMAS: 'a', PGRST_DB_SCHEMA: 'b' }).dbSchemas).toEqual(['a'])
    expect(read({ PGRST_DB_SCHEMAS: '', PGRST_DB_SCHEMA: 'b' }).dbSchemas).toEqual(['b'])
  })

  it('db-max-rows and its alias max-rows', () => {
    expect(read({ PGRST_DB_MAX_ROWS: '2' }).dbMaxRows).toBe(2)
    expect(read({ PGRST_MAX_ROWS: ' 7 ' }).dbMaxRows).toBe(7)
    expect(read({ PGRST_DB_MAX_ROWS: '3', PGRST_MAX_ROWS: '9' }).dbMaxRows).toBe(3)
    expect(read({ PGRST_DB_MAX_ROWS: '0' }).dbMaxRows).toBe(0)
  })

  it('db-extra-search-path: unset → public, empty → none, list trimmed', () => {
    expect(read({}).dbExtraSearchPath).toEqual(['public'])
    expect(read({ PGRST_DB_EXTRA_SEARCH_PATH: '' }).dbExtraSearchPath).toEqual([])
    expect(read({ PGRST_DB_EXTRA_SEARCH_PATH: 'public, extensions,EXTRA "@/\\#~_-' }).dbExtraSearchPath).toEqual([
      'public',
      'extensions',
      'EXTRA "@/\\#~_-',
    ])
  })

  it.each([
    ['commit', false, false],
    ['commit-allow-override', false, true],
    ['rollback', true, false],
    ['rollback-allow-override', true, true],
  ] as const)('db-tx-end=%s', (value, rollbackAll, allowOverride) => {
    const c = read({ PGRST_DB_TX_END: value })
    expect([c.dbTxRollbackAll, c.dbTxAllowOverride]).toEqual([rollbackAll, allowOverride])
  })

  it('db-pre-request (alias pre-request) and db-root-spec (alias root-spec) as qualified identifiers', () => {
    expect(read({ PGRST_DB_PRE_REQUEST: 'custom_headers' }).dbPreRequest).toEqual({ schema: '', name: 'custom_headers' })
    expect(read({ PGRST_PRE_REQUEST: 'test.custom_vary_hdr' }).dbPreRequest).toEqual({ schema: 'test', name: 'custom_vary_hdr' })
    expect(read({ PGRST_DB_ROOT_SPEC: 'root' }).dbRootSpec).toEqual({ schema: '', name: 'root' })
    expect(read({ PGRST_ROOT_SPEC: 'api.root' }).dbRootSpec).toEqual({ schema: 'api', name: 'root' })
  })

  it('toQualifiedIdentifier splits at the first dot as PostgREST does', () => {
    expect(toQualifiedIdentifier('a.b.c')).toEqual({ schema: 'a', name: 'b.c' })
    expect(toQualifiedIdentifier('a.')).toEqual({ schema: '', name: 'a' })
    expect(toQualifiedIdentifier('plain')).toEqual({ schema: '', name: 'plain' })
  })

  it('booleans', () => {
    expect(read({ PGRST_DB_AGGREGATES_ENABLED: 'true' }).dbAggregatesEnabled).toBe(true)
    expect(read({ PGRST_DB_PLAN_ENABLED: 'TRUE' }).dbPlanEnabled).toBe(true)
    expect(read({ PGRST_DB_PREPARED_STATEMENTS: 'False' }).dbPreparedStatements).toBe(false)
    expect(read({ PGRST_OPENAPI_SECURITY_ACTIVE: '1' }).openApiSecurityActive).toBe(true)
    expect(read({ PGRST_SERVER_TIMING_ENABLED: 'on' }).serverTimingEnabled).toBe(true)
    expect(read({ PGRST_URL_USE_LEGACY_TARGET_NAMES: 'no' }).urlUseLegacyTargetNames).toBe(false)
    expect(read({ PGRST_JWT_SECRET_IS_BASE64: 'yes' }).jwtSecretIsBase64).toBe(true)
    expect(read({ PGRST_SECRET_IS_BASE64: 'true' }).jwtSecretIsBase64).toBe(true)
  })

  it.each([
    ['true', true],
    ['True', true],
    ['tRuE', true],
    ['"true"', true],
    ['false', false],
    ['FALSE', false],
    ['1', true],
    ['5', true],
    ['0', false],
    ['-1', false],
    ['yes', true],
    ['YES', true],
    ['on', true],
    ['no', false],
    ['off', false],
    ['maybe', null],
    ['', null],
    ['1.5', null],
  ] as const)('parseBool(%j) → %s', (input, expected) => {
    expect(parseBool(input)).toBe(expected)
  })

  it('enumerations', () => {
    expect(read({ PGRST_CLIENT_ERROR_VERBOSITY: 'minimal' }).clientErrorVerbosity).toBe('minimal')
    expect(read({ PGRST_LOG_LEVEL: 'debug' }).logLevel).toBe('debug')
    expect(read({ PGRST_OPENAPI_MODE: 'disabled' }).openApiMode).toBe('disabled')
    expect(read({ PGRST_OPENAPI_MODE: 'ignore-privileges' }).openApiMode).toBe('ignore-privileges')
    expect(read({ EDGEREST_EXECUTOR: 'neon-ws' }).executor).toBe('neon-ws')
    expect(read({ EDGEREST_EXECUTOR: 'pg' }).executor).toBe('pg')
  })

  it('EDGEREST_BASE_PATH: a path prefix, or the root when unset, empty or /', () => {
    expect(read({ EDGEREST_BASE_PATH: '/rest/v1' }).basePath).toBe('/rest/v1')
    expect(read({ EDGEREST_BASE_PATH: '/api' }).basePath).toBe('/api')
    expect(read({ EDGEREST_BASE_PATH: '/a%20b/v1' }).basePath).toBe('/a%20b/v1')
    expect(read({}).basePath).toBe('')
    expect(read({ EDGEREST_BASE_PATH: '' }).basePath).toBe('')
    expect(read({ EDGEREST_BASE_PATH: '/' }).basePath).toBe('')
  })

  it.each(['rest/v1', '/rest/v1/', '/rest//v1', '/rest/../v1', '/rest/./v1', '/rest?x=1', '/rest#top', '/a b'])(
    'EDGEREST_BASE_PATH=%j is refused',
    (value) => {
      expect(failure({ EDGEREST_BASE_PATH: value })).toBe(
        `EDGEREST_BASE_PATH: expected a path such as /rest/v1 (a leading slash, no trailing slash), got ${JSON.stringify(value)}`,
      )
    },
  )

  it('app settings from PGRST_APP_SETTINGS_*, lower-cased and sorted; empty values kept', () => {
    expect(read({ PGRST_APP_SETTINGS_Z_LAST: 'z', PGRST_APP_SETTINGS_My_Env_Variable: 'v', PGRST_APP_SETTINGS_EMPTY: '' }).appSettings).toEqual([
      ['app.settings.empty', ''],
      ['app.settings.my_env_variable', 'v'],
      ['app.settings.z_last', 'z'],
    ])
  })

  it('server host: warp reserved names resolved, addresses kept', () => {
    expect(read({}).serverHost).toBe('0.0.0.0')
    expect(read({ PGRST_SERVER_HOST: '!6' }).serverHost).toBe('::')
    expect(read({ PGRST_SERVER_HOST: 'localhost' }).serverHost).toBe('localhost')
    expect(['!4', '*4', '*', '!6', '*6', '::1'].map(resolveBindHost)).toEqual(['0.0.0.0', '0.0.0.0', '0.0.0.0', '::', '::', '::1'])
  })

  it('server port', () => {
    expect(read({ PGRST_SERVER_PORT: '8080' }).serverPort).toBe(8080)
  })

  it('CORS origins: unset/empty → any (null), else a trimmed list', () => {
    expect(read({ PGRST_SERVER_CORS_ALLOWED_ORIGINS: 'http://example.com, http://example2.com' }).serverCorsAllowedOrigins).toEqual([
      'http://example.com',
      'http://example2.com',
    ])
  })

  it('strings kept as given', () => {
    const c = read({
      PGRST_DB_URI: 'postgres://u:p@h/db',
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_DB_AUTHENTICATED_ROLE: 'authenticated',
      PGRST_JWT_AUD: 'spec tests',
      PGRST_JWT_ROLE_CLAIM_KEY: '.postgrest.a_role',
      PGRST_SERVER_TRACE_HEADER: 'X-Request-Id',
      PGRST_OPENAPI_SERVER_PROXY_URI: 'https://postgrest.com/openapi.json',
      PGRST_JWT_JWKS_URL: 'https://auth.example.com/.well-known/jwks.json',
    })
    expect(c).toMatchObject({
      dbUri: 'postgres://u:p@h/db',
      dbAnonRole: 'anon',
      dbAuthenticatedRole: 'authenticated',
      jwtAud: 'spec tests',
      jwtRoleClaimKey: '.postgrest.a_role',
      serverTraceHeader: 'X-Request-Id',
      openApiServerProxyUri: 'https://postgrest.com/openapi.json',
      jwtJwksUrl: 'https://auth.example.com/.well-known/jwks.json',
    })
    expect(read({ PGRST_ROLE_CLAIM_KEY: '$.r' }).jwtRoleClaimKey).toBe('$.r')
    expect(read({ PGRST_JWT_AUD: 'urn:example:aud' }).jwtAud).toBe('urn:example:aud')
  })

  it('jwt secrets: long text, JWK, JWKS and base64 are accepted', () => {
    const jwk = '{"alg":"RS256","e":"AQAB","kty":"RSA","n":"0etQ2Tg187jb","use":"sig"}'
    expect(read({ PGRST_JWT_SECRET: jwk }).jwtSecret).toBe(jwk)
    expect(read({ PGRST_JWT_SECRET: `{"keys": [${jwk}]}` }).jwtSecret).toBe(`{"keys": [${jwk}]}`)
    // 32 bytes, base64 (with URL-safe characters, as PostgREST allows).
    const b64 = btoa('reallyreallyreallyreallyverysafe')
    expect(read({ PGRST_JWT_SECRET: b64, PGRST_JWT_SECRET_IS_BASE64: 'true' })).toMatchObject({ jwtSecret: b64, jwtSecretIsBase64: true })
    expect(read({ PGRST_JWT_SECRET: btoa('\xfb\xff'.repeat(16)).replace(/\+/g, '-').replace(/\//g, '_'), PGRST_SECRET_IS_BASE64: '1' }).jwtSecretIsBase64).toBe(true)
    expect(read({ PGRST_JWT_SECRET: '@/run/secrets/jwt' }).jwtSecret).toBe('@/run/secrets/jwt')
  })

  it('operations: pool, channel, log query, admin server, body limit, log format', () => {
    expect(
      read({
        PGRST_DB_POOL: '5',
        PGRST_DB_POOL_ACQUISITION_TIMEOUT: '2',
        PGRST_DB_POOL_MAX_LIFETIME: '60',
        PGRST_DB_POOL_MAX_IDLETIME: '0',
        PGRST_DB_POOL_AUTOMATIC_RECOVERY: 'false',
        PGRST_DB_CHANNEL: 'my channel',
        PGRST_DB_CHANNEL_ENABLED: 'false',
        PGRST_LOG_QUERY: 'true',
        PGRST_SERVER_PORT: '3000',
        PGRST_ADMIN_SERVER_PORT: '3001',
        PGRST_ADMIN_SERVER_HOST: '127.0.0.1',
        EDGEREST_MAX_BODY_BYTES: '1024',
        EDGEREST_LOG_FORMAT: 'json',
      }),
    ).toMatchObject({
      dbPool: 5,
      dbPoolAcquisitionTimeout: 2,
      dbPoolMaxLifetime: 60,
      dbPoolMaxIdletime: 0,
      dbPoolAutomaticRecovery: false,
      dbChannel: 'my channel',
      dbChannelEnabled: false,
      logQuery: true,
      adminServerHost: '127.0.0.1',
      adminServerPort: 3001,
      maxBodyBytes: 1024,
      logFormat: 'json',
    })
    // db-pool-timeout is db-pool-max-idletime's older name, and wins as in PostgREST.
    expect(read({ PGRST_DB_POOL_TIMEOUT: '7', PGRST_DB_POOL_MAX_IDLETIME: '9' }).dbPoolMaxIdletime).toBe(7)
    // log-query as PostgREST before v16 spelled it.
    expect([read({ PGRST_LOG_QUERY: 'main-query' }).logQuery, read({ PGRST_LOG_QUERY: 'disabled' }).logQuery]).toEqual([true, false])
    // The admin server listens where the API does unless told otherwise.
    expect(read({ PGRST_SERVER_HOST: '*6' }).adminServerHost).toBe('::')
    expect(read({ EDGEREST_MAX_BODY_BYTES: '0' }).maxBodyBytes).toBeNull()
  })

  it('numbers and booleans from Worker vars are read as text', () => {
    expect(read({ PGRST_DB_MAX_ROWS: 5, PGRST_DB_PLAN_ENABLED: true })).toMatchObject({ dbMaxRows: 5, dbPlanEnabled: true })
  })
})

describe('invalid values name the variable', () => {
  it.each([
    [{ PGRST_DB_MAX_ROWS: 'abc' }, 'PGRST_DB_MAX_ROWS: expected an integer, got "abc"'],
    [{ PGRST_MAX_ROWS: '1.5' }, 'PGRST_MAX_ROWS: expected an integer, got "1.5"'],
    [{ PGRST_DB_MAX_ROWS: '-1' }, 'PGRST_DB_MAX_ROWS: expected an integer from 0 to'],
    [{ PGRST_SERVER_PORT: '70000' }, 'PGRST_SERVER_PORT: expected an integer from 0 to 65535, got 70000'],
    [{ PGRST_SERVER_PORT: 'http' }, 'PGRST_SERVER_PORT: expected an integer, got "http"'],
    [{ PGRST_JWT_CACHE_MAX_ENTRIES: 'lots' }, 'PGRST_JWT_CACHE_MAX_ENTRIES: expected an integer, got "lots"'],
    [{ PGRST_DB_PLAN_ENABLED: 'maybe' }, 'PGRST_DB_PLAN_ENABLED: expected a boolean (true/false), got "maybe"'],
    [{ PGRST_SECRET_IS_BASE64: 'sure' }, 'PGRST_SECRET_IS_BASE64: expected a boolean (true/false), got "sure"'],
    [{ PGRST_DB_TX_END: 'abort' }, 'PGRST_DB_TX_END: expected one of commit, commit-allow-override, rollback, rollback-allow-override, got "abort"'],
    [{ PGRST_CLIENT_ERROR_VERBOSITY: 'loud' }, 'PGRST_CLIENT_ERROR_VERBOSITY: expected one of minimal, verbose, got "loud"'],
    [{ PGRST_LOG_LEVEL: 'trace' }, 'PGRST_LOG_LEVEL: expected one of crit, error, warn, info, debug, got "trace"'],
    [{ PGRST_OPENAPI_MODE: 'on' }, 'PGRST_OPENAPI_MODE: expected one of follow-privileges, ignore-privileges, disabled, got "on"'],
    [{ EDGEREST_EXECUTOR: 'tcp' }, 'EDGEREST_EXECUTOR: expected one of neon-http, neon-ws, pg, got "tcp"'],
    [{ PGRST_DB_SCHEMAS: 'api,pg_catalog' }, "PGRST_DB_SCHEMAS: db-schemas does not allow schema: 'pg_catalog'"],
    [{ PGRST_DB_SCHEMA: 'information_schema' }, "PGRST_DB_SCHEMA: db-schemas does not allow schema: 'information_schema'"],
    [{ PGRST_DB_SCHEMAS: 'a,,b' }, 'PGRST_DB_SCHEMAS: empty schema name in "a,,b"'],
    [{ PGRST_JWT_AUD: 'not a uri: really' }, 'PGRST_JWT_AUD: jwt-aud should be a string or a valid URI'],
    [{ PGRST_OPENAPI_SERVER_PROXY_URI: 'ftp://x.com' }, 'PGRST_OPENAPI_SERVER_PROXY_URI: Malformed proxy uri, a correct example: https://example.com:8443/basePath'],
    [{ PGRST_JWT_JWKS_URL: 'file:///etc/jwks.json' }, 'PGRST_JWT_JWKS_URL: expected an http(s) URL, got "file:///etc/jwks.json"'],
    [{ PGRST_JWT_SECRET: 'short' }, 'PGRST_JWT_SECRET: The JWT secret must be at least 32 characters long.'],
    [{ PGRST_JWT_SECRET: '{"not":"a jwk"}' }, 'PGRST_JWT_SECRET: The JWT secret must be at least 32 characters long.'],
    [{ PGRST_JWT_SECRET: btoa('too short'), PGRST_JWT_SECRET_IS_BASE64: 'true' }, 'PGRST_JWT_SECRET: The JWT secret must be at least 32 characters long.'],
    [{ PGRST_JWT_SECRET: 'not base64 at all!!!', PGRST_JWT_SECRET_IS_BASE64: 'true' }, 'PGRST_JWT_SECRET: not valid base64 (jwt-secret-is-base64 is true)'],
    [{ PGRST_APP_SETTINGS_: 'x' }, 'PGRST_APP_SETTINGS_: the setting needs a name after PGRST_APP_SETTINGS_'],
    [{ PGRST_DB_URI: { url: 'x' } }, 'PGRST_DB_URI: expected a string, got a object'],
    [{ PGRST_DB_POOL: '0' }, 'PGRST_DB_POOL: expected an integer from 1 to 100000, got 0'],
    [{ PGRST_DB_POOL_ACQUISITION_TIMEOUT: '0' }, 'PGRST_DB_POOL_ACQUISITION_TIMEOUT: expected an integer from 1 to 86400, got 0'],
    [{ PGRST_DB_POOL_MAX_LIFETIME: 'forever' }, 'PGRST_DB_POOL_MAX_LIFETIME: expected an integer, got "forever"'],
    [{ PGRST_DB_CHANNEL_ENABLED: 'perhaps' }, 'PGRST_DB_CHANNEL_ENABLED: expected a boolean (true/false), got "perhaps"'],
    [{ PGRST_LOG_QUERY: 'all' }, 'PGRST_LOG_QUERY: expected a boolean (true/false), got "all"'],
    [{ PGRST_ADMIN_SERVER_PORT: '3000' }, 'PGRST_ADMIN_SERVER_PORT: admin-server-port cannot be the same as server-port'],
    [{ EDGEREST_MAX_BODY_BYTES: '10MB' }, 'EDGEREST_MAX_BODY_BYTES: expected an integer, got "10MB"'],
    [{ EDGEREST_LOG_FORMAT: 'xml' }, 'EDGEREST_LOG_FORMAT: expected one of text, json, got "xml"'],
  ] as const)('%o', (env, message) => {
    expect(failure(env)).toContain(message)
  })

  it('the secret itself is never echoed', () => {
    expect(failure({ PGRST_JWT_SECRET: 'hunter2' })).not.toContain('hunter2')
  })

  it('lists every problem, one per line, sorted', () => {
    expect(failure({ PGRST_DB_MAX_ROWS: 'x', PGRST_LOG_LEVEL: 'y' }).split('\n')).toEqual([
      'PGRST_DB_MAX_ROWS: expected an integer, got "x"',
      'PGRST_LOG_LEVEL: expected one of crit, error, warn, info, debug, got "y"',
    ])
  })

  it('readConfigOrThrow throws with the list', () => {
    expect(() => readConfigOrThrow({ PGRST_DB_TX_END: 'x' })).toThrow(/Error in config:\nPGRST_DB_TX_END: expected one of/)
    expect(readConfigOrThrow({})).toEqual(defaultConfig)
  })
})

describe('isMalformedProxyUri', () => {
  it.each([
    ['https://postgrest.com/openapi.json', false],
    ['http://postgrest.com', false],
    ['https://example.com:8443/basePath', false],
    ['HTTPS://example.com:443/', false],
    ['http://[::1]:3000/api', false],
    ['ftp://postgrest.com', true],
    ['https://postgrest.com?x=1', true],
    ['https://postgrest.com?', true],
    ['https://postgrest.com#frag', true],
    ['https://user@postgrest.com', true],
    ['https://:8080/x', true],
    ['https://postgrest.com:0', true],
    ['https://postgrest.com:65536', true],
    ['https://postgrest.com:', true],
    ['postgrest.com/openapi.json', true],
    ['http:/postgrest.com', true],
    ['https://post grest.com', true],
  ] as const)('%s → %s', (uri, malformed) => {
    expect(isMalformedProxyUri(uri)).toBe(malformed)
  })
})
