/**
 * The packed snapshot encoding (schema-cache/pack.ts writes it, src/schema-cache/packed.ts checks
 * and loads it): a real introspected snapshot — the spec fixtures, with views over views, a
 * partitioned table, one-to-one, many-to-many, self references and computed relationships —
 * loads back to exactly the plain snapshot and the same maps; corrupt records are reported by
 * path; objects are built once and shared.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { packSnapshot } from '../../schema-cache/pack.ts'
import { formatSnapshot } from '../../schema-cache/snapshot-json.ts'
import { indexSnapshot, loadSchemaCache, loadSchemaCacheOrThrow } from '../../src/schema-cache/load.ts'
import { invertFk } from '../../src/schema-cache/packed.ts'
import type { Relationship, SchemaCache, SchemaCacheSnapshot } from '../../src/schema-cache/types.ts'
import { specSnapshot } from '../helpers/spec-snapshot.ts'


let plain: SchemaCacheSnapshot
let packedText: string

beforeAll(async () => {
  ;({ plain, packedText } = await specSnapshot())
})

const kindOf = (r: Relationship): string => {
  if (r.kind === 'computed') return r.toOne ? 'computed to-one' : 'computed to-many'
  const c = r.cardinality
  return c.kind === 'O2O' ? (c.isParent ? 'O2O parent' : 'O2O child') : c.kind
}

describe('round trip of the fixtures snapshot', () => {
  it('covers every kind of relationship (so the round trip means something)', () => {
    const kinds = new Set(plain.relationships.map(kindOf))
    expect([...kinds].sort()).toEqual(['M2M', 'M2O', 'O2M', 'O2O child', 'O2O parent', 'computed to-many', 'computed to-one'])
    expect(plain.relationships.some((r) => r.kind === 'fk' && r.tableIsView)).toBe(true)
    expect(plain.relationships.some((r) => r.kind === 'fk' && r.foreignTableIsView)).toBe(true)
    expect(plain.relationships.some((r) => r.isSelf)).toBe(true)
    expect(plain.tables.some((t) => t.columns.some((c) => c.enum.length > 0))).toBe(true)
    expect(plain.tables.some((t) => t.description !== null)).toBe(true)
  })

  it('is several times smaller than the plain encoding', () => {
    expect(packedText.length * 2).toBeLessThan(JSON.stringify(plain).length)
    expect(JSON.parse(packedText)).toMatchObject({ format: 'edgerest-schema-cache', version: 2, encoding: 'packed' })
  })

  it('loads back to exactly the plain snapshot, key order included', () => {
    const cache = loadSchemaCacheOrThrow(packedText)
    expect(JSON.stringify(cache.snapshot)).toBe(JSON.stringify(plain))
  })

  it('gives the same maps as the plain snapshot', () => {
    const packed = loadSchemaCacheOrThrow(JSON.parse(packedText))
    const expected = indexSnapshot(plain)
    const entries = <V>(m: ReadonlyMap<string, V>): [string, V][] => [...m.entries()]
    expect([...packed.tables.keys()]).toEqual([...expected.tables.keys()])
    for (const [key, table] of expected.tables) expect(packed.tables.get(key)).toEqual(table)
    for (const [key, byName] of expected.columns) expect(entries(packed.columns.get(key) ?? new Map())).toEqual(entries(byName))
    expect([...packed.relationships.keys()].sort()).toEqual([...expected.relationships.keys()].sort())
    for (const [key, rels] of expected.relationships) expect(packed.relationships.get(key)).toEqual(rels)
    expect(entries(packed.routines)).toEqual(entries(expected.routines))
    expect(entries(packed.representations)).toEqual(entries(expected.representations))
    expect(packed.mediaHandlers).toEqual(expected.mediaHandlers)
    expect(packed.tables.get('test\u0000nope')).toBeUndefined()
    expect(packed.tables.has('test\u0000films')).toBe(true)
    expect(packed.tables.size).toBe(expected.tables.size)
    expect(packed.relationships.size).toBe(expected.relationships.size)
  })

  it('iterates like the plain maps (forEach, values, spread)', () => {
    const packed = loadSchemaCacheOrThrow(packedText)
    const expected = indexSnapshot(plain)
    const seen: string[] = []
    packed.tables.forEach((t, key) => seen.push(`${key}=${t.name}`))
    expect(seen).toEqual([...expected.tables].map(([key, t]) => `${key}=${t.name}`))
    expect([...packed.relationships.values()].flat().length).toBe(plain.relationships.length)
  })

  it('builds each object once and shares identical ones', () => {
    const cache = loadSchemaCacheOrThrow(packedText)
    const films = cache.tables.get('test\u0000films')
    expect(films).toBeDefined()
    expect(cache.tables.get('test\u0000films')).toBe(films)
    expect(cache.snapshot.tables.find((t) => t.name === 'films' && t.schema === 'test')).toBe(films)
    const rels = cache.relationships.get('test\u0000films') ?? []
    expect(cache.relationships.get('test\u0000films')).toBe(rels)
    // one object per qualified identifier, shared by every relationship naming it
    const toDirectors = rels.filter((r) => r.foreignTable.name === 'directors')
    expect(toDirectors.length).toBe(2)
    expect(toDirectors[0]?.foreignTable).toBe(toDirectors[1]?.foreignTable)
  })

  it('writes the same bytes for the same snapshot', () => {
    expect(formatSnapshot(plain, 'compact')).toBe(packedText)
    expect(JSON.stringify(packSnapshot(JSON.parse(JSON.stringify(plain)) as SchemaCacheSnapshot))).toBe(packedText)
  })
})

describe('invertFk', () => {
  it('is its own inverse on every foreign-key relationship of the fixtures', () => {
    for (const r of plain.relationships) if (r.kind === 'fk') expect(invertFk(invertFk(r))).toEqual(r)
  })

  it('maps each relationship to the one stored for the other side', () => {
    const all = new Set(plain.relationships.map((r) => JSON.stringify(r)))
    const notOverridden = plain.relationships.filter(
      (r) => r.kind === 'fk' && !plain.relationships.some((c) => c.kind === 'computed' && c.table.name === r.foreignTable.name),
    )
    for (const r of notOverridden) if (r.kind === 'fk') expect(all.has(JSON.stringify(invertFk(r)))).toBe(true)
  })
})

/** A packed snapshot with one array entry replaced (or the key set to `value` when `index` is undefined). */
const corrupt = (key: string, index: number | undefined, value: unknown): unknown => {
  const p = JSON.parse(packedText) as Record<string, unknown>
  if (index === undefined) p[key] = value
  else (p[key] as unknown[])[index] = value
  return p
}

