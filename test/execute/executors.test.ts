/**
 * The three executors in Node against the real PostgreSQL of the global setup: neon-http through
 * the local /sql endpoint, neon-ws through the WebSocket bridge, pg over TCP. All connect as the
 * NOINHERIT `authenticator` and switch role with set_config, as the pipeline will.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ws from 'ws'
import { isPgrstError, type PgError } from '../../src/errors/types.ts'
import { createNeonHttpExecutor } from '../../src/execute/neon-http.ts'
import { createNeonWsExecutor } from '../../src/execute/neon-ws.ts'
import { createPgExecutor, endPgPools } from '../../src/execute/pg.ts'
import type { Executor, TxOptions } from '../../src/execute/types.ts'
import type { CompiledSql } from '../../src/sql/fragment.ts'
import { requestsFor, stackUrls, superuserQuery, uniqueName, withApplicationName } from '../helpers/stack.ts'

const { authUrl, neonHttpUrl, wsProxy } = stackUrls()
const schema = uniqueName('exec')
const table = `${schema}.items`

const stmt = (text: string, ...params: (string | null)[]): CompiledSql => ({ text, params })
const asAuthenticated = stmt(`SELECT set_config('role', 'authenticated', true)`)
const WRITE: TxOptions = { readOnly: false, end: 'commit' }
const READ: TxOptions = { readOnly: true, end: 'commit' }

/** The PgError an executor rejected with (fails the test if it resolved or threw something else). */
const pgErrorOf = async (p: Promise<unknown>): Promise<PgError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  if (!isPgrstError(e) || e.pgrstAppError.origin !== 'pg') throw new Error(`expected a PgrstError, got ${String(e)}`)
  return e.pgrstAppError.error
}

const idsInTable = async (from: number, to: number): Promise<number[]> =>
  (await superuserQuery<{ id: number }>(`SELECT id FROM ${table} WHERE id BETWEEN $1 AND $2 ORDER BY id`, [from, to])).rows.map((r) => r.id)

const makeExecutors = (tag: string): Record<'neon-http' | 'neon-ws' | 'pg', Executor> => ({
  'neon-http': createNeonHttpExecutor({ connectionString: withApplicationName(authUrl, tag), fetchEndpoint: neonHttpUrl }),
  'neon-ws': createNeonWsExecutor({
    connectionString: authUrl,
    wsProxy,
    useSecureWebSocket: false,
    pipelineConnect: false,
    webSocketConstructor: ws,
  }),
  pg: createPgExecutor({ connectionString: authUrl, poolSize: 2 }),
})

const httpTag = uniqueName('exec_http')
const executors = makeExecutors(httpTag)

beforeAll(async () => {
  await superuserQuery(`
    CREATE SCHEMA ${schema};
    CREATE TABLE ${table} (id int PRIMARY KEY, name text UNIQUE);
    CREATE TABLE ${schema}.deferred (k text CONSTRAINT deferred_k_key UNIQUE DEFERRABLE INITIALLY DEFERRED);
    GRANT USAGE ON SCHEMA ${schema} TO authenticated;
    GRANT ALL ON ${table}, ${schema}.deferred TO authenticated;
  `)
})
afterAll(async () => {
  await endPgPools()
  await superuserQuery(`DROP SCHEMA ${schema} CASCADE`)
})

