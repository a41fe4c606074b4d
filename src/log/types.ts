/**
 * @module log/types: what edgerest reports while it runs, as structured events (PostgREST's
 * "observations"): the app reports each request, the Node server its lifecycle. Consumers are the
 * logger (log/log.ts, which decides by PGRST_LOG_LEVEL what becomes a line) and, on the Node server,
 * the metrics of the admin server. Nothing below the app (parse, plan, sql, respond) reports.
 */

/** One answered request: an access-log line, a sample for the metrics. */
export interface RequestObservation {
  readonly kind: 'request'
  readonly method: string
  /** Path and query as the client sent them. */
  readonly target: string
  readonly status: number
  readonly durationMs: number
  /** The role the request ran as; null when it never got one (a bad token, a preflight). */
  readonly role: string | null
  /** The error code of an error response (its `Proxy-Status`), else null. */
  readonly code: string | null
  /** Content-Length of the response when known. */
  readonly bytes: number | null
  /** The client's address when the runtime tells it. */
  readonly client: string | null
  readonly referer: string | null
  readonly userAgent: string | null
}

/** The statements a request ran (PGRST_LOG_QUERY): their SQL text, never the parameters' values. */
export interface QueryObservation {
  readonly kind: 'query'
  readonly status: number
  readonly statements: readonly string[]
}

/** A 5xx answer's error body (PostgREST logs these at `error`). */
export interface ErrorObservation {
  readonly kind: 'error'
  readonly status: number
  /** The response's JSON error body: code (a SQLSTATE or PGRST code), message, details, hint. */
  readonly body: string
}

/**
 * What the Node server says about itself: startup, schema cache loads, reconnects, the listener.
 * PostgREST writes these whatever the log level (a server that says nothing about losing its
 * database is no help); `level` only labels them.
 */
export interface NoticeObservation {
  readonly kind: 'notice'
  readonly level: 'info' | 'warn' | 'error'
  readonly message: string
}

/** Detail for `debug` only (pool and reload internals). */
export interface DebugObservation {
  readonly kind: 'debug'
  readonly message: string
}

export type Observation = RequestObservation | QueryObservation | ErrorObservation | NoticeObservation | DebugObservation

export type Observer = (o: Observation) => void

/**
 * What the app holds: whether anyone may want request observations (so nothing is timed when
 * nobody can), whether a request of a given status is wanted (so nothing is built for the lines a
 * level leaves out), whether statements must be recorded, and where observations go.
 */
export interface Log {
  readonly requests: boolean
  wantsRequest(status: number): boolean
  readonly queries: boolean
  /** Whether 5xx error bodies are wanted (level `error` and up). */
  readonly errors: boolean
  observe(o: Observation): void
}

/** Per request, what the pipeline learns that the access log needs. */
export interface RequestTrace {
  role: string | null
  /** SQL texts run for the request; null unless PGRST_LOG_QUERY asks for them. */
  statements: string[] | null
}
