/**
 * @module cors: CORS as PostgREST applies it (wai-cors): any origin unless
 * server-cors-allowed-origins lists some, credentials allowed, preflight answered without the
 * database, and the headers clients read exposed.
 */
import type { AppConfig } from './config/types.ts'

const EXPOSED = 'Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit'

const allowedOrigin = (origin: string, config: AppConfig): string | null => {
  const list = config.serverCorsAllowedOrigins
  if (list === null || list.length === 0) return origin
  return list.includes(origin) ? origin : null
}

export const corsPreflight = (req: Request, config: AppConfig): Response | null => {
  const origin = req.headers.get('origin')
  if (req.method !== 'OPTIONS' || origin === null || req.headers.get('access-control-request-method') === null) return null
  const allowed = allowedOrigin(origin, config)
  const headers = new Headers()
  if (allowed !== null) {
    headers.set('Access-Control-Allow-Origin', allowed)
    headers.set('Access-Control-Allow-Credentials', 'true')
    headers.set('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD')
    const reqHeaders = req.headers.get('access-control-request-headers')
    headers.set('Access-Control-Allow-Headers', reqHeaders ? `Authorization, ${reqHeaders}` : 'Authorization')
    headers.set('Access-Control-Max-Age', '86400')
  }
  return new Response(null, { status: 200, headers })
}

export const withCors = (req: Request, res: Response, config: AppConfig): Response => {
  const origin = req.headers.get('origin')
  if (origin === null) return res
  const allowed = allowedOrigin(origin, config)
  if (allowed === null) return res
  const out = new Response(res.body, res)
  out.headers.set('Access-Control-Allow-Origin', allowed)
  out.headers.set('Access-Control-Allow-Credentials', 'true')
  out.headers.set('Access-Control-Expose-Headers', EXPOSED)
  return out
}
