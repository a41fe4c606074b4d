/** /config's text: PostgREST's `key = value` dump of the configuration in effect. */
import { describe, expect, it } from 'vitest'
import { readConfig } from '../../../src/config/from-env.ts'
import { configText } from '../../../src/server/config-text.ts'

const config = (env: Record<string, string>) => {
  const c = readConfig(env)
  if (!c.ok) throw new Error(c.error)
  return c.value
}

describe('configText', () => {
  it('every setting, sorted, strings quoted, PostgREST defaults', () => {
    expect(configText(config({})).split('\n')).toEqual([
      'admin-server-host = "0.0.0.0"',
      'admin-server-port = ""',
      'client-error-verbosity = "verbose"',
      'db-aggregates-enabled = false',
      'db-anon-role = ""',
      'db-channel = "pgrst"',
      'db-channel-enabled = true',
      'db-config = true',
      'db-extra-search-path = "public"',
      'db-hoisted-tx-settings = "statement_timeout,plan_filter.statement_cost_limit,default_transaction_isolation"',
      'db-max-rows = ""',
      'db-plan-enabled = false',
      'db-pool = 10',
      'db-pool-acquisition-timeout = 10',
      'db-pool-automatic-recovery = true',
      'db-pool-max-idletime = 30',
      'db-pool-max-lifetime = 1800',
      'db-pre-config = ""',
      'db-pre-request = ""',
      'db-prepared-statements = true',
      'db-root-spec = ""',
      'db-schemas = "public"',
      'db-tx-end = "commit"',
      'db-uri = "postgresql://"',
      'jwt-aud = ""',
      'jwt-cache-max-entries = 1000',
      'jwt-role-claim-key = "$.role"',
      'jwt-secret = ""',
      'jwt-secret-is-base64 = false',
      'log-level = "error"',
      'log-query = false',
      'openapi-mode = "follow-privileges"',
      'openapi-security-active = false',
      'openapi-server-proxy-uri = ""',
      'server-cors-allowed-origins = ""',
      'server-host = "0.0.0.0"',
      'server-port = 3000',
      'server-timing-enabled = false',
      'server-trace-header = ""',
      'url-use-legacy-target-names = true',
      '',
    ])
  })

  it('set values, app settings among them, and quotes escaped', () => {
    const text = configText(
      config({
        PGRST_DB_SCHEMAS: 'api,v2',
        PGRST_DB_TX_END: 'rollback-allow-override',
        PGRST_DB_PRE_REQUEST: 'api.check',
        PGRST_DB_MAX_ROWS: '100',
        PGRST_ADMIN_SERVER_PORT: '3001',
        PGRST_APP_SETTINGS_GREETING: 'say "hi"',
      }),
    )
    expect(text).toContain('\napp.settings.greeting = "say \\"hi\\""\nclient-error-verbosity')
    expect(text.split('\n')).toEqual(
      expect.arrayContaining(['db-schemas = "api,v2"', 'db-tx-end = "rollback-allow-override"', 'db-pre-request = "api.check"', 'db-max-rows = 100', 'admin-server-port = 3001']),
    )
  })
})
