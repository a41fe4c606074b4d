/**
 * The local Neon SQL-over-HTTP endpoint, driven by the real `neon()` driver (and raw fetch where
 * the driver would hide what is on the wire), against the real PostgreSQL of the global setup.
 */
import { neon, neonConfig, type NeonDbError } from '@neondatabase/serverless'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNeonHttpEndpoint, type NeonHttpEndpoint } from '../../dev/neon-http-endpoint.ts'
import { requestsFor, stackUrls, superuserQuery, uniqueName, withApplicationName } from '../helpers/stack.ts'

const { authUrl, dbUrl, neonHttpUrl } = stackUrls()
const schema = uniqueName('neonhttp')

const ERROR_KEYS = [
  'message', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'severity', 'where',
  'table', 'column', 'schema', 'dataType', 'constraint', 'file', 'line', 'routine',
]

/** POST /sql as the driver would, returning status, headers and parsed body. */
const post = async (body: unknown, headers: Record<string, string> = {}, url = neonHttpUrl) => {
  const res = await fetch(url, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Neon-Connection-String': authUrl, 'Neon-Raw-Text-Output': 'true', 'Neon-Array-Mode': 'true', ...headers },
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as Record<string, unknown> }
}

const thrown = async (p: Promise<unknown>): Promise<NeonDbError> => {
  try {
    await p
  } catch (e) {
    return e as NeonDbError
  }
  throw new Error('expected a rejection')
}

beforeAll(async () => {
  neonConfig.fetchEndpoint = neonHttpUrl
  await superuserQuery(`
    CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.items (id int PRIMARY KEY, name text UNIQUE NOT NULL);
    GRANT USAGE ON SCHEMA ${schema} TO authenticator, authenticated;
    GRANT ALL ON ${schema}.items TO authenticator, authenticated;
  `)
})
afterAll(async () => {
  await superuserQuery(`DROP SCHEMA ${schema} CASCADE`)
})

describe('neon() against the local endpoint', () => {
  const sql = neon(authUrl)

  it('runs a single query with parameters and parses values like Neon', async () => {
    const rows = await sql`SELECT ${41}::int + 1 AS n, ${'x'}::text AS s, current_user AS who, '{"a":[1]}'::jsonb AS j`
    expect(rows).toEqual([{ n: 42, s: 'x', who: 'authenticator', j: { a: [1] } }])
  })

  it('returns fields, command and rowCount with fullResults', async () => {
    const r = await sql.query('SELECT g FROM generate_series(1, $1::int) g', ['3'], { fullResults: true, arrayMode: true })
    expect(r.command).toBe('SELECT')
    expect(r.rowCount).toBe(3)
    expect(r.rows).toEqual([[1], [2], [3]])
    expect(r.fields[0]).toMatchObject({ name: 'g', dataTypeID: 23, format: 'text' })
  })

  it('commits a batch in one transaction', async () => {
    const results = await sql.transaction([
      sql.query(`INSERT INTO ${schema}.items VALUES (1, 'a'), (2, 'b')`),
      sql.query(`SELECT count(*)::int AS n FROM ${schema}.items`),
    ])
    expect(results[1]).toEqual([{ n: 2 }])
    const after = await superuserQuery(`SELECT name FROM ${schema}.items ORDER BY id`)
    expect(after.rows.map((r) => r.name)).toEqual(['a', 'b'])
  })

  it('rolls the whole batch back when a query fails', async () => {
    const e = await thrown(
      sql.transaction([
        sql.query(`INSERT INTO ${schema}.items VALUES (10, 'ten')`),
        sql.query('SELECT 1 / 0'),
      ]),
    )
    expect(e.code).toBe('22012')
    expect(e.message).toBe('division by zero')
    const rows = await sql.query(`SELECT id FROM ${schema}.items WHERE id = 10`)
    expect(rows).toEqual([])
  })

  it('runs a read-only batch READ ONLY (a write fails with 25006)', async () => {
    const e = await thrown(sql.transaction([sql.query(`INSERT INTO ${schema}.items VALUES (20, 'x')`)], { readOnly: true }))
    expect(e.code).toBe('25006')
    expect(e.message).toBe('cannot execute INSERT in a read-only transaction')
  })

  it('applies the isolation level to the batch', async () => {
    const [r] = await sql.transaction([sql`SELECT current_setting('transaction_isolation') AS iso`], {
      isolationLevel: 'Serializable',
    })
    expect(r).toEqual([{ iso: 'serializable' }])
  })

  it('rejects a multi-statement string with 42601 (extended protocol)', async () => {
    const e = await thrown(sql.query('SELECT 1; SELECT 2'))
    expect(e.code).toBe('42601')
    expect(e.message).toBe('cannot insert multiple commands into a prepared statement')
  })

  it('reports every field of a unique violation', async () => {
    const e = await thrown(sql.query(`INSERT INTO ${schema}.items VALUES (99, 'a')`))
    expect(e).toMatchObject({
      code: '23505',
      message: `duplicate key value violates unique constraint "items_name_key"`,
      detail: 'Key (name)=(a) already exists.',
      constraint: 'items_name_key',
      table: 'items',
      schema,
      severity: 'ERROR',
    })
  })

  it('keeps role and claims inside the batch only (session reset between requests)', async () => {
    const [, , who] = await sql.transaction([
      sql`SELECT set_config('role', 'authenticated', true)`,
      sql`SELECT set_config('request.jwt.claims', '{"sub":"u1"}', true)`,
      sql`SELECT current_user AS u, current_setting('request.jwt.claims', true) AS c`,
    ])
    expect(who).toEqual([{ u: 'authenticated', c: '{"sub":"u1"}' }])
    // A session-level setting made in one request must not leak into the next one.
    await sql`SELECT set_config('edgerest.leak', 'yes', false)`
    const [next] = await sql`SELECT current_user AS u, current_setting('edgerest.leak', true) AS leak`
    // (After RESET ALL a placeholder GUC once set in the session reads '' rather than NULL.)
    expect({ ...next, leak: next?.leak ?? '' }).toEqual({ u: 'authenticator', leak: '' })
  })

  it('fails authentication with the Postgres error for a wrong password', async () => {
    const bad = new URL(authUrl)
    bad.password = 'wrong'
    const e = await thrown(neon(bad.toString())`SELECT 1`)
    expect(e.code).toBe('28P01')
  })
})

