/**
 * @module test/spec/writes.test: the write scenarios (test/spec/writes-scenarios.ts) against the
 * Node app in-process over `pg`, with the `writes` schema exposed and db-tx-end=commit-allow-override,
 * plus the forced-rollback scenarios under db-tx-end=rollback. What was committed is read back with
 * the superuser, outside the API.
 */
import { beforeAll, describe, it } from 'vitest'
import { superuserQuery, uniqueName } from '../helpers/stack.ts'
import { createSpecApp, type SpecApp } from './harness.ts'
import { WRITES_SETTINGS } from './types.ts'
import { FORCED_ROLLBACK_SCENARIOS, WRITE_SCENARIOS, type WriteContext } from './writes-scenarios.ts'

const query = async (text: string, params: readonly string[] = []): Promise<(string | null)[][]> => {
  const r = await superuserQuery(text, params)
  return r.rows.map((row: Record<string, unknown>) => Object.values(row).map((v) => (v === null ? null : String(v))))
}

const contextFor = (app: () => SpecApp): WriteContext => ({
  send: (r) => app().send(r),
  query,
  key: (prefix = 'k') => uniqueName(`node_${prefix}`),
})

let commitApp: SpecApp
let rollbackApp: SpecApp

beforeAll(async () => {
  commitApp = await createSpecApp(WRITES_SETTINGS)
  rollbackApp = await createSpecApp({ ...WRITES_SETTINGS, PGRST_DB_TX_END: 'rollback' })
})

describe('writes over pg (db-tx-end=commit-allow-override)', () => {
  it.concurrent.each(WRITE_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    await s.run(contextFor(() => commitApp))
  })
})

describe('writes over pg (db-tx-end=rollback)', () => {
  it.each(FORCED_ROLLBACK_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    await s.run(contextFor(() => rollbackApp))
  })
})
