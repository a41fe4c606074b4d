/**
 * @module execute/pg: node-postgres over TCP, for Node deployments against any Postgres. One
 * module-level Pool per connection string and pool settings (a process serves many requests); each
 * run checks out one client for BEGIN → statements → COMMIT|ROLLBACK. Interactive, so
 * `end: 'rollback'` after reading results is honoured.
 *
 * A run is pipelined (pipelined.ts): BEGIN, the statements and COMMIT|ROLLBACK are written at once
 * and answered in one network round trip, with each statement prepared once per connection.
 *
 * The pool follows PostgREST's db-pool settings: `poolSize` connections at most, a request waits
 * `acquisitionTimeoutMs` for one and then fails with 504 PGRST003 (instead of queueing without
 * end), connections are closed after `maxLifetimeSeconds` and when idle for `maxIdleSeconds`.
 * `flushPgPools` is PostgREST's pool flush after a schema cache load: connections opened before it
 * are closed instead of reused (idle ones when next checked out, busy ones when released), since a
 * session may cache catalog state that the reload just replaced.
 */
import pg from 'pg'
import { PgrstError, pgErr } from '../errors/types.ts'
import type { CompiledSql } from '../sql/fragment.ts'
import { toPgrstError } from './errors.ts'
import { runPipelined } from './pipelined.ts'
import { preparedName, type QueryClient } from './transaction.ts'
import type { Executor, StatementResult, TxOptions } from './types.ts'

export interface PgExecutorOptions {
  readonly connectionString: string
  /** Maximum connections of the shared pool (PostgREST's db-pool, default 10). */
  readonly poolSize?: number | undefined
  /** How long a run waits for a connection before failing with PGRST003 (db-pool-acquisition-timeout; default 10 s). */
  readonly acquisitionTimeoutMs?: number | undefined
  /** A connection is closed once it is this old (db-pool-max-lifetime; default 1800; 0 = never). */
  readonly maxLifetimeSeconds?: number | undefined
  /** An idle connection is closed after this long (db-pool-max-idletime; default 30; 0 = never). */
  readonly maxIdleSeconds?: number | undefined
  /**
   * PGRST_DB_PREPARED_STATEMENTS (default true): name each statement so each connection parses
   * it once. Off for poolers that cannot keep prepared statements (PgBouncer transaction mode).
   */
  readonly preparedStatements?: boolean | undefined
}

/** What the admin server's /metrics reports, summed over this process's pools (PostgREST's pgrst_db_pool_*). */
export interface PgPoolStats {
  /** Configured maximum connections. */
  readonly max: number
  /** Open connections. */
  readonly total: number
  /** Open connections not in use (pgrst_db_pool_available). */
  readonly idle: number
  /** Runs waiting for a connection (pgrst_db_pool_waiting). */
  readonly waiting: number
  /** Runs that gave up waiting (pgrst_db_pool_timeouts_total). */
  readonly timeouts: number
}

interface PoolEntry {
  readonly pool: pg.Pool
  readonly max: number
  timeouts: number
  /** Bumped by a flush; a client opened under an older generation is closed instead of reused. */
  generation: number
  readonly born: WeakMap<pg.PoolClient, number>
}

const pools = new Map<string, PoolEntry>()

/** node-postgres reports an application_name from the URI over this one; PostgREST's fallback is its own name too. */
const APPLICATION_NAME = 'edgerest'

/** pg-pool's error when a checkout waited longer than `connectionTimeoutMillis` for a free client. */
const QUEUE_TIMEOUT = 'timeout exceeded when trying to connect'

interface PoolSettings {
  readonly size: number
  readonly acquisitionTimeoutMs: number
  readonly maxLifetimeSeconds: number
  readonly maxIdleSeconds: number
}

const settingsOf = (options: PgExecutorOptions): PoolSettings => ({
  size: options.poolSize ?? 10,
  acquisitionTimeoutMs: options.acquisitionTimeoutMs ?? 10_000,
  maxLifetimeSeconds: options.maxLifetimeSeconds ?? 1800,
  maxIdleSeconds: options.maxIdleSeconds ?? 30,
})

