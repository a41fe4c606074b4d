/**
 * @module schema-cache/pack: writes a snapshot in the packed encoding that
 * src/schema-cache/packed.ts describes and loads (interned strings, flat integer records, every
 * foreign-key relationship stored once with its inverse referenced). Build time only.
 */
import type { Column, ColumnPairs, QualifiedIdentifier, Relationship, SchemaCacheSnapshot } from '../src/schema-cache/types.ts'
import { qiKey } from '../src/schema-cache/types.ts'
import { FK_M2M, FK_M2O, FK_O2O, invertFk, PACKED_ENCODING, type PackedSnapshot } from '../src/schema-cache/packed.ts'

type Fk = Extract<Relationship, { kind: 'fk' }>

/** Hands out indices for distinct values by a string key, appending each new value's integers to `data`. */
class Records {
  readonly data: number[] = []
  /** Where each record starts in `data`. */
  readonly offsets: number[] = []
  private readonly index = new Map<string, number>()
  get(key: string): number | undefined {
    return this.index.get(key)
  }
  add(key: string, encode: () => readonly number[]): number {
    let i = this.index.get(key)
    if (i === undefined) {
      i = this.index.size
      this.offsets.push(this.data.length)
      this.data.push(...encode())
      this.index.set(key, i)
    }
    return i
  }
}

export function packSnapshot(s: SchemaCacheSnapshot): PackedSnapshot {
  const strings: string[] = []
  const stringIndex = new Map<string, number>()
  const str = (v: string): number => {
    let i = stringIndex.get(v)
    if (i === undefined) {
      i = strings.length
      strings.push(v)
      stringIndex.set(v, i)
    }
    return i
  }
  const strOrNull = (v: string | null): number => (v === null ? -1 : str(v))
  const qis = new Records()
  const qi = (q: QualifiedIdentifier): number => qis.add(`${q.schema}\u0000${q.name}`, () => [str(q.schema), str(q.name)])
  const enums = new Records()
  const columns = new Records()
  const column = (c: Column): number => {
    const en = c.enum.length === 0 ? -1 : enums.add(JSON.stringify(c.enum), () => [c.enum.length, ...c.enum.map(str)])
    const record = [str(c.name), strOrNull(c.description), c.nullable ? 1 : 0, str(c.type), str(c.nominalType), c.maxLen ?? -1, strOrNull(c.default), en]
    return columns.add(JSON.stringify(record), () => record)
  }
  const pairs = (cols: ColumnPairs): number[] => [cols.length, ...cols.flatMap(([a, b]) => [str(a), str(b)])]

  const tables: number[] = []
  // The lookup rows (see PackedSnapshot.lookup), by relation key: its table, then each run of its relationships.
  const tableRows = new Map<string, readonly number[]>()
  const runRows = new Map<string, number[][]>()
  for (const [ordinal, t] of s.tables.entries()) {
    tableRows.set(qiKey(t), [qi(t), ordinal, tables.length])
    tables.push(
      qi(t),
      strOrNull(t.description),
      (t.isView ? 1 : 0) | (t.insertable ? 2 : 0) | (t.updatable ? 4 : 0) | (t.deletable ? 8 : 0),
      t.pkCols.length,
      ...t.pkCols.map(str),
      t.columns.length,
      ...t.columns.map(column),
    )
  }

  const fks = new Records()
  const fkRecord = (r: Fk): number[] => {
    const head = [qi(r.table), qi(r.foreignTable), (r.isSelf ? 1 : 0) | (r.tableIsView ? 2 : 0) | (r.foreignTableIsView ? 4 : 0)]
    const card = r.cardinality
    switch (card.kind) {
      case 'M2O':
        return [FK_M2O, ...head, str(card.constraint), ...pairs(card.columns)]
      case 'O2O':
        if (card.isParent) throw new TypeError('the parent side of a one-to-one is stored as the inverse of the child side')
        return [FK_O2O, ...head, str(card.constraint), ...pairs(card.columns)]
      case 'M2M': {
        const j = card.junction
        return [FK_M2M, ...head, qi(j.table), str(j.constraint1), str(j.constraint2), ...pairs(j.colsSource), ...pairs(j.colsTarget)]
      }
      case 'O2M':
        throw new TypeError('a one-to-many is stored as the inverse of its many-to-one')
      default: {
        const never: never = card
        throw new TypeError(`unknown cardinality ${String(never)}`)
      }
    }
  }
  const computed = new Records()
  const rels = s.relationships.map((r): number => {
    if (r.kind === 'computed') {
      const record = [qi(r.function), qi(r.table), qi(r.foreignTable), qi(r.tableAlias), (r.toOne ? 1 : 0) | (r.isSelf ? 2 : 0)]
      return -1 - computed.add(JSON.stringify(record), () => record)
    }
    const card = r.cardinality
    if (card.kind === 'M2M') {
      // Either direction may be the stored one: whichever comes first.
      const other = fks.get(JSON.stringify(invertFk(r)))
      if (other !== undefined) return 2 * other + 1
    }
    const inverseForm = card.kind === 'O2M' || (card.kind === 'O2O' && card.isParent)
    const base = inverseForm ? invertFk(r) : r
    return 2 * fks.add(JSON.stringify(base), () => fkRecord(base)) + (inverseForm ? 1 : 0)
  })

  // Relationships come grouped by source; each run of one source is a [start, end) pair of `rels`.
  for (let i = 0; i < s.relationships.length; ) {
    const source = (s.relationships[i] as Relationship).table
    let end = i + 1
    while (end < s.relationships.length && qiKey((s.relationships[end] as Relationship).table) === qiKey(source)) end++
    const runs = runRows.get(qiKey(source)) ?? []
    runs.push([qi(source), i, end])
    runRows.set(qiKey(source), runs)
    i = end
  }
  // Sorted by key as JS compares strings, which is how the loader binary-searches them.
  const keys = [...new Set([...tableRows.keys(), ...runRows.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const lookup: number[] = []
  for (const key of keys) {
    const table = tableRows.get(key)
    const [ordinal, offset] = table === undefined ? [-1, -1] : [table[1] as number, table[2] as number]
    const runs = runRows.get(key) ?? [[(table as readonly number[])[0] as number, 0, 0]]
    for (const [q, start, end] of runs) lookup.push(q as number, ordinal, offset, start as number, end as number)
  }

  return {
    format: s.format,
    version: s.version,
    encoding: PACKED_ENCODING,
    generatedAt: s.generatedAt,
    pgVersion: s.pgVersion,
    schemas: s.schemas,
    fingerprint: s.fingerprint,
    strings,
    qis: qis.data,
    enums: enums.data,
    columns: columns.data,
    tables,
    fks: fks.data,
    computed: computed.data,
    rels,
    fkOffsets: fks.offsets,
    lookup,
    routines: s.routines,
    representations: s.representations,
    mediaHandlers: s.mediaHandlers,
    ...(s.hiddenRelationshipSources === undefined ? {} : { hiddenRelationshipSources: s.hiddenRelationshipSources }),
    ...(s.typeInfo === undefined ? {} : { typeInfo: s.typeInfo }),
    ...(s.settings === undefined ? {} : { settings: s.settings }),
  }
}
