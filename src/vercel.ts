/**
 * @module vercel: the package's Vercel Edge Functions handler (`edgerest/vercel`). Settings are
 * the project's environment variables; the schema cache is EDGEREST_SCHEMA_CACHE, or a snapshot
 * bundled with the function through `createVercelHandler({ EDGEREST_SCHEMA_CACHE: snapshot })`.
 * The function answers every path it receives (route them all to it: see the project's
 * `api/index.ts` and `vercel.json`), with neon-http for requests and neon-ws for the ones that
 * must roll back after reading results.
 */
import { withDefaults } from './edgerest.ts'
import { edgerest } from './index.ts'
import type { EdgerestBindings } from './settings.ts'

/** Vercel's function configuration for this handler; re-declare it in the function's own file. */
export const config = { runtime: 'edge' }

export type VercelHandler = (request: Request) => Promise<Response>

/** An edge function serving the API, with `defaults` under the environment variables. */
export const createVercelHandler = (defaults: EdgerestBindings = {}): VercelHandler => {
  const app = edgerest((env) => withDefaults(defaults, env))
  return async (request) => app.fetch(request)
}

/** A function whose environment holds every setting, the snapshot included. */
export default createVercelHandler()
