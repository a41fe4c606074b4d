/**
 * @module schema-cache/fuzzy: approximate name matching for the "Perhaps you meant ..." hints of
 * PGRST200 (no relationship), PGRST202 (no function) and PGRST205 (no table).
 *
 * `FuzzySet` behaves like the Haskell `fuzzyset` package (0.2) PostgREST uses, itself a port of
 * the Python/JavaScript fuzzyset: entries are indexed by their 2- and 3-grams (of the lower-cased
 * string with everything but letters, digits, spaces and commas removed, wrapped in `-`); a
 * lookup scores candidates by cosine similarity of gram counts, trying 3-grams first and 2-grams
 * if nothing reaches the minimum, re-scores the best 50 by normalised Levenshtein similarity of
 * the lower-cased strings, and keeps those scoring at least the minimum. An exact
 * (case-insensitive) entry scores 1.
 *
 * The hint builders mirror PostgREST's `tableNotFoundHint`, `noRelBetweenHint` and `noRpcHint`.
 * Index sets are built lazily and remembered per loaded cache.
 */
import type { Relationship, SchemaCache } from './types.ts'
import { qiKey } from './types.ts'

const GRAM_SIZES = [3, 2] as const

interface Item {
  readonly magnitude: number
  /** The entry in lower case (the form scores are computed on). */
  readonly entry: string
}

/** Letters, digits (any script), white space and commas survive normalisation. */
const WORD = /[\p{L}\p{N},]/u
const ZS = /\p{Zs}/u
const isKept = (ch: string): boolean => {
  const c = ch.codePointAt(0) ?? 0
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0) return true
  if (c > 0x377 && ZS.test(ch)) return true
  return WORD.test(ch)
}

const ASCII = /^[\x00-\x7f]*$/

/** Lower case, without the characters normalisation drops. */
function normalise(value: string): string {
  const lower = value.toLowerCase()
  let out = ''
  if (ASCII.test(lower)) {
    // the common case (identifiers), without a regular expression per character
    for (let i = 0; i < lower.length; i++) {
      const c = lower.charCodeAt(i)
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x20 || c === 0x2c || (c >= 0x09 && c <= 0x0d)) {
        out += lower[i]
      }
    }
    return out
  }
  for (const ch of lower) if (isKept(ch)) out += ch
  return out
}

const SURROGATE = /[\ud800-\udfff]/

/** Occurrence count of each n-gram (n code points) of `-normalised-`. */
function gramCounts(value: string, size: number): Map<string, number> {
  const text = `-${normalise(value)}-`
  const counts = new Map<string, number>()
  if (!SURROGATE.test(text)) {
    for (let i = 0; i + size <= text.length; i++) {
      const gram = text.substring(i, i + size)
      counts.set(gram, (counts.get(gram) ?? 0) + 1)
    }
    return counts
  }
  const chars = Array.from(text)
  for (let i = 0; i + size <= chars.length; i++) {
    const gram = chars.slice(i, i + size).join('')
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
  }
  return counts
}

const magnitude = (counts: Map<string, number>): number => {
  let sum = 0
  for (const n of counts.values()) sum += n * n
  return Math.sqrt(sum)
}

/** 1 - (edit distance / length of the longer string), on code points; 1 for two empty strings. */
export function levenshteinSimilarity(a: string, b: string): number {
  const x = Array.from(a)
  const y = Array.from(b)
  const longest = Math.max(x.length, y.length)
  if (longest === 0) return 1
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const row = [i]
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost))
    }
    prev = row
  }
  return 1 - (prev[y.length] as number) / longest
}

/**
 * Order in which the Haskell implementation visits candidate indices (keys of a HashMap Int):
 * by the base-32 digits of the index, least significant first. It only decides between equal
 * scores. For fewer than 32 entries it is plain ascending order.
 */
function hashMapOrder(a: number, b: number): number {
  let x = a
  let y = b
  while (x !== y) {
    const dx = x & 31
    const dy = y & 31
    if (dx !== dy) return dx - dy
    x >>>= 5
    y >>>= 5
  }
  return 0
}

export class FuzzySet {
  /** Lower-cased entry → entry as added. */
  private readonly exact = new Map<string, string>()
  private readonly matchDict = new Map<string, { index: number; count: number }[]>()
  private readonly items = new Map<number, Item[]>()

