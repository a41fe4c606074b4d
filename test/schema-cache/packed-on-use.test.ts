/**
 * On-use checking of packed snapshots (`loadSchemaCache(json, { check: 'on-use' })`, what the
 * Worker and Vercel entries do): loading checks no record and builds no index, lookups go through
 * the snapshot's `lookup` rows and check what they decode. It must give exactly the maps of a full
 * load, report a bad record at the lookup that reaches it with the message loading in full gives,
 * check everything before a whole-schema read, and fall back to the full check for packed
 * snapshots written before the lookup existed. A request reaching a bad record is answered as a
 * deployment with a rejected snapshot.
 */
import { beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { createEdgerest } from '../../src/edgerest.ts'
import { CorruptSnapshotError, indexSnapshot, loadSchemaCache, loadSchemaCacheOrThrow, lookupProblem } from '../../src/schema-cache/load.ts'
import { LOOKUP_WIDTH } from '../../src/schema-cache/packed.ts'
import { nodePlatform } from '../../src/platform/node.ts'
import { qiKey, type SchemaCache, type SchemaCacheSnapshot } from '../../src/schema-cache/types.ts'
import { SPEC_SETTINGS } from '../spec/types.ts'
import { specSnapshot } from '../helpers/spec-snapshot.ts'

const PREFIX = 'schema cache snapshot is invalid (regenerate it with npm run schema-cache): '

let plain: SchemaCacheSnapshot
let packedText: string

beforeAll(async () => {
  ;({ plain, packedText } = await specSnapshot())
})

type Packed = Record<string, unknown> & { tables: number[]; columns: number[]; fks: number[]; rels: number[]; lookup: number[] }
const packed = (): Packed => JSON.parse(packedText) as Packed
const onUse = (json: unknown): SchemaCache => loadSchemaCacheOrThrow(json, { check: 'on-use' })

/** The error a call throws (it must throw). */
const thrown = (f: () => unknown): Error => {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected an error')
}

/** The message a full load of `json` fails with. */
const fullError = (json: unknown): string => {
  const r = loadSchemaCache(json)
  if (r.ok) throw new Error('expected the full check to reject the snapshot')
  return r.error
}

describe('lookups of an on-use load', () => {
  it('give exactly the maps of the plain snapshot, each key looked up before any whole-schema read', () => {
    const cache = onUse(packed())
    const expected = indexSnapshot(plain)
    expect(expected.tables.size).toBeGreaterThan(10)
    for (const [key, table] of expected.tables) {
      expect(cache.tables.has(key)).toBe(true)
      expect(cache.tables.get(key)).toEqual(table)
      expect([...(cache.columns.get(key) ?? new Map()).entries()]).toEqual([...(expected.columns.get(key) ?? new Map()).entries()])
    }
    for (const [key, rels] of expected.relationships) expect(cache.relationships.get(key)).toEqual(rels)
    for (const key of expected.tables.keys()) if (!expected.relationships.has(key)) expect(cache.relationships.has(key)).toBe(false)
    expect(cache.tables.get('test\u0000nope')).toBeUndefined()
    expect(cache.tables.get('nope')).toBeUndefined()
    expect(cache.relationships.get('test\u0000nope')).toBeUndefined()
    // then the whole-schema reads
    expect(cache.tables.size).toBe(expected.tables.size)
    expect([...cache.tables.keys()]).toEqual([...expected.tables.keys()])
    expect([...cache.relationships.keys()].sort()).toEqual([...expected.relationships.keys()].sort())
    expect(JSON.stringify(cache.snapshot)).toBe(JSON.stringify(plain))
  })

  it('share their objects with the whole-schema reads', () => {
    const cache = onUse(packedText)
    const films = cache.tables.get('test\u0000films')
    expect(films).toBeDefined()
    expect(cache.snapshot.tables.find((t) => t.schema === 'test' && t.name === 'films')).toBe(films)
    const rels = cache.relationships.get('test\u0000films') ?? []
    expect(rels.length).toBeGreaterThan(0)
    for (const r of rels) expect(cache.snapshot.relationships).toContain(r)
  })
})

describe('a bad record found on use', () => {
  it('a table record: that lookup throws the full check’s message; other tables still load', () => {
    const p = packed()
    p.tables[2] = 99 // the first table's flags
    const cache = onUse(p)
    const first = qiKey(plain.tables[0] as SchemaCacheSnapshot['tables'][number])
    const e = thrown(() => cache.tables.get(first))
    expect(e).toBeInstanceOf(CorruptSnapshotError)
    expect(e.message).toBe(`${PREFIX}tables[0].flags must be an integer from 0 to 15, got 99`)
    expect(e.message).toBe(fullError(p))
    const other = plain.tables[plain.tables.length - 1] as SchemaCacheSnapshot['tables'][number]
    expect(cache.tables.get(qiKey(other))?.name).toBe(other.name)
    // a whole-schema read checks everything first
    expect(thrown(() => cache.snapshot.tables).message).toBe(e.message)
  })

  it('a column record: the lookup of a table having it', () => {
    const p = packed()
    p.columns[2] = 2 // column 0's nullable
    const cache = onUse(p)
    const first = qiKey(plain.tables[0] as SchemaCacheSnapshot['tables'][number])
    expect(thrown(() => cache.columns.get(first)).message).toBe(`${PREFIX}columns[0].nullable must be 0 or 1, got 2`)
  })

  it('a relationship record: the lookup of its source’s relationships', () => {
    const p = packed()
    const at = p.rels.indexOf(0) // the relationship stored as fks[0]
    const source = qiKey((plain.relationships[at] as SchemaCacheSnapshot['relationships'][number]).table)
    p.fks[0] = 7
    const cache = onUse(p)
    expect(thrown(() => cache.relationships.get(source)).message).toBe(`${PREFIX}fks[0].kind must be 0 (M2O), 1 (O2O) or 2 (M2M), got 7`)
    expect(thrown(() => cache.relationships.get(source)).message).toBe(fullError(p))
  })

  it('a lookup row that does not match the records: where, which the full load does not read', () => {
    const p = packed()
    const key = 'test\u0000films'
    const row = Array.from({ length: p.lookup.length / LOOKUP_WIDTH }, (_, r) => r).find((r) => {
      const q = p.lookup[r * LOOKUP_WIDTH] as number
      const qis = p['qis'] as number[]
      const S = p['strings'] as string[]
      return `${S[qis[2 * q] as number]}\u0000${S[qis[2 * q + 1] as number]}` === key
    })
    if (row === undefined) throw new Error('films has a lookup row')
    const offset = p.lookup[row * LOOKUP_WIDTH + 2] as number
    p.lookup[row * LOOKUP_WIDTH + 2] = offset + 1
    expect(loadSchemaCache(p).ok).toBe(true)
    const message = `${PREFIX}lookup[${row}].tableOffset must be ${offset} (what the records say), got ${offset + 1}`
    expect(thrown(() => onUse(p).tables.get(key)).message).toBe(message)
    expect(lookupProblem(p)).toBe(message)
    expect(lookupProblem(packed())).toBeNull()
    expect(lookupProblem(plain)).toBeNull()
  })

  it('a request reaching it is answered as a deployment whose snapshot was rejected, and logged', async () => {
    const p = packed()
    const films = plain.tables.findIndex((t) => t.schema === 'test' && t.name === 'films')
    const row = p.lookup.findIndex((v, i) => i % LOOKUP_WIDTH === 1 && v === films)
    p.tables[(p.lookup[row + 1] as number) + 2] = 99
    const app = createEdgerest({ ...nodePlatform, snapshotCheck: 'on-use' })({
      ...SPEC_SETTINGS,
      PGRST_DB_URI: inject('authUrl'),
      EDGEREST_SCHEMA_CACHE: p,
    })
    expect(await (await app.request('/items?id=eq.1&select=name')).json()).toEqual([{ name: 'apple' }])
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const res = await app.request('/films')
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({ code: 'PGRSTX00', details: null, hint: 'The server log says what is wrong.', message: 'Server misconfigured' })
      expect(String(log.mock.calls[0]?.[0])).toContain(`the EDGEREST_SCHEMA_CACHE binding: ${PREFIX}tables[${films}].flags must be an integer from 0 to 15, got 99`)
    } finally {
      log.mockRestore()
    }
  })
})

describe('packed snapshots written before the lookup', () => {
  it('are checked in full at load', () => {
    const p: Record<string, unknown> = packed()
    delete p['lookup']
    delete p['fkOffsets']
    expect(JSON.stringify(onUse(p).snapshot)).toBe(JSON.stringify(plain))
    ;(p['tables'] as number[])[2] = 99
    expect(loadSchemaCache(p, { check: 'on-use' })).toEqual({ ok: false, error: `${PREFIX}tables[0].flags must be an integer from 0 to 15, got 99` })
  })
})
