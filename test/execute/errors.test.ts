/**
 * Driver error → PgError mapping, with errors produced by the real drivers against real servers
 * (the global stack, and endpoints started here in configurations that fail on purpose).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNeonHttpEndpoint, type NeonHttpEndpoint } from '../../dev/neon-http-endpoint.ts'
import { freePort } from '../../dev/embedded-pg.ts'
import { PgrstError, isPgrstError, pgErr, type PgError } from '../../src/errors/types.ts'
import { pgErrorOf, toPgrstError } from '../../src/execute/errors.ts'
import { createNeonHttpExecutor } from '../../src/execute/neon-http.ts'
import { createPgExecutor, endPgPools } from '../../src/execute/pg.ts'
import type { CompiledSql } from '../../src/sql/fragment.ts'
import { stackUrls } from '../helpers/stack.ts'

const { authUrl, dbUrl, neonHttpUrl } = stackUrls()
const stmt = (text: string, ...params: (string | null)[]): CompiledSql => ({ text, params })
const READ = { readOnly: true, end: 'commit' } as const

const rejection = async (p: Promise<unknown>): Promise<PgError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  if (!isPgrstError(e) || e.pgrstAppError.origin !== 'pg') throw new Error(`expected a PgrstError, got ${String(e)}`)
  return e.pgrstAppError.error
}

let tiny: NeonHttpEndpoint
let noDatabase: NeonHttpEndpoint
beforeAll(async () => {
  const { hostname, port } = new URL(dbUrl)
  tiny = await startNeonHttpEndpoint({ pgHost: hostname, pgPort: Number(port), maxResponseBytes: 200, maxRequestBytes: 400 })
  noDatabase = await startNeonHttpEndpoint({ pgHost: '127.0.0.1', pgPort: await freePort() })
})
afterAll(async () => {
  await Promise.all([tiny.stop(), noDatabase.stop(), endPgPools()])
})

describe('neon-http errors', () => {
  it('a statement error is a server error; a timeout too', async () => {
    const ex = createNeonHttpExecutor({ connectionString: authUrl, fetchEndpoint: neonHttpUrl })
    expect(await rejection(ex.run([stmt(`SET LOCAL statement_timeout = '10ms'`), stmt('SELECT pg_sleep(1)')], READ))).toEqual({
      kind: 'server',
      authenticated: false,
      error: { code: '57014', message: 'canceling statement due to statement timeout', detail: null, hint: null },
    })
  })

  it("a response over Neon's size limit (507) is a transport limit naming it, not a client error", async () => {
    const ex = createNeonHttpExecutor({ connectionString: authUrl, fetchEndpoint: tiny.url })
    const e = await rejection(ex.run([stmt(`SELECT repeat('x', 1000)`)], READ))
    expect(e).toEqual({ kind: 'transportLimit', direction: 'response', details: 'response is too large (max is 200 bytes)' })
  })

  it("a request over Neon's size limit (413) is a transport limit naming it", async () => {
    const ex = createNeonHttpExecutor({ connectionString: authUrl, fetchEndpoint: tiny.url })
    const e = await rejection(ex.run([stmt('SELECT length($1)', 'x'.repeat(500))], READ))
    expect(e).toEqual({ kind: 'transportLimit', direction: 'request', details: 'request is too large (max is 400 bytes)' })
  })

  it('an endpoint that cannot reach Postgres (500) is a connection error', async () => {
    const ex = createNeonHttpExecutor({ connectionString: authUrl, fetchEndpoint: noDatabase.url })
    const e = await rejection(ex.run([stmt('SELECT 1')], READ))
    expect(e.kind).toBe('connection')
    expect(e.kind === 'connection' && e.details).toMatch(/^Server error \(HTTP status 500\): .*ECONNREFUSED/)
  })

  it('a connection string the endpoint refuses is a connection error', async () => {
    const noPassword = new URL(authUrl)
    noPassword.password = ''
    const ex = createNeonHttpExecutor({ connectionString: noPassword.toString(), fetchEndpoint: neonHttpUrl })
    expect(await rejection(ex.run([stmt('SELECT 1')], READ))).toEqual({
      kind: 'connection',
      details: 'missing authentication credentials: required password',
    })
  })
})

describe('pg errors', () => {
  it('an unknown role in SET ROLE is a server error', async () => {
    const ex = createPgExecutor({ connectionString: authUrl })
    expect(await rejection(ex.run([stmt(`SELECT set_config('role', 'nobody_at_all', true)`)], READ))).toMatchObject({
      kind: 'server',
      error: { code: '22023', message: 'role "nobody_at_all" does not exist' },
    })
  })

  it('a database that does not exist is a connection error', async () => {
    const url = new URL(authUrl)
    url.pathname = '/no_such_db'
    const ex = createPgExecutor({ connectionString: url.toString() })
    expect(await rejection(ex.run([stmt('SELECT 1')], READ))).toEqual({ kind: 'connection', details: 'database "no_such_db" does not exist' })
  })
})

describe('toPgrstError', () => {
  it('passes PgrstErrors through and keeps the driver error as cause', () => {
    const existing = new PgrstError(pgErr({ kind: 'acquisitionTimeout' }))
    expect(toPgrstError(existing, 'query')).toBe(existing)
    const original = new Error('socket hang up')
    const wrapped = toPgrstError(original, 'connect')
    expect(wrapped.cause).toBe(original)
    expect(wrapped.pgrstAppError).toEqual({ origin: 'pg', error: { kind: 'connection', details: 'socket hang up' } })
  })

  it('does not take a Node system error code for a SQLSTATE', () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' })
    expect(pgErrorOf(epipe, 'query')).toEqual({ kind: 'connection', details: 'write EPIPE' })
  })
})
