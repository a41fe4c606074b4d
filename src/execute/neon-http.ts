/**
 * @module execute/neon-http: the edge default. A whole run is ONE `sql.transaction([...])` call of
 * the Neon driver, i.e. one HTTP request to Neon's `/sql` endpoint, which wraps the statements in
 * `START TRANSACTION [ISOLATION LEVEL …][, READ ONLY]` … `COMMIT` (or rolls back on the first error).
 *
 * The batch is non-interactive: nothing can be decided after seeing results, so `end: 'rollback'`
 * on a read-write run is a routing bug (the pipeline must pick an interactive executor) and throws
 * a TypeError. A read-only run may end either way: it cannot have written anything.
 *
 * Endpoint routing: the driver's `fetchEndpoint`/`fetchFunction` are isolate-wide globals. An
 * executor created with its own endpoint or fetch function must not change where other executors'
 * requests go, so it tags its requests through the per-call `fetchOptions` (which the driver spreads
 * into the fetch init) and one shared dispatcher, installed as the driver's `fetchFunction`, sends
 * tagged requests where their executor says and untagged ones where they would have gone anyway.
 */
import { neon, neonConfig, type FullQueryResults } from '@neondatabase/serverless'
import type { CompiledSql } from '../sql/fragment.ts'
import { toPgrstError } from './errors.ts'
import { RAW_TEXT_TYPES, toStatementResult } from './transaction.ts'
import type { Executor, IsolationLevel, StatementResult, TxOptions } from './types.ts'

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export interface NeonHttpExecutorOptions {
  readonly connectionString: string
  /** URL of the `/sql` endpoint, or `(host, port) => url` given the connection string's host/port. */
  readonly fetchEndpoint?: string | ((host: string, port: string) => string) | undefined
  /** Replacement for `fetch` (a Worker service binding, a counting wrapper in tests). */
  readonly fetchFunction?: FetchLike | undefined
}

interface Route {
  readonly endpoint: string | undefined
  readonly fetchFunction: FetchLike | undefined
}

/** Shared by every copy of this module in the isolate (the code may be bundled more than once). */
const ROUTE_KEY = Symbol.for('edgerest.neon-http.route')
const DISPATCHER_KEY = Symbol.for('edgerest.neon-http.dispatcher')

interface Dispatcher {
  readonly fetch: FetchLike
  /** The fetchFunction configured before the dispatcher was installed (undefined: global fetch). */
  fallback: FetchLike | undefined
}

const dispatcher = (): Dispatcher => {
  const g = globalThis as { [DISPATCHER_KEY]?: Dispatcher }
  let d = g[DISPATCHER_KEY]
  if (!d) {
    const self: Dispatcher = {
      fallback: undefined,
      fetch: (input, init) => {
        const route = (init as { [ROUTE_KEY]?: Route } | undefined)?.[ROUTE_KEY]
        if (route === undefined) return (self.fallback ?? fetch)(input, init)
        const rest: Record<string | symbol, unknown> = { ...init }
        delete rest[ROUTE_KEY]
        return (route.fetchFunction ?? self.fallback ?? fetch)(route.endpoint ?? input, rest as RequestInit)
      },
    }
    d = self
    g[DISPATCHER_KEY] = d
  }
  // (Re)install on every use: someone may have set neonConfig.fetchFunction in between.
  const current: unknown = neonConfig.fetchFunction
  if (current !== d.fetch) {
    d.fallback = typeof current === 'function' ? (current as FetchLike) : undefined
    neonConfig.fetchFunction = d.fetch
  }
  return d
}

const ISOLATION: Readonly<Record<IsolationLevel, 'ReadCommitted' | 'RepeatableRead' | 'Serializable'>> = {
  'read committed': 'ReadCommitted',
  'repeatable read': 'RepeatableRead',
  serializable: 'Serializable',
}

const resolveEndpoint = (connectionString: string, endpoint: NeonHttpExecutorOptions['fetchEndpoint']): string | undefined => {
  if (typeof endpoint !== 'function') return endpoint
  const url = new URL(connectionString)
  return endpoint(url.hostname, url.port)
}

export const createNeonHttpExecutor = (options: NeonHttpExecutorOptions): Executor => {
  const sql = neon<true, true>(options.connectionString, { arrayMode: true, fullResults: true })
  const endpoint = resolveEndpoint(options.connectionString, options.fetchEndpoint)
  const route: Route | undefined =
    endpoint !== undefined || options.fetchFunction !== undefined ? { endpoint, fetchFunction: options.fetchFunction } : undefined
  return {
    kind: 'neon-http',
    interactive: false,
    run: async (statements: readonly CompiledSql[], tx: TxOptions): Promise<readonly StatementResult[]> => {
      if (tx.end === 'rollback' && !tx.readOnly) {
        throw new TypeError('neon-http cannot roll back a read-write transaction after reading results: route the request to an interactive executor')
      }
      if (statements.length === 0) return []
      if (route) dispatcher()
      const queries = statements.map((s) => sql.query(s.text, [...s.params], { types: RAW_TEXT_TYPES }))
      let results: readonly FullQueryResults<true>[]
      try {
        // Per-query `types` are honoured inside a transaction; transaction-level ones are not.
        results = await sql.transaction(queries, {
          arrayMode: true,
          fullResults: true,
          readOnly: tx.readOnly,
          ...(tx.isolation ? { isolationLevel: ISOLATION[tx.isolation] } : {}),
          ...(route ? { fetchOptions: { [ROUTE_KEY]: route } } : {}),
        })
      } catch (e) {
        throw toPgrstError(e, 'query')
      }
      return results.map(toStatementResult)
    },
  }
}
