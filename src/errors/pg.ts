/**
 * @module errors/pg: what a Postgres error becomes on the wire (PostgREST's `mapSQLtoHTTP` and
 * the `PgError` instances of Error.hs). Two special SQLSTATEs give the database full control of
 * the response: `PTxyz` picks the status (and the message becomes the reason phrase), and
 * `PGRST` carries JSON in MESSAGE (code/message/details/hint) and DETAIL (status/status_text/
 * headers). A `PGRST` raise whose JSON does not parse is reported as a `RaiseError`, which
 * `errors/http.ts` turns into PGRST121; this module never builds request-error responses.
 */
import { err, ok, type Result } from '../result.ts'
import type { ErrorResponse, PgError, PgServerError, RaiseError } from './types.ts'

export interface HttpStatus {
  readonly status: number
  /** Only for custom reason phrases (PTxyz, PGRST `status_text`). */
  readonly statusText?: string | undefined
}

/** A parsed `RAISE SQLSTATE 'PGRST'`: MESSAGE and DETAIL JSON objects combined. */
export interface PgrstRaise {
  readonly code: string
  readonly message: string
  readonly details: string | null
  readonly hint: string | null
  readonly status: number
  readonly statusText: string | null
  /** Sorted by name, as PostgREST's `Map Text Text` lists them. */
  readonly headers: readonly (readonly [string, string])[]
}

/** PostgREST answers a PGRST raise it cannot parse with PGRST121, whose status is 500. */
const PGRST_PARSE_ERROR_STATUS = 500

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** An optional text field as aeson's `.:?` reads it: absent or null → null, string → string, else invalid. */
const optText = (obj: Record<string, unknown>, key: string): { ok: true; value: string | null } | { ok: false } => {
  const v = obj[key]
  if (v === undefined || v === null) return { ok: true, value: null }
  return typeof v === 'string' ? { ok: true, value: v } : { ok: false }
}

type RaiseMessage = Pick<PgrstRaise, 'code' | 'message' | 'details' | 'hint'>
type RaiseDetail = Pick<PgrstRaise, 'status' | 'statusText' | 'headers'>

const parseRaiseMessage = (text: string): RaiseMessage | null => {
  const v = parseJson(text)
  if (!isPlainObject(v)) return null
  const { code, message } = v
  if (typeof code !== 'string' || typeof message !== 'string') return null
  const details = optText(v, 'details')
  const hint = optText(v, 'hint')
  if (!details.ok || !hint.ok) return null
  return { code, message, details: details.value, hint: hint.value }
}

const parseRaiseDetail = (text: string): RaiseDetail | null => {
  const v = parseJson(text)
  if (!isPlainObject(v)) return null
  const { status, headers } = v
  // aeson reads `Int` from any integral JSON number (402 and 402.0 alike).
  if (typeof status !== 'number' || !Number.isSafeInteger(status)) return null
  const statusText = optText(v, 'status_text')
  if (!statusText.ok || !isPlainObject(headers)) return null
  const pairs: [string, string][] = []
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') return null
    pairs.push([name, value])
  }
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { status, statusText: statusText.value, headers: pairs }
}

/**
 * Parse the MESSAGE and DETAIL of a `RAISE SQLSTATE 'PGRST'`, checked in PostgREST's order:
 * MESSAGE first, then the presence of DETAIL, then DETAIL's JSON.
 */
export const parseRaisePgrst = (message: string, detail: string | null | undefined): Result<PgrstRaise, RaiseError> => {
  const msg = parseRaiseMessage(message)
  if (msg === null) return err({ kind: 'msgParse', message })
  if (detail === null || detail === undefined) return err({ kind: 'noDetail' })
  const det = parseRaiseDetail(detail)
  if (det === null) return err({ kind: 'detParse', detail })
  return ok({ ...msg, ...det })
}

/** Status (and custom reason phrase) of a parsed PGRST raise. */
export const raiseStatus = (raise: PgrstRaise): HttpStatus =>
  raise.statusText === null ? { status: raise.status } : { status: raise.status, statusText: raise.statusText }

/**
 * SQLSTATE → HTTP status, PostgREST's `mapSQLtoHTTP`. `authenticated` is whether the request
 * carried a valid JWT: insufficient_privilege (42501) is 403 then and 401 for the anonymous role.
 * Order matters: exact codes are tested before the class prefixes they belong to.
 */
