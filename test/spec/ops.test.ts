/**
 * @module test/spec/ops.test: the operations scenarios (test/spec/ops/) against the Node app over
 * `pg`, built as a user builds it: `edgerest(bindings)` from the package's Node entry, one app per
 * distinct settings (as one per bindings object in production).
 */
import { afterAll, describe, inject, it } from 'vitest'
import { endPgPools } from '../../src/execute/pg.ts'
import { edgerest } from '../../src/index-node.ts'
import { superuserQuery } from '../helpers/stack.ts'
import { OPS_SCENARIOS } from './ops/index.ts'
import { OPS_SETTINGS } from './ops/settings.ts'
import type { OpsTarget, Settings } from './ops/target.ts'
import { SPEC_SETTINGS } from './types.ts'

afterAll(endPgPools)

type Handler = (r: Request) => Promise<Response>
const apps = new Map<string, Handler>()

const appFor = (settings: Settings = {}): Handler => {
  const key = JSON.stringify(settings)
  let app = apps.get(key)
  if (app === undefined) {
    const hono = edgerest({
      ...SPEC_SETTINGS,
      ...OPS_SETTINGS,
      PGRST_DB_URI: inject('authUrl'),
      EDGEREST_SCHEMA_CACHE: inject('opsSchemaCacheJson'),
      ...settings,
    })
    app = async (r) => hono.fetch(r)
    apps.set(key, app)
  }
  return app
}

const nodeTarget: OpsTarget = {
  runtime: 'node',
  authUrl: inject('authUrl'),
  snapshotJson: inject('opsSchemaCacheJson'),
  send: (request, settings) => appFor(settings)(request),
  admin: async (text, params) => {
    const r = await superuserQuery(text, params)
    // A multi-statement text answers one result per statement; the rows of the last are wanted.
    const last = Array.isArray(r) ? (r as unknown as { rows: Record<string, unknown>[] }[]).at(-1) : r
    return (last?.rows ?? []).map((row) => Object.values(row).map((v) => (v === null ? null : String(v))))
  },
}

for (const [file, scenarios] of Object.entries(OPS_SCENARIOS)) {
  describe(`ops: ${file}`, () => {
    for (const s of scenarios) if (s.runtimes === undefined || s.runtimes.includes('node')) it(s.name, () => s.run(nodeTarget))
  })
}
