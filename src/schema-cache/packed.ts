/**
 * @module schema-cache/packed: the packed snapshot encoding, its validation, and the lazily
 * decoded `SchemaCache` built from it.
 *
 * A snapshot of a large schema is mostly the same few strings (schema names, types, column
 * names) repeated in thousands of objects with the same keys, and every foreign key twice (a
 * many-to-one and its one-to-many inverse). The plain encoding of 2,000 tables and 5,000 foreign
 * keys is 6 MB, and JSON.parse alone of that takes longer than a Worker should spend starting.
 * The packed encoding (`formatSnapshot(s, 'compact')`, `--compact` in the CLI) is about an eighth
 * of that and is mostly flat arrays of small integers, which JSON.parse reads fastest:
 *
 * - `strings`: every string once; everything below refers to strings by index;
 * - `qis`: qualified identifiers, (schema, name) string-index pairs;
 * - `enums`: enum label lists, each `count, label…`;
 * - `columns`: distinct column definitions (tables share columns like `name text NOT NULL`),
 *   8 integers each: name, description (-1 null), nullable (0|1), type, nominalType,
 *   maxLen (-1 null), default (-1 null), enum (-1 none);
 * - `tables`: per table `qi, description (-1 null), flags, pkCount, pk…, columnCount, column…`;
 *   flags: isView 1, insertable 2, updatable 4, deletable 8;
 * - `fks`: each foreign-key relationship once, in its many-to-one / one-to-one child-side form,
 *   or one direction of a many-to-many: `kind, table, foreignTable, flags` (kind 0 M2O, 1 O2O,
 *   2 M2M; flags isSelf 1, tableIsView 2, foreignTableIsView 4), then for kinds 0 and 1
 *   `constraint, pairCount, (column, foreignColumn)…`, for kind 2 `junction, constraint1,
 *   constraint2, sourcePairCount, pairs…, targetPairCount, pairs…`;
 * - `computed`: computed relationships, 5 integers each: function, table, foreignTable,
 *   tableAlias (qis), flags (toOne 1, isSelf 2);
 * - `rels`: the snapshot's relationship list in its order, as references: `2*i` is the i-th fk
 *   record, `2*i+1` its inverse (O2M, O2O parent side, the other direction of an M2M), `-1-j`
 *   the j-th computed one. Keeping the order costs one integer per relationship and saves sorting.
 *
 * Routines, representations, media handlers, hidden relationship sources and the type info (read
 * only by `--types`) are few and are stored as in the plain encoding.
 *
 * Loading checks every record (each index in range, each count consistent, nothing left over), so a
 * corrupt snapshot still fails at startup with the path of the first bad value, and builds only
 * the name → record indexes. Objects (`Table`, `Column`, `Relationship`) are built the first time
 * a request asks for them and then kept: a cold Worker pays for the tables a request touches, not
 * for the whole schema. Iterating a map, or reading `snapshot.tables` / `snapshot.relationships`
 * (error hints, OpenAPI), builds everything once.
 */
import type {
  Cardinality,
  Column,
  ColumnPairs,
  DataRepresentation,
  MediaHandler,
  QualifiedIdentifier,
  Relationship,
  RoleSettings,
  Routine,
  SchemaCache,
  SchemaCacheSnapshot,
  Table,
} from './types.ts'
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './types.ts'

/** `encoding` value of a packed snapshot; the plain encoding has no `encoding`. */
export const PACKED_ENCODING = 'packed' as const