export const sqlStateStatus = (authenticated: boolean, error: PgServerError): HttpStatus => {
  const { code, message } = error
  const cls = code.slice(0, 2)
  switch (code) {
    case '23503': // foreign_key_violation
    case '23505': // unique_violation
      return { status: 409 }
    case '25006': // read_only_sql_transaction
      return { status: 405 }
    case '21000': // cardinality_violation; pg-safeupdate's refusal is the client's fault
      return { status: message.endsWith('requires a WHERE clause') ? 400 : 500 }
    case '22023': // invalid_parameter_value; a JWT role that does not exist is an auth failure
      return { status: message.startsWith('role') && message.endsWith('does not exist') ? 401 : 400 }
    case '53400': // configuration_limit_exceeded
      return { status: 500 }
    case '57P01': // admin_shutdown
      return { status: 503 }
    case 'P0001': // default SQLSTATE of RAISE
      return { status: 400 }
    case '42883': // undefined_function; xmlagg missing means no XML output is possible
      return { status: message.startsWith('function xmlagg(') ? 406 : 404 }
    case '42P01': // undefined_table
      return { status: 404 }
    case '42P17': // invalid_object_definition (infinite recursion)
      return { status: 500 }
    case '42501': // insufficient_privilege
      return { status: authenticated ? 403 : 401 }
    case 'PGRST': {
      const parsed = parseRaisePgrst(message, error.detail)
      return parsed.ok ? raiseStatus(parsed.value) : { status: PGRST_PARSE_ERROR_STATUS }
    }
  }
  switch (cls) {
    case '08': // connection exception
      return { status: 503 }
    case '09': // triggered action exception
      return { status: 500 }
    case '0L': // invalid grantor
    case '0P': // invalid role specification
      return { status: 403 }
    case '25': // invalid transaction state
      return { status: 500 }
    case '28': // invalid authorization specification
      return { status: 403 }
    case '2D': // invalid transaction termination
    case '38': // external routine exception
    case '39': // external routine invocation exception
    case '3B': // savepoint exception
    case '40': // transaction rollback
      return { status: 500 }
    case '53': // insufficient resources
      return { status: 503 }
    case '54': // program limit exceeded
    case '55': // object not in prerequisite state
    case '57': // operator intervention
    case '58': // system error
    case 'F0': // configuration file error
    case 'HV': // foreign data wrapper error
    case 'P0': // PL/pgSQL error
    case 'XX': // internal error
      return { status: 500 }
    case 'PT': {
      // PTxyz: the status is xyz and the message is the reason phrase; not a number → 500.
      const digits = code.slice(2)
      return /^[0-9]+$/.test(digits) ? { status: Number(digits), statusText: message } : { status: 500 }
    }
  }
  return { status: 400 }
}

const CONNECTION_ERROR_MESSAGE = 'Database connection error.'
const CLIENT_ERROR_MESSAGE = 'Database client error. Retrying the connection.'
const ACQUISITION_TIMEOUT_MESSAGE = 'Timed out acquiring connection from connection pool.'

/**
 * Beyond PostgREST: what Neon's HTTP endpoint refused for its size. Not PGRST001 (503, "Retrying
 * the connection"): retrying the same request fails the same way, so the answer says which limit
 * and what helps. A request over the limit is the client's to shrink (413); a result over it is
 * for the client to page through or for the deployment to read over neon-ws, which has no limit.
 */
const transportLimitResponse = (direction: 'request' | 'response', details: string): ErrorResponse =>
  direction === 'request'
    ? {
        status: 413,
        code: 'PGRSTX02',
        message: "The request is too large for Neon's SQL-over-HTTP endpoint",
        details,
        hint: 'Send a smaller body (split a bulk insert into several requests), or set EDGEREST_EXECUTOR=neon-ws, which has no request size limit',
        headers: [],
      }
    : {
        status: 500,
        code: 'PGRSTX03',
        message: "The response is too large for Neon's SQL-over-HTTP endpoint",
        details,
        hint: 'Request fewer rows (limit and offset, a Range header, or PGRST_DB_MAX_ROWS), or set EDGEREST_EXECUTOR=neon-ws, which has no response size limit',
        headers: [],
      }

/**
 * The response for a database-side error. `err` only for a `PGRST` raise whose JSON does not
 * parse (the caller reports it as PGRST121). Verbose shape: details/hint are null when absent.
 */
export const pgErrorResponse = (error: PgError): Result<ErrorResponse, RaiseError> => {
  switch (error.kind) {
    case 'server': {
      const e = error.error
      if (e.code === 'PGRST') {
        const parsed = parseRaisePgrst(e.message, e.detail)
        if (!parsed.ok) return parsed
        const r = parsed.value
        return ok({
          ...raiseStatus(r),
          code: r.code,
          message: r.message,
          details: r.details,
          hint: r.hint,
          headers: r.headers,
        })
      }
      const { status, statusText } = sqlStateStatus(error.authenticated, e)
      return ok({
        status,
        ...(statusText === undefined ? {} : { statusText }),
        code: e.code,
        message: e.message,
        details: e.detail ?? null,
        hint: e.hint ?? null,
        // PostgREST asks for credentials on every 401 the database causes (42501 as anon,
        // a missing JWT role, PT401).
        headers: status === 401 ? [['WWW-Authenticate', 'Bearer']] : [],
      })
    }
    case 'connection':
      return ok({ status: 503, code: 'PGRST000', message: CONNECTION_ERROR_MESSAGE, details: error.details, hint: null, headers: [] })
    case 'client':
      return ok({ status: 503, code: 'PGRST001', message: CLIENT_ERROR_MESSAGE, details: error.details, hint: null, headers: [] })
    case 'acquisitionTimeout':
      return ok({ status: 504, code: 'PGRST003', message: ACQUISITION_TIMEOUT_MESSAGE, details: null, hint: null, headers: [] })
    case 'transportLimit':
      return ok(transportLimitResponse(error.direction, error.details))
    default: {
      const never: never = error
      throw new Error(`unhandled PgError ${JSON.stringify(never)}`)
    }
  }
}
