/**
 * @module test/unit/plan/call-cache: a literal schema cache with functions and media-type handlers
 * for the call planner, negotiation and golden-SQL tests — no database involved.
 *
 * Tables api.things(id, n, parent_id → parents) and api.parents(id, name); functions covering
 * every return shape, overloads, optional/variadic/unnamed parameters and function settings;
 * handlers: a domain-returning function (text/html → api.page), a `*\/*` function (api.blob), a
 * table aggregate (text/plain for api.things), an anyelement aggregate (application/vnd.x) and a
 * JSON override for api.parents.
 */
import { indexSnapshot } from '../../../src/schema-cache/load.ts'
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type Column,
  type PgType,
  type Routine,
  type RoutineParam,
  type SchemaCache,
} from '../../../src/schema-cache/types.ts'

const col = (name: string, type: string): Column => ({
  name,
  description: null,
  nullable: true,
  type,
  nominalType: type,
  maxLen: null,
  default: null,
  enum: [],
})

export const prm = (name: string, type: string, opts: Partial<RoutineParam> = {}): RoutineParam => ({
  name,
  type,
  typeMaxLength: type,
  required: true,
  variadic: false,
  ...opts,
})

const scalar = (name: string, schema = 'pg_catalog'): PgType => ({ kind: 'scalar', qi: { schema, name } })
const things: PgType = { kind: 'composite', qi: { schema: 'api', name: 'things' }, isDomainAlias: false }

export const fn = (name: string, params: RoutineParam[], ret: Routine['returnType'], opts: Partial<Routine> = {}): Routine => ({
  schema: 'api',
  name,
  description: null,
  params,
  returnType: ret,
  volatility: 'stable',
  hasVariadic: params.some((p) => p.variadic),
  isolationLevel: null,
  settings: [],
  ...opts,
})

export const ROUTINES: Routine[] = [
  fn('add', [prm('a', 'integer'), prm('b', 'integer')], { kind: 'single', type: scalar('int4') }, { volatility: 'immutable' }),
  fn('hello', [prm('name', 'text', { required: false })], { kind: 'single', type: scalar('text') }),
  fn('things_between', [prm('lo', 'integer'), prm('hi', 'integer')], { kind: 'setOf', type: things }),
  fn('one_thing', [prm('id', 'text')], { kind: 'single', type: things }),
  fn('amounts', [], { kind: 'setOf', type: scalar('int4') }),
  fn('noop', [], { kind: 'single', type: scalar('void') }, { volatility: 'volatile' }),
  fn('touch', [prm('id', 'text')], { kind: 'setOf', type: things }, { volatility: 'volatile' }),
  // Overloads are listed fewest parameters first, as the snapshot stores them.
  fn('pick', [prm('a', 'integer')], { kind: 'single', type: scalar('text') }),
  fn('pick', [prm('a', 'integer'), prm('b', 'integer')], { kind: 'single', type: scalar('text') }),
  fn('same', [prm('x', 'integer')], { kind: 'single', type: scalar('text') }),
  fn('same', [prm('x', 'text')], { kind: 'single', type: scalar('text') }),
  fn('mixed', [prm('a', 'integer'), prm('b', 'text', { required: false })], { kind: 'single', type: scalar('text') }),
  fn('j', [prm('', 'json')], { kind: 'single', type: scalar('text') }),
  fn('t', [prm('', 'text')], { kind: 'single', type: scalar('text') }),
  fn('b', [prm('', 'bytea')], { kind: 'single', type: scalar('int4') }),
  fn('v', [prm('parts', 'text[]', { variadic: true })], { kind: 'single', type: scalar('text') }),
  fn('fixed_char', [prm('c', 'character', { typeMaxLength: 'character varying' })], { kind: 'single', type: scalar('text') }),
  fn('iso', [], { kind: 'single', type: scalar('text') }, {
    isolationLevel: 'serializable',
    settings: [
      ['default_transaction_isolation', 'serializable'],
      ['statement_timeout', '5s'],
      ['work_mem', '64kB'],
    ],
  }),
  fn('page', [prm('title', 'text')], { kind: 'single', type: scalar('text') }),
  fn('blob', [], { kind: 'single', type: scalar('bytea') }),
]

export const CALL_CACHE: SchemaCache = indexSnapshot({
  format: SNAPSHOT_FORMAT,
  version: SNAPSHOT_VERSION,
  generatedAt: '2026-01-01T00:00:00.000Z',
  pgVersion: { num: 170000, full: 'PostgreSQL 17.0' },
  schemas: ['api'],
  fingerprint: '0'.repeat(64),
  tables: [
    {
      schema: 'api',
      name: 'things',
      description: null,
      isView: false,
      insertable: true,
      updatable: true,
      deletable: true,
      pkCols: ['id'],
      columns: [col('id', 'text'), col('n', 'integer'), col('parent_id', 'text')],
    },
    {
      schema: 'api',
      name: 'parents',
      description: null,
      isView: false,
      insertable: true,
      updatable: true,
      deletable: true,
      pkCols: ['id'],
      columns: [col('id', 'text'), col('name', 'text')],
    },
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
  ],
  routines: ROUTINES,
  representations: [],
  mediaHandlers: [
    { mediaType: 'text/html', function: { schema: 'api', name: 'text/html' }, relation: { schema: 'api', name: 'page' } },
    { mediaType: '*/*', function: { schema: 'api', name: '*/*' }, relation: { schema: 'api', name: 'blob' } },
    { mediaType: 'text/plain', function: { schema: 'api', name: 'things_txt' }, relation: { schema: 'api', name: 'things' } },
    { mediaType: 'application/vnd.x', function: { schema: 'api', name: 'agg_x' }, relation: null },
    { mediaType: 'application/json', function: { schema: 'api', name: 'parents_json' }, relation: { schema: 'api', name: 'parents' } },
  ],
})
