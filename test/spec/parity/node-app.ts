/**
 * @module test/spec/parity/node-app: the parity API in-process on Node, built as a user builds it:
 * `edgerest(bindings)` from the package's Node entry (src/index-node.ts, the `pg` executor), with
 * PARITY_SETTINGS plus overrides and the parity snapshot (read as `parity_authenticator`, so it
 * carries that login role's role settings and in-database configuration); one app per distinct
 * settings, as one per bindings object in production.
 */
import { inject } from 'vitest'
import { edgerest } from '../../../src/index-node.ts'
import { SPEC_SETTINGS } from '../types.ts'
import { specRequest } from '../check.ts'
import { PARITY_SETTINGS } from '../parity-settings.ts'
import type { ParityTarget, Settings } from './target.ts'

type Handler = (r: Request) => Promise<Response>

const apps = new Map<string, Handler>()

export const parityAppFor = (settings: Settings = {}): Handler => {
  const key = JSON.stringify(settings)
  let app = apps.get(key)
  if (app === undefined) {
    const hono = edgerest({
      ...SPEC_SETTINGS,
      ...PARITY_SETTINGS,
      PGRST_DB_URI: inject('parityAuthUrl'),
      EDGEREST_SCHEMA_CACHE: inject('paritySchemaCacheJson'),
      ...settings,
    })
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
