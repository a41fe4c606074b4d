/**
 * The WebSocket→TCP bridge, driven by the Neon driver's `Client` (node-postgres over a WebSocket)
 * in Node, against the real PostgreSQL of the global setup.
 */
import { Client } from '@neondatabase/serverless'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ws from 'ws'
import { startWsBridge, type WsBridge } from '../../dev/ws-bridge.ts'
import { stackUrls, superuserQuery, uniqueName } from '../helpers/stack.ts'

const { authUrl, dbUrl, wsProxy } = stackUrls()
const schema = uniqueName('wsbridge')

const connect = async (proxy: string = wsProxy, url: string = authUrl): Promise<Client> => {
  const client = new Client(url)
  client.neonConfig.webSocketConstructor = ws
  client.neonConfig.wsProxy = proxy
  client.neonConfig.useSecureWebSocket = false
  // Plain Postgres asks for SCRAM; the driver's pipelined cleartext login only suits Neon's proxy.
  client.neonConfig.pipelineConnect = false
  await client.connect()
  return client
}

beforeAll(async () => {
  await superuserQuery(`
    CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.posts (id int PRIMARY KEY, author text NOT NULL DEFAULT current_setting('request.jwt.claims', true)::json->>'sub');
    GRANT USAGE ON SCHEMA ${schema} TO authenticated, anonymous;
    GRANT ALL ON ${schema}.posts TO authenticated;
  `)
})
afterAll(async () => {
  await superuserQuery(`DROP SCHEMA ${schema} CASCADE`)
})

describe('Client over the bridge', () => {
  it('runs an interactive transaction with SET LOCAL ROLE and claims', async () => {
    const client = await connect()
    try {
      await client.query('BEGIN')
      await client.query('SET LOCAL ROLE authenticated')
      await client.query(`SELECT set_config('request.jwt.claims', $1, true)`, ['{"sub":"alice"}'])
      const inserted = await client.query(`INSERT INTO ${schema}.posts (id) VALUES (1) RETURNING author, current_user AS who`)
      expect(inserted.rows).toEqual([{ author: 'alice', who: 'authenticated' }])
      await client.query('COMMIT')
      // Role and claims were transaction-local.
      const after = await client.query(`SELECT current_user AS who, current_setting('request.jwt.claims', true) AS claims`)
      expect(after.rows[0].who).toBe('authenticator')
      expect(after.rows[0].claims ?? '').toBe('')
    } finally {
      await client.end()
    }
    const rows = await superuserQuery(`SELECT id, author FROM ${schema}.posts`)
    expect(rows.rows).toEqual([{ id: 1, author: 'alice' }])
  })

  it('reports a permission error (42501) as anonymous, and ROLLBACK leaves nothing', async () => {
    const client = await connect()
    try {
      await client.query('BEGIN')
      await client.query('SET LOCAL ROLE anonymous')
      const error = await client.query(`INSERT INTO ${schema}.posts (id, author) VALUES (2, 'x')`).then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      )
      expect(error?.code).toBe('42501')
      expect(error?.message).toBe(`permission denied for table posts`)
      await client.query('ROLLBACK')
      const who = await client.query('SELECT current_user AS who')
      expect(who.rows).toEqual([{ who: 'authenticator' }])
    } finally {
      await client.end()
    }
  })

  it('carries large messages split across frames', async () => {
    const client = await connect()
    try {
      const big = 'x'.repeat(300_000)
      const r = await client.query('SELECT length($1::text) AS n, md5($1::text) = md5(repeat($2, 300000)) AS same', [big, 'x'])
      expect(r.rows).toEqual([{ n: 300000, same: true }])
    } finally {
      await client.end()
    }
  })
})

describe('a bridge of its own', () => {
  let bridge: WsBridge
  beforeAll(async () => {
    const { hostname, port } = new URL(dbUrl)
    bridge = await startWsBridge({ pgHost: hostname, pgPort: Number(port) })
  })
  afterAll(async () => {
    await bridge.stop()
  })

  it('ignores ?address= and counts one connection per client', async () => {
    const client = await connect(`127.0.0.1:${bridge.port}/v2`)
    try {
      const r = await client.query('SELECT 1 AS one')
      expect(r.rows).toEqual([{ one: 1 }])
      expect(bridge.stats).toEqual({ connections: 1, open: 1 })
    } finally {
      await client.end()
    }
    await expect.poll(() => bridge.stats.open).toBe(0)
  })

  it('closes the client connection when Postgres refuses the login', async () => {
    const bad = new URL(authUrl)
    bad.password = 'wrong'
    const error = await connect(`127.0.0.1:${bridge.port}`, bad.toString()).then(
      (c) => c.end().then(() => undefined),
      (e: unknown) => e as { code?: string },
    )
    expect(error?.code).toBe('28P01')
    await expect.poll(() => bridge.stats.open).toBe(0)
  })
})
