/**
 * The `pg` executor's pool as PostgREST's db-pool settings shape it, watched from the database's
 * side (pg_stat_activity): its size, the idle and lifetime limits, the flush after a schema cache
 * load, and the application_name connections carry.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { createPgExecutor, endPgPools, flushPgPools, pgPoolStats } from '../../src/execute/pg.ts'
import type { Executor } from '../../src/execute/types.ts'
import { eventually } from '../helpers/eventually.ts'
import { connectionsOf as connections, mostConnectionsWhile, stackUrls, uniqueName, withApplicationName } from '../helpers/stack.ts'

const { authUrl } = stackUrls()
const READ = { readOnly: true, end: 'commit' } as const

afterAll(endPgPools)

const backend = async (ex: Executor): Promise<string | null | undefined> => (await ex.run([{ text: 'SELECT pg_backend_pid()', params: [] }], READ))[0]?.rows[0]?.[0]

describe('the pg pool', () => {
  it('opens at most poolSize connections, and keeps them for the next requests', async () => {
    const app = uniqueName('size')
    const ex = createPgExecutor({ connectionString: withApplicationName(authUrl, app), poolSize: 3 })
    const { most } = await mostConnectionsWhile(app, Promise.all(Array.from({ length: 8 }, () => ex.run([{ text: 'SELECT pg_sleep(0.3)', params: [] }], READ))))
    expect(most).toBe(3)
    expect(await connections(app)).toBe(3)
  })

  it('closes connections idle for maxIdleSeconds', async () => {
    const app = uniqueName('idle')
    const ex = createPgExecutor({ connectionString: withApplicationName(authUrl, app), maxIdleSeconds: 1 })
    await backend(ex)
    expect(await connections(app)).toBe(1)
    expect(await eventually(() => connections(app), (n) => n === 0, 5000)).toBe(0)
  })

  it('replaces a connection older than maxLifetimeSeconds', async () => {
    const ex = createPgExecutor({ connectionString: withApplicationName(authUrl, uniqueName('life')), maxLifetimeSeconds: 1 })
    const first = await backend(ex)
    expect(await backend(ex)).toBe(first)
    await new Promise((r) => setTimeout(r, 1500))
    expect(await backend(ex)).not.toBe(first)
  })

  it('a flush retires every connection opened before it', async () => {
    const app = uniqueName('flush')
    const ex = createPgExecutor({ connectionString: withApplicationName(authUrl, app) })
    const first = await backend(ex)
    expect(await backend(ex)).toBe(first)
    flushPgPools()
    const second = await backend(ex)
    expect(second).not.toBe(first)
    expect(await backend(ex)).toBe(second)
    // The old session is gone, not left idle.
    expect(await eventually(() => connections(app), (n) => n === 1, 3000)).toBe(1)
  })

  it("connections say they are edgerest's unless the URI names an application", async () => {
    const setting = { text: "SELECT current_setting('application_name')", params: [] }
    expect((await createPgExecutor({ connectionString: authUrl }).run([setting], READ))[0]?.rows).toEqual([['edgerest']])
    const named = withApplicationName(authUrl, 'mine')
    expect((await createPgExecutor({ connectionString: named }).run([setting], READ))[0]?.rows).toEqual([['mine']])
  })

  it('reports its size, use and timeouts for the metrics', async () => {
    const ex = createPgExecutor({ connectionString: withApplicationName(authUrl, uniqueName('stats')), poolSize: 1, acquisitionTimeoutMs: 200 })
    const before = pgPoolStats()
    const slow = ex.run([{ text: 'SELECT pg_sleep(0.6)', params: [] }], READ)
    await new Promise((r) => setTimeout(r, 100))
    const during = pgPoolStats()
    await expect(ex.run([{ text: 'SELECT 1', params: [] }], READ)).rejects.toMatchObject({ pgrstAppError: { origin: 'pg', error: { kind: 'acquisitionTimeout' } } })
    await slow
    const after = pgPoolStats()
    expect(during.max - before.max).toBe(1)
    expect(during.total - during.idle).toBeGreaterThanOrEqual(1)
    expect(after.timeouts - before.timeouts).toBe(1)
  })
})
