/**
 * @module schema-cache/derive: everything the snapshot holds that the catalog does not state
 * directly, worked out once at build time (PostgREST does the same on every schema cache load):
 *
 *  1. which primary/foreign key columns each view exposes, following chains of views
 *     (`viewKeyDependencies`), and from that the primary key of each view;
 *  2. the relationships: many-to-one / one-to-one from foreign keys, the same carried over to
 *     views (view→table, table→view, view→view), many-to-many through junction tables, the
 *     inverse one-to-many / one-to-one of each, and computed relationships, which override a
 *     detected relationship when the function is named like the foreign table.
 *
 * The rules follow PostgREST's SchemaCache.hs (addViewPrimaryKeys, addViewM2OAndO2ORels,
 * addM2MRels, addInverseRels, getOverrideRelationshipsMap, removeInternal).
 */
import type {
  Cardinality,
  ColumnPairs,
  QualifiedIdentifier,
  Relationship,
  Table,
} from '../src/schema-cache/types.ts'
import { qiKey } from '../src/schema-cache/types.ts'
import { viewTargetOrigins } from './node-tree.ts'
import { compareQi, compareRelationship, compareText } from './order.ts'
import type { ComputedRelRow, ConstraintRow, ViewRow } from './rows.ts'

/** A key of a table whose every column a view exposes (possibly several times). */
export interface ViewKeyDependency {
  readonly table: QualifiedIdentifier
  readonly view: QualifiedIdentifier
  readonly constraintOid: number
  readonly constraint: string
  /** `p` the table's primary key, `f` a foreign key of the table, `f_ref` a foreign key referencing the table. */
  readonly type: 'p' | 'f' | 'f_ref'
  /** In key order: the table column and every view column showing it unchanged. */
  readonly columns: readonly (readonly [string, readonly string[]])[]
}

interface KeyInfo {
  readonly constraint: ConstraintRow
  readonly type: 'p' | 'f' | 'f_ref'
  readonly table: QualifiedIdentifier
  readonly names: readonly string[]
  readonly attnums: readonly number[]
}

/**
 * The key dependencies of the views in `exposed` schemas. A view column is traced to its source
 * column, and through views of `views` (the exposed schemas and the extra search path) to the
 * columns of the views and tables below; a key counts when the view exposes all of its columns.
 */
export function viewKeyDependencies(
  views: readonly ViewRow[],
  constraints: readonly ConstraintRow[],
  exposed: ReadonlySet<string>,
): ViewKeyDependency[] {
  // Which view column comes from which (relation, column), per view.
  const originsByView = new Map<number, Map<number, { table: number; column: number }>>()
  for (const view of views) {
    const map = new Map<number, { table: number; column: number }>()
    for (const t of viewTargetOrigins(view.tree)) {
      if (t.origTable !== 0 && t.origColumn !== 0) map.set(t.resno, { table: t.origTable, column: t.origColumn })
    }
    originsByView.set(view.oid, map)
  }

  const keysByTable = new Map<number, KeyInfo[]>()
  const addKey = (oid: number, key: KeyInfo): void => {
    const list = keysByTable.get(oid)
    if (list === undefined) keysByTable.set(oid, [key])
    else list.push(key)
  }
  for (const c of constraints) {
    const table = { schema: c.tableSchema, name: c.table }
    if (c.type === 'p' || c.type === 'f') {
      addKey(c.tableOid, { constraint: c, type: c.type, table, names: c.columns, attnums: c.attnums })
    }
    if (c.type === 'f' && c.foreignSchema !== null && c.foreignTable !== null) {
      addKey(c.foreignOid, {
        constraint: c,
        type: 'f_ref',
        table: { schema: c.foreignSchema, name: c.foreignTable },
        names: c.foreignColumns ?? [],
        attnums: c.foreignAttnums ?? [],
      })
    }
  }

  const deps: ViewKeyDependency[] = []
  for (const view of views) {
    if (!exposed.has(view.schema)) continue
    const own = originsByView.get(view.oid)
    if (own === undefined) continue
    // (relation oid, attnum) → the view's columns showing it, in view column order
    const exposedBy = new Map<string, string[]>()
    const relations = new Set<number>()
    for (const [attnum, name] of view.columns ?? []) {
      let origin = own.get(attnum)
      const seen = new Set<number>([view.oid])
      while (origin !== undefined) {
        const key = `${origin.table}:${origin.column}`
        const names = exposedBy.get(key)
        if (names === undefined) exposedBy.set(key, [name])
        else names.push(name)
        relations.add(origin.table)
        // Keep following when the source is itself a view we know of; stop on a cycle.
        if (seen.has(origin.table)) break
        seen.add(origin.table)
        origin = originsByView.get(origin.table)?.get(origin.column)
      }
    }
    const viewQi = { schema: view.schema, name: view.name }
    for (const rel of relations) {
      for (const key of keysByTable.get(rel) ?? []) {
        const cols: (readonly [string, readonly string[]])[] = []
        for (let i = 0; i < key.attnums.length; i++) {
          const viewCols = exposedBy.get(`${rel}:${key.attnums[i]}`)
          if (viewCols === undefined) break
          cols.push([key.names[i] as string, viewCols])
        }
        if (cols.length === 0 || cols.length !== key.attnums.length) continue
        deps.push({
          table: key.table,
          view: viewQi,
          constraintOid: key.constraint.oid,
          constraint: key.constraint.name,
          type: key.type,
          columns: cols,
        })
      }
    }
  }
  deps.sort((a, b) => compareQi(a.view, b.view) || compareQi(a.table, b.table) || compareText(a.constraint, b.constraint) || a.constraintOid - b.constraintOid)
  return deps
}

