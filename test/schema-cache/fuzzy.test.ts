/**
 * FuzzySet (the Haskell `fuzzyset` semantics PostgREST relies on) and the "Perhaps you meant"
 * hint builders, checked against the examples in PostgREST's Error.hs doctests.
 */
import { describe, expect, it } from 'vitest'
import { FuzzySet, levenshteinSimilarity, noRelBetweenHint, noRpcHint, tableNotFoundHint } from '../../src/schema-cache/fuzzy.ts'
import { indexSnapshot } from '../../src/schema-cache/load.ts'
import type { Relationship, Routine, SchemaCache, SchemaCacheSnapshot, Table } from '../../src/schema-cache/types.ts'

const tbl = (schema: string, name: string): Table => ({
  schema,
  name,
  description: null,
  isView: false,
  insertable: true,
  updatable: true,
  deletable: true,
  pkCols: [],
  columns: [],
})

const rel = (schema: string, from: string, to: string): Relationship => ({
  kind: 'fk',
  table: { schema, name: from },
  foreignTable: { schema, name: to },
  isSelf: false,
  cardinality: { kind: 'O2M', constraint: `${to}_${from}_fkey`, columns: [['id', `${from}_id`]] },
  tableIsView: false,
  foreignTableIsView: false,
})

const routine = (schema: string, name: string, params: string[]): Routine => ({
  schema,
  name,
  description: null,
  params: params.map((p) => ({ name: p, type: 'text', typeMaxLength: 'text', required: true, variadic: false })),
  returnType: { kind: 'single', type: { kind: 'scalar', qi: { schema: 'pg_catalog', name: 'text' } } },
  volatility: 'volatile',
  hasVariadic: false,
  isolationLevel: null,
  settings: [],
})

const cacheOf = (parts: Partial<SchemaCacheSnapshot>): SchemaCache =>
  indexSnapshot({
    format: 'edgerest-schema-cache',
    version: 2,
    generatedAt: '',
    pgVersion: { num: 170000, full: '' },
    schemas: ['api'],
    fingerprint: '',
    tables: [],
    relationships: [],
    routines: [],
    representations: [],
    mediaHandlers: [],
    ...parts,
  })

describe('FuzzySet', () => {
  it('scores by Levenshtein similarity after the gram search (fuzzyset examples)', () => {
    const planets = FuzzySet.fromList(['Mercury', 'Venus', 'Earth', 'Mars', 'Jupiter', 'Saturn', 'Uranus', 'Neptune'])
    expect(planets.get('Joopiter')).toEqual([[0.75, 'Jupiter']])
    const names = FuzzySet.fromList(['Michael Axiak'])
    expect(names.get('micael asiak')).toEqual([[1 - 2 / 13, 'Michael Axiak']])
  })

  it('matches exactly regardless of case and returns the value as added', () => {
    const set = FuzzySet.fromList(['Projects', 'clients'])
    expect(set.get('projects')).toEqual([[1, 'Projects']])
    expect(set.getOne('CLIENTS')).toBe('clients')
    expect(set.add('PROJECTS')).toBe(false)
    expect(set.size).toBe(2)
  })

  it('applies the minimum score after re-scoring, and falls back from 3-grams to 2-grams', () => {
    const set = FuzzySet.fromList(['items', 'projects'])
    expect(set.getOneWithMinScore(0.75, 'itemss')).toBe('items') // 1 - 1/6
    expect(set.getOneWithMinScore(0.85, 'itemss')).toBeNull()
    // "xbcy" shares no 3-gram with "abc" (-ab abc bc- / -xb xbc bcy cy-) but the 2-gram "bc"
    expect(FuzzySet.fromList(['abc']).get('xbcy')).toEqual([[0.5, 'abc']])
    expect(FuzzySet.fromList(['abc']).get('xyz')).toEqual([])
  })

  it('ignores punctuation and underscores when indexing grams', () => {
    // "car_models" normalises to "carmodels"; "car models" keeps its space
    const set = FuzzySet.fromList(['car_models'])
    expect(set.get('carmodels')).toEqual([[1 - 1 / 10, 'car_models']])
    expect(FuzzySet.fromList(['a_b']).get('zzz')).toEqual([])
  })

  it('handles letters of any script and characters outside the BMP', () => {
    expect(FuzzySet.fromList(['Straße']).get('strasse')).toEqual([[1 - 2 / 7, 'Straße']])
    expect(FuzzySet.fromList(['تست_جدول']).getOne('تست_جدو')).toBe('تست_جدول')
    // the emoji is dropped from the grams but counts as one character for Levenshtein
    expect(FuzzySet.fromList(['abc😀']).get('abc')).toEqual([[0.75, 'abc😀']])
  })

  it('computes normalised Levenshtein similarity on code points', () => {
    expect(levenshteinSimilarity('', '')).toBe(1)
    expect(levenshteinSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7)
    expect(levenshteinSimilarity('😀a', '😀b')).toBe(0.5)
  })
})

