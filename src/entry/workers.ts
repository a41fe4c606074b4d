/**
 * @module entry/workers: the Cloudflare Workers entry (`main` in wrangler.toml). Settings are
 * Worker bindings with PostgREST's PGRST_* names; the schema cache is the snapshot bundled from
 * schema-cache/snapshot.json unless an EDGEREST_SCHEMA_CACHE binding supplies another one (see
 * entry/shared.ts for every binding).
 *
 * Executors: neon-http by default (one HTTP request to Neon per API request); requests that must
 * roll back after reading their results go to neon-ws; `EDGEREST_EXECUTOR=neon-ws` sends
 * everything over WebSockets. The neon-ws executor closes its connection before the response is
 * returned, so nothing is left for `ctx.waitUntil`; `ctx` is still handed to the app (Hono's
 * `c.executionCtx`).
 */
import type { ExecutionContext } from 'hono'
import bundledSnapshot from '../../schema-cache/snapshot.json'
import { createEdgeFetch, type EdgeEnv } from './shared.ts'

const handle = createEdgeFetch(bundledSnapshot)

export default {
  fetch(request: Request, env: EdgeEnv, ctx: ExecutionContext): Promise<Response> {
    return handle(request, env, ctx)
  },
}
