/**
 * @module cors: CORS as PostgREST applies it (its policy over the wai-cors middleware), for
 * browsers calling the API from another origin.
 *
 * Only requests with an `Origin` header are touched. The origin is accepted when
 * PGRST_SERVER_CORS_ALLOWED_ORIGINS is unset/empty (any origin: `Access-Control-Allow-Origin: *`,
 * no credentials) or lists it exactly (that origin, with `Access-Control-Allow-Credentials: true`).
 * A request whose origin or preflight is not accepted is not refused: it goes to the API as if CORS
 * did not exist and gets no CORS headers, which is what makes the browser block it.
 *
 * - Preflight (`OPTIONS` with `Access-Control-Request-Method` naming one of GET, POST, PATCH, PUT,
 *   DELETE, OPTIONS, HEAD): answered here, without the database: 200, empty body, the allowed
 *   methods, `Access-Control-Allow-Headers` (Authorization, the requested headers, and the simple
 *   Accept, Accept-Language, Content-Language), `Access-Control-Max-Age: 86400`.
 * - Any other request: the API's response plus `Access-Control-Expose-Headers` listing the headers
 *   clients read (Content-Range for counts, Location after inserts, …).
 */
import type { AppConfig } from './config/types.ts'
import { emptyResponse } from './respond/empty-body.ts'

const EXPOSED = 'Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit'
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']
const SIMPLE_HEADERS = ['Accept', 'Accept-Language', 'Content-Language']
const MAX_AGE = String(60 * 60 * 24)

/** The CORS headers every accepted request gets, or null when the origin is not accepted. */
const originHeaders = (req: Request, config: AppConfig): [string, string][] | null => {
  const origin = req.headers.get('origin')
  if (origin === null) return null
  const list = config.serverCorsAllowedOrigins
  if (list === null || list.length === 0) return [['Access-Control-Allow-Origin', '*']]
  return list.includes(origin)
    ? [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Credentials', 'true'],
      ]
    : null
}

/**
 * The allowed request headers: Authorization and the requested ones as sent (split on commas,
 * trimmed), then the simple headers not already named (names compare case-insensitively).
 */
const allowHeaders = (requested: string): string => {
  const names = ['Authorization', ...(requested === '' ? [] : requested.split(',').map((h) => h.trim()))]
  const seen = new Set(names.map((h) => h.toLowerCase()))
  return [...names, ...SIMPLE_HEADERS.filter((h) => !seen.has(h.toLowerCase()))].join(', ')
}

/** The preflight response, or null when the request is not an accepted preflight (the API answers it). */
export const corsPreflight = (req: Request, config: AppConfig): Response | null => {
  if (req.method !== 'OPTIONS') return null
  const common = originHeaders(req, config)
  const method = req.headers.get('access-control-request-method')
  if (common === null || method === null || !METHODS.includes(method)) return null
  const headers = new Headers(common)
  headers.set('Access-Control-Allow-Methods', METHODS.join(', '))
  const requested = req.headers.get('access-control-request-headers')
  if (requested !== null) headers.set('Access-Control-Allow-Headers', allowHeaders(requested))
  headers.set('Access-Control-Max-Age', MAX_AGE)
  return emptyResponse(200, headers)
}

/** The API's response to an accepted cross-origin request, with the CORS headers added. */
export const withCors = (req: Request, res: Response, config: AppConfig): Response => {
  // An OPTIONS request that reached the API was not an accepted preflight: no CORS headers.
  if (req.method === 'OPTIONS') return res
  const common = originHeaders(req, config)
  if (common === null) return res
  // The API's responses are made per request with mutable headers: add to them in place rather
  // than copying the response (which, on Node, would turn a string body into a stream).
  for (const [k, v] of common) res.headers.set(k, v)
  res.headers.set('Access-Control-Expose-Headers', EXPOSED)
  return res
}
