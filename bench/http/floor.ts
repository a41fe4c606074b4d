/**
 * @module bench/http/floor: the "floor" the HTTP benchmark compares edgerest with — what a small
 * hand-written Hono + node-postgres handler costs when it sends exactly the statements edgerest
 * sends: BEGIN, the tx-vars `set_config` select, edgerest's main query text, COMMIT. It knows its
 * query shapes in advance (taken once from edgerest's pipeline, bench/http/templates.ts), so per
 * request it only verifies the JWT (jose, as a hand-written handler would: no token cache), picks
 * the values out of the query string, and runs the transaction on a pg Pool of edgerest's size
 * (10). Statements are named (prepared once per connection) and rows stay text, as in edgerest.
 *
 * A separate process, started by bench/http/run.ts with the same PGRST_* environment as edgerest
 * (PGRST_DB_URI, PGRST_JWT_SECRET, PGRST_SERVER_PORT; EDGEREST_SCHEMA_CACHE for the templates).
 */
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { jwtVerify } from 'jose'
import pg from 'pg'
import { readConfigOrThrow } from '../../src/config/from-env.ts'
import { loadSchemaCacheOrThrow } from '../../src/schema-cache/load.ts'
import { floorShapes, shapeKey, type FloorShape } from './templates.ts'
import { WORKLOADS } from './workloads.ts'

const env = process.env
const config = readConfigOrThrow(env)
const shapes = new Map(
  floorShapes(WORKLOADS, config, loadSchemaCacheOrThrow(JSON.parse(readFileSync(env['EDGEREST_SCHEMA_CACHE'] as string, 'utf8')))).map(
    (s, i) => [s.key, { ...s, txName: `floor_tx_${i}`, mainName: `floor_main_${i}` }],
  ),
)
const secret = new TextEncoder().encode(env['PGRST_JWT_SECRET'])
// edgerest's pool settings (execute/pg.ts): 10 connections, kept 30 s when idle.
const pool = new pg.Pool({ connectionString: config.dbUri, max: 10, idleTimeoutMillis: 30_000 })
pool.on('error', () => undefined)
const TEXT = { getTypeParser: () => (v: string) => v }

type Claims = Record<string, unknown>
const authenticate = async (authorization: string | undefined): Promise<{ role: string; claims: Claims } | null> => {
  if (authorization === undefined) return { role: 'anonymous', claims: { role: 'anonymous' } }
  if (!authorization.startsWith('Bearer ')) return null
  try {
    const { payload } = await jwtVerify(authorization.slice(7), secret, { algorithms: ['HS256'] })
    const role = typeof payload['role'] === 'string' ? payload['role'] : 'anonymous'
    return { role, claims: { ...payload, role } }
  } catch {
    return null
  }
}

const cookies = (header: string | undefined): string =>
  JSON.stringify(Object.fromEntries((header ?? '').split(';').filter((c) => c.includes('=')).map((c) => c.trim().split('=', 2))))

const run = async (shape: FloorShape & { txName: string; mainName: string }, tx: (string | null)[], main: (string | null)[]): Promise<string> => {
  const client = await pool.connect()
  try {
    await client.query(shape.begin)
    await client.query({ name: shape.txName, text: shape.txVars.text, values: tx, rowMode: 'array', types: TEXT })
    const r = await client.query<unknown[]>({ name: shape.mainName, text: shape.main.text, values: main, rowMode: 'array', types: TEXT })
    await client.query('COMMIT')
    // The body column's position differs between reads and writes (writes add a Location column).
    return r.rows[0]?.[r.fields.findIndex((f) => f.name === 'body')] as string
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw e
  } finally {
    client.release()
  }
}

const app = new Hono()
app.all('*', async (c) => {
  const query = c.req.query()
  const shape = shapes.get(shapeKey(c.req.method, c.req.path, query))
  if (shape === undefined) return c.json({ message: 'the floor does not serve this request' }, 404)
  const auth = await authenticate(c.req.header('authorization'))
  if (auth === null) return c.json({ message: 'invalid JWT' }, 401)
  const main = [...shape.main.params]
  for (const s of shape.main.slots) {
    const v = query[s.key] as string
    if (!v.startsWith(s.prefix) || !v.endsWith(s.suffix)) return c.json({ message: `bad ${s.key}` }, 400)
    main[s.index] = v.slice(s.prefix.length, v.length - s.suffix.length)
  }
  if (shape.main.bodyIndex >= 0) main[shape.main.bodyIndex] = await c.req.text()
  const headers = c.req.header()
  const tx = [...shape.txVars.params]
  for (const [i, v] of shape.txVars.vars) {
    if (v === 'role') tx[i] = auth.role
    else if (v === 'claims') tx[i] = JSON.stringify(auth.claims)
    else if (v === 'cookies') tx[i] = cookies(headers['cookie'])
    else tx[i] = JSON.stringify(Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'cookie')))
  }
  try {
    const body = await run(shape, tx, main)
    return c.body(body, shape.status as 200 | 201, { 'Content-Type': 'application/json; charset=utf-8' })
  } catch (e) {
    return c.json({ message: e instanceof Error ? e.message : String(e) }, 500)
  }
})

const server = serve({ fetch: app.fetch, port: config.serverPort, hostname: '127.0.0.1' }, (info) => console.log(`floor listening on http://127.0.0.1:${info.port}`))
const stop = (): void => {
  server.close(() => void pool.end().finally(() => process.exit(0)))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
