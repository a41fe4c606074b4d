/**
 * @module test/spec/harness: the Node side of the HTTP specs. Builds the app in-process the way
 * src/entry/node.ts does (PGRST_* settings → config, introspection of the test database over the
 * `authenticator` login, pg executor, HS256 authenticator) and sends spec requests to
 * `app.fetch` without a socket.
 */
import { inject } from 'vitest'
import { readConfig } from '../../src/config/from-env.ts'
import { createApp } from '../../src/app.ts'
import { createAuthenticator } from '../../src/auth/index.ts'
import { createPgExecutor } from '../../src/execute/pg.ts'
import { loadSchemaCache } from '../../src/schema-cache/load.ts'
import { introspectUrl } from '../../schema-cache/from-url.ts'
import type { PipelineDeps } from '../../src/pipeline.ts'
import type { AppConfig } from '../../src/config/types.ts'
import { SPEC_SETTINGS, type SpecRequest } from './types.ts'
import { specRequest } from './check.ts'

export interface SpecApp {
  /** Send one spec request to the app and return its Response. */
  readonly send: (request: SpecRequest) => Promise<Response>
  readonly config: AppConfig
}

const introspectDb = (config: AppConfig): Promise<unknown> =>
  introspectUrl(config.dbUri, { schemas: [...config.dbSchemas], extraSearchPath: [...config.dbExtraSearchPath] })

/** The in-process Node app over `pg`, configured with SPEC_SETTINGS (plus `overrides`). */
export const createSpecApp = async (overrides: Readonly<Record<string, string>> = {}): Promise<SpecApp> => {
  const cfg = readConfig({ ...SPEC_SETTINGS, PGRST_DB_URI: inject('authUrl'), ...overrides })
  if (!cfg.ok) throw new Error(`spec config: ${cfg.error}`)
  const config = cfg.value
  const cache = loadSchemaCache(await introspectDb(config))
  if (!cache.ok) throw new Error(`spec schema cache: ${cache.error}`)
  const executor = createPgExecutor({ connectionString: config.dbUri })
  const deps: PipelineDeps = { config, cache: cache.value, authenticate: createAuthenticator(config), executor, interactiveExecutor: executor }
  const app = createApp(() => deps)
  const send = async (r: SpecRequest): Promise<Response> => app.fetch(specRequest('http://localhost', r))
  return { send, config }
}
