/**
 * @module parse/range: row ranges from `limit`/`offset` and the `Range` header, combined the way
 * PostgREST's RangeQuery and getRanges do, plus the Content-Range/status helpers.
 *
 * PostgREST models ranges with Data.Ranged over Integer, whose quirks are observable (e.g.
 * `limit=0` is allowed but `limit=0&offset=5` is a 416, a negative `offset` is a no-op at the top
 * level). To reproduce them exactly, a range is kept as two boundary points on the half-integer
 * line: `BoundaryBelow n` is `n - 0.5`, `BoundaryAbove n` is `n + 0.5`, and the "all" boundaries
 * are ±Infinity. Discrete adjacency (`Above n == Below (n+1)`) then falls out of plain equality.
 */
import { err, ok, type Result } from '../result.ts'
import type { ApiRequestError } from '../errors/types.ts'
import type { Range } from './types.ts'
import { readHsInteger } from './hs-read.ts'

export interface BoundaryRange {
  /** Lower boundary point: `n - 0.5` for "from row n"; +Infinity only in the empty range. */
  readonly lo: number
  /** Upper boundary point: `n + 0.5` for "up to row n"; +Infinity when unbounded. */
  readonly hi: number
}

export const allRange: BoundaryRange = { lo: -0.5, hi: Number.POSITIVE_INFINITY }
export const emptyRange: BoundaryRange = { lo: Number.POSITIVE_INFINITY, hi: Number.NEGATIVE_INFINITY }
/** `0 <= x <= -1`: the special range PostgREST uses for `limit=0`. */
export const limitZeroRange: BoundaryRange = { lo: -0.5, hi: -0.5 }

export const rangeGeq = (n: number): BoundaryRange => ({ lo: n - 0.5, hi: Number.POSITIVE_INFINITY })
export const rangeLeq = (n: number): BoundaryRange => ({ lo: Number.NEGATIVE_INFINITY, hi: n + 0.5 })

export const rangeIsEmpty = (r: BoundaryRange): boolean => r.hi <= r.lo

/** Data.Ranged's Eq: all empty ranges are equal, otherwise boundaries must match. */
export const rangeEquals = (a: BoundaryRange, b: BoundaryRange): boolean =>
  (rangeIsEmpty(a) && rangeIsEmpty(b)) || (a.lo === b.lo && a.hi === b.hi)

/** Data.Ranged's rangeIntersection: empty inputs give the canonical empty range, otherwise no normalisation. */
export const rangeIntersection = (a: BoundaryRange, b: BoundaryRange): BoundaryRange =>
  rangeIsEmpty(a) || rangeIsEmpty(b) ? emptyRange : { lo: Math.max(a.lo, b.lo), hi: Math.min(a.hi, b.hi) }

export const rangeLimit = (r: BoundaryRange): number | null =>
  Number.isFinite(r.lo) && Number.isFinite(r.hi) ? r.hi - r.lo : null

/** PostgREST panics on the empty range here; only a nested `x.limit=-1` can reach it, and we answer 0. */
export const rangeOffset = (r: BoundaryRange): number => (Number.isFinite(r.lo) ? r.lo + 0.5 : 0)

export const restrictRange = (limit: number | null, r: BoundaryRange): BoundaryRange =>
  limit === null ? r : rangeIntersection(r, { lo: Number.NEGATIVE_INFINITY, hi: rangeOffset(r) + limit - 1 + 0.5 })

export const hasLimitZero = (r: BoundaryRange): boolean => r.hi === limitZeroRange.hi

export const convertToLimitZeroRange = (range: BoundaryRange, fallback: BoundaryRange): BoundaryRange =>
  hasLimitZero(range) ? limitZeroRange : fallback

/** The ApiRequest view of a range. */
export const toApiRange = (r: BoundaryRange): Range => {
  const limit = rangeLimit(r)
  if (!Number.isFinite(r.lo)) return { offset: 0, limit: 0 }
  return limit === null ? { offset: rangeOffset(r) } : { offset: rangeOffset(r), limit }
}