/**
 * Views take as primary key the primary key columns of their base tables that they expose; when
 * a key column is shown several times, the first view column is used.
 */
export function withViewPrimaryKeys(tables: readonly Table[], deps: readonly ViewKeyDependency[]): Table[] {
  const pkByView = new Map<string, string[]>()
  for (const dep of deps) {
    if (dep.type !== 'p') continue
    const key = qiKey(dep.view)
    const cols = pkByView.get(key) ?? []
    for (const [, viewCols] of dep.columns) {
      if (viewCols[0] !== undefined) cols.push(viewCols[0])
    }
    pkByView.set(key, cols)
  }
  return tables.map((t) => (t.isView ? { ...t, pkCols: pkByView.get(qiKey(t)) ?? [] } : t))
}

type FkRel = Extract<Relationship, { kind: 'fk' }>
type M2ORel = FkRel & { readonly cardinality: Extract<Cardinality, { kind: 'M2O' }> }

const sameQi = (a: QualifiedIdentifier, b: QualifiedIdentifier): boolean => a.schema === b.schema && a.name === b.name

/** Every way to pick one view column per key column. */
function expandColumns(cols: ViewKeyDependency['columns']): string[][] {
  let combos: string[][] = [[]]
  for (const [, viewCols] of cols) {
    const next: string[][] = []
    for (const combo of combos) for (const v of viewCols) next.push([...combo, v])
    combos = next
  }
  return combos
}

const zipPairs = (left: readonly string[], right: readonly string[]): ColumnPairs => {
  const n = Math.min(left.length, right.length)
  const out: (readonly [string, string])[] = []
  for (let i = 0; i < n; i++) out.push([left[i] as string, right[i] as string])
  return out
}

export interface RelationshipInputs {
  readonly constraints: readonly ConstraintRow[]
  readonly keyDeps: readonly ViewKeyDependency[]
  /** The exposed tables, with view primary keys already filled in. */
  readonly tables: readonly Table[]
  readonly computed: readonly ComputedRelRow[]
  /** db-schemas: relationships are kept only between relations of these schemas. */
  readonly exposed: ReadonlySet<string>
}

export interface DerivedRelationships {
  /** Sorted as PostgREST sorts them. */
  readonly relationships: Relationship[]
  /** See `SchemaCacheSnapshot.hiddenRelationshipSources`. */
  readonly hiddenSources: { readonly table: QualifiedIdentifier; readonly schema: string }[]
}

/** Schema under which PostgREST files a relationship of a table (a computed one: its function's). */
const bucketSchema = (r: Relationship): string => (r.kind === 'fk' ? r.foreignTable.schema : r.function.schema)

