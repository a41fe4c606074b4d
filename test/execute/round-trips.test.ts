/**
 * The `pg` executor costs one network round trip per request: BEGIN, the tx-vars select, the main
 * statement and COMMIT leave in one write and the answers come back together (pipelined.ts).
 *
 * Counted at the socket: a TCP proxy between node-postgres and PostgreSQL records the direction of
 * every chunk it forwards. A "flight" is a run of client → server data; the client starts a new
 * flight only after it has read an answer, so flights per request = network round trips. The
 * one-statement-at-a-time run (transaction.ts, what neon-ws still uses) through the same proxy is
 * the control: it shows the counter sees a round trip per statement.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { edgerest, type EdgerestApp } from '../../src/index-node.ts'
import { endPgPools } from '../../src/execute/pg.ts'
import { RAW_TEXT_TYPES, runInTransaction, type QueryClient } from '../../src/execute/transaction.ts'
import { SPEC_SETTINGS, WRITES_SETTINGS } from '../spec/types.ts'

/** A loopback proxy to `target` that logs 'c' (client → server) and 's' (server → client) chunks. */
interface CountingProxy {
  readonly port: number
  /** Client flights since the last reset. */
  flights(): number
  reset(): void
  close(): Promise<void>
}

const countingProxy = async (target: { host: string; port: number }): Promise<CountingProxy> => {
  let log: ('c' | 's')[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host)
    sockets.add(client).add(upstream)
    client.on('data', (chunk) => {
      log.push('c')
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      log.push('s')
      client.write(chunk)
    })
    const close = (): void => {
      client.destroy()
      upstream.destroy()
    }
    client.on('close', close).on('error', close)
    upstream.on('close', close).on('error', close)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no proxy port')
  return {
    port: address.port,
    flights: () => log.filter((d, i) => d === 'c' && log[i - 1] !== 'c').length,
    reset: () => {
      log = []
    },
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** `authUrl` with its host and port replaced by the proxy's. */
const viaProxy = (url: string, port: number): string => {
  const u = new URL(url)
  u.hostname = '127.0.0.1'
  u.port = String(port)
  return u.toString()
}

let proxy: CountingProxy
let app: EdgerestApp
let writesApp: EdgerestApp
let rpcApp: EdgerestApp

beforeAll(async () => {
  const db = new URL(inject('authUrl'))
  proxy = await countingProxy({ host: db.hostname, port: Number(db.port) })
  const common = {
    PGRST_DB_URI: viaProxy(inject('authUrl'), proxy.port),
    EDGEREST_SCHEMA_CACHE: inject('schemaCacheJson'),
    EDGEREST_EXECUTOR: 'pg',
    // One connection, so every request after the first reuses it and only its queries cross the proxy.
    PGRST_DB_POOL: '1',
  }
  app = edgerest({ ...SPEC_SETTINGS, ...common })
  writesApp = edgerest({ ...SPEC_SETTINGS, ...WRITES_SETTINGS, ...common, EDGEREST_SCHEMA_CACHE: inject('writesSchemaCacheJson') })
  rpcApp = edgerest({ ...SPEC_SETTINGS, ...common, PGRST_DB_SCHEMAS: 'rpc', EDGEREST_SCHEMA_CACHE: inject('rpcSchemaCacheJson') })
})

afterAll(async () => {
  await endPgPools()
  await proxy.close()
})

/** The round trips `request` costs once its connection is open (a first request warms it up). */
const roundTrips = async (request: () => Response | Promise<Response>): Promise<{ status: number; flights: number }> => {
  await (await request()).arrayBuffer()
  proxy.reset()
  const res = await request()
  await res.arrayBuffer()
  return { status: res.status, flights: proxy.flights() }
}

describe('the pg executor over a socket', () => {
  it('a read is one round trip', async () => {
    expect(await roundTrips(() => app.request('/items?id=eq.1&select=id,name'))).toEqual({ status: 200, flights: 1 })
  })

  it('a read with an exact count and an embed is one round trip', async () => {
    const read = (): Response | Promise<Response> => app.request('/projects?select=id,clients(name)&order=id', { headers: { Prefer: 'count=exact' } })
    expect(await roundTrips(read)).toEqual({ status: 200, flights: 1 })
  })

  it('an RPC call is one round trip', async () => {
    expect(await roundTrips(() => rpcApp.request('/rpc/add?a=1&b=2'))).toEqual({ status: 200, flights: 1 })
  })

  it('a write that returns its representation and rolls back is one round trip', async () => {
    const write = (): Response | Promise<Response> =>
      writesApp.request('/parents', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Prefer: 'return=representation, tx=rollback' },
        body: JSON.stringify({ id: 'round-trip', name: 'once' }),
      })
    expect(await roundTrips(write)).toEqual({ status: 201, flights: 1 })
  })

  it('a statement the first request of its shape prepares still travels in the same flight', async () => {
    proxy.reset()
    const res = await app.request('/items?select=name&name=like.*a*&order=name.desc&limit=2')
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(proxy.flights()).toBe(1)
  })

  it('control: the one-statement-at-a-time run costs a round trip per statement', async () => {
    const client = new pg.Client({ connectionString: viaProxy(inject('authUrl'), proxy.port), types: RAW_TEXT_TYPES })
    await client.connect()
    try {
      proxy.reset()
      const statements = [
        { text: "SELECT set_config('role', 'anonymous', true)", params: [] },
        { text: 'SELECT 1', params: [] },
      ]
      await runInTransaction(client as unknown as QueryClient, statements, { readOnly: true, end: 'commit' })
      // BEGIN, two statements, COMMIT.
      expect(proxy.flights()).toBe(4)
    } finally {
      await client.end()
    }
  })
})
