/**
 * @module execute/pg-socket: node-postgres over the Workers TCP socket API (`cloudflare:sockets`,
 * through pg's own pg-cloudflare stream; needs the `nodejs_compat` flag), for any Postgres a
 * Worker can reach: directly, or through a Hyperdrive binding's connection string.
 *
 * One connection per run: a Worker cannot keep a socket past the request that opened it, and
 * Hyperdrive already pools connections next to the database, so connecting to it is cheap. The
 * run is interactive (BEGIN … COMMIT|ROLLBACK on its own session), so `end: 'rollback'` is
 * honoured and no second executor is needed; the statements are pipelined (pipelined.ts), so a
 * request costs the connection setup plus one round trip. Statements are unnamed: naming them
 * on a connection that lives for one run would only add work.
 *
 * Loaded on first use by platform/workers.ts (a dynamic import), so an isolate that never runs it
 * does not evaluate node-postgres.
 */
import pg from 'pg'
import type { CompiledSql } from '../sql/fragment.ts'
import { withOwnConnection } from './own-connection.ts'
import { runPipelined } from './pipelined.ts'
import { RAW_TEXT_TYPES, type QueryClient } from './transaction.ts'
import type { Executor, StatementResult, TxOptions } from './types.ts'

/** How long connecting (TCP, TLS, authentication) may take. */
const CONNECT_TIMEOUT_MS = 10_000

export interface PgSocketExecutorOptions {
  readonly connectionString: string
}

export const createPgSocketExecutor = (options: PgSocketExecutorOptions): Executor => ({
  kind: 'pg',
  interactive: true,
  run: (statements: readonly CompiledSql[], tx: TxOptions): Promise<readonly StatementResult[]> =>
    withOwnConnection(
      () =>
        new pg.Client({
          connectionString: options.connectionString,
          types: RAW_TEXT_TYPES,
          pipeline: true,
          // A server that never answers (a host gone dark) fails the request as a connection error
          // (503, or the primary for a read replica) instead of holding it until the runtime gives up.
          connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        }),
      (client) => runPipelined(client as unknown as QueryClient, statements, tx),
    ),
})
