/**
 * PGRST_DB_PREPARED_STATEMENTS on the pg executor: with it on, a statement text is parsed once per
 * connection under a stable name and reused; with it off, nothing is prepared (for poolers such as
 * PgBouncer in transaction mode).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { createPgExecutor, endPgPools } from '../../src/execute/pg.ts'
import { preparedName } from '../../src/execute/transaction.ts'
import type { TxOptions } from '../../src/execute/types.ts'
import { stackUrls, withApplicationName } from '../helpers/stack.ts'

const { authUrl } = stackUrls()
const READ: TxOptions = { readOnly: true, end: 'commit' }
const probe = { text: 'SELECT $1::int + 1 AS n', params: ['41'] }
const listPrepared = { text: 'SELECT coalesce(string_agg(name, \',\' ORDER BY name), \'\') FROM pg_prepared_statements', params: [] }

afterAll(endPgPools)

describe('pg executor prepared statements', () => {
  it('names statements by their text and reuses them on the connection', async () => {
    // One connection, so the second run sees what the first prepared.
    const exec = createPgExecutor({ connectionString: withApplicationName(authUrl, 'prep-on'), poolSize: 1, preparedStatements: true })
    const first = await exec.run([probe], READ)
    expect(first[0]?.rows).toEqual([['42']])
    const second = await exec.run([probe, listPrepared], READ)
    expect(second[0]?.rows).toEqual([['42']])
    expect(String(second[1]?.rows[0]?.[0]).split(',')).toContain(preparedName(probe.text))
  })

  it('prepares nothing when turned off', async () => {
    const exec = createPgExecutor({ connectionString: withApplicationName(authUrl, 'prep-off'), poolSize: 1, preparedStatements: false })
    await exec.run([probe], READ)
    const r = await exec.run([listPrepared], READ)
    expect(r[0]?.rows).toEqual([['']])
  })

  it('gives different texts different names and the same text the same name', () => {
    expect(preparedName('SELECT 1')).toBe(preparedName('SELECT 1'))
    expect(preparedName('SELECT 1')).not.toBe(preparedName('SELECT 2'))
  })
})
