/**
 * @module app: the Hono app. One catch-all route hands every request to the pipeline; CORS for
 * browsers; `onError` turns a bug into a generic 500 without leaking a stack trace (and a snapshot
 * found corrupt on use into the misconfigured-deployment answer). The route
 * serves the API below wherever it is mounted and below EDGEREST_BASE_PATH (base-path.ts). Each
 * answered request is reported to the deps' log (log/report.ts) when the log level or the metrics
 * want it; the pipeline notes the request's role in the trace it is handed.
 */
import { Hono } from 'hono/tiny'
import { basePath as mountPath } from 'hono/route'
import { handleRequest, type PipelineDeps } from './pipeline.ts'
import { corsPreflight, withCors } from './cors.ts'
import { depsServedAt, servedTarget } from './base-path.ts'
import { errorToResponse } from './errors/http.ts'
import { apiErr } from './errors/types.ts'
import { reportRequest } from './log/report.ts'
import type { RequestTrace } from './log/types.ts'
import type { Executor } from './execute/types.ts'
import { misconfigured } from './misconfigured.ts'
import { CorruptSnapshotError } from './schema-cache/load.ts'

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

/** An executor that notes the SQL text of what it runs in the trace (PGRST_LOG_QUERY). */
const recording = (executor: Executor, statements: string[]): Executor => ({
  kind: executor.kind,
  interactive: executor.interactive,
  run: (run, options) => {
    for (const s of run) statements.push(s.text)
    return executor.run(run, options)
  },
})

/** The deps of one request whose statements the log wants; the deps themselves otherwise. */
const recordStatements = (deps: PipelineDeps, trace: RequestTrace | undefined): PipelineDeps => {
  const statements = trace?.statements
  if (statements === null || statements === undefined) return deps
  const interactive = deps.interactiveExecutor
  return { ...deps, executor: recording(deps.executor, statements), interactiveExecutor: interactive && recording(interactive, statements) }
}

export const createApp = <E extends object>(resolveDeps: DepsResolver<E>): Hono<{ Bindings: E }> => {
  const app = new Hono<{ Bindings: E }>()
  const respond = async (request: Request, url: string, mounted: string, deps: PipelineDeps, trace: RequestTrace | undefined): Promise<Response> => {
    const preflight = corsPreflight(request, deps.config)
    const served = preflight === null ? servedTarget(url, mounted, deps.config.basePath) : null
    const response =
      preflight ??
      withCors(
        request,
        served === null
          ? errorToResponse(apiErr({ kind: 'invalidResourcePath' }), deps.config.clientErrorVerbosity)
          : await handleRequest(request, recordStatements(depsServedAt(deps, served.prefix), trace), served.target, trace),
        deps.config,
      )
    return withTraceHeader(request, response, deps.config.serverTraceHeader)
  }
  app.all('*', async (c) => {
    const deps = await resolveDeps(c.env)
    if (deps instanceof Response) return deps
    const log = deps.log
    // Nobody wants request observations (PGRST_LOG_LEVEL=crit, no metrics): nothing is timed.
    if (log === undefined || !log.requests) return respond(c.req.raw, c.req.url, mountPath(c), deps, undefined)
    const started = performance.now()
    const trace: RequestTrace = { role: null, statements: log.queries ? [] : null }
    const response = await respond(c.req.raw, c.req.url, mountPath(c), deps, trace)
    await reportRequest(log, c.req.raw, c.env, response, trace, performance.now() - started)
    return response
  })
  app.onError((e) => {
    // A packed snapshot checked on use (the edge) can turn out corrupt at a lookup: answered as a
    // snapshot rejected at startup is.
    if (e instanceof CorruptSnapshotError) return misconfigured(`the EDGEREST_SCHEMA_CACHE binding: ${e.message}`)
    console.error('edgerest: unhandled error', e)
    return new Response(JSON.stringify({ code: 'PGRSTX00', details: null, hint: null, message: 'Internal server error' }), {
      status: 500,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    })
  })
  return app
}
