/**
 * @module app: the Hono app. One catch-all route hands every request to the pipeline; CORS for
 * browsers; `onError` turns a bug into a generic 500 without leaking a stack trace. The route
 * serves the API below wherever it is mounted and below EDGEREST_BASE_PATH (base-path.ts).
 */
import { Hono } from 'hono'
import { basePath as mountPath } from 'hono/route'
import { handleRequest, type PipelineDeps } from './pipeline.ts'
import { corsPreflight, withCors } from './cors.ts'
import { depsServedAt, servedTarget } from './base-path.ts'
import { errorToResponse } from './errors/http.ts'
import { apiErr } from './errors/types.ts'

/**
 * Resolves the per-isolate dependencies (config, schema cache, executors) from runtime bindings,
 * or the response every request gets while they cannot be built (a misconfigured deployment).
 */
export type DepsResolver<E> = (env: E) => PipelineDeps | Response | Promise<PipelineDeps | Response>

export const createApp = <E extends object>(resolveDeps: DepsResolver<E>): Hono<{ Bindings: E }> => {
  const app = new Hono<{ Bindings: E }>()
  app.all('*', async (c) => {
    const deps = await resolveDeps(c.env)
    if (deps instanceof Response) return deps
    const preflight = corsPreflight(c.req.raw, deps.config)
    if (preflight) return preflight
    const served = servedTarget(c.req.url, mountPath(c), deps.config.basePath)
    const res =
      served === null
        ? errorToResponse(apiErr({ kind: 'invalidResourcePath' }), deps.config.clientErrorVerbosity)
        : await handleRequest(c.req.raw, depsServedAt(deps, served.prefix), served.target)
    return withCors(c.req.raw, res, deps.config)
  })
  app.onError((e) => {
    console.error('edgerest: unhandled error', e)
    return new Response(JSON.stringify({ code: 'PGRSTX00', details: null, hint: null, message: 'Internal server error' }), {
      status: 500,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    })
  })
  return app
}
