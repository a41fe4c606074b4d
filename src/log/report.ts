/**
 * @module log/report: the app's report of one answered request — the request observation (and,
 * when wanted, the statements it ran and a 5xx answer's error body) — from what the app has at
 * hand: the request, the response, the runtime's `env`, and the trace the pipeline filled in.
 */
import type { Log, RequestTrace } from './types.ts'

/** Path and query of a request URL, as the client sent them. */
const targetOf = (url: string): string => {
  const at = url.indexOf('/', url.indexOf('//') + 2)
  return at < 0 ? '/' : url.slice(at)
}

/**
 * The client's address: @hono/node-server hands the socket over as `env.incoming`; Cloudflare
 * puts the address in CF-Connecting-IP. Elsewhere unknown.
 */
const clientOf = (request: Request, env: unknown): string | null => {
  const socket = (env as { incoming?: { socket?: { remoteAddress?: unknown } } } | undefined)?.incoming?.socket
  if (typeof socket?.remoteAddress === 'string') return socket.remoteAddress
  return request.headers.get('cf-connecting-ip')
}

/** `PostgREST; error=PGRST205` → `PGRST205`. */
const errorCode = (response: Response): string | null => {
  const status = response.headers.get('proxy-status')
  const at = status === null ? -1 : status.indexOf('error=')
  return status === null || at < 0 ? null : status.slice(at + 6)
}

export const reportRequest = async (log: Log, request: Request, env: unknown, response: Response, trace: RequestTrace, durationMs: number): Promise<void> => {
  const { status } = response
  // At the default level (error) a 2xx builds nothing.
  if (!log.wantsRequest(status)) return
  if (trace.statements !== null && trace.statements.length > 0) log.observe({ kind: 'query', status, statements: trace.statements })
  if (status >= 500 && log.errors && response.body !== null) log.observe({ kind: 'error', status, body: await response.clone().text() })
  const length = response.headers.get('content-length')
  log.observe({
    kind: 'request',
    method: request.method,
    target: targetOf(request.url),
    status,
    durationMs,
    role: trace.role,
    code: errorCode(response),
    bytes: length === null ? null : Number(length),
    client: clientOf(request, env),
    referer: request.headers.get('referer'),
    userAgent: request.headers.get('user-agent'),
  })
}
