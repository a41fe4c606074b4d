/**
 * @module app: the Hono app. One catch-all route hands every request to the pipeline; CORS for
 * browsers; `onError` turns a bug into a generic 500 without leaking a stack trace.
 */
import { Hono } from 'hono'
import { handleRequest, type PipelineDeps } from './pipeline.ts'
import { corsPreflight, withCors } from './cors.ts'

/** Resolves the per-isolate dependencies (config, schema cache, executors) from runtime bindings. */
export type DepsResolver<E> = (env: E) => PipelineDeps | Promise<PipelineDeps>

export const createApp = <E extends object>(resolveDeps: DepsResolver<E>): Hono<{ Bindings: E }> => {
  const app = new Hono<{ Bindings: E }>()
  app.all('*', async (c) => {
    const deps = await resolveDeps(c.env)
    const preflight = corsPreflight(c.req.raw, deps.config)
    if (preflight) return preflight
    return withCors(c.req.raw, await handleRequest(c.req.raw, deps), deps.config)
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