const poolFor = (connectionString: string, s: PoolSettings): PoolEntry => {
  const key = `${s.size} ${s.acquisitionTimeoutMs} ${s.maxLifetimeSeconds} ${s.maxIdleSeconds} ${connectionString}`
  let entry = pools.get(key)
  if (!entry) {
    const pool = new pg.Pool({
      connectionString,
      application_name: APPLICATION_NAME,
      max: s.size,
      // pg-pool applies it to waiting for a free client (the acquisition timeout) and to opening one.
      connectionTimeoutMillis: s.acquisitionTimeoutMs,
      idleTimeoutMillis: s.maxIdleSeconds * 1000,
      maxLifetimeSeconds: s.maxLifetimeSeconds,
      allowExitOnIdle: true,
      // A run's BEGIN, statements and COMMIT go out in one write and cost one round trip
      // (pipelined.ts) instead of one per statement.
      pipeline: true,
    })
    // A pooled idle connection that dies (server restart, network) is dropped by the pool; without
    // a listener the 'error' event would crash the process.
    pool.on('error', () => undefined)
    const created: PoolEntry = { pool, max: s.size, timeouts: 0, generation: 0, born: new WeakMap() }
    pool.on('connect', (client) => created.born.set(client, created.generation))
    pools.set(key, created)
    entry = created
  }
  return entry
}

/** Close every pool this module opened (graceful shutdown, end of a test run). */
export const endPgPools = async (): Promise<void> => {
  const all = [...pools.values()]
  pools.clear()
  await Promise.all(all.map((p) => p.pool.end()))
}

/** Connections opened so far are not reused: each is closed when next idle (see the module comment). */
export const flushPgPools = (): void => {
  for (const entry of pools.values()) entry.generation++
}

export const pgPoolStats = (): PgPoolStats => {
  let max = 0
  let total = 0
  let idle = 0
  let waiting = 0
  let timeouts = 0
  for (const e of pools.values()) {
    max += e.max
    total += e.pool.totalCount
    idle += e.pool.idleCount
    waiting += e.pool.waitingCount
    timeouts += e.timeouts
  }
  return { max, total, idle, waiting, timeouts }
}

/** A client of the current generation; older ones met on the way are closed. */
const acquire = async (entry: PoolEntry): Promise<pg.PoolClient> => {
  for (;;) {
    let client: pg.PoolClient
    try {
      client = await entry.pool.connect()
    } catch (e) {
      if (e instanceof Error && e.message === QUEUE_TIMEOUT) {
        entry.timeouts++
        throw new PgrstError(pgErr({ kind: 'acquisitionTimeout' }))
      }
      throw toPgrstError(e, 'connect')
    }
    if (entry.born.get(client) === entry.generation) return client
    client.release(true)
  }
}

export const createPgExecutor = (options: PgExecutorOptions): Executor => {
  const settings = settingsOf(options)
  const statementName = options.preparedStatements === false ? () => undefined : preparedName
  return {
    kind: 'pg',
    interactive: true,
    run: async (statements: readonly CompiledSql[], tx: TxOptions): Promise<readonly StatementResult[]> => {
      const entry = poolFor(options.connectionString, settings)
      const client = await acquire(entry)
      let broken = false
      // A connection that dies between two statements emits 'error' on the checked-out client
      // (the pool only listens while it is idle); the next query then fails and is reported.
      const onError = (): void => {
        broken = true
      }
      client.on('error', onError)
      try {
        return await runPipelined(client as unknown as QueryClient, statements, tx, statementName)
      } finally {
        client.off('error', onError)
        // A client whose connection failed mid-run, and one from before a flush, must not be
        // reused: destroy it.
        client.release(broken || entry.born.get(client) !== entry.generation)
      }
    },
  }
}
