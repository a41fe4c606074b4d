/**
 * @module test/spec/cases/order-range: `order` (directions, nulls placement, several terms, JSON
 * paths), `limit`/`offset`, the `Range`/`Range-Unit` headers, `Prefer: count=…`, and the resulting
 * status (200/206/416) and `Content-Range`, as PostgREST v16.2 computes them.
 */
import type { SpecCase } from '../types.ts'
import { JSON_CT, get, ids, okJson, pgrstError } from './common.ts'

/** An order case on test.items returning only ids. */
const o = (name: string, order: string, expected: number[]): SpecCase => ({
  name: `order: ${name}`,
  request: get(`/items?select=id&order=${order}`),
  expect: okJson(ids(...expected)),
})

const EXACT = { Prefer: 'count=exact' }

export const cases: SpecCase[] = [
  // --- order --------------------------------------------------------------------------------
  o('asc puts nulls last', 'price.asc', [3, 2, 1, 5, 4]),
  o('the default direction is asc', 'price', [3, 2, 1, 5, 4]),
  o('desc puts nulls first', 'price.desc', [4, 5, 1, 2, 3]),
  o('desc.nullslast', 'price.desc.nullslast', [5, 1, 2, 3, 4]),
  o('asc.nullsfirst', 'price.asc.nullsfirst', [4, 3, 2, 1, 5]),
  o('nullsfirst without a direction', 'price.nullsfirst', [4, 3, 2, 1, 5]),
  o('enum columns sort by enum order; several terms', 'mood.desc,id.asc', [4, 1, 5, 2, 3]),
  o('several terms with mixed directions and nulls', 'mood.asc.nullsfirst,id.desc', [4, 3, 2, 5, 1]),
  o('by a nested jsonb path', 'data->size->w.asc,id', [3, 1, 2, 4, 5]),
  o('by a ->> path, desc', 'data->>color.desc', [4, 2, 1, 3, 5]),
  o('by a ->> path, desc.nullslast', 'data->>color.desc.nullslast', [2, 1, 3, 5, 4]),
  {
    name: 'order: text descending',
    request: get('/items?select=name&order=name.desc'),
    expect: okJson([{ name: 'Éclair' }, { name: 'durian' }, { name: 'carrot' }, { name: 'banana' }, { name: 'apple' }]),
  },
  {
    name: 'order: by a quoted column name',
    request: get('/projects?select=id&order=%22client_id%22.desc.nullslast,id.desc'),
    expect: okJson(ids(4, 3, 2, 1, 5)),
  },
  // --- limit / offset -----------------------------------------------------------------------
  {
    name: 'limit',
    request: get('/items?select=id&order=id&limit=2'),
    expect: okJson(ids(1, 2), { 'Content-Range': '0-1/*' }),
  },
  {
    name: 'offset',
    request: get('/items?select=id&order=id&offset=3'),
    expect: okJson(ids(4, 5), { 'Content-Range': '3-4/*' }),
  },
  {
    name: 'limit and offset',
    request: get('/items?select=id&order=id&limit=2&offset=1'),
    expect: okJson(ids(2, 3), { 'Content-Range': '1-2/*' }),
  },
  {
    name: 'limit=0 returns an empty array',
    request: get('/items?select=id&limit=0'),
    expect: okJson([], { 'Content-Range': '*/*' }),
  },
  {
    name: 'offset past the end without a count is 200 and empty',
    request: get('/items?select=id&order=id&offset=10'),
    expect: okJson([], { 'Content-Range': '*/*' }),
  },
  {
    name: 'a non-numeric limit is ignored',
    request: get('/items?select=id&order=id&limit=abc'),
    expect: okJson(ids(1, 2, 3, 4, 5), { 'Content-Range': '0-4/*' }),
  },
  {
    name: 'limit and offset together with descending order',
    request: get('/items?select=id&order=id.desc&limit=2&offset=1'),
    expect: okJson(ids(4, 3), { 'Content-Range': '1-2/*' }),
  },
  {
    name: 'a repeated limit uses the last one',
    request: get('/items?select=id&order=id&limit=1&limit=3'),
    expect: okJson(ids(1, 2, 3), { 'Content-Range': '0-2/*' }),
  },
  {
    name: 'a negative limit is 416',
    request: get('/items?select=id&limit=-1'),
    expect: pgrstError(416, 'PGRST103', 'Requested range not satisfiable', 'Limit should be greater than or equal to zero.'),
  },
  // --- Range header -------------------------------------------------------------------------
  {
    name: 'range: Range 0-1',
    request: get('/items?select=id&order=id', { 'Range-Unit': 'items', Range: '0-1' }),
    expect: okJson(ids(1, 2), { 'Content-Range': '0-1/*' }),
  },
  {
    name: 'range: a one-item range',
    request: get('/items?select=id&order=id', { Range: '0-0' }),
    expect: okJson(ids(1), { 'Content-Range': '0-0/*' }),
  },
  {
    name: 'range: open-ended range',
    request: get('/items?select=id&order=id', { Range: '1-' }),
    expect: okJson(ids(2, 3, 4, 5), { 'Content-Range': '1-4/*' }),
  },
  {
    name: 'range: a range beyond the end is truncated',
    request: get('/items?select=id&order=id', { Range: '3-10' }),
    expect: okJson(ids(4, 5), { 'Content-Range': '3-4/*' }),
  },
  {
    name: 'range: a range past the end without a count is 200 and empty',
    request: get('/items?select=id&order=id', { Range: '10-20' }),
    expect: okJson([], { 'Content-Range': '*/*' }),
  },
  {
    name: 'range: the Range header is intersected with limit',
    request: get('/items?select=id&order=id&limit=3', { Range: '1-10' }),
    expect: okJson(ids(2, 3), { 'Content-Range': '1-2/*' }),
  },
  {
    name: 'range: the Range header is intersected with offset',
    request: get('/items?select=id&order=id&offset=1', { Range: '0-1' }),
    expect: okJson(ids(2), { 'Content-Range': '1-1/*' }),
  },
  {
    name: 'range: an unparsable Range header is ignored',
    request: get('/items?select=id&order=id', { Range: 'abc' }),
    expect: okJson(ids(1, 2, 3, 4, 5), { 'Content-Range': '0-4/*' }),
  },
  {
    name: 'range: lower bound above upper bound is 416',
    request: get('/items?select=id', { 'Range-Unit': 'items', Range: '2-1' }),
    expect: pgrstError(
      416,
      'PGRST103',
      'Requested range not satisfiable',
      'The lower boundary must be lower than or equal to the upper boundary in the Range header.',
    ),
  },
  {
    name: 'range: partial content with count=exact is 206',
    request: get('/items?select=id&order=id', { Range: '0-1', ...EXACT }),
    expect: { status: 206, json: ids(1, 2), headers: { 'Content-Range': '0-1/5', 'Preference-Applied': 'count=exact' } },
  },
  {
    name: 'range: a range past the end with count=exact is 416',
    request: get('/items?select=id&order=id', { Range: '10-20', ...EXACT }),
    expect: {
      status: 416,
      json: {
        code: 'PGRST103',
        message: 'Requested range not satisfiable',
        details: 'An offset of 10 was requested, but there are only 5 rows.',
        hint: null,
      },
      headers: { 'Content-Range': '*/5', 'Content-Type': JSON_CT },
    },
  },
  // --- Prefer: count ------------------------------------------------------------------------
  {
    name: 'count: exact over the whole table is 200',
    request: get('/items?select=id&order=id', EXACT),
    expect: okJson(ids(1, 2, 3, 4, 5), { 'Content-Range': '0-4/5', 'Preference-Applied': 'count=exact' }),
  },
  {
    name: 'count: exact counts the filtered rows',
    request: get('/items?select=id&id=gt.2&order=id', EXACT),
    expect: okJson(ids(3, 4, 5), { 'Content-Range': '0-2/3' }),
  },
  {
    name: 'count: exact with no rows',
    request: get('/items?select=id&id=gt.10', EXACT),
    expect: okJson([], { 'Content-Range': '*/0' }),
  },
  {
    name: 'count: exact with limit is 206',
    request: get('/items?select=id&order=id&limit=2', EXACT),
    expect: { status: 206, json: ids(1, 2), headers: { 'Content-Range': '0-1/5', 'Content-Type': JSON_CT } },
  },
  {
    name: 'count: exact with offset is 206',
    request: get('/items?select=id&order=id&offset=3', EXACT),
    expect: { status: 206, json: ids(4, 5), headers: { 'Content-Range': '3-4/5' } },
  },
  {
    name: 'count: exact with limit=0 is 206 and empty',
    request: get('/items?select=id&limit=0', EXACT),
    expect: { status: 206, json: [], headers: { 'Content-Range': '*/5' } },
  },
  {
    name: 'count: exact with offset equal to the total is 206 and empty',
    request: get('/items?select=id&offset=5', EXACT),
    expect: { status: 206, json: [], headers: { 'Content-Range': '*/5' } },
  },
  {
    name: 'count: exact with offset past the total is 416',
    request: get('/items?select=id&offset=6', EXACT),
    expect: {
      status: 416,
      json: {
        code: 'PGRST103',
        message: 'Requested range not satisfiable',
        details: 'An offset of 6 was requested, but there are only 5 rows.',
        hint: null,
      },
      // Not an error response: the read's own headers, no Proxy-Status.
      headers: { 'Content-Range': '*/5', 'Content-Type': JSON_CT, 'Content-Location': '/items?offset=6&select=id', 'Proxy-Status': null },
    },
  },
  {
    name: 'count: count=none is not a preference and changes nothing',
    request: get('/items?select=id&order=id', { Prefer: 'count=none' }),
    expect: okJson(ids(1, 2, 3, 4, 5), { 'Content-Range': '0-4/*', 'Preference-Applied': null }),
  },
  {
    name: 'count: the first count preference wins',
    request: get('/items?select=id&id=eq.1', { Prefer: 'count=exact, count=planned' }),
    expect: okJson(ids(1), { 'Content-Range': '0-0/1', 'Preference-Applied': 'count=exact' }),
  },
  {
    name: 'count: planned reports the planner estimate',
    request: get('/items?select=id&order=id&limit=1', { Prefer: 'count=planned' }),
    expect: {
      status: 206,
      json: ids(1),
      headers: { 'Preference-Applied': 'count=planned' },
      headerPatterns: { 'Content-Range': '^0-0/[1-9][0-9]*$' },
    },
  },
  {
    name: 'count: estimated is at least the exact count when db-max-rows is unset',
    request: get('/items?select=id&order=id&limit=1', { Prefer: 'count=estimated' }),
    expect: {
      status: 206,
      json: ids(1),
      headers: { 'Preference-Applied': 'count=estimated' },
      headerPatterns: { 'Content-Range': '^0-0/([5-9]|[1-9][0-9]+)$' },
    },
  },
]