export interface PackedSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT
  readonly version: typeof SNAPSHOT_VERSION
  readonly encoding: typeof PACKED_ENCODING
  readonly generatedAt: string
  readonly pgVersion: SchemaCacheSnapshot['pgVersion']
  readonly schemas: readonly string[]
  readonly fingerprint: string
  readonly strings: readonly string[]
  readonly qis: readonly number[]
  readonly enums: readonly number[]
  readonly columns: readonly number[]
  readonly tables: readonly number[]
  readonly fks: readonly number[]
  readonly computed: readonly number[]
  readonly rels: readonly number[]
  readonly routines: SchemaCacheSnapshot['routines']
  readonly representations: SchemaCacheSnapshot['representations']
  readonly mediaHandlers: SchemaCacheSnapshot['mediaHandlers']
  readonly hiddenRelationshipSources?: SchemaCacheSnapshot['hiddenRelationshipSources']
  readonly settings?: SchemaCacheSnapshot['settings']
  /** Stored as in the plain encoding; the server does not read it (see `TypeInfo`). */
  readonly typeInfo?: SchemaCacheSnapshot['typeInfo']
}

export const COLUMN_WIDTH = 8
export const COMPUTED_WIDTH = 5
export const FK_M2O = 0
export const FK_O2O = 1
export const FK_M2M = 2

/** Thrown by the checks; the message names the offending value. */
export class PackedInvalid extends Error {}

type Fk = Extract<Relationship, { kind: 'fk' }>

const swapPairs = (cols: ColumnPairs): ColumnPairs => cols.map(([a, b]) => [b, a] as const)

/**
 * The same relationship seen from the other side: M2O ⇄ O2M, O2O child ⇄ parent, an M2M in the
 * opposite direction. Its own inverse: `invertFk(invertFk(r))` equals `r`.
 */
export function invertFk(r: Fk): Fk {
  const card = r.cardinality
  let inverse: Cardinality
  switch (card.kind) {
    case 'M2O':
      inverse = { kind: 'O2M', constraint: card.constraint, columns: swapPairs(card.columns) }
      break
    case 'O2M':
      inverse = { kind: 'M2O', constraint: card.constraint, columns: swapPairs(card.columns) }
      break
    case 'O2O':
      inverse = { kind: 'O2O', constraint: card.constraint, columns: swapPairs(card.columns), isParent: !card.isParent }
      break
    case 'M2M': {
      const j = card.junction
      inverse = {
        kind: 'M2M',
        junction: { table: j.table, constraint1: j.constraint2, constraint2: j.constraint1, colsSource: j.colsTarget, colsTarget: j.colsSource },
      }
      break
    }
    default: {
      const never: never = card
      throw new TypeError(`unknown cardinality ${String(never)}`)
    }
  }
  return {
    kind: 'fk',
    table: r.foreignTable,
    foreignTable: r.table,
    isSelf: r.isSelf,
    cardinality: inverse,
    tableIsView: r.foreignTableIsView,
    foreignTableIsView: r.tableIsView,
  }
}

