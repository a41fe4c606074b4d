/**
 * The read router (src/execute/read-router.ts) with real executors against the real PostgreSQL of
 * the global setup: the "replicas" are pg executors on the same server under their own
 * application_name, and one on a closed port stands for a replica that is down. The clock is
 * stepped, not waited for.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { isPgrstError } from '../../src/errors/types.ts'
import { createPgExecutor, endPgPools } from '../../src/execute/pg.ts'
import { createReadRouter, REPLICA_RETRY_MS } from '../../src/execute/read-router.ts'
import type { TxOptions } from '../../src/execute/types.ts'
import { stackUrls, withApplicationName } from '../helpers/stack.ts'

const { authUrl } = stackUrls()
const READ: TxOptions = { readOnly: true, end: 'commit' }
const whoAnswered = [{ text: `SELECT current_setting('application_name')`, params: [] }]

const at = (name: string) => createPgExecutor({ connectionString: withApplicationName(authUrl, name), poolSize: 1 })
const down = (): ReturnType<typeof at> => {
  const closed = new URL(authUrl)
  closed.port = '1'
  return createPgExecutor({ connectionString: closed.toString(), poolSize: 1 })
}

afterAll(endPgPools)

/** A router over `replicas` with the primary `primary`, a stepped clock and a record of what it logged. */
const router = (replicas: [string, ReturnType<typeof at>][]) => {
  const clock = { now: 1_000_000 }
  const fallbacks: string[] = []
  const [first, ...rest] = replicas.map(([label, executor]) => ({ label, executor }))
  if (first === undefined) throw new Error('no replicas')
  const executor = createReadRouter({
    replicas: [first, ...rest],
    primary: at('rr_primary'),
    onFallback: (label, details, retryAfterMs) => fallbacks.push(`${label} ${retryAfterMs} ${details}`),
    now: () => clock.now,
  })
  const answeredBy = async (): Promise<string> => String((await executor.run(whoAnswered, READ))[0]?.rows[0]?.[0])
  return { executor, clock, fallbacks, answeredBy }
}

describe('createReadRouter', () => {
  it('sends each read to the next replica in turn', async () => {
    const r = router([
      ['one', at('rr_one')],
      ['two', at('rr_two')],
      ['three', at('rr_three')],
    ])
    const seen = [await r.answeredBy(), await r.answeredBy(), await r.answeredBy(), await r.answeredBy()]
    expect(new Set(seen.slice(0, 3))).toEqual(new Set(['rr_one', 'rr_two', 'rr_three']))
    expect(seen[3]).toBe(seen[0])
    expect(r.fallbacks).toEqual([])
  })

  it('a replica it cannot reach: the read goes to the primary, once logged; the replica is left out, then tried again', async () => {
    const r = router([['down', down()]])
    expect(await r.answeredBy()).toBe('rr_primary')
    expect(r.fallbacks).toHaveLength(1)
    expect(r.fallbacks[0]).toMatch(new RegExp(`^down ${REPLICA_RETRY_MS} .*ECONNREFUSED`))
    // Left out: straight to the primary, nothing more to log.
    r.clock.now += REPLICA_RETRY_MS - 1
    expect(await r.answeredBy()).toBe('rr_primary')
    expect(r.fallbacks).toHaveLength(1)
    // Due again: tried (and, still down, logged again).
    r.clock.now += 1
    expect(await r.answeredBy()).toBe('rr_primary')
    expect(r.fallbacks).toHaveLength(2)
  })

  it('with one replica down, the others keep serving', async () => {
    const r = router([
      ['down', down()],
      ['up', at('rr_up')],
    ])
    const seen = [await r.answeredBy(), await r.answeredBy(), await r.answeredBy()]
    // One read fell back when it met the replica that is down; every other read found `up`.
    expect(seen.filter((s) => s === 'rr_primary')).toHaveLength(1)
    expect(seen.filter((s) => s === 'rr_up')).toHaveLength(2)
    expect(r.fallbacks).toHaveLength(1)
  })

  it("a statement's own error is the answer: it is not run again on the primary", async () => {
    const r = router([['one', at('rr_fails')]])
    // Fails on the replica only: the primary would answer 1.
    const statements = [{ text: `SELECT CASE WHEN current_setting('application_name') = 'rr_fails' THEN 1 / 0 ELSE 1 END`, params: [] }]
    const failure = await r.executor.run(statements, READ).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isPgrstError(failure) && failure.pgrstAppError.origin === 'pg' && failure.pgrstAppError.error.kind).toBe('server')
    expect(r.fallbacks).toEqual([])
  })
})
