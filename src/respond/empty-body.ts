/**
 * @module respond/empty-body: responses made without a body although their status allows one (a
 * 201 without representation, a CORS preflight), remembered so the Node server can give them
 * `Content-Length: 0`, as PostgREST (warp) does, where Node would otherwise send them chunked.
 *
 * Why a mark rather than looking at `response.body`: on Node, @hono/node-server's Response is a
 * light object that writes a string body straight to the socket; reading `.body` turns it into a
 * real fetch Response with a ReadableStream, which cost several percent of a request's CPU.
 */
const empty = new WeakSet<Response>()

/** A Response with no body, marked as such. */
export const emptyResponse = (status: number, headers: Headers): Response => {
  const res = new Response(null, { status, headers })
  empty.add(res)
  return res
}

/** Whether `res` was made by emptyResponse. */
export const isEmptyResponse = (res: Response): boolean => empty.has(res)
