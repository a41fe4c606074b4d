/**
 * @module execute/errors: what a driver threw → the `PgError` the rest of the pipeline reasons
 * about, carried in a `PgrstError`. One mapping for all three drivers:
 * - `pg` / the Neon WebSocket client throw pg-protocol `DatabaseError`s (SQLSTATE in `code`);
 * - the Neon HTTP driver throws `NeonDbError`: the Postgres fields for a 400, no code for other
 *   statuses, and `sourceError` when the fetch itself failed;
 * - sockets fail with Node system errors (`ECONNREFUSED`, …) or plain `Error`s.
 * Detection is structural (no `instanceof`): the driver may be bundled more than once.
 */
import { PgrstError, isPgrstError, pgErr, type PgError } from '../errors/types.ts'

/** Where the failure happened: anything while connecting is a connection error (PGRST000). */
export type DriverPhase = 'connect' | 'query'

const SQLSTATE = /^[0-9A-Z]{5}$/

const field = (e: object, key: string): string | undefined => {
  const v = (e as Record<string, unknown>)[key]
  return typeof v === 'string' ? v : undefined
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : typeof e === 'string' ? e : String(e))

/**
 * SQLSTATEs that mean "could not get a usable session" rather than "the statement failed":
 * connection exceptions (08), invalid authorization (28: a wrong password over Neon HTTP shows
 * up as 28P01 in the response body), unknown database, too many connections, server shutting down.
 */
const isConnectionSqlState = (code: string): boolean =>
  code.startsWith('08') || code.startsWith('28') || code === '3D000' || code === '53300' || /^57P0[1-3]$/.test(code)

/**
 * Neon answers a bad `Neon-Connection-String` with 400 and these messages (no SQLSTATE): the
 * configuration is wrong, so the database is unreachable as far as a client is concerned.
 */
const NEON_CONN_INFO_MESSAGE =
  /^(invalid header: |invalid connection string: |incorrect scheme|missing (database name|username|hostname|authentication credentials)|invalid (database name|username|hostname)|malformed endpoint)/

/** `Server error (HTTP status 503): …` from the Neon HTTP driver for non-400 answers. */
const NEON_HTTP_STATUS = /^Server error \(HTTP status (\d{3})\)/

/**
 * Neon's own words from `Server error (HTTP status N): <body>`: the body is Neon's JSON error
 * (`{"message":"response is too large (max is 10485760 bytes)",…}`) or plain text.
 */
const neonBody = (message: string): string => {
  const body = message.replace(NEON_HTTP_STATUS, '').replace(/^: /, '')
  try {
    const parsed = JSON.parse(body) as unknown
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
      return (parsed as { message: string }).message
    }
  } catch {
    // Plain text: the body is the message.
  }
  return body
}

/** A server-sent ErrorResponse: a SQLSTATE plus severity (Node system errors have `errno`). */
const serverFields = (e: unknown): { code: string; message: string; detail: string | null; hint: string | null } | undefined => {
  if (typeof e !== 'object' || e === null) return undefined
  const code = field(e, 'code')
  if (code === undefined || !SQLSTATE.test(code) || 'errno' in e) return undefined
  if (field(e, 'severity') === undefined && field(e, 'name') !== 'NeonDbError') return undefined
  return { code, message: messageOf(e), detail: field(e, 'detail') ?? null, hint: field(e, 'hint') ?? null }
}

/** Map any error thrown by a driver call to the PgError it stands for. */
export const pgErrorOf = (e: unknown, phase: DriverPhase): PgError => {
  if (isPgrstError(e) && e.pgrstAppError.origin === 'pg') return e.pgrstAppError.error
  const server = serverFields(e)
  if (server) {
    if (phase === 'connect' || isConnectionSqlState(server.code)) return { kind: 'connection', details: server.message }
    return { kind: 'server', authenticated: false, error: server }
  }
  const message = messageOf(e)
  if (phase === 'connect') return { kind: 'connection', details: message }
  if (typeof e === 'object' && e !== null) {
    // Node socket failures (ECONNREFUSED, ECONNRESET, ETIMEDOUT, …).
    if ('errno' in e && typeof field(e, 'code') === 'string') return { kind: 'connection', details: message }
    if (field(e, 'name') === 'NeonDbError') {
      // The fetch itself failed: the endpoint is unreachable.
      if ((e as { sourceError?: unknown }).sourceError !== undefined) return { kind: 'connection', details: message }
      if (NEON_CONN_INFO_MESSAGE.test(message)) return { kind: 'connection', details: message }
      const status = NEON_HTTP_STATUS.exec(message)?.[1]
      // 500/502/503/504: the proxy could not reach compute. 413 and 507: the request or the
      // result is over Neon's size limit. The rest are failures after connecting, i.e. client errors.
      if (status !== undefined && ['500', '502', '503', '504'].includes(status)) return { kind: 'connection', details: message }
      if (status === '413' || status === '507') {
        return { kind: 'transportLimit', direction: status === '413' ? 'request' : 'response', details: neonBody(message) }
      }
    }
  }
  return { kind: 'client', details: message }
}

/** Wrap a driver error for throwing out of an executor; the original stays in `cause`. */
export const toPgrstError = (e: unknown, phase: DriverPhase): PgrstError => {
  if (isPgrstError(e)) return e
  const wrapped = new PgrstError(pgErr(pgErrorOf(e, phase)))
  wrapped.cause = e
  return wrapped
}
