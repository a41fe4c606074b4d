/**
 * The Node server and a database that comes and goes, on a PostgreSQL instance of this test's own
 * (the shared one must stay up for everyone else): started while the database is down, the server
 * answers 503 PGRST002 with Retry-After and loads its schema cache once the database is up; when
 * the database restarts, requests fail with 503 meanwhile, and afterwards the API and the NOTIFY
 * listener work again without a restart of the server.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort, startEmbeddedPg, type EmbeddedPg } from '../../../dev/embedded-pg.ts'
import { startNodeServer, type NodeServer } from '../../../src/entry/node-server.ts'
import { eventually } from '../../helpers/eventually.ts'
import { hideServerNotices } from '../../helpers/quiet.ts'

hideServerNotices()

const scratch = mkdtempSync(join(tmpdir(), 'edgerest-restart-'))
chmodSync(scratch, 0o755)
const dataDir = join(scratch, 'data')
let db: EmbeddedPg | null = null
let server: NodeServer | null = null

afterAll(async () => {
  await server?.close()
  await db?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

const sql = async (url: string, text: string): Promise<void> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

const answer = async (url: string): Promise<{ status: number; body: string; retryAfter: string | null }> => {
  const res = await fetch(url)
  return { status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after') }
}

describe('a database that is down at start, then restarts', () => {
  it('503 PGRST002 until the database is up, then served; through a restart, served again and still listening', async () => {
    const port = await freePort()
    const dbUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`
    server = await startNodeServer({
      PGRST_DB_URI: dbUrl,
      PGRST_DB_SCHEMAS: 'api',
      PGRST_DB_ANON_ROLE: 'web_anon',
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: '0',
      PGRST_ADMIN_SERVER_PORT: '0',
      PGRST_DB_POOL_ACQUISITION_TIMEOUT: '2',
      PGRST_LOG_LEVEL: 'crit',
    })
    const api = server.url
    const admin = server.adminUrl ?? ''

    // Down at start: the server is up, the API is not.
    const early = await answer(`${api}/items`)
    expect([early.status, JSON.parse(early.body)]).toEqual([
      503,
      { code: 'PGRST002', details: null, hint: null, message: 'Could not query the database for the schema cache. Retrying.' },
    ])
    expect(early.retryAfter).toMatch(/^\d+$/)
    expect((await answer(`${admin}/live`))?.status).toBe(200)
    expect((await answer(`${admin}/ready`))?.status).toBe(503)

    // The database comes up with the API's schema.
    db = await startEmbeddedPg({ port, dataDir, persistent: true })
    await sql(dbUrl, `
      CREATE ROLE web_anon NOLOGIN;
      CREATE SCHEMA api;
      CREATE TABLE api.items (id int PRIMARY KEY);
      INSERT INTO api.items VALUES (1), (2);
      GRANT USAGE ON SCHEMA api TO web_anon;
      GRANT SELECT ON api.items TO web_anon;
    `)
    const served = await eventually(() => answer(`${api}/items`), (a) => a.status === 200, 60_000)
    expect([served?.status, JSON.parse(served?.body ?? 'null')]).toEqual([200, [{ id: 1 }, { id: 2 }]])
    expect((await eventually(() => answer(`${admin}/ready`), (a) => a.status === 200, 30_000))?.status).toBe(200)
    const metrics = (await answer(`${admin}/metrics`)).body
    // Loaded once the database answered (and maybe again when the listener reconnected).
    expect(metrics).toMatch(/^pgrst_schema_cache_loads_total\{status="SUCCESS"\} [1-9]\d*$/m)
    expect(metrics).toMatch(/^pgrst_schema_cache_loads_total\{status="FAIL"\} [1-9]\d*$/m)

    // The database stops: requests fail fast with 503 (and a Retry-After), readiness goes.
    await db.stop()
    const down = await answer(`${api}/items`)
    expect(down.status).toBe(503)
    expect(['PGRST000', 'PGRST001']).toContain((JSON.parse(down.body) as { code: string }).code)
    expect(down.retryAfter).toMatch(/^\d+$/)
    expect((await eventually(() => answer(`${admin}/ready`), (a) => a.status === 503, 10_000))?.status).toBe(503)

    // It comes back: the API serves again, the listener reconnects, and a NOTIFY reloads.
    db = await startEmbeddedPg({ port, dataDir, persistent: true })
    expect((await eventually(() => answer(`${api}/items`), (a) => a.status === 200, 30_000))?.status).toBe(200)
    expect((await eventually(() => answer(`${admin}/ready`), (a) => a.status === 200, 60_000))?.status).toBe(200)
    await sql(dbUrl, `CREATE TABLE api.later (id int); GRANT SELECT ON api.later TO web_anon; NOTIFY pgrst, 'reload schema'`)
    expect((await eventually(() => answer(`${api}/later`), (a) => a.status === 200, 15_000))?.status).toBe(200)
  }, 180_000)
})
