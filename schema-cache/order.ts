/**
 * @module schema-cache/order: the orderings the snapshot is written in.
 *
 * PostgREST keeps the relationships of a table sorted by the derived `Ord` instance of its
 * Haskell `Relationship` type, and the overloads of a function sorted fewest parameters first;
 * that order shows up in error details (ambiguous embedding, ambiguous function). The comparators
 * here reproduce those orders, and also make the snapshot deterministic so that two runs against
 * the same catalog write identical files.
 */
import type {
  Cardinality,
  ColumnPairs,
  PgType,
  QualifiedIdentifier,
  Relationship,
  RetType,
  Routine,
  RoutineParam,
} from '../src/schema-cache/types.ts'

/**
 * Compares strings by Unicode code point, as Haskell's `Text` and PostgreSQL's C collation do.
 * Plain `<` on JS strings compares UTF-16 code units, which orders U+E000..U+FFFF after
 * astral characters; remapping the unit ranges restores code point order.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800
    return x - y
  }
  return a.length - b.length
}

const compareBool = (a: boolean, b: boolean): number => (a === b ? 0 : a ? 1 : -1)

/** Haskell `Maybe` ordering: Nothing first. */
const compareNullable = <T>(a: T | null, b: T | null, cmp: (x: T, y: T) => number): number =>
  a === null ? (b === null ? 0 : -1) : b === null ? 1 : cmp(a, b)

/** Lexicographic list ordering (a proper prefix sorts first). */
export function compareList<T>(a: readonly T[], b: readonly T[], cmp: (x: T, y: T) => number): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const c = cmp(a[i] as T, b[i] as T)
    if (c !== 0) return c
  }
  return a.length - b.length
}

export const compareQi = (a: QualifiedIdentifier, b: QualifiedIdentifier): number =>
  compareText(a.schema, b.schema) || compareText(a.name, b.name)

const comparePair = (a: readonly [string, string], b: readonly [string, string]): number =>
  compareText(a[0], b[0]) || compareText(a[1], b[1])

const comparePairs = (a: ColumnPairs, b: ColumnPairs): number => compareList(a, b, comparePair)

const cardinalityRank = { O2M: 0, M2O: 1, O2O: 2, M2M: 3 } as const

function compareCardinality(a: Cardinality, b: Cardinality): number {
  const rank = cardinalityRank[a.kind] - cardinalityRank[b.kind]
  if (rank !== 0) return rank
  switch (a.kind) {
    case 'O2M':
    case 'M2O': {
      const o = b as typeof a
      return compareText(a.constraint, o.constraint) || comparePairs(a.columns, o.columns)
    }
    case 'O2O': {
      const o = b as typeof a
      return compareText(a.constraint, o.constraint) || comparePairs(a.columns, o.columns) || compareBool(a.isParent, o.isParent)
    }
    case 'M2M': {
      const j = a.junction
      const k = (b as typeof a).junction
      return (
        compareQi(j.table, k.table) ||
        compareText(j.constraint1, k.constraint1) ||
        compareText(j.constraint2, k.constraint2) ||
        comparePairs(j.colsSource, k.colsSource) ||
        comparePairs(j.colsTarget, k.colsTarget)
      )
    }
    default: {
      const never: never = a
      return never
    }
  }
}

/** Derived `Ord Relationship`: foreign-key relationships before computed ones, then field by field. */
export function compareRelationship(a: Relationship, b: Relationship): number {
  if (a.kind !== b.kind) return a.kind === 'fk' ? -1 : 1
  switch (a.kind) {
    case 'fk': {
      const o = b as typeof a
      return (
        compareQi(a.table, o.table) ||
        compareQi(a.foreignTable, o.foreignTable) ||
        compareBool(a.isSelf, o.isSelf) ||
        compareCardinality(a.cardinality, o.cardinality) ||
        compareBool(a.tableIsView, o.tableIsView) ||
        compareBool(a.foreignTableIsView, o.foreignTableIsView)
      )
    }
    case 'computed': {
      const o = b as typeof a
      return (
        compareQi(a.function, o.function) ||
        compareQi(a.table, o.table) ||
        compareQi(a.foreignTable, o.foreignTable) ||
        compareQi(a.tableAlias, o.tableAlias) ||
        compareBool(a.toOne, o.toOne) ||
        compareBool(a.isSelf, o.isSelf)
      )
    }
    default: {
      const never: never = a
      return never
    }
  }
}

const compareParam = (a: RoutineParam, b: RoutineParam): number =>
  compareText(a.name, b.name) ||
  compareText(a.type, b.type) ||
  compareText(a.typeMaxLength, b.typeMaxLength) ||
  compareBool(a.required, b.required) ||
  compareBool(a.variadic, b.variadic)

function comparePgType(a: PgType, b: PgType): number {
  if (a.kind !== b.kind) return a.kind === 'scalar' ? -1 : 1
  const c = compareQi(a.qi, b.qi)
  if (c !== 0 || a.kind === 'scalar' || b.kind === 'scalar') return c
  return compareBool(a.isDomainAlias, b.isDomainAlias)
}

const compareRetType = (a: RetType, b: RetType): number =>
  a.kind !== b.kind ? (a.kind === 'single' ? -1 : 1) : comparePgType(a.type, b.type)

const volatilityRank = { volatile: 0, stable: 1, immutable: 2 } as const
const isolationRank = { 'read committed': 0, 'repeatable read': 1, serializable: 2 } as const

/**
 * PostgREST's `Ord Routine`: overloads of one function, fewest parameters first; otherwise field
 * by field (schema, name, description, parameters, return type, volatility, variadic, isolation
 * level, settings).
 */
export function compareRoutine(a: Routine, b: Routine): number {
  if (a.schema === b.schema && a.name === b.name && a.params.length !== b.params.length) {
    return a.params.length - b.params.length
  }
  return (
    compareText(a.schema, b.schema) ||
    compareText(a.name, b.name) ||
    compareNullable(a.description, b.description, compareText) ||
    compareList(a.params, b.params, compareParam) ||
    compareRetType(a.returnType, b.returnType) ||
    volatilityRank[a.volatility] - volatilityRank[b.volatility] ||
    compareBool(a.hasVariadic, b.hasVariadic) ||
    compareNullable(a.isolationLevel, b.isolationLevel, (x, y) => isolationRank[x] - isolationRank[y]) ||
    compareList(a.settings, b.settings, comparePair)
  )
}
