/**
 * The HTTP spec cases (test/spec/cases) against the Worker inside workerd, once per executor,
 * with the bindings of vitest.workers.config.ts (SPEC_SETTINGS, the fixtures' snapshot as
 * EDGEREST_SCHEMA_CACHE, the local Neon endpoint and WebSocket bridge):
 * - neon-http: through `exports.default.fetch`, i.e. the `main` Worker with exactly those bindings
 *   (EDGEREST_EXECUTOR unset: the edge default);
 * - neon-ws: the same entry's fetch handler called with those bindings plus
 *   EDGEREST_EXECUTOR=neon-ws (a second bindings set for the same Worker code);
 * - pg: EDGEREST_EXECUTOR=pg, node-postgres over workerd's TCP sockets straight to PGRST_DB_URI
 *   (no Neon endpoint or bridge involved: see pg.test.ts);
 * - pg via Hyperdrive: EDGEREST_HYPERDRIVE=HYPERDRIVE, the Worker's Hyperdrive binding (Miniflare's
 *   local Hyperdrive in front of the same database). The same executor as `pg` with another
 *   connection string, and Miniflare's local proxy costs about 50 ms per request, so only the
 *   files that exercise the session (roles, claims, request context, errors) run through it.
 */
import { env, exports } from 'cloudflare:workers'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { describe, it } from 'vitest'
import worker from '../../../src/entry/workers-pg.ts'
import { SPEC_CASE_FILES } from '../../spec/cases/index.ts'
import { checkSpecResponse, specRequest } from '../../spec/check.ts'
import type { SpecCase } from '../../spec/types.ts'

// Built once each: the entry caches its wiring per bindings object, as it does per isolate in production.
const bindings = {
  'neon-ws': { ...env, EDGEREST_EXECUTOR: 'neon-ws' },
  pg: { ...env, EDGEREST_EXECUTOR: 'pg' },
  'pg via Hyperdrive': { ...env, EDGEREST_HYPERDRIVE: 'HYPERDRIVE' },
} as const

const viaHandler = async (c: SpecCase, b: (typeof bindings)[keyof typeof bindings]): Promise<Response> => {
  const ctx = createExecutionContext()
  const res = await worker.fetch(specRequest('http://localhost', c.request), b, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

const senders = {
  'neon-http': (c: SpecCase): Promise<Response> => exports.default.fetch(specRequest('http://localhost', c.request)),
  'neon-ws': (c: SpecCase): Promise<Response> => viaHandler(c, bindings['neon-ws']),
  pg: (c: SpecCase): Promise<Response> => viaHandler(c, bindings.pg),
  'pg via Hyperdrive': (c: SpecCase): Promise<Response> => viaHandler(c, bindings['pg via Hyperdrive']),
} as const

const HYPERDRIVE_FILES = new Set(['smoke.ts', 'auth.ts', 'context.ts', 'errors.ts'])

describe.each(Object.keys(senders) as (keyof typeof senders)[])('spec cases on workerd over %s', (kind) => {
  for (const [file, cases] of Object.entries(SPEC_CASE_FILES)) {
    if (kind === 'pg via Hyperdrive' && !HYPERDRIVE_FILES.has(file)) continue
    describe(file, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
        await checkSpecResponse(await senders[kind](c), c.expect)
      })
    })
  }
})
