/**
 * @module test/unit/parse/range: limit/offset + Range header → ranges, per PostgREST's
 * RangeQuery.hs/getRanges and its RangeSpec/QueryLimitedSpec/UpsertSpec cases.
 */
import { describe, expect, it } from 'vitest'
import type { ApiRequestError } from '../../../src/errors/types.ts'
import {
  allRange,
  contentRangeValue,
  getRanges,
  limitOffsetRange,
  limitParamRange,
  offsetParamRange,
  rangeParse,
  rangeStatusHeader,
  toApiRange,
  type BoundaryRange,
} from '../../../src/parse/range.ts'

/** qsRanges the way parse builds them from `limit`/`offset` strings. */
const qs = (limit?: string, offset?: string): Map<string, BoundaryRange> => {
  const m = new Map<string, BoundaryRange>()
  if (limit !== undefined && offset !== undefined) m.set('limit', limitOffsetRange(limitParamRange(limit), offsetParamRange(offset)))
  else if (limit !== undefined) m.set('limit', limitParamRange(limit))
  else if (offset !== undefined) m.set('limit', offsetParamRange(offset))
  return m
}

const top = (method: string, limit?: string, offset?: string, header?: string): unknown => {
  const r = getRanges(method, qs(limit, offset), header)
  return r.ok ? toApiRange(r.value.topLevel) : r.error
}

const negativeLimit: ApiRequestError = { kind: 'invalidRange', range: { kind: 'negativeLimit' } }
const lowerGTUpper: ApiRequestError = { kind: 'invalidRange', range: { kind: 'lowerGTUpper' } }

describe('top-level range', () => {
  it.each<[string, string | undefined, string | undefined, string | undefined, unknown]>([
    ['GET', undefined, undefined, undefined, { offset: 0 }],
    ['GET', '3', '2', undefined, { offset: 2, limit: 3 }],
    ['GET', '0', undefined, undefined, { offset: 0, limit: 0 }],
    ['GET', undefined, '0', undefined, { offset: 0 }],
    ['GET', undefined, '-4', undefined, { offset: 0 }],
    ['GET', '-1', undefined, undefined, negativeLimit],
    ['GET', '0', '5', undefined, negativeLimit],
    ['GET', undefined, undefined, '0-1', { offset: 0, limit: 2 }],
    ['GET', undefined, undefined, '0-', { offset: 0 }],
    ['GET', undefined, undefined, '10-100', { offset: 10, limit: 91 }],
    ['GET', undefined, undefined, '0-0', { offset: 0, limit: 1 }],
    ['GET', undefined, undefined, '1-0', lowerGTUpper],
    ['GET', undefined, undefined, 'items=0-1', { offset: 0 }],
    ['GET', undefined, undefined, '0 - 1', { offset: 0 }],
    ['GET', '5', undefined, '2-20', { offset: 2, limit: 3 }],
    ['GET', '2', '3', '0-9', { offset: 3, limit: 2 }],
    ['GET', '0', undefined, '1-5', { offset: 0, limit: 0 }],
    ['GET', '10', undefined, '20-30', negativeLimit],
    ['HEAD', undefined, undefined, '1-0', { offset: 0 }],
    ['HEAD', '2', '3', undefined, { offset: 3, limit: 2 }],
    ['POST', undefined, undefined, '0-1', { offset: 0 }],
    ['PUT', undefined, undefined, undefined, { offset: 0 }],
    ['PUT', undefined, '0', undefined, { offset: 0 }],
    ['PUT', '1', undefined, undefined, { kind: 'putLimitNotAllowed' }],
    ['PUT', undefined, '1', undefined, { kind: 'putLimitNotAllowed' }],
    ['PUT', undefined, undefined, '0-1', { offset: 0 }],
  ])('%s limit=%s offset=%s Range=%s', (method, limit, offset, header, expected) => {
    expect(top(method, limit, offset, header)).toEqual(expected)
  })

  it('keeps the other levels and replaces the root with the combined range', () => {
    const m = qs('10')
    m.set('clients.limit', limitParamRange('2'))
    const r = getRanges('GET', m, '3-5')
    expect(r.ok && [...r.value.ranges].map(([k, v]) => [k, toApiRange(v)])).toEqual([
      ['limit', { offset: 3, limit: 3 }],
      ['clients.limit', { offset: 0, limit: 2 }],
    ])
  })
})

describe('pieces', () => {
  it('rangeParse', () => {
    expect(toApiRange(rangeParse('5-9'))).toEqual({ offset: 5, limit: 5 })
    expect(toApiRange(rangeParse('007-'))).toEqual({ offset: 7 })
    expect(rangeParse('-5')).toEqual(allRange)
  })
  it('Content-Range values', () => {
    expect(contentRangeValue(0, 14, null)).toBe('0-14/*')
    expect(contentRangeValue(0, -1, null)).toBe('*/*')
    expect(contentRangeValue(0, 14, 15)).toBe('0-14/15')
    expect(contentRangeValue(1, 0, 0)).toBe('*/0')
    expect(contentRangeValue(0, 2, 0)).toBe('*/0')
  })
  it.each<[{ offset: number; limit?: number }, number, number | null, unknown]>([
    [{ offset: 0 }, 15, null, { status: 200, contentRange: '0-14/*' }],
    [{ offset: 0 }, 0, null, { status: 200, contentRange: '*/*' }],
    [{ offset: 0, limit: 2 }, 2, 6, { status: 206, contentRange: '0-1/6' }],
    [{ offset: 0 }, 15, 15, { status: 200, contentRange: '0-14/15' }],
    [{ offset: 100 }, 0, 15, { status: 416, contentRange: '*/15' }],
    [{ offset: 1 }, 0, 0, { status: 416, contentRange: '*/0' }],
    [{ offset: 3, limit: 2 }, 2, 15, { status: 206, contentRange: '3-4/15' }],
  ])('rangeStatusHeader %j queryTotal=%s tableTotal=%s', (range, queryTotal, tableTotal, expected) => {
    expect(rangeStatusHeader(range, queryTotal, tableTotal)).toEqual(expected)
  })
})