describe('the wire format', () => {
  it('sends raw text values and array rows with field metadata', async () => {
    const r = await post({ query: `SELECT 1::int8 AS a, 't'::bool AS b, NULL::text AS c, '{1,2}'::int[] AS d, $1::text AS e`, params: ['p'] })
    expect(r.status).toBe(200)
    expect(r.headers.get('access-control-allow-origin')).toBe('*')
    expect(r.json.rows).toEqual([['1', 't', null, '{1,2}', 'p']])
    expect(r.json.rowAsArray).toBe(true)
    expect(r.json.command).toBe('SELECT')
    expect(r.json.rowCount).toBe(1)
    expect((r.json.fields as { name: string; dataTypeID: number }[]).map((f) => [f.name, f.dataTypeID])).toEqual([
      ['a', 20], ['b', 16], ['c', 25], ['d', 1007], ['e', 25],
    ])
  })

  it('converts to typed JSON without Neon-Raw-Text-Output, as Neon does', async () => {
    const r = await post(
      { query: `SELECT 1::int4 AS i, 1::int8 AS big, 't'::bool AS b, 'NaN'::float8 AS nan, 2.5::float8 AS f, '{"k": 1}'::jsonb AS j, '[1:2]={"a b",NULL}'::text[] AS arr` },
      { 'Neon-Raw-Text-Output': 'false', 'Neon-Array-Mode': 'false' },
    )
    expect(r.json.rows).toEqual([{ i: 1, big: '1', b: true, nan: 'NaN', f: 2.5, j: { k: 1 }, arr: ['a b', null] }])
    expect(r.json.rowAsArray).toBe(false)
  })

  it('turns JSON array params into Postgres array literals', async () => {
    const r = await post({ query: 'SELECT $1::text[] AS a, $2::int AS n', params: [['x"y', null, 'NULL'], 7] })
    expect(r.json.rows).toEqual([['{"x\\"y",NULL,"NULL"}', '7']])
  })

  it('answers a batch with results, and echoes the transaction headers', async () => {
    const r = await post(
      { queries: [{ query: 'SELECT 1 AS a' }, { query: `SELECT current_setting('transaction_read_only') AS ro` }] },
      { 'Neon-Batch-Isolation-Level': 'RepeatableRead', 'Neon-Batch-Read-Only': 'true', 'Neon-Batch-Deferrable': 'true' },
    )
    expect(r.status).toBe(200)
    expect((r.json.results as { rows: unknown[] }[]).map((x) => x.rows)).toEqual([[['1']], [['on']]])
    expect(r.headers.get('neon-batch-isolation-level')).toBe('RepeatableRead')
    expect(r.headers.get('neon-batch-read-only')).toBe('true')
    expect(r.headers.get('neon-batch-deferrable')).toBe('true')
  })

  it('gives rowCount from the command tag (INSERT 0 n) and null when the tag has none', async () => {
    const r = await post({
      queries: [
        { query: `INSERT INTO ${schema}.items VALUES (30, 'c'), (31, 'd')` },
        { query: 'SHOW TimeZone' },
        { query: `DELETE FROM ${schema}.items WHERE id IN (30, 31)` },
      ],
    })
    const results = r.json.results as { command: string; rowCount: number | null; rows: unknown[] }[]
    expect(results.map((x) => [x.command, x.rowCount])).toEqual([['INSERT', 2], ['SHOW', null], ['DELETE', 2]])
    expect(results[1]?.rows).toEqual([['UTC']])
  })

  it('returns all 17 error keys in order, with Postgres fields', async () => {
    const r = await post({ query: `INSERT INTO ${schema}.items VALUES (1, 'dup')` })
    expect(r.status).toBe(400)
    expect(Object.keys(r.json)).toEqual(ERROR_KEYS)
    expect(r.json).toMatchObject({ code: '23505', severity: 'ERROR', constraint: 'items_pkey', table: 'items', schema, position: null })
    expect(typeof r.json.file).toBe('string')
    expect(typeof r.json.line).toBe('string')
  })

  it('reports a syntax error position as a string', async () => {
    const r = await post({ query: 'SELECT FROM WHERE' })
    expect(r.status).toBe(400)
    expect(r.json).toMatchObject({ code: '42601', position: '13' })
  })

  it('rejects bad requests with Neon-style messages', async () => {
    const noConn = await fetch(neonHttpUrl, { method: 'POST', body: JSON.stringify({ query: 'SELECT 1' }) })
    expect(noConn.status).toBe(400)
    const noConnBody = (await noConn.json()) as Record<string, unknown>
    expect(Object.keys(noConnBody)).toEqual(ERROR_KEYS)
    expect(noConnBody).toMatchObject({ message: 'invalid header: neon-connection-string', code: '', severity: '', detail: null })

    const scheme = await post({ query: 'SELECT 1' }, { 'Neon-Connection-String': authUrl.replace(/^postgres:/, 'mysql:') })
    expect([scheme.status, scheme.json.message]).toEqual([400, 'incorrect scheme'])

    const iso = await post({ queries: [] }, { 'Neon-Batch-Isolation-Level': 'serializable' })
    expect([iso.status, iso.json.message]).toEqual([400, 'invalid isolation level'])

    const shape = await post({ nope: 1 })
    expect(shape.status).toBe(400)
    expect(shape.json.message).toMatch(/^could not parse the HTTP request body: /)

    const json = await post('{not json')
    expect(json.status).toBe(400)
    expect(json.json.message).toMatch(/^could not parse the HTTP request body: /)

    const path = await fetch(new URL('/other', neonHttpUrl), { method: 'POST', body: '{}' })
    expect([path.status, await path.json()]).toEqual([400, 'query is not supported'])
  })

  it('answers OPTIONS with CORS headers', async () => {
    const res = await fetch(neonHttpUrl, { method: 'OPTIONS' })
    expect(res.status).toBe(200)
    expect(res.headers.get('allow')).toBe('OPTIONS, POST')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-headers')).toContain('Neon-Connection-String')
    expect(res.headers.get('access-control-max-age')).toBe('86400')
  })

  it('counts requests per application_name', async () => {
    const tag = uniqueName('count')
    const sql = neon(withApplicationName(authUrl, tag))
    expect(await requestsFor(tag)).toBe(0)
    await sql`SELECT 1`
    await sql.transaction([sql`SELECT 1`, sql`SELECT 2`, sql`SELECT 3`])
    expect(await requestsFor(tag)).toBe(2)
  })
})

describe('size limits', () => {
  let small: NeonHttpEndpoint
  beforeAll(async () => {
    const { hostname, port } = new URL(dbUrl)
    small = await startNeonHttpEndpoint({ pgHost: hostname, pgPort: Number(port), maxRequestBytes: 1000, maxResponseBytes: 1000 })
  })
  afterAll(async () => {
    await small.stop()
  })

  it('refuses a request body over the limit with 413', async () => {
    const r = await post({ query: `SELECT '${'x'.repeat(2000)}'` }, {}, small.url)
    expect(r.status).toBe(413)
    expect(r.json.message).toBe('request is too large (max is 1000 bytes)')
  })

  it('refuses a response over the limit with 507', async () => {
    const r = await post({ query: `SELECT repeat('x', 2000)` }, {}, small.url)
    expect(r.status).toBe(507)
    expect(r.json.message).toBe('response is too large (max is 1000 bytes)')
    expect(small.stats.requests).toBe(2)
  })
})
