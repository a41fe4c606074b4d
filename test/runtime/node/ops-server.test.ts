/**
 * The Node server run as an operator runs PostgREST, over real sockets against the real test
 * database: the admin server (/live, /ready, /metrics, /config, /schema_cache), the pool as
 * pg_stat_activity sees it, 504 PGRST003 and 413 through the socket, request logs, and schema and
 * config reloads by NOTIFY (each server listens on a channel of its own, so tests running in
 * parallel do not reload each other).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { introspectUrl } from '../../../schema-cache/from-url.ts'
import { startNodeServer, type NodeServer } from '../../../src/entry/node-server.ts'
import { eventually } from '../../helpers/eventually.ts'
import { connectionsOf as connections, mostConnectionsWhile, stackUrls, superuserQuery, uniqueName, withApplicationName } from '../../helpers/stack.ts'
import { hideServerNotices } from '../../helpers/quiet.ts'

hideServerNotices()

const { authUrl } = stackUrls()
const schema = uniqueName('ops_server')
const servers: NodeServer[] = []

const start = async (extra: Record<string, string> = {}): Promise<NodeServer> => {
  const server = await startNodeServer({
    PGRST_DB_URI: authUrl,
    PGRST_DB_SCHEMAS: schema,
    PGRST_DB_ANON_ROLE: 'anonymous',
    PGRST_SERVER_HOST: '127.0.0.1',
    PGRST_SERVER_PORT: '0',
    PGRST_DB_CHANNEL: uniqueName('channel'),
    PGRST_LOG_LEVEL: 'crit',
    ...extra,
  })
  servers.push(server)
  return server
}

const statusOf = async (url: string, init?: RequestInit): Promise<number> => {
  const res = await fetch(url, init)
  await res.arrayBuffer()
  return res.status
}

/** One sample of a metric in Prometheus text. */
const metric = (text: string, sample: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `))
  return line === undefined ? undefined : Number(line.slice(sample.length + 1))
}

beforeAll(async () => {
  await superuserQuery(`
    CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.notes (id serial PRIMARY KEY, body text NOT NULL);
    INSERT INTO ${schema}.notes (body) VALUES ('first');
    CREATE FUNCTION ${schema}.nap(seconds float8) RETURNS int LANGUAGE sql STABLE AS 'SELECT 1 FROM pg_sleep(seconds)';
    GRANT USAGE ON SCHEMA ${schema} TO anonymous;
    GRANT ALL ON ALL TABLES IN SCHEMA ${schema} TO anonymous;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO anonymous;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO anonymous;
  `)
})

afterAll(async () => {
  for (const s of servers) await s.close()
  await superuserQuery(`DROP SCHEMA ${schema} CASCADE`)
})

describe('the admin server', () => {
  const app = uniqueName('admin')
  let server: NodeServer
  let admin: string

  beforeAll(async () => {
    // No listener: its connection would carry the same application_name as the pool's.
    server = await start({ PGRST_ADMIN_SERVER_PORT: '0', PGRST_DB_POOL: '3', PGRST_DB_URI: withApplicationName(authUrl, app), PGRST_DB_CHANNEL_ENABLED: 'false' })
    admin = server.adminUrl ?? ''
  })

  it('/live and /ready answer 200 with empty bodies; other paths 404', async () => {
    for (const path of ['/live', '/ready']) {
      const res = await fetch(`${admin}${path}`)
      expect([path, res.status, await res.text()]).toEqual([path, 200, ''])
    }
    expect(await statusOf(`${admin}/nothing`)).toBe(404)
  })

  it('PGRST_DB_POOL: the pool opens that many connections under load, as pg_stat_activity shows', async () => {
    const { most, result: statuses } = await mostConnectionsWhile(app, Promise.all(Array.from({ length: 9 }, () => statusOf(`${server.url}/rpc/nap?seconds=0.3`))))
    expect(statuses).toEqual(Array(9).fill(200))
    expect(most).toBe(3)
    expect(await connections(app)).toBe(3)
  })

  it("/metrics: PostgREST's pool and schema cache metrics, request counts and latencies", async () => {
    expect(await statusOf(`${server.url}/notes?id=eq.1`)).toBe(200)
    const res = await fetch(`${admin}/metrics`)
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    const text = await res.text()
    expect(metric(text, 'pgrst_db_pool_max')).toBe(3)
    expect(metric(text, 'pgrst_db_pool_available')).toBe(3)
    expect(metric(text, 'pgrst_db_pool_waiting')).toBe(0)
    expect(metric(text, 'pgrst_db_pool_timeouts_total')).toBe(0)
    expect(metric(text, 'pgrst_schema_cache_loads_total{status="SUCCESS"}')).toBe(1)
    expect(metric(text, 'pgrst_schema_cache_loads_total{status="FAIL"}')).toBe(0)
    expect(metric(text, 'pgrst_schema_cache_query_time_seconds')).toBeGreaterThan(0)
    expect(metric(text, 'edgerest_http_requests_total{method="GET",status="200"}')).toBe(10)
    expect(metric(text, 'edgerest_http_request_duration_seconds_count')).toBe(10)
    expect(metric(text, 'edgerest_http_request_duration_seconds_bucket{le="+Inf"}')).toBe(10)
    // The nine calls napped 0.3 s: none is in a bucket below it.
    expect(metric(text, 'edgerest_http_request_duration_seconds_bucket{le="0.25"}')).toBe(1)
    expect(metric(text, 'process_resident_memory_bytes')).toBeGreaterThan(0)
    expect(text).toContain('# TYPE pgrst_db_pool_timeouts_total counter\n')
  })

  it('/config: the configuration in effect, in PostgREST’s format', async () => {
    const text = await (await fetch(`${admin}/config`)).text()
    const lines = text.trimEnd().split('\n')
    expect(lines).toEqual([...lines].sort())
    expect(lines).toEqual(expect.arrayContaining(['db-pool = 3', `db-schemas = "${schema}"`, 'db-channel-enabled = false', 'log-level = "crit"', 'db-pool-acquisition-timeout = 10']))
  })

  it('/schema_cache: the schema cache in use', async () => {
    const cache = (await (await fetch(`${admin}/schema_cache`)).json()) as { tables: { schema: string; name: string }[] }
    expect(cache.tables.map((t) => `${t.schema}.${t.name}`)).toEqual([`${schema}.notes`])
  })
})

describe('limits through the socket', () => {
  it('504 PGRST003 when the pool stays busy past the acquisition timeout; counted in /metrics', async () => {
    const server = await start({ PGRST_DB_POOL: '1', PGRST_DB_POOL_ACQUISITION_TIMEOUT: '1', PGRST_ADMIN_SERVER_PORT: '0' })
    const slow = fetch(`${server.url}/rpc/nap?seconds=2.5`)
    await new Promise((r) => setTimeout(r, 300))
    const res = await fetch(`${server.url}/notes?select=id`)
    expect([res.status, await res.json()]).toEqual([504, { code: 'PGRST003', details: null, hint: null, message: 'Timed out acquiring connection from connection pool.' }])
    expect((await slow).status).toBe(200)
    expect(metric(await (await fetch(`${server.adminUrl}/metrics`)).text(), 'pgrst_db_pool_timeouts_total')).toBe(1)
  })

  it('413 for a body over EDGEREST_MAX_BODY_BYTES, and nothing is written', async () => {
    const server = await start({ EDGEREST_MAX_BODY_BYTES: '1000' })
    const marker = uniqueName('big')
    const res = await fetch(`${server.url}/notes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ body: marker + 'x'.repeat(5_000_000) }),
    })
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([413, 'PGRSTX01'])
    const rows = await superuserQuery<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.notes WHERE body LIKE $1`, [`${marker}%`])
    expect(rows.rows[0]?.n).toBe('0')
    // The connection is still usable for the next request.
    expect(await statusOf(`${server.url}/notes?select=id`)).toBe(200)
  })
})

describe('request logs', () => {
  it('at info, one access line per request with the client, role, request line, status and duration; none at error', async () => {
    const info = await start({ PGRST_LOG_LEVEL: 'info' })
    const quiet = await start({ PGRST_LOG_LEVEL: 'error' })
    const lines: string[] = []
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)))
    try {
      expect(await statusOf(`${info.url}/notes?select=id&id=eq.1`)).toBe(200)
      expect(await statusOf(`${quiet.url}/notes?select=id&id=eq.1`)).toBe(200)
    } finally {
      spy.mockRestore()
    }
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^127\.0\.0\.1 - anonymous \[[^\]]+\] "GET \/notes\?select=id&id=eq\.1 HTTP\/1\.1" 200 - "" "node" \d+\.\d{3}$/)
  })
})

describe('reloads', () => {
  it("NOTIFY 'reload schema' on db-channel makes a new table servable without a restart", async () => {
    const channel = uniqueName('channel')
    const server = await start({ PGRST_DB_CHANNEL: channel, PGRST_ADMIN_SERVER_PORT: '0' })
    await eventually(() => statusOf(`${server.adminUrl}/ready`), (s) => s === 200)
    await superuserQuery(`CREATE TABLE ${schema}.fresh (id int); INSERT INTO ${schema}.fresh VALUES (7); GRANT SELECT ON ${schema}.fresh TO anonymous`)
    const before = await fetch(`${server.url}/fresh`)
    expect([before.status, ((await before.json()) as { hint: string }).hint]).toEqual([404, expect.stringContaining('the schema cache is stale')])
    await superuserQuery(`NOTIFY "${channel}", 'reload schema'`)
    const after = await eventually(() => fetch(`${server.url}/fresh`), (r) => r.status === 200)
    expect([after?.status, await after?.json()]).toEqual([200, [{ id: 7 }]])
    const metrics = await (await fetch(`${server.adminUrl}/metrics`)).text()
    expect(metric(metrics, 'pgrst_schema_cache_loads_total{status="SUCCESS"}')).toBe(2)
  })

  it("NOTIFY 'reload config' applies a changed in-database setting of the login role", async () => {
    const login = uniqueName('ops_login')
    await superuserQuery(`CREATE ROLE ${login} LOGIN NOINHERIT PASSWORD 'ops'; GRANT anonymous TO ${login}`)
    try {
      const url = new URL(authUrl)
      url.username = login
      url.password = 'ops'
      const channel = uniqueName('channel')
      const server = await start({ PGRST_DB_URI: url.toString(), PGRST_DB_CHANNEL: channel, PGRST_ADMIN_SERVER_PORT: '0' })
      await eventually(() => statusOf(`${server.adminUrl}/ready`), (s) => s === 200)
      const header = async (): Promise<string | null> => (await fetch(`${server.url}/notes?select=id`, { headers: { 'X-Ops-Trace': 'abc' } })).headers.get('x-ops-trace')
      expect(await header()).toBeNull()
      await superuserQuery(`ALTER ROLE ${login} SET pgrst.server_trace_header = 'X-Ops-Trace'`)
      await superuserQuery(`NOTIFY "${channel}", 'reload config'`)
      expect(await eventually(header, (h) => h === 'abc')).toBe('abc')
      expect(await (await fetch(`${server.adminUrl}/config`)).text()).toContain('server-trace-header = "X-Ops-Trace"\n')
      await server.close()
    } finally {
      await superuserQuery(`DROP OWNED BY ${login}; DROP ROLE ${login}`)
    }
  })

  it('reloadSchemaCache (what SIGUSR1 calls) reloads without dropping a request in flight', async () => {
    const server = await start({ PGRST_DB_CHANNEL_ENABLED: 'false', PGRST_ADMIN_SERVER_PORT: '0' })
    await superuserQuery(`CREATE TABLE ${schema}.signalled (id int); GRANT SELECT ON ${schema}.signalled TO anonymous`)
    expect(await statusOf(`${server.url}/signalled`)).toBe(404)
    const inFlight = fetch(`${server.url}/rpc/nap?seconds=1`)
    await new Promise((r) => setTimeout(r, 200))
    server.reloadSchemaCache()
    expect(await eventually(() => statusOf(`${server.url}/signalled`), (s) => s === 200)).toBe(200)
    const res = await inFlight
    expect([res.status, await res.json()]).toEqual([200, 1])
    // Without a listener, readiness asks the database.
    expect(await statusOf(`${server.adminUrl}/ready`)).toBe(200)
  })
})

describe('a snapshot file', () => {
  it('a reload reads the file named by EDGEREST_SCHEMA_CACHE again', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'edgerest-ops-')), 'snapshot.json')
    writeFileSync(file, JSON.stringify(await introspectUrl(authUrl, { schemas: [schema] })))
    const server = await start({ EDGEREST_SCHEMA_CACHE: file, PGRST_DB_CHANNEL_ENABLED: 'false' })
    await superuserQuery(`CREATE TABLE ${schema}.from_file (id int); GRANT SELECT ON ${schema}.from_file TO anonymous`)
    // The database has it; the file does not yet.
    server.reloadSchemaCache()
    await new Promise((r) => setTimeout(r, 300))
    expect(await statusOf(`${server.url}/from_file`)).toBe(404)
    writeFileSync(file, JSON.stringify(await introspectUrl(authUrl, { schemas: [schema] })))
    server.reloadSchemaCache()
    expect(await eventually(() => statusOf(`${server.url}/from_file`), (s) => s === 200)).toBe(200)
  })
})

describe('the process', () => {
  it('SIGUSR1 reloads the schema cache, SIGUSR2 the configuration, SIGTERM stops it', async () => {
    const login = uniqueName('ops_signals')
    await superuserQuery(`CREATE ROLE ${login} LOGIN NOINHERIT PASSWORD 'ops'; GRANT anonymous TO ${login}`)
    const url = new URL(authUrl)
    url.username = login
    url.password = 'ops'
    const root = fileURLToPath(new URL('../../../', import.meta.url))
    // node itself runs the entry (tsx's CLI would sit in between and not pass SIGUSR1/SIGUSR2 on).
    const child = spawn(process.execPath, ['--import', 'tsx', `${root}src/entry/node.ts`], {
      cwd: root,
      env: {
        ...process.env,
        PGRST_DB_URI: url.toString(),
        PGRST_DB_SCHEMAS: schema,
        PGRST_DB_ANON_ROLE: 'anonymous',
        PGRST_SERVER_HOST: '127.0.0.1',
        PGRST_SERVER_PORT: '0',
        PGRST_DB_CHANNEL_ENABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /edgerest listening on (\S+)/.exec(out)
          if (m?.[1] !== undefined) resolve(m[1])
        })
        child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${out}`)))
      })
      await superuserQuery(`CREATE TABLE ${schema}.by_signal (id int); GRANT SELECT ON ${schema}.by_signal TO anonymous`)
      expect(await statusOf(`${base}/by_signal`)).toBe(404)
      child.kill('SIGUSR1')
      expect(await eventually(() => statusOf(`${base}/by_signal`), (s) => s === 200)).toBe(200)

      const header = async (): Promise<string | null> => (await fetch(`${base}/notes?select=id`, { headers: { 'X-Signal': 'yes' } })).headers.get('x-signal')
      expect(await header()).toBeNull()
      await superuserQuery(`ALTER ROLE ${login} SET pgrst.server_trace_header = 'X-Signal'`)
      child.kill('SIGUSR2')
      expect(await eventually(header, (h) => h === 'yes')).toBe('yes')

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      await superuserQuery(`DROP TABLE IF EXISTS ${schema}.by_signal; DROP OWNED BY ${login}; DROP ROLE ${login}`)
    }
  }, 60_000)
})
