/**
 * @module workers: the package's Cloudflare Workers handler (`edgerest/workers`). Settings are
 * the Worker's bindings; the schema cache is the EDGEREST_SCHEMA_CACHE binding, or a snapshot
 * bundled with the Worker through `createWorker({ EDGEREST_SCHEMA_CACHE: snapshot })` (a binding,
 * when set, still replaces it):
 *
 *   import { createWorker } from 'edgerest/workers'
 *   import snapshot from './schema-cache/snapshot.json'
 *   export default createWorker({ EDGEREST_SCHEMA_CACHE: snapshot })
 *
 * Executors: neon-http by default (one HTTP request to Neon per API request); requests that must
 * roll back after reading their results go to neon-ws; `EDGEREST_EXECUTOR=neon-ws` sends
 * everything over WebSockets. The neon-ws executor closes its connection before the response is
 * returned, so nothing is left for `ctx.waitUntil`; `ctx` is still handed to the app (Hono's
 * `c.executionCtx`). node-postgres over TCP (any Postgres, Hyperdrive) is the edgerest/workers-pg
 * build (src/workers-pg.ts); this one never bundles it.
 */
import { edgerest } from './index.ts'
import { workerFactory } from './worker-handler.ts'

export type { WorkerHandler } from './worker-handler.ts'

/** A Worker serving the API, with `defaults` under its bindings. */
export const createWorker = workerFactory(edgerest)

/** A Worker whose bindings hold every setting, the snapshot included. */
export default createWorker()
