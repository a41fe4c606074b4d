/**
 * The snapshot's `typeInfo` (what `--types` reads), introspected from the real PostgreSQL of the
 * global setup: test/fixtures/85-typegen.sql (schema `typegen`, with types in `typegen_private`).
 * Checks which named types are kept (those the exposed schema defines or uses, nothing else),
 * the functions' declared results, the read-only columns, that it survives both encodings, and
 * that the fingerprint follows it (a new enum label makes a snapshot stale).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { introspectUrl } from '../../schema-cache/from-url.ts'
import { formatSnapshot } from '../../schema-cache/snapshot-json.ts'
import { loadSchemaCache } from '../../src/schema-cache/load.ts'
import type { SchemaCacheSnapshot, TypeInfo } from '../../src/schema-cache/types.ts'
import { stackUrls, superuserQuery, uniqueName } from '../helpers/stack.ts'

const { authUrl } = stackUrls()
let snap: SchemaCacheSnapshot
let info: TypeInfo

beforeAll(async () => {
  snap = await introspectUrl(authUrl, { schemas: ['typegen'], extraSearchPath: ['public'] })
  if (snap.typeInfo === undefined) throw new Error('no typeInfo')
  info = snap.typeInfo
})

const result = (name: string, args?: readonly string[]): TypeInfo['routines'][number] => {
  const r = info.routines.find((x) => x.name === name && (args === undefined || JSON.stringify(x.args) === JSON.stringify(args)))
  if (r === undefined) throw new Error(`no result for ${name}`)
  return r
}

describe('typeInfo', () => {
  it('records the exposed schemas apart from the extra search path', () => {
    expect(snap.schemas).toEqual(['typegen', 'public'])
    expect(info.dbSchemas).toEqual(['typegen'])
  })

  it('keeps the enums and composites of the exposed schema and the types it uses, nothing else', () => {
    expect(info.types).toEqual([
      { kind: 'composite', schema: 'typegen', name: 'address', type: 'typegen.address', attributes: [
        { name: 'street', type: 'text' },
        { name: 'city', type: 'text' },
        { name: 'zip', type: 'integer' },
        { name: 'lines', type: 'text[]' },
      ] },
      // row type of a function parameter (author_posts)
      { kind: 'relation', schema: 'typegen', name: 'authors', type: 'typegen.authors' },
      { kind: 'domain', schema: 'typegen', name: 'positive', type: 'typegen.positive', baseType: 'integer' },
      // row type of functions' results (posts_by, latest_post, author_posts)
      { kind: 'relation', schema: 'typegen', name: 'posts', type: 'typegen.posts' },
      { kind: 'enum', schema: 'typegen', name: 'status', type: 'typegen.status', labels: ['draft', 'published', 'archived'] },
      { kind: 'domain', schema: 'typegen', name: 'status_dom', type: 'typegen.status_dom', baseType: 'typegen.status' },
      // not exposed, but a column and a function result use it; typegen_private.unused is not kept
      { kind: 'enum', schema: 'typegen_private', name: 'level', type: 'typegen_private.level', labels: ['low', 'high'] },
    ])
  })

  it('has the declared result of every routine, in the order of routines', () => {
    expect(info.routines.map((r) => `${r.name}(${r.args.join(', ')})`)).toEqual(
      snap.routines.map((r) => `${r.name}(${r.params.map((p) => p.type).join(', ')})`),
    )
    expect(result('add', ['integer', 'integer'])).toEqual({
      schema: 'typegen', name: 'add', args: ['integer', 'integer'], returns: 'integer', setOf: false, rows: 0, columns: [],
    })
    expect(result('add', ['text', 'text']).returns).toBe('text')
    expect(result('total')).toMatchObject({ args: ['numeric[]'], returns: 'numeric', setOf: false })
    expect(result('posts_by')).toMatchObject({ returns: 'typegen.posts', setOf: true, rows: 1000 })
    expect(result('latest_post')).toMatchObject({ returns: 'typegen.posts', setOf: true, rows: 1 })
    expect(result('post_stats')).toMatchObject({
      args: ['date'],
      returns: 'record',
      setOf: true,
      columns: [
        { name: 'author_id', type: 'bigint' },
        { name: 'posts', type: 'bigint' },
        { name: 'last_status', type: 'typegen.status' },
      ],
    })
    expect(result('split_name')).toMatchObject({
      args: ['text'],
      returns: 'record',
      setOf: false,
      columns: [
        { name: 'first', type: 'text' },
        { name: 'last', type: 'text' },
      ],
    })
    expect(result('levels')).toMatchObject({ args: [], returns: 'typegen_private.level[]' })
    expect(result('ping').returns).toBe('void')
    expect(result('echo')).toMatchObject({ args: ['jsonb'], returns: 'jsonb' })
  })

  it('lists the columns a client cannot write', () => {
    expect(info.readOnlyColumns).toEqual([
      { table: { schema: 'typegen', name: 'authors' }, columns: ['id'] }, // GENERATED ALWAYS AS IDENTITY
      { table: { schema: 'typegen', name: 'post_titles' }, columns: ['shout'] }, // computed in an updatable view
      { table: { schema: 'typegen', name: 'posts' }, columns: ['title_length'] }, // GENERATED ALWAYS AS (…) STORED
    ])
  })

  it('survives both encodings', () => {
    for (const style of ['pretty', 'compact'] as const) {
      const loaded = loadSchemaCache(JSON.parse(formatSnapshot(snap, style)))
      if (!loaded.ok) throw new Error(loaded.error)
      expect(loaded.value.snapshot.typeInfo).toEqual(info)
    }
  })
})

describe('fingerprint', () => {
  it('changes when only the type info changes: a label added to an enum that only a parameter uses', async () => {
    const schema = uniqueName('tg_fp')
    await superuserQuery(`
      CREATE SCHEMA ${schema};
      CREATE TYPE ${schema}.color AS ENUM ('red');
      CREATE FUNCTION ${schema}.paint(c ${schema}.color) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;`)
    try {
      const before = await introspectUrl(authUrl, { schemas: [schema] })
      await superuserQuery(`ALTER TYPE ${schema}.color ADD VALUE 'green'`)
      const after = await introspectUrl(authUrl, { schemas: [schema] })
      expect(after.tables).toEqual(before.tables)
      expect(after.routines).toEqual(before.routines)
      expect(after.typeInfo?.types).toEqual([{ kind: 'enum', schema, name: 'color', type: `${schema}.color`, labels: ['red', 'green'] }])
      expect(after.fingerprint).not.toBe(before.fingerprint)
    } finally {
      await superuserQuery(`DROP SCHEMA ${schema} CASCADE`)
    }
  })
})
