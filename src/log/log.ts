/**
 * @module log/log: observations → log lines, by PostgREST's rules for PGRST_LOG_LEVEL:
 * - `crit`: no request lines; `error`: requests answered 5xx, plus their error body (the SQLSTATE
 *   or PGRST code with its message); `warn`: 4xx too; `info` and `debug`: every request.
 * - PGRST_LOG_QUERY: a request's statements (SQL text only, never the parameters' values), under
 *   the same rule as its request line.
 * - The Node server's notices (startup, schema cache loads, reconnects) at every level; `debug`
 *   adds pool and reload detail.
 *
 * Two formats (EDGEREST_LOG_FORMAT): `text`, PostgREST's — an Apache combined line per request on
 * stdout (plus the duration in seconds, as nginx's $request_time), `dd/Mon/yyyy:HH:MM:SS +0000: …`
 * lines for the rest on stderr; and `json`, one object per line (Workers Logs indexes its
 * fields), the edge default. A line is built only when it will be written: a level that is off
 * costs a comparison.
 */
import type { LogFormat, LogLevel } from '../config/types.ts'
import type { Log, Observation, Observer, RequestObservation } from './types.ts'

const RANK: Readonly<Record<LogLevel, number>> = { crit: 0, error: 1, warn: 2, info: 3, debug: 4 }

/** PostgREST's shouldLogResponse. */
export const logsResponse = (level: LogLevel, status: number): boolean => {
  switch (level) {
    case 'crit':
      return false
    case 'error':
      return status >= 500
    case 'warn':
      return status >= 400
    case 'info':
    case 'debug':
      return true
    default: {
      const never: never = level
      throw new TypeError(`unknown log level ${String(never)}`)
    }
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n: number): string => (n < 10 ? `0${n}` : String(n))

let clockSecond = -1
let clockText = ''
/** `21/Nov/2026:10:00:00 +0000` (UTC), rebuilt at most once a second. */
const logTime = (): string => {
  const now = Date.now()
  const second = Math.floor(now / 1000)
  if (second !== clockSecond) {
    const d = new Date(now)
    clockSecond = second
    clockText = `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  }
  return clockText
}

const quoted = (s: string | null): string => `"${(s ?? '').replace(/["\\]/g, '\\$&')}"`
const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ')

/** PostgREST's access line (Apache combined) followed by the duration in seconds. */
export const accessLine = (r: RequestObservation): string =>
  `${r.client ?? '-'} - ${r.role ?? '-'} [${logTime()}] ${quoted(`${r.method} ${r.target} HTTP/1.1`)} ${r.status} ${r.bytes ?? '-'} ${quoted(r.referer)} ${quoted(r.userAgent)} ${(r.durationMs / 1000).toFixed(3)}`

const statusLevel = (status: number): 'info' | 'warn' | 'error' => (status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info')

/** The console method Workers Logs and Node map to the line's level. */
const write = (level: 'debug' | 'info' | 'warn' | 'error', line: string): void => {
  switch (level) {
    case 'debug':
      console.debug(line)
      return
    case 'info':
      console.log(line)
      return
    case 'warn':
      console.warn(line)
      return
    case 'error':
      console.error(line)
      return
    default: {
      const never: never = level
      throw new TypeError(`unknown line level ${String(never)}`)
    }
  }
}

const parsedBody = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return body
  }
}

const jsonLine = (level: 'debug' | 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown>): void =>
  write(level, JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }))

const writeJson = (o: Observation): void => {
  switch (o.kind) {
    case 'request':
      jsonLine(statusLevel(o.status), 'request', {
        method: o.method,
        path: o.target,
        status: o.status,
        duration_ms: Math.round(o.durationMs * 10) / 10,
        role: o.role,
        code: o.code,
        bytes: o.bytes,
        client: o.client,
        user_agent: o.userAgent,
      })
      return
    case 'query':
      jsonLine(statusLevel(o.status), 'query', { status: o.status, sql: o.statements.map(oneLine) })
      return
    case 'error':
      jsonLine('error', 'error', { status: o.status, error: parsedBody(o.body) })
      return
    case 'notice':
      jsonLine(o.level, 'notice', { message: o.message })
      return
    case 'debug':
      jsonLine('debug', 'debug', { message: o.message })
      return
    default: {
      const never: never = o
      throw new TypeError(`unknown observation ${JSON.stringify(never)}`)
    }
  }
}

const writeText = (o: Observation): void => {
  switch (o.kind) {
    case 'request':
      console.log(accessLine(o))
      return
    case 'query':
      for (const s of o.statements) console.error(`${logTime()}: ${oneLine(s)}`)
      return
    case 'error':
      console.error(`${logTime()}: ${o.body}`)
      return
    case 'notice':
    case 'debug':
      console.error(`${logTime()}: ${o.message}`)
      return
    default: {
      const never: never = o
      throw new TypeError(`unknown observation ${JSON.stringify(never)}`)
    }
  }
}

export interface LogOptions {
  readonly level: LogLevel
  readonly logQuery: boolean
  readonly format: LogFormat
  /** Another consumer of every observation (the Node server's metrics). */
  readonly observer?: Observer | undefined
}

/** Whether the logger writes `o` at `level` (log-query decides for queries before this). */
const wanted = (level: LogLevel, o: Observation): boolean => {
  switch (o.kind) {
    case 'request':
    case 'query':
      return logsResponse(level, o.status)
    case 'error':
      return RANK[level] >= RANK.error
    case 'notice':
      return true
    case 'debug':
      return level === 'debug'
    default: {
      const never: never = o
      throw new TypeError(`unknown observation ${JSON.stringify(never)}`)
    }
  }
}

export const createLog = (options: LogOptions): Log => {
  const { level, observer } = options
  const writeLine = options.format === 'json' ? writeJson : writeText
  return {
    // Request observations are built when some request could be logged, or the metrics count them.
    requests: level !== 'crit' || observer !== undefined,
    wantsRequest: (status) => observer !== undefined || logsResponse(level, status),
    queries: options.logQuery && level !== 'crit',
    errors: RANK[level] >= RANK.error,
    observe: (o) => {
      if (observer !== undefined) observer(o)
      if (wanted(level, o)) writeLine(o)
    },
  }
}
