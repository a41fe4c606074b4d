/**
 * @module test/spec/writes-property.test: a property test of "nothing half-written". Random bulk
 * payloads (JSON or CSV, 1–12 rows) for writes.bulk(id int PK, n int NOT NULL, t text) with exactly
 * one invalid row — a value of the wrong type, a NULL in the NOT NULL column, or a key that is
 * already taken (by another row of the batch or by the fixture row 0) — must fail with the
 * matching SQLSTATE and leave no row of the batch in the table, on every Node executor: `pg` and
 * `neon-http` (the local Neon endpoint). The table is read back as superuser, outside the API.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { readConfig } from '../../src/config/from-env.ts'
import { createApp } from '../../src/app.ts'
import { createAuthenticator } from '../../src/auth/index.ts'
import { createPgExecutor } from '../../src/execute/pg.ts'
import { createNeonHttpExecutor } from '../../src/execute/neon-http.ts'
import { loadSchemaCache } from '../../src/schema-cache/load.ts'
import type { Executor } from '../../src/execute/types.ts'
import { introspectUrl } from '../../schema-cache/from-url.ts'
import { superuserQuery } from '../helpers/stack.ts'
import { SPEC_SETTINGS, WRITES_SETTINGS } from './types.ts'

type Send = (r: Request) => Promise<Response>

const appOver = async (executor: (uri: string) => Executor): Promise<Send> => {
  const cfg = readConfig({ ...SPEC_SETTINGS, ...WRITES_SETTINGS, PGRST_DB_URI: inject('authUrl') })
  if (!cfg.ok) throw new Error(cfg.error)
  const config = cfg.value
  const cache = loadSchemaCache(await introspectUrl(config.dbUri, { schemas: [...config.dbSchemas], extraSearchPath: [...config.dbExtraSearchPath] }))
  if (!cache.ok) throw new Error(cache.error)
  const ex = executor(config.dbUri)
  const app = createApp(() => ({ config, cache: cache.value, authenticate: createAuthenticator(config), executor: ex }))
  return async (r) => app.fetch(r)
}

type Fault = 'wrongType' | 'nullNotNull' | 'duplicateOfBatch' | 'duplicateOfExisting'
const SQLSTATE: Record<Fault, string> = { wrongType: '22P02', nullNotNull: '23502', duplicateOfBatch: '23505', duplicateOfExisting: '23505' }

interface Batch {
  readonly rows: { id: number; n: number | string | null; t: string }[]
  readonly fault: Fault
  /** The SQLSTATE the batch must fail with. */
  readonly code: string
  readonly format: 'json' | 'csv'
  readonly prefer: string | undefined
}

/** Text that survives both JSON and our CSV writer (no NUL: Postgres text cannot hold it). */
const text = fc.string({ maxLength: 12, unit: 'grapheme' }).map((s) => s.replace(/\u0000/g, ''))

const batch: fc.Arbitrary<Batch> = fc
  .record({
    base: fc.integer({ min: 1_000_000, max: 2_000_000_000 }),
    values: fc.array(fc.record({ n: fc.integer({ min: -1000, max: 1000 }), t: text }), { minLength: 1, maxLength: 12 }),
    fault: fc.constantFrom<Fault>('wrongType', 'nullNotNull', 'duplicateOfBatch', 'duplicateOfExisting'),
    at: fc.nat(),
    other: fc.nat(),
    junk: fc.constantFrom('abc', '1.5', '', '12abc', 'NaN', '99999999999'),
    format: fc.constantFrom<'json' | 'csv'>('json', 'csv'),
    prefer: fc.constantFrom(undefined, 'return=representation', 'return=minimal', 'return=headers-only'),
  })
  .filter((b) => b.fault !== 'duplicateOfBatch' || b.values.length >= 2)
  .map(({ base, values, fault, at, other, junk, format, prefer }) => {
    const rows = values.map((v, i) => ({ id: base + i, n: v.n as number | string | null, t: v.t }))
    const i = at % rows.length
    const row = rows[i] as Batch['rows'][number]
    if (fault === 'wrongType') row.n = junk
    else if (fault === 'nullNotNull') row.n = null
    else if (fault === 'duplicateOfExisting') row.id = 0
    else {
      const j = (i + 1 + (other % (rows.length - 1))) % rows.length
      row.id = (rows[j] as Batch['rows'][number]).id
    }
    // An integer too large for int is out of range rather than malformed.
    const code = fault === 'wrongType' && junk === '99999999999' ? '22003' : SQLSTATE[fault]
    return { rows, fault, code, format, prefer }
  })

const csvField = (v: string | number | null): string => {
  if (v === null) return 'NULL'
  const s = String(v)
  return /[",\r\n]/.test(s) || s === 'NULL' || s === '' ? `"${s.replace(/"/g, '""')}"` : s
}

const request = (b: Batch): Request => {
  const headers: Record<string, string> = { 'Content-Type': b.format === 'json' ? 'application/json' : 'text/csv' }
  if (b.prefer) headers['Prefer'] = b.prefer
  const body =
    b.format === 'json' ? JSON.stringify(b.rows) : ['id,n,t', ...b.rows.map((r) => [r.id, r.n, r.t].map(csvField).join(','))].join('\n')
  return new Request('http://localhost/bulk', { method: 'POST', headers, body })
}

const executors: Record<string, (uri: string) => Executor> = {
  pg: (uri) => createPgExecutor({ connectionString: uri }),
  'neon-http': (uri) => createNeonHttpExecutor({ connectionString: uri, fetchEndpoint: inject('neonHttpUrl') }),
}

describe.each(Object.keys(executors))('a bulk insert with one invalid row writes nothing (%s)', (kind) => {
  let send: Send
  beforeAll(async () => {
    send = await appOver(executors[kind] as (uri: string) => Executor)
  })

  it('for any batch, fault and position', async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (b) => {
        const res = await send(request(b))
        const body = (await res.json()) as { code?: string }
        expect([400, 409]).toContain(res.status)
        expect(body.code).toBe(b.code)
        const ids = b.rows.map((r) => r.id).filter((id) => id !== 0)
        const left = await superuserQuery('SELECT id FROM writes.bulk WHERE id = ANY($1::int[])', [ids])
        expect(left.rows).toEqual([])
        const fixture = await superuserQuery('SELECT id, n, t FROM writes.bulk WHERE id = 0')
        expect(fixture.rows).toEqual([{ id: 0, n: 0, t: 'existing' }])
      }),
      { numRuns: 60 },
    )
  })

  it('and the same batches without the fault are written whole (the property is not vacuous)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1_000_000, max: 2_000_000_000 }),
        fc.array(fc.record({ n: fc.integer({ min: -1000, max: 1000 }), t: text }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom<'json' | 'csv'>('json', 'csv'),
        async (base, values, format) => {
          const rows = values.map((v, i) => ({ id: base + i, n: v.n, t: v.t }))
          const res = await send(request({ rows, fault: 'wrongType', code: '', format, prefer: undefined }))
          expect(res.status).toBe(201)
          const ids = rows.map((r) => r.id)
          const written = await superuserQuery('DELETE FROM writes.bulk WHERE id = ANY($1::int[]) RETURNING id, n, t', [ids])
          expect(written.rows.sort((x, y) => x.id - y.id)).toEqual(rows)
        },
      ),
      { numRuns: 15 },
    )
  })
})