const describe = (v: unknown): string => {
  if (v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'an array'
  if (v !== null && typeof v === 'object') return 'an object'
  const text = JSON.stringify(v)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

const fail = (where: string, expected: string, got: unknown): never => {
  throw new PackedInvalid(`${where} must be ${expected}, got ${describe(got)}`)
}

const intArray = (p: Record<string, unknown>, key: string): number[] => {
  const v = p[key]
  return Array.isArray(v) ? (v as number[]) : fail(key, 'an array', v)
}

/*
 * The checks run once per cold start, before the JIT has warmed up, over a few hundred thousand
 * integers, where every function call costs. So there are two: `layoutOf` checks with inline
 * comparisons in plain loops and only says whether the whole thing is fine (`v >= lo && v < hi &&
 * (v | 0) === v` is false for anything but an integer in range: strings, null, fractions, a read
 * past the end), and `explain`, run only when that fails, walks the records again with a `Cursor`
 * and throws with the path of the first bad value.
 */

/**
 * A record-by-record reader of one flat array, for `explain`: `at(min, limit, field, expected)`
 * reads the next value and checks it is an integer in `[min, limit)`.
 */
class Cursor {
  pos = 0
  record = 0
  constructor(
    readonly section: string,
    readonly data: readonly number[],
  ) {}
  get done(): boolean {
    return this.pos >= this.data.length
  }
  at(min: number, limit: number, field: string, expected: string): number {
    const v = this.data[this.pos] as number
    if (!(v >= min && v < limit && (v | 0) === v)) {
      const where = `${this.section}[${this.record}].${field}`
      if (this.pos >= this.data.length) throw new PackedInvalid(`${where} must be ${expected}, got nothing (the array ends early)`)
      fail(where, expected, v)
    }
    this.pos++
    return v
  }
}

/** Counts and offsets established by the checks, used to decode records on demand. */
interface Layout {
  readonly S: readonly string[]
  readonly qis: readonly number[]
  readonly enums: readonly number[]
  readonly enumOffsets: Int32Array
  readonly columns: readonly number[]
  readonly tables: readonly number[]
  readonly tableOffsets: Int32Array
  readonly fks: readonly number[]
  readonly fkOffsets: Int32Array
  readonly computed: readonly number[]
  readonly rels: readonly number[]
  /** Source qi of each entry of `rels`. */
  readonly relSources: Int32Array
}

const MAX = 0x7fffffff

/** The layout of a packed snapshot if every record is well formed, else null. */
function layoutOf(p: Record<string, unknown>): Layout | null {
  const S = p['strings']
  const qis = p['qis']
  const enums = p['enums']
  const columns = p['columns']
  const tables = p['tables']
  const fks = p['fks']
  const computed = p['computed']
  const rels = p['rels']
  if (
    !Array.isArray(S) ||
    !Array.isArray(qis) ||
    !Array.isArray(enums) ||
    !Array.isArray(columns) ||
    !Array.isArray(tables) ||
    !Array.isArray(fks) ||
    !Array.isArray(computed) ||
    !Array.isArray(rels)
  ) {
    return null
  }
  const ns = S.length
  for (let i = 0; i < ns; i++) if (typeof S[i] !== 'string') return null

  if (qis.length % 2 !== 0) return null
  for (let i = 0; i < qis.length; i++) {
    const v = qis[i]
    if (!(v >= 0 && v < ns && (v | 0) === v)) return null
  }
  const nq = qis.length / 2

  const enumOffsets: number[] = []
  for (let o = 0; o < enums.length; ) {
    enumOffsets.push(o)
    const n = enums[o]
    if (!(n >= 0 && o + 1 + n <= enums.length && (n | 0) === n)) return null
    for (let k = o + 1; k <= o + n; k++) {
      const v = enums[k]
      if (!(v >= 0 && v < ns && (v | 0) === v)) return null
    }
    o += 1 + n
  }
  const ne = enumOffsets.length

  if (columns.length % COLUMN_WIDTH !== 0) return null
  for (let o = 0; o < columns.length; o += COLUMN_WIDTH) {
    const name = columns[o]
    const description = columns[o + 1]
    const nullable = columns[o + 2]
    const type = columns[o + 3]
    const nominalType = columns[o + 4]
    const maxLen = columns[o + 5]
    const dflt = columns[o + 6]
    const en = columns[o + 7]
    if (
      !(
        name >= 0 && name < ns && (name | 0) === name &&
        description >= -1 && description < ns && (description | 0) === description &&
        (nullable === 0 || nullable === 1) &&
        type >= 0 && type < ns && (type | 0) === type &&
        nominalType >= 0 && nominalType < ns && (nominalType | 0) === nominalType &&
        maxLen >= -1 && (maxLen | 0) === maxLen &&
        dflt >= -1 && dflt < ns && (dflt | 0) === dflt &&
        en >= -1 && en < ne && (en | 0) === en
      )
    ) {
      return null
    }
  }
  const nc = columns.length / COLUMN_WIDTH

  const tableOffsets: number[] = []
  for (let o = 0; o < tables.length; ) {
    tableOffsets.push(o)
    const q = tables[o]
    const description = tables[o + 1]
    const flags = tables[o + 2]
    const npk = tables[o + 3]
    if (
      !(
        q >= 0 && q < nq && (q | 0) === q &&
        description >= -1 && description < ns && (description | 0) === description &&
        flags >= 0 && flags < 16 && (flags | 0) === flags &&
        npk >= 0 && (npk | 0) === npk
      )
    ) {
      return null
    }
    o += 4
    for (let k = o; k < o + npk; k++) {
      const v = tables[k]
      if (!(v >= 0 && v < ns && (v | 0) === v)) return null
    }
    o += npk
    const ncols = tables[o]
    if (!(ncols >= 0 && (ncols | 0) === ncols)) return null
    o += 1
    for (let k = o; k < o + ncols; k++) {
      const v = tables[k]
      if (!(v >= 0 && v < nc && (v | 0) === v)) return null
    }
    o += ncols
    if (o > tables.length) return null
  }

  const fkOffsets: number[] = []
  for (let o = 0; o < fks.length; ) {
    fkOffsets.push(o)
    const kind = fks[o]
    const table = fks[o + 1]
    const foreignTable = fks[o + 2]
    const flags = fks[o + 3]
    if (
      !(
        (kind === FK_M2O || kind === FK_O2O || kind === FK_M2M) &&
        table >= 0 && table < nq && (table | 0) === table &&
        foreignTable >= 0 && foreignTable < nq && (foreignTable | 0) === foreignTable &&
        flags >= 0 && flags < 8 && (flags | 0) === flags
      )
    ) {
      return null
    }
    o += 4
    if (kind === FK_M2M) {
      const junction = fks[o]
      if (!(junction >= 0 && junction < nq && (junction | 0) === junction)) return null
      o += 1
    }
    // constraint(s), then one (or two, for M2M) counted lists of string pairs
    const named = kind === FK_M2M ? 2 : 1
    for (let k = o; k < o + named; k++) {
      const v = fks[k]
      if (!(v >= 0 && v < ns && (v | 0) === v)) return null
    }
    o += named
    for (let list = 0; list < named; list++) {
      const n = fks[o]
      if (!(n >= 0 && (n | 0) === n)) return null
      o += 1
      for (let k = o; k < o + 2 * n; k++) {
        const v = fks[k]
        if (!(v >= 0 && v < ns && (v | 0) === v)) return null
      }
      o += 2 * n
    }
    if (o > fks.length) return null
  }
  const nf = fkOffsets.length

  if (computed.length % COMPUTED_WIDTH !== 0) return null
  for (let o = 0; o < computed.length; o++) {
    const v = computed[o]
    const limit = o % COMPUTED_WIDTH === 4 ? 4 : nq
    if (!(v >= 0 && v < limit && (v | 0) === v)) return null
  }
  const ncomp = computed.length / COMPUTED_WIDTH

  const relSources = new Int32Array(rels.length)
  for (let i = 0; i < rels.length; i++) {
    const ref = rels[i]
    if (!(ref >= -ncomp && ref < 2 * nf && (ref | 0) === ref)) return null
    // The source of an fk record is its `table`, of its inverse its `foreignTable`.
    relSources[i] = ref < 0 ? computed[(-1 - ref) * COMPUTED_WIDTH + 1] : fks[(fkOffsets[ref >> 1] as number) + 1 + (ref & 1)]
  }

  return {
    S,
    qis,
    enums,
    enumOffsets: Int32Array.from(enumOffsets),
    columns,
    tables,
    tableOffsets: Int32Array.from(tableOffsets),
    fks,
    fkOffsets: Int32Array.from(fkOffsets),
    computed,
    rels,
    relSources,
  }
}

/** Finds and reports the first bad value of a packed snapshot `layoutOf` rejected. Throws PackedInvalid. */
function explain(p: Record<string, unknown>): never {
  const S = p['strings']
  if (!Array.isArray(S)) return fail('strings', 'an array', S)
  for (let i = 0; i < S.length; i++) if (typeof S[i] !== 'string') fail(`strings[${i}]`, 'a string', S[i])
  const ns = S.length
  const STR = `a string index (0 to ${ns - 1})`
  const STR_NULL = `a string index (0 to ${ns - 1}) or -1`

  const qis = intArray(p, 'qis')
  if (qis.length % 2 !== 0) fail('qis', 'an array of (schema, name) pairs', `${qis.length} entries`)
  for (let i = 0; i < qis.length; i++) {
    const v = qis[i] as number
    if (!(v >= 0 && v < ns && (v | 0) === v)) fail(`qis[${i}]`, STR, v)
  }
  const nq = qis.length / 2
  const QI = `a qualified identifier index (0 to ${nq - 1})`

  const enums = intArray(p, 'enums')
  let ne = 0
  for (const c = new Cursor('enums', enums); !c.done; c.record++, ne++) {
    const n = c.at(0, MAX, 'count', 'a count')
    for (let k = 0; k < n; k++) c.at(0, ns, `labels[${k}]`, STR)
  }

  const columns = intArray(p, 'columns')
  if (columns.length % COLUMN_WIDTH !== 0) fail('columns', `a multiple of ${COLUMN_WIDTH} integers`, `${columns.length} entries`)
  for (const c = new Cursor('columns', columns); !c.done; c.record++) {
    c.at(0, ns, 'name', STR)
    c.at(-1, ns, 'description', STR_NULL)
    c.at(0, 2, 'nullable', '0 or 1')
    c.at(0, ns, 'type', STR)
    c.at(0, ns, 'nominalType', STR)
    c.at(-1, MAX, 'maxLen', 'a length or -1')
    c.at(-1, ns, 'default', STR_NULL)
    c.at(-1, ne, 'enum', `an enum index (0 to ${ne - 1}) or -1`)
  }
  const nc = columns.length / COLUMN_WIDTH

  const tables = intArray(p, 'tables')
  for (const c = new Cursor('tables', tables); !c.done; c.record++) {
    c.at(0, nq, 'qi', QI)
    c.at(-1, ns, 'description', STR_NULL)
    c.at(0, 16, 'flags', 'an integer from 0 to 15')
    const npk = c.at(0, MAX, 'pkCount', 'a count')
    for (let k = 0; k < npk; k++) c.at(0, ns, `pkCols[${k}]`, STR)
    const ncols = c.at(0, MAX, 'columnCount', 'a count')
    for (let k = 0; k < ncols; k++) c.at(0, nc, `columns[${k}]`, `a column index (0 to ${nc - 1})`)
  }

  const fks = intArray(p, 'fks')
  let nf = 0
  const pairs = (c: Cursor, field: string): void => {
    const n = c.at(0, MAX, `${field}Count`, 'a count')
    for (let k = 0; k < 2 * n; k++) c.at(0, ns, `${field}[${k}]`, STR)
  }
  for (const c = new Cursor('fks', fks); !c.done; c.record++, nf++) {
    const kind = c.at(0, 3, 'kind', '0 (M2O), 1 (O2O) or 2 (M2M)')
    c.at(0, nq, 'table', QI)
    c.at(0, nq, 'foreignTable', QI)
    c.at(0, 8, 'flags', 'an integer from 0 to 7')
    if (kind === FK_M2M) {
      c.at(0, nq, 'junction', QI)
      c.at(0, ns, 'constraint1', STR)
      c.at(0, ns, 'constraint2', STR)
      pairs(c, 'colsSource')
      pairs(c, 'colsTarget')
    } else {
      c.at(0, ns, 'constraint', STR)
      pairs(c, 'columns')
    }
  }

  const computed = intArray(p, 'computed')
  if (computed.length % COMPUTED_WIDTH !== 0) fail('computed', `a multiple of ${COMPUTED_WIDTH} integers`, `${computed.length} entries`)
  for (const c = new Cursor('computed', computed); !c.done; c.record++) {
    c.at(0, nq, 'function', QI)
    c.at(0, nq, 'table', QI)
    c.at(0, nq, 'foreignTable', QI)
    c.at(0, nq, 'tableAlias', QI)
    c.at(0, 4, 'flags', 'an integer from 0 to 3')
  }
  const ncomp = computed.length / COMPUTED_WIDTH

  const rels = intArray(p, 'rels')
  for (let i = 0; i < rels.length; i++) {
    const ref = rels[i] as number
    if (!(ref >= -ncomp && ref < 2 * nf && (ref | 0) === ref)) fail(`rels[${i}]`, `a relationship reference (${-ncomp} to ${2 * nf - 1})`, ref)
  }
  throw new PackedInvalid('the packed records are inconsistent')
}

/** Checks every record of a packed snapshot; returns what decoding needs. Throws PackedInvalid. */
const checkPacked = (p: Record<string, unknown>): Layout => layoutOf(p) ?? explain(p)

/** A read-only map whose values are built on first access (and kept). */
class LazyMap<V> implements ReadonlyMap<string, V> {
  private readonly built = new Map<string, V>()
  constructor(
    private readonly slots: ReadonlyMap<string, number>,
    private readonly build: (slot: number) => V,
  ) {}
  get size(): number {
    return this.slots.size
  }
  has(key: string): boolean {
    return this.slots.has(key)
  }
  get(key: string): V | undefined {
    let v = this.built.get(key)
    if (v === undefined) {
      const slot = this.slots.get(key)
      if (slot === undefined) return undefined
      v = this.build(slot)
      this.built.set(key, v)
    }
    return v
  }
  *entries(): MapIterator<[string, V]> {
    for (const key of this.slots.keys()) yield [key, this.get(key) as V]
  }
  keys(): MapIterator<string> {
    return this.slots.keys()
  }
  *values(): MapIterator<V> {
    for (const key of this.slots.keys()) yield this.get(key) as V
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries()
  }
  forEach(f: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) f.call(thisArg, v, k, this)
  }
}

export interface PackedLoadOptions {
  readonly representations: ReadonlyMap<string, DataRepresentation>
  readonly routines: ReadonlyMap<string, readonly Routine[]>
  readonly roleSettings: ReadonlyMap<string, RoleSettings>
}

/**
 * Checks a packed snapshot (envelope already checked by the caller, and its plain-encoded parts:
 * routines, representations, media handlers, hidden sources) and returns the lazily decoded
 * cache. Throws `PackedInvalid`, or a plain message for a table listed twice.
 */
export function loadPacked(p: Record<string, unknown>, opts: PackedLoadOptions): SchemaCache {
  const L = checkPacked(p)
  const { S } = L

  // Qualified identifiers are shared by every object that names the same relation.
  const qiCache: (QualifiedIdentifier | undefined)[] = new Array(L.qis.length / 2)
  const qiAt = (i: number): QualifiedIdentifier => {
    let q = qiCache[i]
    if (q === undefined) qiCache[i] = q = { schema: S[L.qis[2 * i] as number] as string, name: S[L.qis[2 * i + 1] as number] as string }
    return q
  }
  const keyOf = (i: number): string => `${S[L.qis[2 * i] as number] as string}\u0000${S[L.qis[2 * i + 1] as number] as string}`
  const strOrNull = (i: number): string | null => (i === -1 ? null : (S[i] as string))

  const NO_ENUM: readonly string[] = []
  const enumCache: (readonly string[] | undefined)[] = new Array(L.enumOffsets.length)
  const enumAt = (i: number): readonly string[] => {
    let e = enumCache[i]
    if (e === undefined) {
      const o = L.enumOffsets[i] as number
      const n = L.enums[o] as number
      const labels: string[] = new Array(n)
      for (let k = 0; k < n; k++) labels[k] = S[L.enums[o + 1 + k] as number] as string
      enumCache[i] = e = labels
    }
    return e
  }
  // Identical column definitions are one object, shared by the tables that have them.
  const columnCache: (Column | undefined)[] = new Array(L.columns.length / COLUMN_WIDTH)
  const columnAt = (i: number): Column => {
    let c = columnCache[i]
    if (c === undefined) {
      const d = L.columns
      const o = i * COLUMN_WIDTH
      const maxLen = d[o + 5] as number
      const en = d[o + 7] as number
      columnCache[i] = c = {
        name: S[d[o] as number] as string,
        description: strOrNull(d[o + 1] as number),
        nullable: d[o + 2] === 1,
        type: S[d[o + 3] as number] as string,
        nominalType: S[d[o + 4] as number] as string,
        maxLen: maxLen === -1 ? null : maxLen,
        default: strOrNull(d[o + 6] as number),
        enum: en === -1 ? NO_ENUM : enumAt(en),
      }
    }
    return c
  }

  const tableCache: (Table | undefined)[] = new Array(L.tableOffsets.length)
  const tableAt = (i: number): Table => {
    let t = tableCache[i]
    if (t === undefined) {
      const d = L.tables
      let o = L.tableOffsets[i] as number
      const q = qiAt(d[o] as number)
      const description = strOrNull(d[o + 1] as number)
      const flags = d[o + 2] as number
      const npk = d[o + 3] as number
      o += 4
      const pkCols: string[] = new Array(npk)
      for (let k = 0; k < npk; k++) pkCols[k] = S[d[o + k] as number] as string
      o += npk
      const ncols = d[o] as number
      o += 1
      const columns: Column[] = new Array(ncols)
      for (let k = 0; k < ncols; k++) columns[k] = columnAt(d[o + k] as number)
      tableCache[i] = t = {
        schema: q.schema,
        name: q.name,
        description,
        isView: (flags & 1) !== 0,
        insertable: (flags & 2) !== 0,
        updatable: (flags & 4) !== 0,
        deletable: (flags & 8) !== 0,
        pkCols,
        columns,
      }
    }
    return t
  }

  const pairsAt = (o: number): ColumnPairs => {
    const d = L.fks
    const n = d[o] as number
    const out: (readonly [string, string])[] = new Array(n)
    for (let k = 0; k < n; k++) out[k] = [S[d[o + 1 + 2 * k] as number] as string, S[d[o + 2 + 2 * k] as number] as string]
    return out
  }
  const fkCache: (Fk | undefined)[] = new Array(L.fkOffsets.length)
  const fkAt = (i: number): Fk => {
    let r = fkCache[i]
    if (r === undefined) {
      const d = L.fks
      const o = L.fkOffsets[i] as number
      const kind = d[o] as number
      const flags = d[o + 3] as number
      let cardinality: Cardinality
      if (kind === FK_M2M) {
        const colsSource = pairsAt(o + 7)
        const colsTarget = pairsAt(o + 8 + 2 * (d[o + 7] as number))
        cardinality = {
          kind: 'M2M',
          junction: {
            table: qiAt(d[o + 4] as number),
            constraint1: S[d[o + 5] as number] as string,
            constraint2: S[d[o + 6] as number] as string,
            colsSource,
            colsTarget,
          },
        }
      } else {
        const constraint = S[d[o + 4] as number] as string
        const columns = pairsAt(o + 5)
        cardinality = kind === FK_M2O ? { kind: 'M2O', constraint, columns } : { kind: 'O2O', constraint, columns, isParent: false }
      }
      fkCache[i] = r = {
        kind: 'fk',
        table: qiAt(d[o + 1] as number),
        foreignTable: qiAt(d[o + 2] as number),
        isSelf: (flags & 1) !== 0,
        cardinality,
        tableIsView: (flags & 2) !== 0,
        foreignTableIsView: (flags & 4) !== 0,
      }
    }
    return r
  }
  const computedAt = (j: number): Relationship => {
    const d = L.computed
    const o = j * COMPUTED_WIDTH
    const flags = d[o + 4] as number
    return {
      kind: 'computed',
      function: qiAt(d[o] as number),
      table: qiAt(d[o + 1] as number),
      foreignTable: qiAt(d[o + 2] as number),
      tableAlias: qiAt(d[o + 3] as number),
      toOne: (flags & 1) !== 0,
      isSelf: (flags & 2) !== 0,
    }
  }
  const relAt = (i: number): Relationship => {
    const ref = L.rels[i] as number
    if (ref < 0) return computedAt(-1 - ref)
    const base = fkAt(ref >> 1)
    return (ref & 1) === 0 ? base : invertFk(base)
  }

  // Name → table record.
  const tableSlots = new Map<string, number>()
  for (let i = 0; i < L.tableOffsets.length; i++) {
    const key = keyOf(L.tables[L.tableOffsets[i] as number] as number)
    if (tableSlots.has(key)) throw new PackedInvalid(`table ${key.replace('\u0000', '.')} appears twice`)
    tableSlots.set(key, i)
  }
  // Source relation → its runs of `rels` (fk relationships sort before computed ones, so a
  // relation has at most two runs). Slot = index into `relRuns`.
  const relRuns: number[][] = []
  const relSlots = new Map<string, number>()
  for (let i = 0; i < L.rels.length; ) {
    const source = L.relSources[i] as number
    let end = i + 1
    while (end < L.rels.length && L.relSources[end] === source) end++
    const key = keyOf(source)
    const slot = relSlots.get(key)
    if (slot === undefined) {
      relSlots.set(key, relRuns.length)
      relRuns.push([i, end])
    } else (relRuns[slot] as number[]).push(i, end)
    i = end
  }
  const relsOf = (slot: number): readonly Relationship[] => {
    const runs = relRuns[slot] as number[]
    const out: Relationship[] = []
    for (let r = 0; r < runs.length; r += 2) for (let i = runs[r] as number; i < (runs[r + 1] as number); i++) out.push(relAt(i))
    return out
  }

  const tables = new LazyMap(tableSlots, tableAt)
  const relationships = new LazyMap(relSlots, relsOf)
  const columns = new LazyMap(tableSlots, (slot) => {
    const byName = new Map<string, Column>()
    for (const c of tableAt(slot).columns) byName.set(c.name, c)
    return byName as ReadonlyMap<string, Column>
  })

  // The snapshot as plain objects, built on first read (same key order as the plain encoding).
  let allTables: readonly Table[] | undefined
  let allRels: readonly Relationship[] | undefined
  const snapshot = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    generatedAt: p['generatedAt'] as string,
    pgVersion: p['pgVersion'] as SchemaCacheSnapshot['pgVersion'],
    schemas: p['schemas'] as readonly string[],
    fingerprint: p['fingerprint'] as string,
  } as Record<string, unknown>
  Object.defineProperty(snapshot, 'tables', {
    enumerable: true,
    get: () => (allTables ??= Array.from({ length: L.tableOffsets.length }, (_, i) => tableAt(i))),
  })
  Object.defineProperty(snapshot, 'relationships', {
    enumerable: true,
    get: () => {
      // The same objects the per-relation lists hold, put back in snapshot order.
      allRels ??= orderLike([...relationships.values()].flat(), L.rels.length, relRuns)
      return allRels
    },
  })
  snapshot['routines'] = p['routines']
  snapshot['representations'] = p['representations']
  snapshot['mediaHandlers'] = p['mediaHandlers']
  if (p['hiddenRelationshipSources'] !== undefined) snapshot['hiddenRelationshipSources'] = p['hiddenRelationshipSources']
  if (p['typeInfo'] !== undefined) snapshot['typeInfo'] = p['typeInfo']
  if (p['settings'] !== undefined) snapshot['settings'] = p['settings']

  return {
    snapshot: snapshot as unknown as SchemaCacheSnapshot,
    tables,
    relationships,
    routines: opts.routines,
    columns,
    representations: opts.representations,
    mediaHandlers: p['mediaHandlers'] as readonly MediaHandler[],
    roleSettings: opts.roleSettings,
  }
}

/**
 * The per-relation lists concatenated slot by slot are in run order; put each relationship back
 * at its position in `rels` (a relation's computed run comes after every fk run).
 */
function orderLike(bySlot: readonly Relationship[], count: number, relRuns: readonly number[][]): Relationship[] {
  const out: Relationship[] = new Array(count)
  let k = 0
  for (const runs of relRuns) {
    for (let r = 0; r < runs.length; r += 2) for (let i = runs[r] as number; i < (runs[r + 1] as number); i++) out[i] = bySlot[k++] as Relationship
  }
  return out
}