  /**
   * Like the Haskell `fromList`, which folds from the right: the last value is added first. The
   * order of entries only matters for ties.
   */
  static fromList(values: readonly string[]): FuzzySet {
    const set = new FuzzySet()
    for (let i = values.length - 1; i >= 0; i--) set.add(values[i] as string)
    return set
  }

  get size(): number {
    return this.exact.size
  }

  /** Adds a value; false when an entry equal to it ignoring case is already there. */
  add(value: string): boolean {
    const key = value.toLowerCase()
    if (this.exact.has(key)) return false
    for (const size of GRAM_SIZES) {
      const list = this.items.get(size) ?? []
      const counts = gramCounts(key, size)
      for (const [gram, count] of counts) {
        const infos = this.matchDict.get(gram)
        if (infos === undefined) this.matchDict.set(gram, [{ index: list.length, count }])
        else infos.push({ index: list.length, count })
      }
      list.push({ magnitude: magnitude(counts), entry: key })
      this.items.set(size, list)
    }
    this.exact.set(key, value)
    return true
  }

  /** Matches scoring at least `minScore`, best first, as (score, value). */
  getWithMinScore(minScore: number, value: string): [number, string][] {
    const key = value.toLowerCase()
    const exact = this.exact.get(key)
    if (exact !== undefined) return [[1, exact]]
    for (const size of GRAM_SIZES) {
      const found = this.matches(key, minScore, size)
      if (found.length > 0) return found
    }
    return []
  }

  /** `getWithMinScore` with PostgREST's default minimum, 0.33. */
  get(value: string): [number, string][] {
    return this.getWithMinScore(0.33, value)
  }

  getOneWithMinScore(minScore: number, value: string): string | null {
    return this.getWithMinScore(minScore, value)[0]?.[1] ?? null
  }

  getOne(value: string): string | null {
    return this.getOneWithMinScore(0.33, value)
  }

  private matches(query: string, minScore: number, size: number): [number, string][] {
    const items = this.items.get(size) ?? []
    const queryCounts = gramCounts(query, size)
    const queryMagnitude = magnitude(queryCounts)
    const dots = new Map<number, number>()
    for (const [gram, count] of queryCounts) {
      for (const info of this.matchDict.get(gram) ?? []) {
        dots.set(info.index, (dots.get(info.index) ?? 0) + info.count * count)
      }
    }
    const indices = [...dots.keys()].sort(hashMapOrder)
    const cosine: [number, string][] = []
    for (const index of indices) {
      const item = items[index]
      if (item !== undefined) cosine.push([(dots.get(index) as number) / (queryMagnitude * item.magnitude), item.entry])
    }
    // Array.prototype.sort is stable, as Haskell's sortBy is.
    cosine.sort((a, b) => b[0] - a[0])
    const rescored: [number, string][] = cosine.slice(0, 50).map(([, entry]) => [levenshteinSimilarity(query, entry), entry])
    rescored.sort((a, b) => b[0] - a[0])
    return rescored.filter(([score]) => score >= minScore).map(([score, entry]) => [score, this.exact.get(entry) ?? ''])
  }
}

/** PostgREST builds no table index for schemas this large (the index is memory heavy). */
export const MAX_TABLES_FOR_FUZZY_SEARCH = 500
/** Minimum similarity for table and function name hints. */
export const HINT_MIN_SCORE = 0.75

interface Indexes {
  readonly tables: Map<string, FuzzySet | null>
  readonly parents: Map<string, FuzzySet>
  readonly routines: Map<string, FuzzySet>
}

const memo = new WeakMap<SchemaCache, Indexes>()

function indexesOf(cache: SchemaCache): Indexes {
  let idx = memo.get(cache)
  if (idx === undefined) {
    idx = { tables: new Map(), parents: new Map(), routines: new Map() }
    memo.set(cache, idx)
  }
  return idx
}

/** Schema of the relationship's target as PostgREST files it (a computed one: its function's). */
const targetSchema = (r: Relationship): string => (r.kind === 'fk' ? r.foreignTable.schema : r.function.schema)

