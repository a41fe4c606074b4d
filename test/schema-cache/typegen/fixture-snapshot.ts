/**
 * @module test/schema-cache/typegen/fixture-snapshot: literal snapshots for the generator's unit tests, built
 * by hand (no database): schema `app` with a table of every column kind, a many-to-many junction,
 * a one-to-one, a writable view with a computed column, an enum, a composite type and functions
 * with defaults, overloads, VARIADIC, SETOF (with and without ROWS 1), RETURNS TABLE and a row
 * parameter.
 */
import type { Column, Relationship, Routine, RoutineParam, RoutineResult, SchemaCacheSnapshot, Table, TypeInfo } from '../../../src/schema-cache/types.ts'

export const col = (name: string, type: string, opts: Partial<Column> = {}): Column => ({
  name,
  description: null,
  nullable: false,
  type,
  nominalType: type,
  maxLen: null,
  default: null,
  enum: [],
  ...opts,
})

export const table = (name: string, columns: Column[], opts: Partial<Table> = {}): Table => ({
  schema: 'app',
  name,
  description: null,
  isView: false,
  insertable: true,
  updatable: true,
  deletable: true,
  pkCols: [],
  columns,
  ...opts,
})

const qi = (name: string, schema = 'app') => ({ schema, name })

const fk = (from: string, to: string, cardinality: Extract<Relationship, { kind: 'fk' }>['cardinality']): Relationship => ({
  kind: 'fk',
  table: qi(from),
  foreignTable: qi(to),
  isSelf: from === to,
  cardinality,
  tableIsView: false,
  foreignTableIsView: false,
})

const param = (name: string, type: string, required = true, variadic = false): RoutineParam => ({ name, type, typeMaxLength: type, required, variadic })

/** A routine and its declared result (`returns`, `setOf`, `rows`, `columns`). */
export const fn = (name: string, params: RoutineParam[], result: Omit<RoutineResult, 'schema' | 'name' | 'args'>): [Routine, RoutineResult] => [
  {
    schema: 'app',
    name,
    description: null,
    params,
    returnType: { kind: result.setOf ? 'setOf' : 'single', type: { kind: 'scalar', qi: qi('unused', 'pg_catalog') } },
    volatility: 'volatile',
    hasVariadic: params.some((p) => p.variadic),
    isolationLevel: null,
    settings: [],
  },
  { schema: 'app', name, args: params.map((p) => p.type), ...result },
]

const ROLE = ['admin', 'member']

const tables: Table[] = [
  table('avatars', [col('user_id', 'bigint'), col('url', 'text')], { pkCols: ['user_id'] }),
  table('groups', [col('id', 'integer'), col('name', 'text')], { pkCols: ['id'] }),
  table('memberships', [col('user_id', 'bigint'), col('group_id', 'integer')], { pkCols: ['group_id', 'user_id'] }),
  table(
    'user_emails',
    [col('id', 'bigint', { nullable: true }), col('email', 'text', { nullable: true }), col('upper_email', 'text', { nullable: true })],
    { isView: true },
  ),
  table(
    'users',
    [
      col('id', 'bigint'),
      col('email', 'character varying', { nominalType: 'character varying(100)', maxLen: 100 }),
      col('nickname', 'text', { nullable: true }),
      col('role', 'app.role', { default: "'member'::app.role", enum: ROLE }),
      col('profile', 'jsonb', { nullable: true }),
      col('created_at', 'timestamp with time zone', { default: 'now()' }),
      col('home', 'app.point2', { nullable: true }),
      col('tags', 'text[]', { default: "'{}'::text[]" }),
    ],
    { pkCols: ['id'] },
  ),
]

