/**
 * @module app: the Hono app. One catch-all route hands every request to the pipeline; CORS for
 * browsers; `onError` turns a bug into a generic 500 without leaking a stack trace.
 */
import { Hono } from 'hono'
import { handleRequest, type PipelineDeps } from './pipeline.ts'
import { corsPreflight, withCors } from './cors.ts'

/** Resolves the per-isolate dependencies (config, schema cache, executors) from runtime bindings. */
export type DepsResolver<E> = (env: E) => PipelineDeps | Promise<PipelineDeps>

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
    const preflight = corsPreflight(c.req.raw, deps.config)
    const response = preflight ?? withCors(c.req.raw, await handleRequest(c.req.raw, deps), deps.config)
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
