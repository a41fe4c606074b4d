/**
 * @module test/unit/plan/fixture-cache: a small schema cache written out as literals for the
 * planner and golden-SQL tests of writes — no database involved.
 *
 * api.things(id text PK, n int NOT NULL DEFAULT 0, note text DEFAULT 'fresh', parent_id → parents,
 * color api.color with a json → color representation), api.parents(id PK, name),
 * api.pairs(a, b composite PK, v), api.no_pk(tag, v).
 */
import { indexSnapshot } from '../../../src/schema-cache/load.ts'
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Column, type SchemaCache, type Table } from '../../../src/schema-cache/types.ts'

const col = (name: string, type: string, opts: Partial<Column> = {}): Column => ({
  name,
  description: null,
  nullable: true,
  type,
  nominalType: type,
  maxLen: null,
  default: null,
  enum: [],
  ...opts,
})

const table = (name: string, pkCols: string[], columns: Column[]): Table => ({
  schema: 'api',
  name,
  description: null,
  isView: false,
  insertable: true,
  updatable: true,
  deletable: true,
  pkCols,
  columns,
})

export const CACHE: SchemaCache = indexSnapshot({
  format: SNAPSHOT_FORMAT,
  version: SNAPSHOT_VERSION,
  generatedAt: '2026-01-01T00:00:00.000Z',
  pgVersion: { num: 170000, full: 'PostgreSQL 17.0' },
  schemas: ['api'],
  fingerprint: '0'.repeat(64),
  tables: [
    table('things', ['id'], [
      col('id', 'text', { nullable: false }),
      col('n', 'integer', { nullable: false, default: '0' }),
      col('note', 'text', { default: "'fresh'::text" }),
      col('parent_id', 'text'),
      col('color', 'integer', { nominalType: 'api.color' }),
      col('code', 'character varying', { nominalType: 'character varying(5)' }),
    ]),
    table('parents', ['id'], [col('id', 'text', { nullable: false }), col('name', 'text')]),
    table('pairs', ['a', 'b'], [col('a', 'text', { nullable: false }), col('b', 'integer', { nullable: false }), col('v', 'text')]),
    table('no_pk', [], [col('tag', 'text'), col('v', 'text')]),
  ],
  relationships: [
    {
      kind: 'fk',
      table: { schema: 'api', name: 'things' },
      foreignTable: { schema: 'api', name: 'parents' },
      isSelf: false,
      cardinality: { kind: 'M2O', constraint: 'things_parent_id_fkey', columns: [['parent_id', 'id']] },
      tableIsView: false,
      foreignTableIsView: false,
    },
    {
      kind: 'fk',
      table: { schema: 'api', name: 'parents' },
      foreignTable: { schema: 'api', name: 'things' },
      isSelf: false,
      cardinality: { kind: 'O2M', constraint: 'things_parent_id_fkey', columns: [['id', 'parent_id']] },
      tableIsView: false,
      foreignTableIsView: false,
    },
  ],
  routines: [],
  representations: [
    { sourceType: 'json', targetType: 'api.color', function: 'api.json_to_color' },
    { sourceType: 'text', targetType: 'api.color', function: 'api.text_to_color' },
    { sourceType: 'api.color', targetType: 'json', function: 'api.color_to_json' },
  ],
  mediaHandlers: [],
})
