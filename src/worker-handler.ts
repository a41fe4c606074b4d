/**
 * @module worker-handler: a module Worker's default export around an `edgerest`, with bundled
 * defaults under the Worker's bindings. Shared by the two Worker builds: edgerest/workers
 * (Neon's executors) and edgerest/workers-pg (plus pg over TCP and Hyperdrive).
 */
import type { ExecutionContext } from 'hono'
import { withDefaults, type Edgerest } from './edgerest.ts'
import type { EdgerestBindings } from './settings.ts'

/** A module Worker's default export. */
export interface WorkerHandler {
  fetch(request: Request, env: EdgerestBindings, ctx: ExecutionContext): Promise<Response>
}

/** `createWorker(defaults)` for a build's `edgerest`: a Worker serving the API, `defaults` under its bindings. */
export const workerFactory =
  (edgerest: Edgerest) =>
  (defaults: EdgerestBindings = {}): WorkerHandler => {
    const app = edgerest((env) => withDefaults(defaults, env))
    return {
      fetch: async (request, env, ctx) => app.fetch(request, env, ctx),
    }
  }
