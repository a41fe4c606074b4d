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
 * - `fkOffsets` and `lookup` (written since the lookup existed; see `PackedSnapshot`): where each
 *   fk record starts, and the name → record index as rows sorted by name: a lookup
 *   binary-searches the parsed arrays, and loading builds no map.
 *
 * Routines, representations, media handlers, hidden relationship sources and the type info (read
 * only by `--types`) are few and are stored as in the plain encoding.
 *
 * Loading in full (`SnapshotCheck` `full`, the Node entry) checks every record (each index in
 * range, each count consistent, nothing left over), so a corrupt snapshot fails at startup with
 * the path of the first bad value, and builds the name → record indexes. On the edge (`on-use`)
 * a fresh isolate cannot afford that before its first request (in a cold isolate each of those
 * loops runs in V8's interpreter: ~10 ms for 2,000 tables, where JSON.parse takes ~3): loading
 * checks only the sections' shapes, and each lookup checks the records it decodes with the same
 * bounds, reporting a bad one with the full check's message. Objects (`Table`, `Column`,
 * `Relationship`) are built the first time a request asks for them and then kept: a cold Worker
 * pays for the tables a request touches, not for the whole schema. Iterating a map, or reading
 * `snapshot.tables` / `snapshot.relationships` (error hints, OpenAPI), checks and builds
 * everything once.
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
  SnapshotCheck,
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
  /** Where each record of `fks` starts (so on-use loading need not walk them). */
  readonly fkOffsets?: readonly number[]
  /**
   * The name → record index, built with the snapshot so that loading builds none: rows of
   * `LOOKUP_WIDTH` integers `qi, table ordinal (-1 none), table offset in tables (-1 none), start,
   * end`, one per table and per run `[start, end)` of `rels` with that source, sorted by qiKey
   * (as JS compares strings) and then start; a lookup binary-searches them. Absent from snapshots
   * written before it existed.
   */
  readonly lookup?: readonly number[]
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
export const LOOKUP_WIDTH = 5
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
 * The full check runs once per cold start, before the JIT has warmed up, over a few hundred
 * thousand integers, where every function call costs. So there are two: `layoutOf` checks with
 * inline comparisons in plain loops, one small function per kind of record (the same ones check a
 * single record on use), and only says whether the whole thing is fine (`v >= lo && v < hi &&
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

/*
 * One check per kind of variable or fixed-size record, used both by the whole-snapshot check and,
 * in on-use mode, for the one record being decoded. `ns`, `nq`, `nc`, `ne`: how many strings,
 * qualified identifiers, columns and enums there are (the upper bounds of references to them).
 */

/** Whether the 8 integers of column record `o` are well formed. */
function columnOk(d: readonly number[], o: number, ns: number, ne: number): boolean {
  const name = d[o] as number
  const description = d[o + 1] as number
  const nullable = d[o + 2] as number
  const type = d[o + 3] as number
  const nominalType = d[o + 4] as number
  const maxLen = d[o + 5] as number
  const dflt = d[o + 6] as number
  const en = d[o + 7] as number
  return (
    name >= 0 && name < ns && (name | 0) === name &&
    description >= -1 && description < ns && (description | 0) === description &&
    (nullable === 0 || nullable === 1) &&
    type >= 0 && type < ns && (type | 0) === type &&
    nominalType >= 0 && nominalType < ns && (nominalType | 0) === nominalType &&
    maxLen >= -1 && (maxLen | 0) === maxLen &&
    dflt >= -1 && dflt < ns && (dflt | 0) === dflt &&
    en >= -1 && en < ne && (en | 0) === en
  )
}

/** The end of table record `o` if it is well formed, else -1. */
function tableEnd(d: readonly number[], o: number, ns: number, nq: number, nc: number): number {
  const q = d[o] as number
  const description = d[o + 1] as number
  const flags = d[o + 2] as number
  const npk = d[o + 3] as number
  if (
    !(
      q >= 0 && q < nq && (q | 0) === q &&
      description >= -1 && description < ns && (description | 0) === description &&
      flags >= 0 && flags < 16 && (flags | 0) === flags &&
      npk >= 0 && (npk | 0) === npk
    )
  ) {
    return -1
  }
  o += 4
  for (let k = o; k < o + npk; k++) {
    const v = d[k] as number
    if (!(v >= 0 && v < ns && (v | 0) === v)) return -1
  }
  o += npk
  const ncols = d[o] as number
  if (!(ncols >= 0 && (ncols | 0) === ncols)) return -1
  o += 1
  for (let k = o; k < o + ncols; k++) {
    const v = d[k] as number
    if (!(v >= 0 && v < nc && (v | 0) === v)) return -1
  }
  o += ncols
  return o > d.length ? -1 : o
}

/** The end of foreign-key record `o` if it is well formed, else -1. */
function fkEnd(d: readonly number[], o: number, ns: number, nq: number): number {
  const kind = d[o] as number
  const table = d[o + 1] as number
  const foreignTable = d[o + 2] as number
  const flags = d[o + 3] as number
  if (
    !(
      (kind === FK_M2O || kind === FK_O2O || kind === FK_M2M) &&
      table >= 0 && table < nq && (table | 0) === table &&
      foreignTable >= 0 && foreignTable < nq && (foreignTable | 0) === foreignTable &&
      flags >= 0 && flags < 8 && (flags | 0) === flags
    )
  ) {
    return -1
  }
  o += 4
  if (kind === FK_M2M) {
    const junction = d[o] as number
    if (!(junction >= 0 && junction < nq && (junction | 0) === junction)) return -1
    o += 1
  }
  // constraint(s), then one (or two, for M2M) counted lists of string pairs
  const named = kind === FK_M2M ? 2 : 1
  for (let k = o; k < o + named; k++) {
    const v = d[k] as number
    if (!(v >= 0 && v < ns && (v | 0) === v)) return -1
  }
  o += named
  for (let list = 0; list < named; list++) {
    const n = d[o] as number
    if (!(n >= 0 && (n | 0) === n)) return -1
    o += 1
    for (let k = o; k < o + 2 * n; k++) {
      const v = d[k] as number
      if (!(v >= 0 && v < ns && (v | 0) === v)) return -1
    }
    o += 2 * n
  }
  return o > d.length ? -1 : o
}

/** Whether the 5 integers of computed record `j` are well formed. */
function computedOk(d: readonly number[], j: number, nq: number): boolean {
  const o = j * COMPUTED_WIDTH
  for (let k = o; k < o + COMPUTED_WIDTH; k++) {
    const v = d[k] as number
    const limit = k === o + 4 ? 4 : nq
    if (!(v >= 0 && v < limit && (v | 0) === v)) return false
  }
  return true
}

/** The start of each enum record if all are well formed, else null. */
function enumOffsetsOf(enums: readonly number[], ns: number): Int32Array | null {
  const offsets: number[] = []
  for (let o = 0; o < enums.length; ) {
    offsets.push(o)
    const n = enums[o] as number
    if (!(n >= 0 && o + 1 + n <= enums.length && (n | 0) === n)) return null
    for (let k = o + 1; k <= o + n; k++) {
      const v = enums[k] as number
      if (!(v >= 0 && v < ns && (v | 0) === v)) return null
    }
    o += 1 + n
  }
  return Int32Array.from(offsets)
}

const SECTIONS = ['strings', 'qis', 'enums', 'columns', 'tables', 'fks', 'computed', 'rels'] as const

/** The layout of a packed snapshot if every record is well formed, else null. */
function layoutOf(p: Record<string, unknown>): Layout | null {
  for (const key of SECTIONS) if (!Array.isArray(p[key])) return null
  const S = p['strings'] as unknown[]
  const qis = p['qis'] as number[]
  const enums = p['enums'] as number[]
  const columns = p['columns'] as number[]
  const tables = p['tables'] as number[]
  const fks = p['fks'] as number[]
  const computed = p['computed'] as number[]
  const rels = p['rels'] as number[]
  const ns = S.length
  for (let i = 0; i < ns; i++) if (typeof S[i] !== 'string') return null

  if (qis.length % 2 !== 0) return null
  for (let i = 0; i < qis.length; i++) {
    const v = qis[i] as number
    if (!(v >= 0 && v < ns && (v | 0) === v)) return null
  }
  const nq = qis.length / 2

  const enumOffsets = enumOffsetsOf(enums, ns)
  if (enumOffsets === null) return null
  const ne = enumOffsets.length

  if (columns.length % COLUMN_WIDTH !== 0) return null
  for (let o = 0; o < columns.length; o += COLUMN_WIDTH) if (!columnOk(columns, o, ns, ne)) return null
  const nc = columns.length / COLUMN_WIDTH

  const tableOffsets: number[] = []
  for (let o = 0; o < tables.length; ) {
    tableOffsets.push(o)
    o = tableEnd(tables, o, ns, nq, nc)
    if (o === -1) return null
  }

  const fkOffsets: number[] = []
  for (let o = 0; o < fks.length; ) {
    fkOffsets.push(o)
    o = fkEnd(fks, o, ns, nq)
    if (o === -1) return null
  }
  const nf = fkOffsets.length

  if (computed.length % COMPUTED_WIDTH !== 0) return null
  const ncomp = computed.length / COMPUTED_WIDTH
  for (let j = 0; j < ncomp; j++) if (!computedOk(computed, j, nq)) return null

  const relSources = new Int32Array(rels.length)
  for (let i = 0; i < rels.length; i++) {
    const ref = rels[i] as number
    if (!(ref >= -ncomp && ref < 2 * nf && (ref | 0) === ref)) return null
    // The source of an fk record is its `table`, of its inverse its `foreignTable`.
    relSources[i] = ref < 0 ? (computed[(-1 - ref) * COMPUTED_WIDTH + 1] as number) : (fks[(fkOffsets[ref >> 1] as number) + 1 + (ref & 1)] as number)
  }

  return {
    S: S as string[],
    qis,
    enums,
    enumOffsets,
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

/**
 * Where a `LazyMap` finds the record behind a key: `get` for one key (a lookup), `all` every key
 * with its slot in snapshot order (whole-schema reads: iteration, size).
 */
interface Slots<S> {
  get(key: string): S | undefined
  all(): ReadonlyMap<string, S>
}

const mapSlots = <S>(m: ReadonlyMap<string, S>): Slots<S> => ({ get: (key) => m.get(key), all: () => m })

/** A read-only map whose values are built on first access (and kept). */
class LazyMap<V, S> implements ReadonlyMap<string, V> {
  private readonly built = new Map<string, V>()
  constructor(
    private readonly slots: Slots<S>,
    private readonly build: (slot: S) => V,
  ) {}
  get size(): number {
    return this.slots.all().size
  }
  has(key: string): boolean {
    return this.built.has(key) || this.slots.get(key) !== undefined
  }
  get(key: string): V | undefined {
    const v = this.built.get(key)
    if (v !== undefined) return v
    const slot = this.slots.get(key)
    return slot === undefined ? undefined : this.at(key, slot)
  }
  /** The value of `key`, whose slot is known (iterations take it from `all`, not a lookup per key). */
  private at(key: string, slot: S): V {
    let v = this.built.get(key)
    if (v === undefined) {
      v = this.build(slot)
      this.built.set(key, v)
    }
    return v
  }
  *entries(): MapIterator<[string, V]> {
    for (const [key, slot] of this.slots.all()) yield [key, this.at(key, slot)]
  }
  keys(): MapIterator<string> {
    return this.slots.all().keys()
  }
  *values(): MapIterator<V> {
    for (const [key, slot] of this.slots.all()) yield this.at(key, slot)
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
  /** See `SnapshotCheck`; `on-use` needs the snapshot's `index` (older snapshots are checked in full). */
  readonly check: SnapshotCheck
  /** The error a lookup throws, in on-use mode, on finding a bad record: the operator's message. */
  readonly corrupt: (message: string) => Error
}

const keyText = (key: string): string => key.replace('\u0000', '.')

/** Everything the whole-snapshot check establishes: the layout and the name → record indexes. */
interface Checked {
  readonly L: Layout
  /** Name → table ordinal. */
  readonly tableSlots: ReadonlyMap<string, number>
  /** Source relation → index into `relRuns`. */
  readonly relSlots: ReadonlyMap<string, number>
  /** Per source relation, its runs of `rels` as `start, end` pairs. */
  readonly relRuns: readonly number[][]
}

/**
 * Checks every record of a packed snapshot and builds the indexes from them. Throws PackedInvalid.
 * The snapshot's own `lookup` and `fkOffsets` are not read: only on-use loading needs them, and
 * checking them costs as much as this on a cold start (`checkLookup`).
 */
function checkAll(p: Record<string, unknown>): Checked {
  const L = checkPacked(p)
  const S = L.S
  const keyOf = (i: number): string => `${S[L.qis[2 * i] as number] as string}\u0000${S[L.qis[2 * i + 1] as number] as string}`
  const tableSlots = new Map<string, number>()
  for (let i = 0; i < L.tableOffsets.length; i++) {
    const key = keyOf(L.tables[L.tableOffsets[i] as number] as number)
    if (tableSlots.has(key)) throw new PackedInvalid(`table ${keyText(key)} appears twice`)
    tableSlots.set(key, i)
  }
  // Source relation → its runs of `rels` (fk relationships sort before computed ones, so a
  // relation has at most two runs).
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
  return { L, tableSlots, relSlots, relRuns }
}

/**
 * The precomputed `lookup` and `fkOffsets` of a snapshot must match its records exactly: run when
 * an on-use lookup finds them inconsistent (to say where), and by `checkPackedIndex`.
 */
function checkLookup(p: Record<string, unknown>, { L, tableSlots, relSlots, relRuns }: Checked): void {
  const fkOffsets = p['fkOffsets']
  if (!Array.isArray(fkOffsets)) return fail('fkOffsets', 'an array', fkOffsets)
  for (let i = 0; i < Math.max(fkOffsets.length, L.fkOffsets.length); i++) {
    if (fkOffsets[i] !== L.fkOffsets[i]) fail(`fkOffsets[${i}]`, `${L.fkOffsets[i] ?? 'nothing'} (where fks[${i}] starts)`, fkOffsets[i])
  }
  const lookup = p['lookup']
  if (!Array.isArray(lookup)) return fail('lookup', 'an array', lookup)
  // Walked row by row against the indexes just built, rather than rebuilt and compared: sorting
  // the keys costs more than the whole walk on a cold start.
  const nq = L.qis.length / 2
  const keyOf = (q: number): string => `${L.S[L.qis[2 * q] as number] as string}\u0000${L.S[L.qis[2 * q + 1] as number] as string}`
  const where = (row: number, field: string): string => `lookup[${row}].${field}`
  let rows = 0
  for (const key of tableSlots.keys()) {
    const slot = relSlots.get(key)
    rows += slot === undefined ? 1 : (relRuns[slot] as number[]).length / 2
  }
  for (const [key, slot] of relSlots) if (!tableSlots.has(key)) rows += (relRuns[slot] as number[]).length / 2
  if (lookup.length !== rows * LOOKUP_WIDTH) fail('lookup', `${rows} rows of ${LOOKUP_WIDTH} integers`, `${lookup.length} integers`)
  let previous = ''
  let run = 0
  for (let row = 0; row < rows; row++) {
    const o = row * LOOKUP_WIDTH
    const q = lookup[o] as number
    if (!(q >= 0 && q < nq && (q | 0) === q)) fail(where(row, 'qi'), `a qualified identifier index (0 to ${nq - 1})`, q)
    const key = keyOf(q)
    if (key < previous) fail(where(row, 'qi'), `a relation sorting after ${keyText(previous)}`, keyText(key))
    run = key === previous ? run + 1 : 0
    previous = key
    const ordinal = tableSlots.get(key) ?? -1
    const slot = relSlots.get(key)
    if (ordinal === -1 && slot === undefined) fail(where(row, 'qi'), 'a table or a relationship source', keyText(key))
    const runs = slot === undefined ? [0, 0] : (relRuns[slot] as number[])
    if (run >= runs.length / 2) fail(where(row, 'qi'), `not ${keyText(key)} again (it has ${runs.length / 2} rows)`, q)
    const want = [ordinal, ordinal === -1 ? -1 : (L.tableOffsets[ordinal] as number), runs[2 * run] as number, runs[2 * run + 1] as number]
    for (let k = 0; k < 4; k++) {
      if (lookup[o + 1 + k] !== want[k]) fail(where(row, ['table', 'tableOffset', 'start', 'end'][k] as string), `${want[k]} (what the records say)`, lookup[o + 1 + k])
    }
  }
}

/**
 * Checks a packed snapshot's `lookup` and `fkOffsets` against its records (all of which are checked
 * too): what build-time tools run on the snapshots they write or read, since on-use loading trusts
 * the lookup to find records. Throws PackedInvalid.
 */
export function checkPackedLookup(p: Record<string, unknown>): void {
  checkLookup(p, checkAll(p))
}

/*
 * On-use checking (`SnapshotCheck`): loading checks that the sections are arrays of the right
 * shape and nothing per record, and reads its name → record index from the snapshot's `index`
 * (built with the snapshot, so JSON.parse made it). A lookup checks what it decodes — the index
 * entry, the table record and that it has the name looked up, its columns, each relationship
 * record and that its source is the relation looked up — with the same bounds as the full check;
 * on a bad value it runs the full check, so the error names the first bad value of the snapshot,
 * as loading would have. Whole-schema reads (iteration, `size`, `snapshot.tables`) run the full
 * check first.
 */

/** The layout an on-use load starts from: the sections, without walking their records. */
interface Sections {
  readonly S: readonly unknown[]
  readonly qis: readonly number[]
  readonly enums: readonly number[]
  readonly enumOffsets: Int32Array
  readonly columns: readonly number[]
  readonly tables: readonly number[]
  readonly fks: readonly number[]
  readonly fkOffsets: readonly number[]
  readonly computed: readonly number[]
  readonly rels: readonly number[]
  readonly lookup: readonly number[]
}

/** The sections of a packed snapshot with an index if their shapes are right, else null. */
function sectionsOf(p: Record<string, unknown>): Sections | null {
  for (const key of SECTIONS) if (!Array.isArray(p[key])) return null
  const lookup = p['lookup']
  const fkOffsets = p['fkOffsets']
  if (!Array.isArray(lookup) || lookup.length % LOOKUP_WIDTH !== 0 || !Array.isArray(fkOffsets)) return null
  const S = p['strings'] as unknown[]
  const qis = p['qis'] as number[]
  const columns = p['columns'] as number[]
  const computed = p['computed'] as number[]
  if (qis.length % 2 !== 0 || columns.length % COLUMN_WIDTH !== 0 || computed.length % COMPUTED_WIDTH !== 0) return null
  const enums = p['enums'] as number[]
  const enumOffsets = enumOffsetsOf(enums, S.length)
  if (enumOffsets === null) return null
  return {
    S,
    qis,
    enums,
    enumOffsets,
    columns,
    tables: p['tables'] as number[],
    fks: p['fks'] as number[],
    fkOffsets: fkOffsets as number[],
    computed,
    rels: p['rels'] as number[],
    lookup: lookup as number[],
  }
}

/**
 * Checks a packed snapshot (envelope already checked by the caller, and its plain-encoded parts:
 * routines, representations, media handlers, hidden sources) — in full, or, with
 * `check: 'on-use'` and an indexed snapshot, per record as it is used — and returns the lazily
 * decoded cache. Throws `PackedInvalid`.
 */
export function loadPacked(p: Record<string, unknown>, opts: PackedLoadOptions): SchemaCache {
  const sections = opts.check === 'on-use' ? sectionsOf(p) : null
  // In full mode everything is checked now; on use, the first whole-schema read does it.
  let checked: Checked | undefined = sections === null ? checkAll(p) : undefined
  const full = (): Checked => {
    if (checked === undefined) {
      try {
        checked = checkAll(p)
      } catch (e) {
        throw e instanceof PackedInvalid ? opts.corrupt(e.message) : e
      }
    }
    return checked
  }
  const D: Sections | Layout = sections ?? (checked as Checked).L
  const S = D.S as readonly string[]
  const ns = S.length
  const nq = D.qis.length / 2
  const nc = D.columns.length / COLUMN_WIDTH
  const ne = D.enumOffsets.length
  const ncomp = D.computed.length / COMPUTED_WIDTH
  /** A bad value found on use: the full check reports the first one (a record, else the index). */
  const bad = (): never => {
    try {
      checkLookup(p, full())
    } catch (e) {
      throw e instanceof PackedInvalid ? opts.corrupt(e.message) : e
    }
    throw opts.corrupt('the packed lookup does not match the records')
  }
  const str = (i: number): string => {
    const v = S[i]
    return typeof v === 'string' ? v : bad()
  }
  const qiStr = (i: number): string => {
    const v = D.qis[i] as number
    return v >= 0 && v < ns && (v | 0) === v ? str(v) : bad()
  }

  // Qualified identifiers are shared by every object that names the same relation.
  const qiCache: (QualifiedIdentifier | undefined)[] = new Array(nq)
  const qiAt = (i: number): QualifiedIdentifier => {
    let q = qiCache[i]
    if (q === undefined) qiCache[i] = q = { schema: qiStr(2 * i), name: qiStr(2 * i + 1) }
    return q
  }
  const keyOf = (i: number): string => `${qiStr(2 * i)}\u0000${qiStr(2 * i + 1)}`
  const strOrNull = (i: number): string | null => (i === -1 ? null : str(i))

  const NO_ENUM: readonly string[] = []
  const enumCache: (readonly string[] | undefined)[] = new Array(ne)
  const enumAt = (i: number): readonly string[] => {
    let e = enumCache[i]
    if (e === undefined) {
      const o = D.enumOffsets[i] as number
      const n = D.enums[o] as number
      const labels: string[] = new Array(n)
      for (let k = 0; k < n; k++) labels[k] = str(D.enums[o + 1 + k] as number)
      enumCache[i] = e = labels
    }
    return e
  }
  // Identical column definitions are one object, shared by the tables that have them.
  const columnCache: (Column | undefined)[] = new Array(nc)
  const columnAt = (i: number): Column => {
    let c = columnCache[i]
    if (c === undefined) {
      const d = D.columns
      const o = i * COLUMN_WIDTH
      if (sections !== null && !columnOk(d, o, ns, ne)) bad()
      const maxLen = d[o + 5] as number
      const en = d[o + 7] as number
      columnCache[i] = c = {
        name: str(d[o] as number),
        description: strOrNull(d[o + 1] as number),
        nullable: d[o + 2] === 1,
        type: str(d[o + 3] as number),
        nominalType: str(d[o + 4] as number),
        maxLen: maxLen === -1 ? null : maxLen,
        default: strOrNull(d[o + 6] as number),
        enum: en === -1 ? NO_ENUM : enumAt(en),
      }
    }
    return c
  }

  /** Table `i`, whose record starts at `offset` (checked by the caller). */
  const tableCache: (Table | undefined)[] = []
  const tableAt = (i: number, offset: number): Table => {
    let t = tableCache[i]
    if (t === undefined) {
      const d = D.tables
      let o = offset
      const q = qiAt(d[o] as number)
      const description = strOrNull(d[o + 1] as number)
      const flags = d[o + 2] as number
      const npk = d[o + 3] as number
      o += 4
      const pkCols: string[] = new Array(npk)
      for (let k = 0; k < npk; k++) pkCols[k] = str(d[o + k] as number)
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

  /** Where fk record `i` starts; on use, checked along with the record. */
  const fkOffset = (i: number): number => {
    if (sections === null) return (checked as Checked).L.fkOffsets[i] as number
    const o = sections.fkOffsets[i] as number
    if (!(o >= 0 && o < D.fks.length && (o | 0) === o) || fkEnd(D.fks, o, ns, nq) === -1) bad()
    return o
  }
  const pairsAt = (o: number): ColumnPairs => {
    const d = D.fks
    const n = d[o] as number
    const out: (readonly [string, string])[] = new Array(n)
    for (let k = 0; k < n; k++) out[k] = [str(d[o + 1 + 2 * k] as number), str(d[o + 2 + 2 * k] as number)]
    return out
  }
  const fkCache: (Fk | undefined)[] = []
  const fkAt = (i: number): Fk => {
    let r = fkCache[i]
    if (r === undefined) {
      const d = D.fks
      const o = fkOffset(i)
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
            constraint1: str(d[o + 5] as number),
            constraint2: str(d[o + 6] as number),
            colsSource,
            colsTarget,
          },
        }
      } else {
        const constraint = str(d[o + 4] as number)
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
    const d = D.computed
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
    const ref = D.rels[i] as number
    if (ref < 0) return computedAt(-1 - ref)
    const base = fkAt(ref >> 1)
    return (ref & 1) === 0 ? base : invertFk(base)
  }
  /** The relationships of `runs` (`start, end` pairs from `runs[from]` on). */
  const relsOf = (runs: readonly number[], from: number): readonly Relationship[] => {
    const out: Relationship[] = []
    for (let r = from; r < runs.length; r += 2) for (let i = runs[r] as number; i < (runs[r + 1] as number); i++) out.push(relAt(i))
    return out
  }

  let tables: ReadonlyMap<string, Table>
  let relationships: ReadonlyMap<string, readonly Relationship[]>
  let columns: ReadonlyMap<string, ReadonlyMap<string, Column>>
  const columnsByName = (t: Table): ReadonlyMap<string, Column> => {
    const byName = new Map<string, Column>()
    for (const c of t.columns) byName.set(c.name, c)
    return byName
  }
  if (sections === null) {
    const { L, tableSlots, relSlots, relRuns } = checked as Checked
    const tableOf = (i: number): Table => tableAt(i, L.tableOffsets[i] as number)
    tables = new LazyMap(mapSlots(tableSlots), tableOf)
    relationships = new LazyMap(mapSlots(relSlots), (slot: number) => relsOf(relRuns[slot] as number[], 0))
    columns = new LazyMap(mapSlots(tableSlots), (i: number) => columnsByName(tableOf(i)))
  } else {
    const { lookup } = sections
    const nf = sections.fkOffsets.length
    const rows = lookup.length / LOOKUP_WIDTH
    /** The first lookup row of `key` (binary search), or -1. Its qi is checked; the rest by the caller. */
    const firstRow = (key: string): number => {
      let lo = 0
      let hi = rows
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        const q = lookup[mid * LOOKUP_WIDTH] as number
        if (!(q >= 0 && q < nq && (q | 0) === q)) return bad()
        if (keyOf(q) < key) lo = mid + 1
        else hi = mid
      }
      return lo < rows && keyOf(lookup[lo * LOOKUP_WIDTH] as number) === key ? lo : -1
    }
    // A table's row: its ordinal, and a well-formed record at its offset with the name looked up.
    const tableEntry = (key: string): readonly [number, number] | undefined => {
      const row = firstRow(key)
      if (row === -1) return undefined
      const i = lookup[row * LOOKUP_WIDTH + 1] as number
      const o = lookup[row * LOOKUP_WIDTH + 2] as number
      if (i === -1) return undefined
      if (!(i >= 0 && (i | 0) === i && o >= 0 && o < D.tables.length && (o | 0) === o)) return bad()
      if (tableEnd(D.tables, o, ns, nq, nc) === -1 || D.tables[o] !== lookup[row * LOOKUP_WIDTH]) return bad()
      return [i, o]
    }
    // A source's runs of `rels` as `start, end` pairs: in range, each relationship reference and
    // record well formed and from this source.
    const relEntry = (key: string): readonly number[] | undefined => {
      let row = firstRow(key)
      if (row === -1) return undefined
      const q = lookup[row * LOOKUP_WIDTH] as number
      const runs: number[] = []
      for (; row < rows && lookup[row * LOOKUP_WIDTH] === q; row++) {
        const start = lookup[row * LOOKUP_WIDTH + 3] as number
        const end = lookup[row * LOOKUP_WIDTH + 4] as number
        if (!(start >= 0 && start <= end && end <= D.rels.length && (start | 0) === start && (end | 0) === end)) return bad()
        for (let i = start; i < end; i++) {
          const ref = D.rels[i] as number
          if (!(ref >= -ncomp && ref < 2 * nf && (ref | 0) === ref)) return bad()
          let source: number
          if (ref < 0) {
            if (!computedOk(D.computed, -1 - ref, nq)) return bad()
            source = D.computed[(-1 - ref) * COMPUTED_WIDTH + 1] as number
          } else source = D.fks[fkOffset(ref >> 1) + 1 + (ref & 1)] as number
          if (source !== q) return bad()
        }
        if (end > start) runs.push(start, end)
      }
      return runs.length === 0 ? undefined : runs
    }
    const tableOf = (e: readonly [number, number]): Table => tableAt(e[0], e[1])
    const tableSlots = (): ReadonlyMap<string, readonly [number, number]> => {
      const { L, tableSlots } = full()
      return new Map([...tableSlots].map(([key, i]) => [key, [i, L.tableOffsets[i] as number] as const]))
    }
    let allTables: ReadonlyMap<string, readonly [number, number]> | undefined
    let allRels: ReadonlyMap<string, readonly number[]> | undefined
    tables = new LazyMap({ get: tableEntry, all: () => (allTables ??= tableSlots()) }, tableOf)
    columns = new LazyMap({ get: tableEntry, all: () => (allTables ??= tableSlots()) }, (e: readonly [number, number]) => columnsByName(tableOf(e)))
    relationships = new LazyMap(
      {
        get: relEntry,
        all: () => {
          const { relSlots, relRuns } = full()
          return (allRels ??= new Map([...relSlots].map(([key, slot]) => [key, relRuns[slot] as number[]])))
        },
      },
      (runs: readonly number[]) => relsOf(runs, 0),
    )
  }

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
    get: () => {
      if (allTables === undefined) {
        const { L } = full()
        allTables = Array.from({ length: L.tableOffsets.length }, (_, i) => tableAt(i, L.tableOffsets[i] as number))
      }
      return allTables
    },
  })
  Object.defineProperty(snapshot, 'relationships', {
    enumerable: true,
    get: () => {
      // The same objects the per-relation lists hold, put back in snapshot order.
      allRels ??= orderLike([...relationships.values()].flat(), D.rels.length, full().relRuns)
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
