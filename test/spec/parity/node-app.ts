/**
 * @module test/spec/parity/node-app: the parity API in-process on Node over `pg`, wired as the
 * Node entry wires it: the snapshot (read as `parity_authenticator`, so it carries that login
 * role's role settings and in-database configuration), PARITY_SETTINGS plus overrides laid under
 * the in-database configuration; one app per distinct settings.
 */
import { inject } from 'vitest'
import { readConfig } from '../../../src/config/from-env.ts'
import { withInDbConfig } from '../../../src/config/in-db.ts'
import { createApp } from '../../../src/app.ts'
import { createAuthenticator } from '../../../src/auth/index.ts'
import { createPgExecutor } from '../../../src/execute/pg.ts'
import { loadSchemaCacheOrThrow } from '../../../src/schema-cache/load.ts'
import type { PipelineDeps } from '../../../src/pipeline.ts'
import type { SchemaCache } from '../../../src/schema-cache/types.ts'
import { SPEC_SETTINGS } from '../types.ts'
import { specRequest } from '../check.ts'
import { PARITY_SETTINGS } from '../parity-settings.ts'
import type { ParityTarget, Settings } from './target.ts'

type Handler = (r: Request) => Promise<Response>

let cache: SchemaCache | undefined
const apps = new Map<string, Handler>()

export const parityAppFor = (settings: Settings = {}): Handler => {
  cache ??= loadSchemaCacheOrThrow(inject('paritySchemaCacheJson'))
  const key = JSON.stringify(settings)
  let app = apps.get(key)
  if (app === undefined) {
    const env = { ...SPEC_SETTINGS, ...PARITY_SETTINGS, PGRST_DB_URI: inject('parityAuthUrl'), ...settings }
    const cfg = readConfig(withInDbConfig(env, cache.snapshot.settings?.config))
    if (!cfg.ok) throw new Error(cfg.error)
    const executor = createPgExecutor({ connectionString: cfg.value.dbUri })
    const deps: PipelineDeps = { config: cfg.value, cache, authenticate: createAuthenticator(cfg.value), executor, interactiveExecutor: executor }
    const hono = createApp(() => deps)
    app = async (r) => hono.fetch(r)
    apps.set(key, app)
  }
  return app
}

export const nodeParityTarget: ParityTarget = {
  runtime: 'node',
  send: (request, settings) => parityAppFor(settings)(specRequest('http://localhost', request)),
  fetchFor: (settings) => ((input: RequestInfo | URL, init?: RequestInit) => parityAppFor(settings)(new Request(input, init))) as typeof fetch,
}