/** `Perhaps you meant the table 'schema.table'`, for PGRST205; null when nothing is close enough. */
export function tableNotFoundHint(cache: SchemaCache, schema: string, name: string): string | null {
  const idx = indexesOf(cache)
  let set = idx.tables.get(schema)
  if (set === undefined) {
    const names = cache.snapshot.tables.filter((t) => t.schema === schema).map((t) => t.name)
    set = names.length > 0 && names.length < MAX_TABLES_FOR_FUZZY_SEARCH ? FuzzySet.fromList(names) : null
    idx.tables.set(schema, set)
  }
  const match = set?.getOneWithMinScore(HINT_MIN_SCORE, name) ?? null
  return match === null ? null : `Perhaps you meant the table '${schema}.${match}'`
}

/**
 * `Perhaps you meant 'x' instead of 'y'.`, for PGRST200. When `parent` has relationships into
 * `schema` (or had, before those through unexposed schemas were dropped), suggests a close name
 * among its targets for `child` (none if `child` is one of them: then the embed hint is what
 * failed); otherwise suggests a close name for `parent` among the relations that have
 * relationships into `schema`.
 */
export function noRelBetweenHint(cache: SchemaCache, parent: string, child: string, schema: string): string | null {
  const fromParent = cache.relationships.get(qiKey({ schema, name: parent }))?.filter((r) => targetSchema(r) === schema) ?? []
  const hidden = cache.snapshot.hiddenRelationshipSources ?? []
  const parentFound =
    fromParent.length > 0 || hidden.some((h) => h.schema === schema && h.table.schema === schema && h.table.name === parent)
  if (parentFound) {
    const children = FuzzySet.fromList(fromParent.map((r) => r.foreignTable.name))
    const match = children.get(child).find(([score]) => score < 1)
    return match === undefined ? null : `Perhaps you meant '${match[1]}' instead of '${child}'.`
  }
  const idx = indexesOf(cache)
  let parents = idx.parents.get(schema)
  if (parents === undefined) {
    const names: string[] = []
    for (const [, rels] of cache.relationships) {
      const first = rels.find((r) => targetSchema(r) === schema)
      if (first !== undefined) names.push(first.table.name)
    }
    for (const h of cache.snapshot.hiddenRelationshipSources ?? []) if (h.schema === schema) names.push(h.table.name)
    names.sort()
    parents = FuzzySet.fromList(names)
    idx.parents.set(schema, parents)
  }
  const match = parents.getOne(parent)
  return match === null ? null : `Perhaps you meant '${match}' instead of '${parent}'.`
}

/**
 * `Perhaps you meant to call the function schema.f(a, b)`, for PGRST202. When no function has the
 * name, suggests a close function name of the schema; when overloads exist, suggests the parameter
 * list (sorted names) of the overload closest to the given argument names.
 */
export function noRpcHint(cache: SchemaCache, schema: string, name: string, argumentKeys: readonly string[]): string | null {
  const prefix = `Perhaps you meant to call the function ${schema}.`
  const overloads = cache.routines.get(qiKey({ schema, name })) ?? []
  if (overloads.length === 0) {
    const idx = indexesOf(cache)
    let set = idx.routines.get(schema)
    if (set === undefined) {
      const names: string[] = []
      for (const [, routines] of cache.routines) {
        const first = routines[0]
        if (first !== undefined && first.schema === schema) names.push(first.name)
      }
      set = FuzzySet.fromList(names)
      idx.routines.set(schema, set)
    }
    const match = set.getOneWithMinScore(HINT_MIN_SCORE, name)
    return match === null ? null : prefix + match
  }
  const asText = (names: readonly string[]): string => `(${[...names].sort(compareCodePoints).join(', ')})`
  const params = FuzzySet.fromList(overloads.map((r) => asText(r.params.map((p) => p.name))))
  const match = params.getOne(asText(argumentKeys))
  return match === null ? null : prefix + name + match
}

/** Sort order of Haskell's `sort` on Text: by code point. */
function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a)
  const y = Array.from(b)
  const n = Math.min(x.length, y.length)
  for (let i = 0; i < n; i++) {
    const d = ((x[i] as string).codePointAt(0) ?? 0) - ((y[i] as string).codePointAt(0) ?? 0)
    if (d !== 0) return d
  }
  return x.length - y.length
}
