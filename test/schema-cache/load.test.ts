/**
 * loadSchemaCache: validation of the snapshot (format, version, shape with the path of the first
 * problem) and the maps it builds; the lookup helpers over them.
 */
import { describe, expect, it } from 'vitest'
import { indexSnapshot, loadSchemaCache, loadSchemaCacheOrThrow, missingSchemas } from '../../src/schema-cache/load.ts'
import {
  findColumn,
  findMediaHandler,
  findRepresentation,
  findRoutines,
  findTable,
  relationshipsFrom,
  relationshipsFromInSchema,
  tablesInSchema,
} from '../../src/schema-cache/lookup.ts'
import type { Relationship, Routine, SchemaCacheSnapshot, Table } from '../../src/schema-cache/types.ts'

const col = (name: string, type = 'integer') => ({
  name,
  description: null,
  nullable: true,
  type,
  nominalType: type,
  maxLen: null,
  default: null,
  enum: [],
})

const tbl = (schema: string, name: string, cols: string[]): Table => ({
  schema,
  name,
  description: null,
  isView: false,
  insertable: true,
  updatable: true,
  deletable: true,
  pkCols: ['id'],
  columns: cols.map((c) => col(c)),
})

const m2o = (from: string, to: string, constraint: string, schema = 'api'): Relationship => ({
  kind: 'fk',
  table: { schema: 'api', name: from },
  foreignTable: { schema, name: to },
  isSelf: false,
  cardinality: { kind: 'M2O', constraint, columns: [[`${to}_id`, 'id']] },
  tableIsView: false,
  foreignTableIsView: false,
})

const fn = (name: string, params: string[]): Routine => ({
  schema: 'api',
  name,
  description: null,
  params: params.map((p) => ({ name: p, type: 'integer', typeMaxLength: 'integer', required: true, variadic: false })),
  returnType: { kind: 'single', type: { kind: 'scalar', qi: { schema: 'pg_catalog', name: 'int4' } } },
  volatility: 'stable',
  hasVariadic: false,
  isolationLevel: null,
  settings: [],
})

const snapshot = (): SchemaCacheSnapshot => ({
  format: 'edgerest-schema-cache',
  version: 2,
  generatedAt: '2026-01-01T00:00:00.000Z',
  pgVersion: { num: 170010, full: 'PostgreSQL 17.10' },
  schemas: ['api', 'other'],
  fingerprint: '0'.repeat(64),
  tables: [tbl('api', 'films', ['id', 'title', 'director_id']), tbl('api', 'directors', ['id', 'name']), tbl('other', 'x', ['id'])],
  relationships: [
    m2o('films', 'directors', 'films_director_id_fkey'),
    m2o('films', 'x', 'films_x_fkey', 'other'),
    {
      kind: 'computed',
      function: { schema: 'api', name: 'top_director' },
      table: { schema: 'api', name: 'films' },
      foreignTable: { schema: 'api', name: 'directors' },
      tableAlias: { schema: '', name: '' },
      toOne: true,
      isSelf: false,
    },
  ],
  routines: [fn('add', ['a']), fn('add', ['a', 'b'])],
  representations: [{ sourceType: 'api.color', targetType: 'json', function: 'api.color_to_json' }],
  mediaHandlers: [
    { mediaType: 'text/html', function: { schema: 'api', name: 'films_html' }, relation: { schema: 'api', name: 'films' } },
    { mediaType: '*/*', function: { schema: 'api', name: 'octets' }, relation: null },
  ],
})

const errorOf = (json: unknown): string => {
  const r = loadSchemaCache(json)
  if (r.ok) throw new Error('expected an error')
  return r.error
}

/** A copy of the snapshot with one value replaced (path of keys/indices). */
const withValue = (path: (string | number)[], value: unknown): unknown => {
  const copy = JSON.parse(JSON.stringify(snapshot())) as Record<string | number, unknown>
  let target = copy
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>
  target[path[path.length - 1] as string | number] = value
  return copy
}