/** All relationships of the exposed relations. */
export function deriveRelationships(input: RelationshipInputs): DerivedRelationships {
  // 1. Many-to-one from every foreign key (constraints cloned onto partitions excluded); one-to-one
  //    when the referencing columns are exactly the columns of a primary key or unique constraint.
  const keySets = new Map<number, string[]>()
  for (const c of input.constraints) {
    if (c.type === 'p' || c.type === 'u') {
      const list = keySets.get(c.tableOid) ?? []
      list.push([...c.attnums].sort((x, y) => x - y).join(','))
      keySets.set(c.tableOid, list)
    }
  }
  const base: { rel: FkRel; oid: number }[] = []
  for (const c of input.constraints) {
    if (c.type !== 'f' || c.inherited || c.foreignSchema === null || c.foreignTable === null) continue
    const columns = zipPairs(c.columns, c.foreignColumns ?? [])
    const own = [...c.attnums].sort((x, y) => x - y).join(',')
    const oneToOne = (keySets.get(c.tableOid) ?? []).includes(own)
    base.push({
      oid: c.oid,
      rel: {
        kind: 'fk',
        table: { schema: c.tableSchema, name: c.table },
        foreignTable: { schema: c.foreignSchema, name: c.foreignTable },
        isSelf: c.tableOid === c.foreignOid,
        cardinality: oneToOne
          ? { kind: 'O2O', constraint: c.name, columns, isParent: false }
          : { kind: 'M2O', constraint: c.name, columns },
        tableIsView: false,
        foreignTableIsView: false,
      },
    })
  }

  // 2. The same relationships for views exposing the foreign key's columns (on the referencing
  //    side), the referenced key's columns, or both.
  const depsByKey = new Map<string, ViewKeyDependency[]>()
  for (const dep of input.keyDeps) {
    if (dep.type === 'p') continue
    const key = `${dep.type}:${dep.constraintOid}`
    const list = depsByKey.get(key)
    if (list === undefined) depsByKey.set(key, [dep])
    else list.push(dep)
  }
  const rels: FkRel[] = base.map((b) => b.rel)
  for (const { rel, oid } of base) {
    const card = rel.cardinality
    if (card.kind !== 'M2O' && card.kind !== 'O2O') continue
    const build = (columns: ColumnPairs): Cardinality =>
      card.kind === 'M2O'
        ? { kind: 'M2O', constraint: card.constraint, columns }
        : { kind: 'O2O', constraint: card.constraint, columns, isParent: false }
    const tableCols = card.columns.map((p) => p[0])
    const foreignCols = card.columns.map((p) => p[1])
    const viewTable = depsByKey.get(`f:${oid}`) ?? []
    const tableView = depsByKey.get(`f_ref:${oid}`) ?? []
    const viewTableChoices = viewTable.map((dep) => ({ dep, choices: expandColumns(dep.columns) }))
    const tableViewChoices = tableView.map((dep) => ({ dep, choices: expandColumns(dep.columns) }))
    for (const { dep, choices } of viewTableChoices) {
      for (const viewCols of choices) {
        rels.push({
          kind: 'fk',
          table: dep.view,
          foreignTable: rel.foreignTable,
          isSelf: false,
          cardinality: build(zipPairs(viewCols, foreignCols)),
          tableIsView: true,
          foreignTableIsView: false,
        })
      }
    }
    for (const { dep, choices } of tableViewChoices) {
      for (const viewCols of choices) {
        rels.push({
          kind: 'fk',
          table: rel.table,
          foreignTable: dep.view,
          isSelf: false,
          cardinality: build(zipPairs(tableCols, viewCols)),
          tableIsView: false,
          foreignTableIsView: true,
        })
      }
    }
    for (const a of viewTableChoices) {
      for (const colsA of a.choices) {
        for (const b of tableViewChoices) {
          for (const colsB of b.choices) {
            rels.push({
              kind: 'fk',
              table: a.dep.view,
              foreignTable: b.dep.view,
              isSelf: sameQi(a.dep.view, b.dep.view),
              cardinality: build(zipPairs(colsA, colsB)),
              tableIsView: true,
              foreignTableIsView: true,
            })
          }
        }
      }
    }
  }

  // 3. Many-to-many: a relation with many-to-one relationships to two others through different
  //    constraints, all of whose columns belong to its primary key, joins them.
  //    Junctions outside the exposed schemas count too (their relationships are dropped in step 6,
  //    but they leave a trace, see hiddenSources), so primary keys come from the constraints as
  //    well as from the exposed tables (whose views have theirs filled in).
  const pkByTable = new Map<string, ReadonlySet<string>>()
  for (const c of input.constraints) {
    if (c.type === 'p') pkByTable.set(qiKey({ schema: c.tableSchema, name: c.table }), new Set(c.columns))
  }
  for (const t of input.tables) pkByTable.set(qiKey(t), new Set(t.pkCols))
  const m2oByTable = new Map<string, M2ORel[]>()
  for (const r of rels) {
    if (r.cardinality.kind !== 'M2O') continue
    const key = qiKey(r.table)
    const list = m2oByTable.get(key)
    if (list === undefined) m2oByTable.set(key, [r as M2ORel])
    else list.push(r as M2ORel)
  }
  const m2m: FkRel[] = []
  for (const [junctionKey, fromJunction] of m2oByTable) {
    const pk = pkByTable.get(junctionKey)
    if (pk === undefined || pk.size === 0) continue
    for (const r1 of fromJunction) {
      for (const r2 of fromJunction) {
        if (r1.cardinality.constraint === r2.cardinality.constraint) continue
        const covered =
          r1.cardinality.columns.every(([c]) => pk.has(c)) && r2.cardinality.columns.every(([c]) => pk.has(c))
        if (!covered) continue
        m2m.push({
          kind: 'fk',
          table: r1.foreignTable,
          foreignTable: r2.foreignTable,
          isSelf: sameQi(r1.foreignTable, r2.foreignTable),
          cardinality: {
            kind: 'M2M',
            junction: {
              table: r1.table,
              constraint1: r1.cardinality.constraint,
              constraint2: r2.cardinality.constraint,
              colsSource: r1.cardinality.columns.map(([j, t]) => [t, j] as const),
              colsTarget: r2.cardinality.columns.map(([j, t]) => [t, j] as const),
            },
          },
          tableIsView: r1.foreignTableIsView,
          foreignTableIsView: r2.foreignTableIsView,
        })
      }
    }
  }
  rels.push(...m2m)

  // 4. The inverse of every many-to-one (one-to-many) and one-to-one (parent side flipped).
  const inverses: FkRel[] = []
  for (const r of rels) {
    const card = r.cardinality
    if (card.kind !== 'M2O' && card.kind !== 'O2O') continue
    const swapped = card.columns.map(([a, b]) => [b, a] as const)
    inverses.push({
      kind: 'fk',
      table: r.foreignTable,
      foreignTable: r.table,
      isSelf: r.isSelf,
      cardinality:
        card.kind === 'M2O'
          ? { kind: 'O2M', constraint: card.constraint, columns: swapped }
          : { kind: 'O2O', constraint: card.constraint, columns: swapped, isParent: !card.isParent },
      tableIsView: r.foreignTableIsView,
      foreignTableIsView: r.tableIsView,
    })
  }
  rels.push(...inverses)

  // 5. Computed relationships replace the detected ones between the same table and the relation
  //    named like the function (that is how a user overrides a detected relationship).
  const computed: Relationship[] = input.computed.map((c) => ({
    kind: 'computed',
    function: { schema: c.functionSchema, name: c.function },
    table: { schema: c.tableSchema, name: c.table },
    foreignTable: { schema: c.foreignSchema, name: c.foreignTable },
    tableAlias: { schema: '', name: '' },
    toOne: c.toOne,
    isSelf: c.tableSchema === c.foreignSchema && c.table === c.foreignTable,
  }))
  const overridden = new Set(computed.map((c) => (c.kind === 'computed' ? `${qiKey(c.table)}\u0001${qiKey(c.function)}` : '')))
  const all: Relationship[] = rels.filter((r) => !overridden.has(`${qiKey(r.table)}\u0001${qiKey(r.foreignTable)}`))
  all.push(...computed)

  // 6. Keep what lies entirely in the exposed schemas (junction tables included), noting the
  //    (table, schema) entries this empties.
  const bucket = (r: Relationship): string => `${qiKey(r.table)}\u0001${bucketSchema(r)}`
  const emptied = new Map<string, { table: QualifiedIdentifier; schema: string }>()
  for (const r of all) {
    if (input.exposed.has(r.table.schema) && input.exposed.has(bucketSchema(r))) {
      emptied.set(bucket(r), { table: r.table, schema: bucketSchema(r) })
    }
  }
  const kept = all.filter((r) => {
    if (!input.exposed.has(r.table.schema) || !input.exposed.has(r.foreignTable.schema)) return false
    return r.kind !== 'fk' || r.cardinality.kind !== 'M2M' || input.exposed.has(r.cardinality.junction.table.schema)
  })
  for (const r of kept) emptied.delete(bucket(r))
  kept.sort(compareRelationship)
  const hiddenSources = [...emptied.values()].sort((a, b) => compareQi(a.table, b.table) || compareText(a.schema, b.schema))
  return { relationships: kept, hiddenSources }
}