describe('noRelBetweenHint (Error.hs doctests)', () => {
  const cache = cacheOf({
    relationships: [rel('api', 'films', 'directors'), rel('api', 'films', 'roles'), rel('api', 'films', 'actors')],
  })

  it('suggests a parent when the parent has no relationships', () => {
    expect(noRelBetweenHint(cache, 'film', 'directors', 'api')).toBe("Perhaps you meant 'films' instead of 'film'.")
    expect(noRelBetweenHint(cache, 'noclosealternative', 'roles', 'api')).toBeNull()
  })

  it('suggests a child among the parent targets', () => {
    expect(noRelBetweenHint(cache, 'films', 'role', 'api')).toBe("Perhaps you meant 'roles' instead of 'role'.")
    expect(noRelBetweenHint(cache, 'films', 'noclosealternative', 'api')).toBeNull()
  })

  it('gives nothing when both exist (the embed hint is what failed) or the schema has nothing', () => {
    expect(noRelBetweenHint(cache, 'films', 'actors', 'api')).toBeNull()
    expect(noRelBetweenHint(cache, 'films', 'noclosealternative', 'noclosealternative')).toBeNull()
  })

  it('treats a parent whose relationships were all hidden as found', () => {
    const hidden = cacheOf({
      relationships: [rel('api', 'films', 'directors')],
      hiddenRelationshipSources: [{ table: { schema: 'api', name: 'film' }, schema: 'api' }],
    })
    expect(noRelBetweenHint(hidden, 'film', 'directors', 'api')).toBeNull()
    expect(noRelBetweenHint(hidden, 'filmz', 'directors', 'api')).toBe("Perhaps you meant 'film' instead of 'filmz'.")
  })
})

describe('noRpcHint (Error.hs doctests)', () => {
  const cache = cacheOf({
    schemas: ['api', 'private'],
    routines: [
      routine('api', 'another', []),
      routine('api', 'test', ['val', 'param', 'name']),
      routine('api', 'test', ['id', 'attr']),
      routine('private', 'other', []),
    ],
  })

  it('suggests a function of the same schema when none has the name', () => {
    expect(noRpcHint(cache, 'api', 'testt', ['val', 'param', 'name'])).toBe('Perhaps you meant to call the function api.test')
    expect(noRpcHint(cache, 'api', 'other', [])).toBeNull()
    expect(noRpcHint(cache, 'api', 'noclosealternative', [])).toBeNull()
  })

  it('suggests the parameters of the closest overload', () => {
    const hint = (args: string[]) => noRpcHint(cache, 'api', 'test', args)
    expect(hint(['vall', 'pqaram', 'nam'])).toBe('Perhaps you meant to call the function api.test(name, param, val)')
    expect(hint(['val', 'param'])).toBe('Perhaps you meant to call the function api.test(name, param, val)')
    expect(hint(['id', 'attrs'])).toBe('Perhaps you meant to call the function api.test(attr, id)')
    expect(hint(['id'])).toBe('Perhaps you meant to call the function api.test(attr, id)')
    expect(hint(['noclosealternative'])).toBeNull()
  })
})

describe('tableNotFoundHint', () => {
  it('suggests a close table of the same schema', () => {
    const cache = cacheOf({ tables: [tbl('api', 'items'), tbl('api', 'projects'), tbl('other', 'itemz')] })
    expect(tableNotFoundHint(cache, 'api', 'itemss')).toBe("Perhaps you meant the table 'api.items'")
    expect(tableNotFoundHint(cache, 'api', 'project')).toBe("Perhaps you meant the table 'api.projects'")
    expect(tableNotFoundHint(cache, 'api', 'projxxxx')).toBeNull() // below 0.75
    expect(tableNotFoundHint(cache, 'other', 'items')).toBe("Perhaps you meant the table 'other.itemz'")
    expect(tableNotFoundHint(cache, 'nope', 'items')).toBeNull()
  })

  it('gives no hint in schemas of 500 tables or more, as PostgREST', () => {
    const many = (n: number) => cacheOf({ tables: Array.from({ length: n }, (_, i) => tbl('api', `table_${i}`)) })
    expect(tableNotFoundHint(many(499), 'api', 'table_10x')).toBe("Perhaps you meant the table 'api.table_10'")
    expect(tableNotFoundHint(many(500), 'api', 'table_10x')).toBeNull()
  })
})