describe('loadSchemaCache', () => {
  it('builds the maps', () => {
    const cache = loadSchemaCacheOrThrow(snapshot())
    expect([...cache.tables.keys()]).toEqual(['api\u0000films', 'api\u0000directors', 'other\u0000x'])
    expect(findTable(cache, 'api', 'films')?.columns.map((c) => c.name)).toEqual(['id', 'title', 'director_id'])
    expect(findTable(cache, 'api', 'nope')).toBeUndefined()
    expect(findColumn(cache, { schema: 'api', name: 'directors' }, 'name')?.type).toBe('integer')
    expect(findColumn(cache, { schema: 'api', name: 'directors' }, 'title')).toBeUndefined()
    expect(relationshipsFrom(cache, { schema: 'api', name: 'films' }).length).toBe(3)
    expect(relationshipsFrom(cache, { schema: 'api', name: 'directors' })).toEqual([])
    // PostgREST's (table, schema) entries: by foreign table schema, computed ones by function schema
    expect(relationshipsFromInSchema(cache, { schema: 'api', name: 'films' }, 'other').map((r) => r.foreignTable.name)).toEqual(['x'])
    expect(relationshipsFromInSchema(cache, { schema: 'api', name: 'films' }, 'api').map((r) => r.kind)).toEqual(['fk', 'computed'])
    expect(findRoutines(cache, 'api', 'add').map((r) => r.params.length)).toEqual([1, 2])
    expect(findRoutines(cache, 'api', 'sub')).toEqual([])
    expect(findRepresentation(cache, 'api.color', 'json')?.function).toBe('api.color_to_json')
    expect(findRepresentation(cache, 'json', 'api.color')).toBeUndefined()
    expect(findMediaHandler(cache, { schema: 'api', name: 'films' }, 'Text/HTML')?.function.name).toBe('films_html')
    expect(findMediaHandler(cache, null, '*/*')?.function.name).toBe('octets')
    expect(findMediaHandler(cache, { schema: 'api', name: 'directors' }, 'text/html')).toBeUndefined()
    expect(tablesInSchema(cache, 'api').map((t) => t.name)).toEqual(['films', 'directors'])
  })

  it('accepts the JSON text as well', () => {
    const r = loadSchemaCache(JSON.stringify(snapshot()))
    expect(r.ok && r.value.snapshot.fingerprint).toBe('0'.repeat(64))
  })

  it('rejects text that is not JSON', () => {
    expect(errorOf('{"format": "edgerest-schema-cache",')).toMatch(
      /^schema cache snapshot is not valid JSON \(regenerate it with npm run schema-cache\): /,
    )
  })

  it('rejects something that is not a snapshot', () => {
    expect(errorOf([1, 2])).toBe('schema cache snapshot must be a JSON object, got an array')
    expect(errorOf({ tables: [] })).toBe('not an edgerest schema cache snapshot: "format" is nothing, expected "edgerest-schema-cache"')
    expect(errorOf({ ...snapshot(), format: 'postgrest' })).toBe(
      'not an edgerest schema cache snapshot: "format" is "postgrest", expected "edgerest-schema-cache"',
    )
  })

  it('rejects another snapshot version with a message saying what to do', () => {
    expect(errorOf({ ...snapshot(), version: 1 })).toBe(
      'schema cache snapshot version 1 is not supported by this edgerest (expects 2); regenerate it with npm run schema-cache',
    )
    expect(errorOf({ ...snapshot(), version: '2' })).toBe(
      'schema cache snapshot has no valid "version" (got "2"); regenerate it with npm run schema-cache',
    )
    expect(errorOf({ ...snapshot(), encoding: 'zipped' })).toBe(
      'schema cache snapshot has an unknown "encoding" "zipped" (expected "packed" or none); regenerate it with npm run schema-cache',
    )
  })

  it('names the first malformed value by its path', () => {
    const prefix = 'schema cache snapshot is invalid (regenerate it with npm run schema-cache): '
    expect(errorOf(withValue(['tables', 1, 'columns', 1, 'nullable'], 'yes'))).toBe(
      `${prefix}tables[1].columns[1].nullable must be a boolean, got "yes"`,
    )
    expect(errorOf(withValue(['tables'], {}))).toBe(`${prefix}tables must be an array, got an object`)
    expect(errorOf(withValue(['fingerprint'], 12))).toBe(`${prefix}fingerprint must be a string, got 12`)
    expect(errorOf(withValue(['pgVersion'], null))).toBe(`${prefix}pgVersion must be an object, got null`)
    expect(errorOf(withValue(['tables', 0, 'columns', 2, 'maxLen'], 1.5))).toBe(
      `${prefix}tables[0].columns[2].maxLen must be an integer or null, got 1.5`,
    )
    expect(errorOf(withValue(['relationships', 0, 'cardinality', 'kind'], 'N2N'))).toBe(
      `${prefix}relationships[0].cardinality.kind must be one of "O2M", "M2O", "O2O", "M2M", got "N2N"`,
    )
    expect(errorOf(withValue(['relationships', 0, 'cardinality', 'columns', 0], ['a']))).toBe(
      `${prefix}relationships[0].cardinality.columns[0] must be a pair of strings, got an array`,
    )
    expect(errorOf(withValue(['relationships', 2, 'function'], 'top_director'))).toBe(
      `${prefix}relationships[2].function must be an object, got "top_director"`,
    )
    expect(errorOf(withValue(['routines', 1, 'params', 1, 'required'], undefined))).toBe(
      `${prefix}routines[1].params[1].required must be a boolean, got nothing`,
    )
    expect(errorOf(withValue(['routines', 0, 'volatility'], 'sometimes'))).toBe(
      `${prefix}routines[0].volatility must be one of "volatile", "stable", "immutable", got "sometimes"`,
    )
    expect(errorOf(withValue(['mediaHandlers', 0, 'relation', 'name'], null))).toBe(
      `${prefix}mediaHandlers[0].relation.name must be a string, got null`,
    )
    expect(errorOf(withValue(['hiddenRelationshipSources'], [{ table: { schema: 'api' }, schema: 'api' }]))).toBe(
      `${prefix}hiddenRelationshipSources[0].table.name must be a string, got nothing`,
    )
    expect(errorOf(withValue(['tables', 2], tbl('api', 'films', ['id'])))).toBe(`${prefix}table api.films appears twice`)
  })

  it('indexes a trusted snapshot without checking it', () => {
    const cache = indexSnapshot(snapshot())
    expect(cache.routines.get('api\u0000add')?.length).toBe(2)
    expect(cache.mediaHandlers.length).toBe(2)
  })

  it('tells when the configured schemas are not in the snapshot', () => {
    const cache = loadSchemaCacheOrThrow(snapshot())
    expect(missingSchemas(cache, ['api'])).toBeNull()
    expect(missingSchemas(cache, ['api', 'v2', 'v3'])).toBe(
      'the schema cache snapshot was built for the schemas api, other but db-schemas includes v2, v3; regenerate it with npm run schema-cache -- --schemas api,v2,v3',
    )
  })

  it('throws with the same message from loadSchemaCacheOrThrow', () => {
    expect(() => loadSchemaCacheOrThrow({ ...snapshot(), version: 7 })).toThrow(
      'schema cache snapshot version 7 is not supported by this edgerest (expects 2); regenerate it with npm run schema-cache',
    )
  })
})
