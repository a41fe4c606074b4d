/**
 * @module dev/local-stack: everything a local run needs in front of one real PostgreSQL — the
 * embedded server, the Neon SQL-over-HTTP endpoint and the WebSocket bridge — started together and
 * stopped together. Used by the vitest global setup and by the dev server.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { startEmbeddedPg, type EmbeddedPg } from './embedded-pg.ts'
import { startNeonHttpEndpoint, type NeonHttpEndpoint } from './neon-http-endpoint.ts'
import { startWsBridge, type WsBridge } from './ws-bridge.ts'

/** The login role the API connects as (created by test/fixtures/00-roles.sql). */
export const AUTHENTICATOR = { user: 'authenticator', password: 'authenticator' } as const

export interface LocalStackOptions {
  readonly pgPort?: number | undefined
  readonly httpPort?: number | undefined
  readonly wsPort?: number | undefined
  /** Postgres data directory (default: throwaway). */
  readonly dataDir?: string | undefined
  readonly persistent?: boolean | undefined
  /**
   * Directories whose `*.sql` files are loaded, in file-name order, as superuser — only when the
   * cluster was just created (a persistent data dir that already exists keeps its state).
   */
  readonly fixtureDirs?: readonly string[] | undefined
}

export interface LocalStack {
  /** Superuser URL (`postgres`). */
  readonly dbUrl: string
  /** URL of the NOINHERIT login role `authenticator`. */
  readonly authUrl: string
  /** The Neon driver's `fetchEndpoint`: `http://127.0.0.1:P/sql`. */
  readonly neonHttpUrl: string
  /** The Neon driver's `wsProxy`: `127.0.0.1:P` of the WebSocket bridge. */
  readonly wsProxy: string
  readonly pg: EmbeddedPg
  readonly endpoint: NeonHttpEndpoint
  readonly bridge: WsBridge
  stop(): Promise<void>
}

/** The `*.sql` files of a directory, sorted by file name. */
export const sqlFilesIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => join(dir, f))

/**
 * Run SQL files as given, each as one simple-protocol query so a file may hold many statements
 * (and DO blocks). A failing file names itself in the error.
 */
export const loadSqlFiles = async (url: string, files: readonly string[]): Promise<void> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (const file of files) {
      try {
        await client.query(readFileSync(file, 'utf8'))
      } catch (e) {
        throw new Error(`loading ${file} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
      }
    }
  } finally {
    await client.end()
  }
}

export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const db = await startEmbeddedPg({ port: options.pgPort, dataDir: options.dataDir, persistent: options.persistent })
  const started: { stop(): Promise<void> }[] = [db]
  const stopAll = async (): Promise<void> => {
    // Front ends first, the database last.
    for (const s of started.reverse()) await s.stop().catch(() => undefined)
    started.length = 0
  }
  try {
    if (db.created) for (const dir of options.fixtureDirs ?? []) await loadSqlFiles(db.url, sqlFilesIn(dir))
    const endpoint = await startNeonHttpEndpoint({ pgHost: '127.0.0.1', pgPort: db.port, port: options.httpPort })
    started.push(endpoint)
    const bridge = await startWsBridge({ pgHost: '127.0.0.1', pgPort: db.port, port: options.wsPort })
    started.push(bridge)
    return {
      dbUrl: db.url,
      authUrl: `postgres://${AUTHENTICATOR.user}:${AUTHENTICATOR.password}@127.0.0.1:${db.port}/postgres`,
      neonHttpUrl: endpoint.url,
      wsProxy: `127.0.0.1:${bridge.port}`,
      pg: db,
      endpoint,
      bridge,
      stop: stopAll,
    }
  } catch (e) {
    await stopAll()
    throw e
  }
}
