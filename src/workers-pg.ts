/**
 * @module workers-pg: the package's Cloudflare Workers build with node-postgres over TCP
 * (`edgerest/workers-pg`): everything edgerest/workers does, plus EDGEREST_EXECUTOR=pg — any
 * Postgres the Worker can reach (Supabase, RDS, self-hosted) over the Workers socket API, or
 * through a Hyperdrive binding (EDGEREST_HYPERDRIVE). Needs `compatibility_flags =
 * ["nodejs_compat"]`. Neon's executors stay available and neon-http stays the default.
 *
 *   import { createWorker } from 'edgerest/workers-pg'
 *   import snapshot from './schema-cache/snapshot.json'
 *   export default createWorker({ EDGEREST_SCHEMA_CACHE: snapshot })
 *
 * or, in a Hono app of one's own, `app.route('/api', edgerest())` with this module's `edgerest`.
 * A separate build so that a Worker that only talks to Neon never bundles node-postgres.
 */
import { createEdgerest, type Edgerest } from './edgerest.ts'
import { workersPlatform } from './platform/workers.ts'
import { workerFactory } from './worker-handler.ts'

export type { WorkerHandler } from './worker-handler.ts'
export { EdgerestConfigError, type BindingsSource, type Edgerest, type EdgerestApp } from './edgerest.ts'
export type { EdgerestBindings, EdgerestSettings, SettingValue } from './settings.ts'

/** `edgerest()` of the main export (see index.ts), with the pg executor available. */
export const edgerest: Edgerest = createEdgerest(workersPlatform)

/** A Worker serving the API, with `defaults` under its bindings. */
export const createWorker = workerFactory(edgerest)

/** A Worker whose bindings hold every setting, the snapshot included. */
export default createWorker()