const junction = { table: qi('memberships'), constraint1: 'memberships_user_id_fkey', constraint2: 'memberships_group_id_fkey' }
const relationships: Relationship[] = [
  fk('avatars', 'users', { kind: 'O2O', constraint: 'avatars_user_id_fkey', columns: [['user_id', 'id']], isParent: false }),
  fk('groups', 'memberships', { kind: 'O2M', constraint: 'memberships_group_id_fkey', columns: [['id', 'group_id']] }),
  fk('groups', 'users', {
    kind: 'M2M',
    junction: { ...junction, constraint1: junction.constraint2, constraint2: junction.constraint1, colsSource: [['id', 'group_id']], colsTarget: [['id', 'user_id']] },
  }),
  fk('memberships', 'users', { kind: 'M2O', constraint: 'memberships_user_id_fkey', columns: [['user_id', 'id']] }),
  fk('memberships', 'groups', { kind: 'M2O', constraint: 'memberships_group_id_fkey', columns: [['group_id', 'id']] }),
  fk('users', 'avatars', { kind: 'O2O', constraint: 'avatars_user_id_fkey', columns: [['id', 'user_id']], isParent: true }),
  fk('users', 'memberships', { kind: 'O2M', constraint: 'memberships_user_id_fkey', columns: [['id', 'user_id']] }),
  fk('users', 'groups', { kind: 'M2M', junction: { ...junction, colsSource: [['id', 'user_id']], colsTarget: [['id', 'group_id']] } }),
]

const functions = [
  fn('greet', [], { returns: 'text', setOf: false, rows: 0, columns: [] }),
  fn('greet', [param('name', 'text'), param('punctuation', 'text', false)], { returns: 'text', setOf: false, rows: 0, columns: [] }),
  fn('noop', [], { returns: 'void', setOf: false, rows: 0, columns: [] }),
  fn('one_user', [param('uid', 'bigint')], { returns: 'app.users', setOf: true, rows: 1, columns: [] }),
  fn('origin', [], { returns: 'app.point2', setOf: false, rows: 0, columns: [] }),
  fn('stats', [], {
    returns: 'record',
    setOf: true,
    rows: 1000,
    columns: [
      { name: 'n', type: 'bigint' },
      { name: 'role', type: 'app.role' },
    ],
  }),
  fn('sum_all', [param('nums', 'integer[]', true, true)], { returns: 'integer', setOf: false, rows: 0, columns: [] }),
  fn('user_groups', [param('u', 'app.users')], { returns: 'app.groups', setOf: true, rows: 1000, columns: [] }),
  fn('users_by_role', [param('r', 'app.role'), param('lim', 'integer', false)], { returns: 'app.users', setOf: true, rows: 1000, columns: [] }),
]

export const appTypeInfo: TypeInfo = {
  dbSchemas: ['app'],
  types: [
    { kind: 'relation', schema: 'app', name: 'groups', type: 'app.groups' },
    {
      kind: 'composite',
      schema: 'app',
      name: 'point2',
      type: 'app.point2',
      attributes: [
        { name: 'x', type: 'double precision' },
        { name: 'y', type: 'double precision' },
      ],
    },
    { kind: 'enum', schema: 'app', name: 'role', type: 'app.role', labels: ROLE },
    { kind: 'relation', schema: 'app', name: 'users', type: 'app.users' },
  ],
  routines: functions.map(([, r]) => r),
  readOnlyColumns: [
    { table: qi('user_emails'), columns: ['upper_email'] },
    { table: qi('users'), columns: ['id'] },
  ],
}

export const snapshotOf = (over: Partial<SchemaCacheSnapshot> = {}): SchemaCacheSnapshot => ({
  format: 'edgerest-schema-cache',
  version: 2,
  generatedAt: '2026-01-01T00:00:00.000Z',
  pgVersion: { num: 170010, full: 'PostgreSQL 17.10' },
  schemas: ['app', 'public'],
  fingerprint: '0123456789abcdef'.repeat(4),
  tables,
  relationships,
  routines: functions.map(([r]) => r),
  representations: [],
  mediaHandlers: [],
  hiddenRelationshipSources: [],
  typeInfo: appTypeInfo,
  ...over,
})
