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

/**
 * PGRST_SERVER_TRACE_HEADER: the named request header is echoed on every response (errors and
 * CORS preflights included), empty when the request did not send it — as PostgREST's outermost
 * middleware does, so a request id can be followed from a proxy's logs to the response.
 */
const withTraceHeader = (req: Request, res: Response, header: string | null): Response => {
  if (header === null) return res
  res.headers.set(header, req.headers.get(header) ?? '')
  return res
}

export const createApp = <E extends object>(resolveDeps: DepsResolver<E>): Hono<{ Bindings: E }> => {
  const app = new Hono<{ Bindings: E }>()
  app.all('*', async (c) => {
    const deps = await resolveDeps(c.env)
    if (deps instanceof Response) return deps
    const preflight = corsPreflight(c.req.raw, deps.config)
    const served = preflight === null ? servedTarget(c.req.url, mountPath(c), deps.config.basePath) : null
    const response =
      preflight ??
      withCors(
        c.req.raw,
        served === null
          ? errorToResponse(apiErr({ kind: 'invalidResourcePath' }), deps.config.clientErrorVerbosity)
          : await handleRequest(c.req.raw, depsServedAt(deps, served.prefix), served.target),
        deps.config,
      )
    return withTraceHeader(c.req.raw, response, deps.config.serverTraceHeader)
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
