/**
 * @module errors/response: an `ErrorResponse` on the wire. The JSON body has PostgREST's key
 * order (aeson sorts object keys: code, details, hint, message); with minimal verbosity
 * `errors/http.ts` leaves details/hint undefined and the body has only code and message.
 * Every error response carries `Content-Type: application/json; charset=utf-8` and
 * `Proxy-Status: PostgREST; error=<code>` (RFC 9209) before the error's own headers.
 */
import type { ErrorResponse } from './types.ts'

export const ERROR_CONTENT_TYPE = 'application/json; charset=utf-8'

/** The JSON text of the body. Keys whose value is undefined are left out (minimal verbosity). */
export const errorBodyJson = (er: ErrorResponse): string => {
  const body: Record<string, unknown> = { code: er.code }
  if (er.details !== undefined) body['details'] = er.details
  if (er.hint !== undefined) body['hint'] = er.hint
  body['message'] = er.message
  return JSON.stringify(body)
}

/** All headers of an error response, in PostgREST's order (Content-Length is the runtime's). */
export const errorHeaders = (er: ErrorResponse): readonly (readonly [string, string])[] => [
  ['Content-Type', ERROR_CONTENT_TYPE],
  ['Proxy-Status', `PostgREST; error=${er.code}`],
  ...er.headers,
]

/** Statuses a fetch `Response` must not carry a body with. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/** A fetch `Response` refuses a reason phrase outside HTAB / SP / VCHAR / obs-text. */
const isReasonPhrase = (s: string): boolean => /^[\t\x20-\x7e\x80-\xff]*$/.test(s)

/**
 * A web `Response` for the error. Custom headers from a PGRST raise replace same-named base
 * headers rather than duplicate them; headers the fetch API cannot carry are left out. The fetch `Response` constructor only takes statuses
 * 200–599, so a database-chosen status outside that range (`PT100`, `PGRST` with status 999)
 * is sent as 500 — PostgREST would emit it verbatim, which no runtime here can.
 */
export const toWebResponse = (er: ErrorResponse): Response => {
  const headers = new Headers()
  for (const [name, value] of errorHeaders(er)) {
    try {
      headers.set(name, value)
    } catch {
      // A header the runtime refuses (a RAISE PGRST header name with a space, a custom code
      // with a line break or non-Latin-1 text) is dropped rather than failing the error path.
    }
  }
  const status = er.status >= 200 && er.status <= 599 ? er.status : 500
  const init: ResponseInit =
    er.statusText !== undefined && status === er.status && isReasonPhrase(er.statusText)
      ? { status, statusText: er.statusText, headers }
      : { status, headers }
  return new Response(NULL_BODY_STATUSES.has(status) ? null : errorBodyJson(er), init)
}
