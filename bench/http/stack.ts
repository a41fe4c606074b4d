/**
 * @module bench/http/stack: the database side of the HTTP benchmark — a fresh embedded PostgreSQL
 * (free port, throwaway data dir) loaded with bench/http/schema.sql, its schema cache snapshot
 * written to a temp file (so edgerest starts without introspecting), the JWT secret and the users'
 * tokens, and the PGRST_* environment both servers get.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SignJWT } from 'jose'
import pg from 'pg'
import { startEmbeddedPg, type EmbeddedPg } from '../../dev/embedded-pg.ts'
import { loadSqlFiles } from '../../dev/local-stack.ts'
import { introspectUrl } from '../../schema-cache/from-url.ts'
import { formatSnapshot } from '../../schema-cache/snapshot-json.ts'
import { parentPid } from './procs.ts'

const SCHEMA_SQL = fileURLToPath(new URL('./schema.sql', import.meta.url))
export const JWT_SECRET = 'edgerest-bench-http-secret-of-at-least-32-chars'
/** Users with tokens; each has 200 orders (schema.sql spreads orders over user-1 … user-1000). */
const USERS = 100

export interface BenchStack {
  readonly db: EmbeddedPg
  /** The NOINHERIT login role both servers connect as. */
  readonly authUrl: string
  readonly snapshotFile: string
  /** The snapshot's JSON text (what a Worker gets as EDGEREST_SCHEMA_CACHE). */
  readonly snapshotJson: string
  /** The postmaster's pid: its process tree is PostgreSQL's CPU time. */
  readonly pgPid: number
  /** HS256 tokens of user-1 … user-100, role `authenticated`, valid for a day. */
  readonly tokens: readonly string[]
  /** PGRST_* settings shared by every server (the port is added per server). */
  readonly serverEnv: Readonly<Record<string, string>>
  /** Run SQL as superuser. */
  query(text: string): Promise<pg.QueryResult>
  stop(): Promise<void>
}

export const startBenchStack = async (log: (msg: string) => void): Promise<BenchStack> => {
  const t0 = performance.now()
  const db = await startEmbeddedPg()
  const admin = new pg.Client({ connectionString: db.url })
  const scratch = mkdtempSync(join(tmpdir(), 'edgerest-bench-http-'))
  try {
    await loadSqlFiles(db.url, [SCHEMA_SQL])
    await admin.connect()
    await admin.query('VACUUM ANALYZE')
    log(`PostgreSQL ${db.url.replace(/:[^:@/]+@/, ':***@')} loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    const pid = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number
    const authUrl = `postgres://authenticator:authenticator@127.0.0.1:${db.port}/postgres`
    const snapshotJson = formatSnapshot(await introspectUrl(authUrl, { schemas: ['api'], extraSearchPath: ['public'] }), 'compact')
    const snapshotFile = join(scratch, 'snapshot.json')
    writeFileSync(snapshotFile, snapshotJson)
    const key = new TextEncoder().encode(JWT_SECRET)
    const now = Math.floor(Date.now() / 1000)
    const tokens = await Promise.all(
      Array.from({ length: USERS }, (_, i) =>
        new SignJWT({ role: 'authenticated', sub: `user-${i + 1}` }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(now).setExpirationTime(now + 86_400).sign(key),
      ),
    )
    return {
      db,
      authUrl,
      snapshotFile,
      snapshotJson,
      pgPid: parentPid(pid),
      tokens,
      serverEnv: {
        PGRST_DB_URI: authUrl,
        PGRST_DB_SCHEMAS: 'api',
        PGRST_DB_ANON_ROLE: 'anonymous',
        PGRST_JWT_SECRET: JWT_SECRET,
        PGRST_SERVER_HOST: '127.0.0.1',
        EDGEREST_SCHEMA_CACHE: snapshotFile,
      },
      query: (text) => admin.query(text),
      stop: async () => {
        await admin.end().catch(() => undefined)
        await db.stop()
        rmSync(scratch, { recursive: true, force: true })
      },
    }
  } catch (e) {
    await admin.end().catch(() => undefined)
    await db.stop()
    rmSync(scratch, { recursive: true, force: true })
    throw e
  }
}
