/**
 * @module execute/neon-ws: the Neon driver's `Client` over a WebSocket, connected and closed within
 * one run (edge isolates must not keep sockets across requests). Interactive: BEGIN → statements →
 * COMMIT|ROLLBACK, so `end: 'rollback'` after reading results is honoured. Used on the edge for the
 * requests the one-shot HTTP batch cannot express.
 *
 * Socket settings are per client (`client.neonConfig`), never the driver's globals, so several
 * executors (tests: a local bridge; production: Neon) can coexist in one isolate.
 *
 * With `maxConnections`, at most that many runs hold a connection at once per isolate (db-pool)
 * and a run waits at most `acquisitionTimeoutMs` for its turn (db-pool-acquisition-timeout), then
 * fails with 504 PGRST003, as a checkout from PostgREST's pool does (execute/limiter.ts).
 */
import { Client, type NeonConfig } from '@neondatabase/serverless'
import type { CompiledSql } from '../sql/fragment.ts'
import { limiterFor, type Limiter } from './limiter.ts'
import { withOwnConnection } from './own-connection.ts'
import { RAW_TEXT_TYPES, runInTransaction, type QueryClient } from './transaction.ts'
import type { Executor, StatementResult, TxOptions } from './types.ts'

export interface NeonWsExecutorOptions {
  readonly connectionString: string
  /** Proxy address without scheme, or `(host, port) => address` (default: `<host>/v2`, Neon's). */
  readonly wsProxy?: NeonConfig['wsProxy'] | undefined
  /** `false` for a plain `ws://` proxy (local bridge). Default true (`wss://`). */
  readonly useSecureWebSocket?: boolean | undefined
  /**
   * Neon's proxy asks WebSocket clients for a cleartext password, which the driver pipelines with
   * the startup message ('password', the default). A vanilla Postgres with SCRAM needs `false`.
   */
  readonly pipelineConnect?: NeonConfig['pipelineConnect'] | undefined
  /** Node < 22 has no global WebSocket: pass the `ws` package's constructor there. */
  readonly webSocketConstructor?: NeonConfig['webSocketConstructor'] | undefined
  /** Connections open at once per isolate (db-pool); unset = no limit. */
  readonly maxConnections?: number | undefined
  /** How long a run waits for its turn under `maxConnections` (default 10 s). */
  readonly acquisitionTimeoutMs?: number | undefined
}

export const createNeonWsExecutor = (options: NeonWsExecutorOptions): Executor => {
  const limiter: Limiter | null =
    options.maxConnections === undefined ? null : limiterFor(`neon-ws ${options.connectionString}`, options.maxConnections, options.acquisitionTimeoutMs ?? 10_000)
  const run = (statements: readonly CompiledSql[], tx: TxOptions): Promise<readonly StatementResult[]> =>
    withOwnConnection(
      () => {
        const client = new Client({ connectionString: options.connectionString, types: RAW_TEXT_TYPES })
        const socket = client.neonConfig
        if (options.wsProxy !== undefined) socket.wsProxy = options.wsProxy
        if (options.useSecureWebSocket !== undefined) socket.useSecureWebSocket = options.useSecureWebSocket
        if (options.pipelineConnect !== undefined) socket.pipelineConnect = options.pipelineConnect
        if (options.webSocketConstructor !== undefined) socket.webSocketConstructor = options.webSocketConstructor
        return client
      },
      (client) => runInTransaction(client as unknown as QueryClient, statements, tx),
    )
  return {
    kind: 'neon-ws',
    interactive: true,
    run:
      limiter === null
        ? run
        : async (statements, tx) => {
            const done = await limiter.acquire()
            try {
              return await run(statements, tx)
            } finally {
              done()
            }
          },
  }
}
