/**
 * The Worker's executors inside workerd (the Workers runtime), against the real PostgreSQL of the
 * global setup: neon-http through the local /sql endpoint, neon-ws through the WebSocket bridge
 * with workerd's own global WebSocket, pg (node-postgres, pipelined) over workerd's TCP sockets.
 * Tables are set up as superuser through the endpoint.
 */
import { env } from 'cloudflare:workers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNeonHttpExecutor } from '../../../src/execute/neon-http.ts'
import { createNeonWsExecutor } from '../../../src/execute/neon-ws.ts'
import { createPgSocketExecutor } from '../../../src/execute/pg-socket.ts'
import type { Executor } from '../../../src/execute/types.ts'
import { isPgrstError } from '../../../src/errors/types.ts'

const schema = `workerd_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`

const admin = createNeonHttpExecutor({ connectionString: env.DB_URL, fetchEndpoint: env.NEON_HTTP_URL })
const stmt = (text: string, ...params: (string | null)[]) => ({ text, params })

const executors: Record<'neon-http' | 'neon-ws' | 'pg', Executor> = {
  'neon-http': createNeonHttpExecutor({ connectionString: env.AUTH_URL, fetchEndpoint: env.NEON_HTTP_URL }),
  'neon-ws': createNeonWsExecutor({ connectionString: env.AUTH_URL, wsProxy: env.WS_PROXY, useSecureWebSocket: false, pipelineConnect: false }),
  pg: createPgSocketExecutor({ connectionString: env.AUTH_URL }),
}

const asAuthenticated = stmt(`SELECT set_config('role', 'authenticated', true)`)

/** What a run rejected with (undefined if it resolved). */
const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  )

const DIVISION_BY_ZERO = {
  origin: 'pg',
  error: { kind: 'server', authenticated: false, error: { code: '22012', message: 'division by zero', detail: null, hint: null } },
}

beforeAll(async () => {
  await admin.run(
    [
      stmt(`CREATE SCHEMA ${schema}`),
      stmt(`CREATE TABLE ${schema}.notes (id int PRIMARY KEY, body text NOT NULL)`),
      stmt(`GRANT USAGE ON SCHEMA ${schema} TO authenticated`),
      stmt(`GRANT ALL ON ${schema}.notes TO authenticated`),
    ],
    { readOnly: false, end: 'commit' },
  )
})
afterAll(async () => {
  await admin.run([stmt(`DROP SCHEMA ${schema} CASCADE`)], { readOnly: false, end: 'commit' })
})

it('runs in workerd', () => {
  expect(navigator.userAgent).toBe('Cloudflare-Workers')
})

describe.each(['neon-http', 'neon-ws', 'pg'] as const)('%s in workerd', (kind) => {
  const executor = executors[kind]
  const base = { 'neon-http': 100, 'neon-ws': 200, pg: 400 }[kind]

  it('returns raw text values and sees its own set_config', async () => {
    const [, r] = await executor.run(
      [
        asAuthenticated,
        stmt(`SELECT current_user, $1::int + 1, now() = now(), '{"a": 1}'::jsonb, NULL::text, current_setting('TimeZone')`, '41'),
      ],
      { readOnly: true, end: 'commit' },
    )
    expect(r?.rows).toEqual([['authenticated', '42', 't', '{"a": 1}', null, 'UTC']])
  })

  it('commits writes, and a failing statement rolls everything back', async () => {
    await executor.run([asAuthenticated, stmt(`INSERT INTO ${schema}.notes VALUES ($1, 'kept')`, String(base))], {
      readOnly: false,
      end: 'commit',
    })
    const failure = await rejection(
      executor.run([asAuthenticated, stmt(`INSERT INTO ${schema}.notes VALUES ($1, 'lost')`, String(base + 1)), stmt(`SELECT 1 / 0`)], {
        readOnly: false,
        end: 'commit',
      }),
    )
    expect(isPgrstError(failure) && failure.pgrstAppError).toEqual(DIVISION_BY_ZERO)
    const [r] = await admin.run([stmt(`SELECT id FROM ${schema}.notes WHERE id IN ($1, $2) ORDER BY id`, String(base), String(base + 1))], {
      readOnly: true,
      end: 'commit',
    })
    expect(r?.rows).toEqual([[String(base)]])
  })
})

it.each([
  ['neon-ws', 300],
  ['pg', 500],
] as const)('%s honours end: rollback after reading results', async (kind, id) => {
  const [, r] = await executors[kind].run([asAuthenticated, stmt(`INSERT INTO ${schema}.notes VALUES ($1, 'x') RETURNING id`, String(id))], {
    readOnly: false,
    end: 'rollback',
  })
  expect(r?.rows).toEqual([[String(id)]])
  const [after] = await admin.run([stmt(`SELECT count(*) FROM ${schema}.notes WHERE id = $1`, String(id))], { readOnly: true, end: 'commit' })
  expect(after?.rows).toEqual([['0']])
})

describe('pg in workerd', () => {
  it('reports the first failure of a pipelined run, not the aborted statements behind it', async () => {
    const failure = await rejection(
      executors.pg.run([asAuthenticated, stmt(`SELECT 1 / 0`), stmt(`SELECT $1::int`, 'not a number')], { readOnly: true, end: 'commit' }),
    )
    expect(isPgrstError(failure) && failure.pgrstAppError).toEqual(DIVISION_BY_ZERO)
  })

  it('a database it cannot reach is a connection error', async () => {
    const closed = new URL(env.AUTH_URL)
    closed.port = '1'
    const failure = await rejection(createPgSocketExecutor({ connectionString: closed.toString() }).run([stmt('SELECT 1')], { readOnly: true, end: 'commit' }))
    expect(isPgrstError(failure) && failure.pgrstAppError.origin === 'pg' && failure.pgrstAppError.error.kind).toBe('connection')
  })
})