describe.each([
  ['neon-http', 1000],
  ['neon-ws', 2000],
  ['pg', 3000],
] as const)('%s executor', (kind, base) => {
  const executor = executors[kind]

  it('says what it is', () => {
    expect(executor.kind).toBe(kind)
    expect(executor.interactive).toBe(kind !== 'neon-http')
  })

  it('returns every value as Postgres text output, NULL as null', async () => {
    const [r] = await executor.run(
      [
        stmt(
          `SELECT $1::int + 1 AS n, true AS b, 1.50::numeric AS num, 9007199254740993::int8 AS big,
                  '{"k": [1, 2]}'::jsonb AS j, ARRAY[1, NULL]::int[] AS arr, '\\x00ff'::bytea AS bin,
                  '2024-01-02 03:04:05+02'::timestamptz AS ts, 'a"b'::text AS s, NULL::int AS nothing`,
          '41',
        ),
      ],
      READ,
    )
    expect(r?.fields).toEqual(['n', 'b', 'num', 'big', 'j', 'arr', 'bin', 'ts', 's', 'nothing'])
    expect(r?.rows).toEqual([
      ['42', 't', '1.50', '9007199254740993', '{"k": [1, 2]}', '{1,NULL}', '\\x00ff', '2024-01-02 01:04:05+00', 'a"b', null],
    ])
    expect(r?.rowCount).toBe(1)
  })

  it('sees set_config values (role, claims) within the same run', async () => {
    const results = await executor.run(
      [
        asAuthenticated,
        stmt(`SELECT set_config('request.jwt.claims', $1, true)`, '{"sub":"u1","role":"authenticated"}'),
        stmt(`SELECT current_user, current_setting('request.jwt.claims', true)::json->>'sub'`),
      ],
      READ,
    )
    expect(results.map((r) => r.rows)).toEqual([[['authenticated']], [['{"sub":"u1","role":"authenticated"}']], [['authenticated', 'u1']]])
  })

  it('commits writes and reports rowCount', async () => {
    const [, r] = await executor.run([asAuthenticated, stmt(`INSERT INTO ${table} VALUES ($1, NULL), ($2, NULL)`, String(base), String(base + 1))], WRITE)
    expect(r).toEqual({ fields: [], rows: [], rowCount: 2 })
    expect(await idsInTable(base, base + 1)).toEqual([base, base + 1])
  })

  it('rolls everything back when a statement fails, and reports the server error', async () => {
    const error = await pgErrorOf(
      executor.run([asAuthenticated, stmt(`INSERT INTO ${table} VALUES ($1, 'lost')`, String(base + 10)), stmt('SELECT 1 / 0')], WRITE),
    )
    expect(error).toEqual({ kind: 'server', authenticated: false, error: { code: '22012', message: 'division by zero', detail: null, hint: null } })
    expect(await idsInTable(base + 10, base + 10)).toEqual([])
  })

  it('keeps detail and hint of a server error', async () => {
    await executor.run([asAuthenticated, stmt(`INSERT INTO ${table} VALUES ($1, $2)`, String(base + 20), `dup-${kind}`)], WRITE)
    const unique = await pgErrorOf(executor.run([asAuthenticated, stmt(`INSERT INTO ${table} VALUES ($1, $2)`, String(base + 21), `dup-${kind}`)], WRITE))
    expect(unique).toEqual({
      kind: 'server',
      authenticated: false,
      error: {
        code: '23505',
        message: 'duplicate key value violates unique constraint "items_name_key"',
        detail: `Key (name)=(dup-${kind}) already exists.`,
        hint: null,
      },
    })
    const raised = await pgErrorOf(
      executor.run([stmt(`DO $$ BEGIN RAISE EXCEPTION 'custom' USING DETAIL = 'the detail', HINT = 'the hint', ERRCODE = 'PT402'; END $$`)], WRITE),
    )
    expect(raised).toEqual({ kind: 'server', authenticated: false, error: { code: 'PT402', message: 'custom', detail: 'the detail', hint: 'the hint' } })
  })

  it('reports an error raised by COMMIT itself (deferred constraint) and writes nothing', async () => {
    const error = await pgErrorOf(
      executor.run([asAuthenticated, stmt(`INSERT INTO ${schema}.deferred VALUES ($1), ($1)`, kind), stmt(`INSERT INTO ${table} VALUES ($1, NULL)`, String(base + 50))], WRITE),
    )
    expect(error).toEqual({
      kind: 'server',
      authenticated: false,
      error: { code: '23505', message: 'duplicate key value violates unique constraint "deferred_k_key"', detail: `Key (k)=(${kind}) already exists.`, hint: null },
    })
    expect(await idsInTable(base + 50, base + 50)).toEqual([])
  })

  it('runs read-only transactions READ ONLY', async () => {
    const error = await pgErrorOf(executor.run([asAuthenticated, stmt(`INSERT INTO ${table} VALUES ($1, NULL)`, String(base + 30))], READ))
    expect(error).toMatchObject({ kind: 'server', error: { code: '25006', message: 'cannot execute INSERT in a read-only transaction' } })
  })

  it('applies the isolation level', async () => {
    for (const isolation of ['read committed', 'repeatable read', 'serializable'] as const) {
      const [r] = await executor.run([stmt(`SELECT current_setting('transaction_isolation')`)], { ...READ, isolation })
      expect(r?.rows).toEqual([[isolation]])
    }
  })

  it('rejects a multi-statement text like Neon HTTP does, writing nothing', async () => {
    const error = await pgErrorOf(
      executor.run([asAuthenticated, stmt(`INSERT INTO ${table} VALUES (${base + 40}, NULL); SELECT 2`)], WRITE),
    )
    expect(error).toMatchObject({ kind: 'server', error: { code: '42601', message: 'cannot insert multiple commands into a prepared statement' } })
    expect(await idsInTable(base + 40, base + 40)).toEqual([])
  })

  it('reports a failed login as a connection error', async () => {
    const bad = new URL(authUrl)
    bad.password = 'wrong'
    const wrong = {
      'neon-http': () => createNeonHttpExecutor({ connectionString: bad.toString(), fetchEndpoint: neonHttpUrl }),
      'neon-ws': () =>
        createNeonWsExecutor({ connectionString: bad.toString(), wsProxy, useSecureWebSocket: false, pipelineConnect: false, webSocketConstructor: ws }),
      pg: () => createPgExecutor({ connectionString: bad.toString() }),
    }[kind]()
    const error = await pgErrorOf(wrong.run([stmt('SELECT 1')], READ))
    expect(error).toEqual({ kind: 'connection', details: 'password authentication failed for user "authenticator"' })
  })
})