const readLimitNumber = (v: string): number | null => {
  const n = readHsInteger(v)
  return n === null ? null : Number(n)
}

/** `limit=v` alone: a failed read means no limit. */
export const limitParamRange = (v: string): BoundaryRange => restrictRange(readLimitNumber(v), allRange)

/** `offset=v` alone. */
export const offsetParamRange = (v: string): BoundaryRange => {
  const n = readLimitNumber(v)
  return n === null ? allRange : rangeGeq(n)
}

/** Both `limit` and `offset` on the same level (PostgREST's unionWith combiner). */
export const limitOffsetRange = (limitR: BoundaryRange, offsetR: BoundaryRange): BoundaryRange => {
  const l = rangeLimit(limitR) ?? 0
  const o = rangeOffset(offsetR)
  return { lo: o - 0.5, hi: o + l - 1 + 0.5 }
}

/** The `Range: 0-9` header; anything not matching `^[0-9]+-[0-9]*$` means all rows. */
export const rangeParse = (header: string): BoundaryRange => {
  const m = /^([0-9]+)-([0-9]*)$/.exec(header)
  if (m === null) return allRange
  const lower = rangeGeq(Number(m[1]))
  const upper = m[2] === '' || m[2] === undefined ? allRange : rangeLeq(Number(m[2]))
  return rangeIntersection(lower, upper)
}

export interface RequestRanges {
  readonly topLevel: BoundaryRange
  /** Raw parameter keys (`limit`, `clients.limit`) → range; `limit` holds the combined top level. */
  readonly ranges: ReadonlyMap<string, BoundaryRange>
}

/**
 * PostgREST's getRanges: the Range header (GET only, RFC 9110) intersected with the top-level
 * limit/offset; `limit=0` bypasses the emptiness check.
 */
export const getRanges = (
  method: string,
  qsRanges: ReadonlyMap<string, BoundaryRange>,
  rangeHeader: string | undefined,
): Result<RequestRanges, ApiRequestError> => {
  const headerRange = method === 'GET' && rangeHeader !== undefined ? rangeParse(rangeHeader) : allRange
  const limitRange = qsRanges.get('limit') ?? allRange
  const headerAndLimitRange = rangeIntersection(headerRange, limitRange)
  const topLevel = convertToLimitZeroRange(limitRange, headerAndLimitRange)
  const ranges = new Map(qsRanges)
  ranges.set('limit', topLevel)
  if (rangeEquals(topLevel, emptyRange) && !hasLimitZero(limitRange)) {
    return err({ kind: 'invalidRange', range: { kind: rangeIsEmpty(headerRange) ? 'lowerGTUpper' : 'negativeLimit' } })
  }
  if (method === 'PUT' && !rangeEquals(topLevel, allRange)) return err({ kind: 'putLimitNotAllowed' })
  return ok({ topLevel, ranges })
}

// ---------------------------------------------------------------------------------------------
// Content-Range (used by respond/)

/** `Content-Range` value: `lower-upper/total`; the range part is `*` when empty or the total is 0, the total `*` when unknown. */
export const contentRangeValue = (lower: number, upper: number, total: number | null): string => {
  const totalNotZero = total !== 0
  const rangeString = totalNotZero && lower <= upper ? `${lower}-${upper}` : '*'
  return `${rangeString}/${total === null ? '*' : String(total)}`
}

/** PostgREST's rangeStatusHeader: status (200/206/416) and the Content-Range value for a read. */
export const rangeStatusHeader = (
  topLevel: Range,
  queryTotal: number,
  tableTotal: number | null,
): { readonly status: 200 | 206 | 416; readonly contentRange: string } => {
  const lower = topLevel.offset
  const upper = lower + queryTotal - 1
  let status: 200 | 206 | 416 = 200
  if (tableTotal !== null) {
    if (lower > tableTotal) status = 416
    else if (1 + upper - lower < tableTotal) status = 206
  }
  return { status, contentRange: contentRangeValue(lower, upper, tableTotal) }
}