const errorOf = (json: unknown): string => {
  const r = loadSchemaCache(json)
  if (r.ok) throw new Error('expected the snapshot to be rejected')
  return r.error
}

const PREFIX = 'schema cache snapshot is invalid (regenerate it with npm run schema-cache): '

describe('a corrupt packed snapshot is rejected with the path of the first bad value', () => {
  let packed: Record<string, unknown[]>
  beforeAll(() => {
    packed = JSON.parse(packedText) as Record<string, unknown[]>
  })

  it('strings and identifiers', () => {
    expect(errorOf(corrupt('strings', 1, 5))).toBe(`${PREFIX}strings[1] must be a string, got 5`)
    expect(errorOf(corrupt('strings', undefined, 'abc'))).toBe(`${PREFIX}strings must be an array, got "abc"`)
    const ns = packed['strings']?.length ?? 0
    expect(errorOf(corrupt('qis', 3, ns))).toBe(`${PREFIX}qis[3] must be a string index (0 to ${ns - 1}), got ${ns}`)
  })

  it('columns and tables', () => {
    expect(errorOf(corrupt('columns', 2, 2))).toBe(`${PREFIX}columns[0].nullable must be 0 or 1, got 2`)
    expect(errorOf(corrupt('columns', 8 + 5, 1.5))).toBe(`${PREFIX}columns[1].maxLen must be a length or -1, got 1.5`)
    expect(errorOf(corrupt('columns', 0, '0'))).toBe(`${PREFIX}columns[0].name must be a string index (0 to ${(packed['strings']?.length ?? 0) - 1}), got "0"`)
    expect(errorOf(corrupt('tables', 2, 99))).toBe(`${PREFIX}tables[0].flags must be an integer from 0 to 15, got 99`)
    const tables = [...(packed['tables'] ?? [])]
    expect(errorOf(corrupt('tables', undefined, tables.slice(0, -1)))).toMatch(
      new RegExp(`^${PREFIX.replace(/[()]/g, '\\$&')}tables\\[\\d+\\]\\.columns\\[\\d+\\] must be a column index \\(0 to \\d+\\), got nothing \\(the array ends early\\)$`),
    )
    // the first table listed twice
    const first = tables.slice(0, 5 + (tables[3] as number) + (tables[4 + (tables[3] as number)] as number))
    expect(errorOf(corrupt('tables', undefined, [...tables, ...first]))).toMatch(/: table \w+\.\w+ appears twice$/)
  })

  it('relationships', () => {
    expect(errorOf(corrupt('fks', 0, 7))).toBe(`${PREFIX}fks[0].kind must be 0 (M2O), 1 (O2O) or 2 (M2M), got 7`)
    const nf = (packed['rels'] ?? []).reduce<number>((m, r) => Math.max(m, ((r as number) >> 1) + 1), 0)
    expect(errorOf(corrupt('rels', 0, 2 * nf + 10))).toMatch(new RegExp(`rels\\[0\\] must be a relationship reference \\(-\\d+ to ${2 * nf - 1}\\), got ${2 * nf + 10}$`))
    expect(errorOf(corrupt('computed', 4, 9))).toBe(`${PREFIX}computed[0].flags must be an integer from 0 to 3, got 9`)
    expect(errorOf(corrupt('fks', undefined, undefined))).toBe(`${PREFIX}fks must be an array, got nothing`)
  })

  it('the parts stored as in the plain encoding', () => {
    const p = JSON.parse(packedText) as { routines: Record<string, unknown>[] }
    const r0 = p.routines[0]
    if (r0 === undefined) throw new Error('the fixtures have functions')
    r0['volatility'] = 'sometimes'
    expect(errorOf(p)).toBe(`${PREFIX}routines[0].volatility must be one of "volatile", "stable", "immutable", got "sometimes"`)
    expect(errorOf(corrupt('fingerprint', undefined, 12))).toBe(`${PREFIX}fingerprint must be a string, got 12`)
  })

  it('another version', () => {
    expect(errorOf(corrupt('version', undefined, 1))).toBe(
      'schema cache snapshot version 1 is not supported by this edgerest (expects 2); regenerate it with npm run schema-cache',
    )
  })
})

describe('the plain encoding is still accepted', () => {
  it('from introspection, as the Node entry passes it', () => {
    const cache: SchemaCache = loadSchemaCacheOrThrow(plain)
    expect(cache.snapshot).toBe(plain)
    expect(cache.relationships.get('test\u0000films')).toEqual(loadSchemaCacheOrThrow(packedText).relationships.get('test\u0000films'))
  })
})
