/**
 * @module request-body: a request's body as bytes, refused with 413 (PGRSTX01) when it is over
 * EDGEREST_MAX_BODY_BYTES, before it is held in memory whole.
 *
 * Why a limit at all (PostgREST has none): a body is read whole, then decoded, parsed and sent to
 * the database as a parameter, so it costs several times its size in memory, and an edge isolate
 * has 128 MB for every request it serves. The default, 10 MiB, is what one request to Neon's
 * SQL-over-HTTP endpoint may carry in all; see README "Operations".
 *
 * A declared Content-Length over the limit is refused without reading a byte (the runtime then
 * discards the rest); a body without one (chunked) is read until it goes past the limit, then
 * cancelled. Either way nothing reaches the database.
 */
import { apiErr, type AppError } from './errors/types.ts'
import { err, ok, type Result } from './result.ts'

const tooLarge = (limit: number, size: number | null): Result<never, AppError> => err(apiErr({ kind: 'payloadTooLarge', limit, size }))

/** Concatenates the chunks read so far. */
const concat = (chunks: readonly Uint8Array[], size: number): Uint8Array => {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0]
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

/** The body, or the 413 error; `limit` null = no limit. */
export const readBody = async (request: Request, limit: number | null): Promise<Result<Uint8Array, AppError>> => {
  const declared = request.headers.get('content-length')
  if (limit === null || declared !== null || request.body === null) {
    const size = declared === null ? null : Number(declared)
    if (limit !== null && size !== null && size > limit) return tooLarge(limit, size)
    // The framing guarantees a declared length; arrayBuffer() is the runtime's fast path.
    return ok(new Uint8Array(await request.arrayBuffer()))
  }
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return ok(concat(chunks, size))
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      return tooLarge(limit, null)
    }
    chunks.push(value)
  }
}
