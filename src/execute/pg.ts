/**
 * @module execute/pg: node-postgres over TCP, for Node deployments against any Postgres. One
 * module-level Pool per connection string (a process serves many requests); each run checks out
 * one client for BEGIN → statements → COMMIT|ROLLBACK. Interactive, so `end: 'rollback'` after
 * reading results is honoured.
 */
import pg from 'pg'
import type { CompiledSql } from '../sql/fragment.ts'
import { toPgrstError } from './errors.ts'
import { preparedName, runInTransaction, type QueryClient } from './transaction.ts'
import type { Executor, StatementResult, TxOptions } from './types.ts'

export interface PgExecutorOptions {
  readonly connectionString: string
  /** Maximum connections of the shared pool (PostgREST's db-pool default is 10). */
  readonly poolSize?: number | undefined
  /**
   * PGRST_DB_PREPARED_STATEMENTS (default true): name each statement so each connection parses
   * it once. Off for poolers that cannot keep prepared statements (PgBouncer transaction mode).
   */
  readonly preparedStatements?: boolean | undefined
}

const pools = new Map<string, pg.Pool>()

const poolFor = (connectionString: string, size: number): pg.Pool => {
  const key = `${size} ${connectionString}`
  let pool = pools.get(key)
  if (!pool) {
    pool = new pg.Pool({ connectionString, max: size, idleTimeoutMillis: 30_000, allowExitOnIdle: true })
    // A pooled idle connection that dies (server restart, network) is dropped by the pool; without
    // a listener the 'error' event would crash the process.
    pool.on('error', () => undefined)
    pools.set(key, pool)
  }
  return pool
}

/** Close every pool this module opened (graceful shutdown, end of a test run). */
export const endPgPools = async (): Promise<void> => {
  const all = [...pools.values()]
  pools.clear()
  await Promise.all(all.map((p) => p.end()))
}

export const createPgExecutor = (options: PgExecutorOptions): Executor => {
  const size = options.poolSize ?? 10
  const statementName = options.preparedStatements === false ? () => undefined : preparedName
  return {
    kind: 'pg',
    interactive: true,
    run: async (statements: readonly CompiledSql[], tx: TxOptions): Promise<readonly StatementResult[]> => {
      let client: pg.PoolClient
      try {
        client = await poolFor(options.connectionString, size).connect()
      } catch (e) {
        throw toPgrstError(e, 'connect')
      }
      let broken = false
      // A connection that dies between two statements emits 'error' on the checked-out client
      // (the pool only listens while it is idle); the next query then fails and is reported.
      const onError = (): void => {
        broken = true
      }
      client.on('error', onError)
      try {
        return await runInTransaction(
          client as unknown as QueryClient,
          statements,
          tx,
          () => {
            broken = true
          },
          statementName,
        )
      } finally {
        client.off('error', onError)
        // A client whose ROLLBACK failed may sit in an aborted transaction: destroy it.
        client.release(broken)
      }
    },
  }
}