describe.each(['neon-ws', 'pg'] as const)('%s (interactive)', (kind) => {
  const executor = executors[kind]
  const base = kind === 'neon-ws' ? 5000 : 6000

  it("honours end: 'rollback' after reading the results", async () => {
    const [, r] = await executor.run([asAuthenticated, stmt(`INSERT INTO ${table} VALUES ($1, NULL) RETURNING id`, String(base))], {
      readOnly: false,
      end: 'rollback',
    })
    expect(r?.rows).toEqual([[String(base)]])
    expect(await idsInTable(base, base)).toEqual([])
  })
})

describe('neon-http specifics', () => {
  const executor = executors['neon-http']

  it('sends a whole run as exactly one HTTP request', async () => {
    const before = await requestsFor(httpTag)
    const results = await executor.run(
      [asAuthenticated, stmt(`SELECT set_config('request.method', 'GET', true)`), stmt(`SELECT current_setting('request.method'), current_user`)],
      READ,
    )
    expect(results[2]?.rows).toEqual([['GET', 'authenticated']])
    expect((await requestsFor(httpTag)) - before).toBe(1)
  })

  it("refuses end: 'rollback' on a read-write run, before sending anything", async () => {
    const before = await requestsFor(httpTag)
    await expect(executor.run([stmt(`INSERT INTO ${table} VALUES (7000, NULL)`)], { readOnly: false, end: 'rollback' })).rejects.toThrow(TypeError)
    expect(await requestsFor(httpTag)).toBe(before)
    expect(await idsInTable(7000, 7000)).toEqual([])
  })

  it("runs a read-only end: 'rollback' run (nothing can have been written)", async () => {
    const [r] = await executor.run([stmt('SELECT 1')], { readOnly: true, end: 'rollback' })
    expect(r?.rows).toEqual([['1']])
  })

  it('sends nothing for an empty run', async () => {
    const before = await requestsFor(httpTag)
    expect(await executor.run([], WRITE)).toEqual([])
    expect(await requestsFor(httpTag)).toBe(before)
  })

  it('routes each executor to its own endpoint and fetch function', async () => {
    const seen: string[] = []
    const counting = createNeonHttpExecutor({
      connectionString: authUrl,
      fetchEndpoint: (host, port) => {
        seen.push(`${host}:${port}`)
        return neonHttpUrl
      },
      fetchFunction: async (input, init) => {
        seen.push(String(input))
        return fetch(input, init)
      },
    })
    const unreachable = createNeonHttpExecutor({ connectionString: authUrl, fetchEndpoint: 'http://127.0.0.1:1/sql' })
    const [ok] = await counting.run([stmt('SELECT 1')], READ)
    expect(ok?.rows).toEqual([['1']])
    const { hostname, port } = new URL(authUrl)
    expect(seen).toEqual([`${hostname}:${port}`, neonHttpUrl])
    const error = await pgErrorOf(unreachable.run([stmt('SELECT 1')], READ))
    expect(error.kind).toBe('connection')
    // The first executor is unaffected by the second one's endpoint.
    expect((await executors['neon-http'].run([stmt('SELECT 2')], READ))[0]?.rows).toEqual([['2']])
  })
})

describe('unreachable database', () => {
  it('neon-ws and pg report a connection error', async () => {
    const ws1 = createNeonWsExecutor({ connectionString: authUrl, wsProxy: '127.0.0.1:1', useSecureWebSocket: false, webSocketConstructor: ws })
    const closed = new URL(authUrl)
    closed.port = '1'
    const pg1 = createPgExecutor({ connectionString: closed.toString() })
    expect((await pgErrorOf(ws1.run([stmt('SELECT 1')], READ))).kind).toBe('connection')
    expect(await pgErrorOf(pg1.run([stmt('SELECT 1')], READ))).toMatchObject({ kind: 'connection', details: expect.stringContaining('ECONNREFUSED') })
  })
})
