/**
 * @module test/spec/cases/filters: horizontal filtering with every PostgREST v16.2 operator —
 * eq neq gt gte lt lte like ilike match imatch in is isdistinct fts plfts phfts wfts cs cd ov sl
 * sr nxr nxl adj — with `not.`, the `(any)`/`(all)` quantifiers, JSON paths, and the value
 * encodings (percent-escapes, `+` as space, quoted list items, the empty string).
 */
import type { SpecCase } from '../types.ts'
import { get, ids, okJson } from './common.ts'

/** A filter case on test.items returning only ids. */
const f = (name: string, query: string, expected: number[]): SpecCase => ({
  name: `filter: ${name}`,
  request: get(`/items?select=id&order=id&${query}`),
  expect: okJson(ids(...expected)),
})

export const cases: SpecCase[] = [
  // --- comparison ---------------------------------------------------------------------------
  f('eq', 'id=eq.3', [3]),
  f('eq on non-ASCII text', 'name=eq.%C3%89clair', [5]),
  f('eq with a value containing dots', 'price=eq.1.50', [1]),
  f('neq', 'id=neq.3', [1, 2, 4, 5]),
  f('gt on numeric (nulls never match)', 'price=gt.0.25', [1, 5]),
  f('gte', 'price=gte.0.25', [1, 2, 5]),
  f('lt', 'price=lt.1', [2, 3]),
  f('lte', 'price=lte.0.10', [3]),
  f('gt on timestamptz', 'created_at=gt.2024-03-01', [3, 5]),
  f('lt on timestamptz with an explicit zone', 'created_at=lt.2024-01-03T00:00:00Z', [1]),
  f('eq on an enum', 'mood=eq.happy', [1, 5]),
  f('gt on an enum follows the enum order', 'mood=gt.ok', [1, 5]),
  f('eq on an array literal', 'tags=eq.{fruit,red}', [1]),
  f('eq on the empty array', 'tags=eq.{}', [4]),
  f('two filters on one column are ANDed', 'price=gt.0.2&price=lt.2', [1, 2]),
  {
    name: 'filter: eq with the empty string',
    request: get('/texts?t=eq.&select=id'),
    expect: okJson(ids(4)),
  },
  {
    name: 'filter: + in the query string is a space',
    request: get('/projects?name=eq.Windows+7&select=id'),
    expect: okJson(ids(1)),
  },
  {
    name: 'filter: %20 in the query string is a space',
    request: get('/projects?name=eq.Windows%2010&select=id'),
    expect: okJson(ids(2)),
  },
  {
    name: 'filter: eq on a view',
    request: get('/projects_view?client_id=eq.2&select=id&order=id'),
    expect: okJson(ids(3, 4)),
  },
  {
    name: 'filter: eq with an unquoted value containing double quotes',
    request: get('/texts?t=eq.say%20%22hi%22&select=id'),
    expect: okJson(ids(3)),
  },
  {
    name: 'filter: in with a quoted item containing an escaped double quote',
    request: get('/texts?t=in.(%22say%20%5C%22hi%5C%22%22)&select=id'),
    expect: okJson(ids(3)),
  },
  // --- pattern matching ---------------------------------------------------------------------
  f('like with * wildcards', 'name=like.*an*', [2, 4]),
  f('like is case-sensitive', 'name=like.A*', []),
  f('like with percent-encoded %', 'name=like.%25rr%25', [3]),
  f('ilike is case-insensitive', 'name=ilike.A*', [1]),
  f('ilike on non-ASCII', 'name=ilike.%C3%A9*', [5]),
  f('match (POSIX regex)', 'name=match.^[a-c]', [1, 2, 3]),
  f('imatch', 'name=imatch.AN', [2, 4]),
  f('imatch anchored', 'name=imatch.^D', [4]),
  // --- in -----------------------------------------------------------------------------------
  f('in', 'id=in.(1,3,5)', [1, 3, 5]),
  f('in with a quoted item', 'name=in.(apple,%22carrot%22)', [1, 3]),
  f('in on an enum', 'mood=in.(ok,sad)', [2, 3]),
  f('in with an empty list matches nothing', 'id=in.()', []),
  {
    name: 'filter: in with a quoted item containing a comma',
    request: get('/texts?t=in.(%22has,comma%22,plain)&select=id&order=id'),
    expect: okJson(ids(1, 2)),
  },
  f('in keeps spaces inside items (ints still parse)', 'id=in.(1,%203)', [1, 3]),
  f('in keeps spaces inside items (texts then differ)', 'name=in.(apple,%20carrot)', [1]),
  f('in with the text null matches no SQL NULL', 'description=in.(null)', []),
  // --- is / isdistinct ----------------------------------------------------------------------
  f('is.null', 'price=is.null', [4]),
  f('is.not_null', 'price=is.not_null', [1, 2, 3, 5]),
  f('is value is case-insensitive', 'price=is.NULL', [4]),
  f('isdistinct treats null as a value', 'description=isdistinct.crisp', [2, 3, 4, 5]),
  f('not.isdistinct', 'description=not.isdistinct.crisp', [1]),
  {
    name: 'filter: is.true',
    request: get('/flags?done=is.true'),
    expect: okJson([{ id: 1, done: true }]),
  },
  {
    name: 'filter: is.false',
    request: get('/flags?done=is.false'),
    expect: okJson([{ id: 2, done: false }]),
  },
  {
    name: 'filter: is.unknown',
    request: get('/flags?done=is.unknown'),
    expect: okJson([{ id: 3, done: null }]),
  },
  {
    name: 'filter: not.is.true keeps false and unknown',
    request: get('/flags?done=not.is.true&order=id'),
    expect: okJson([
      { id: 2, done: false },
      { id: 3, done: null },
    ]),
  },
  {
    name: 'filter: eq on a boolean',
    request: get('/flags?done=eq.true'),
    expect: okJson([{ id: 1, done: true }]),
  },
  // --- full-text search ---------------------------------------------------------------------
  f('fts without language uses the default configuration', 'body=fts.red', [1]),
  f('fts with a language', 'body=fts(english).apple', [1]),
  f('fts with | (or)', 'body=fts(english).apple%7Ccarrot', [1, 3]),
  f('fts with & (and)', 'body=fts(english).crisp%26red', [1]),
  f('fts with another language', 'body=fts(french).chocolat', [5]),
  f('plfts', 'body=plfts(english).crisp%20apple', [1]),
  f('plfts needs every word', 'body=plfts(english).crisp%20banana', []),
  f('phfts', 'body=phfts(english).yellow%20banana', [2]),
  f('phfts respects word order', 'body=phfts(english).banana%20yellow', []),
  f('wfts with or', 'body=wfts(english).carrot%20or%20apple', [1, 3]),
  f('wfts with exclusion', 'body=wfts(english).red%20-banana', [1]),
  f('not.fts (null vectors never match)', 'body=not.fts(english).apple', [2, 3, 5]),
  f('fts on a text column converts it with to_tsvector', 'description=fts(english).crunchy', [3]),
  f('fts on a text column without language', 'description=fts.sweet', [5]),
  // --- arrays, ranges, jsonb ----------------------------------------------------------------
  f('cs on an array', 'tags=cs.{fruit}', [1, 2]),
  f('cd on an array', 'tags=cd.{fruit,red,yellow}', [1, 2, 4]),
  f('ov on an array', 'tags=ov.{red,pastry}', [1, 5]),
  f('cs on jsonb', 'data=cs.%7B%22color%22:%22red%22%7D', [1]),
  f('cd on jsonb', 'data=cd.%7B%22color%22:%22brown%22,%22extra%22:1%7D', [5]),
  f('cs on a range', 'span=cs.[6,7)', [2]),
  f('cd on a range (the empty range is contained)', 'span=cd.[0,12)', [1, 2, 5]),
  f('ov on a range', 'span=ov.[4,6)', [1, 2]),
  f('sl (strictly left of)', 'span=sl.[20,30)', [1, 2, 3]),
  f('sr (strictly right of)', 'span=sr.[0,3)', [2, 3]),
  f('nxr (does not extend to the right of)', 'span=nxr.[0,8)', [1]),
  f('nxl (does not extend to the left of)', 'span=nxl.[6,8)', [3]),
  f('adj (adjacent to)', 'span=adj.[20,25)', [3]),
  f('not.sl', 'span=not.sl.[20,30)', [5]),
  // --- not ----------------------------------------------------------------------------------
  f('not.eq', 'id=not.eq.1', [2, 3, 4, 5]),
  f('not.in', 'id=not.in.(1,2)', [3, 4, 5]),
  f('not.like', 'name=not.like.*an*', [1, 3, 5]),
  f('not.is.null', 'price=not.is.null', [1, 2, 3, 5]),
  // --- quantifiers --------------------------------------------------------------------------
  f('like(any)', 'name=like(any).{a*,b*}', [1, 2]),
  f('like(all)', 'name=like(all).{*a*,*n*}', [2, 4]),
  f('ilike(any)', 'name=ilike(any).{A*,%C3%A9*}', [1, 5]),
  f('match(any)', 'name=match(any).{^b,^c}', [2, 3]),
  f('eq(any)', 'id=eq(any).{1,3}', [1, 3]),
  f('gt(all)', 'id=gt(all).{1,3}', [4, 5]),
  f('lt(any) on numeric', 'price=lt(any).{0.2,0.3}', [2, 3]),
  f('not.eq(any)', 'id=not.eq(any).{1,2}', [3, 4, 5]),
  // --- JSON paths ---------------------------------------------------------------------------
  f('->> on jsonb', 'data->>color=eq.red', [1]),
  f('nested -> on jsonb compares as jsonb', 'data->size->w=gt.2', [1, 2]),
  f('nested ->> on jsonb compares as text', 'data->size->>w=eq.2', [3]),
  f('->> on a json column', 'meta->>a=eq.2', [2]),
  f('array index in a path', 'data->list->0=eq.1', [1]),
  f('negative array index in a path', 'data->list->>-1=eq.4', [2]),
  f('in on a path', 'data->>color=in.(red,brown)', [1, 5]),
  f('like on a path', 'data->>color=like.*ow*', [2, 5]),
  f('eq with a jsonb object value', 'data->size=eq.%7B%22w%22:5%7D', [2]),
  f('is.null on a path', 'data->size=is.null', [4, 5]),
  f('is.null on a jsonb column', 'data=is.null', [4]),
  f('path on a non-JSON array column', 'tags->>0=eq.fruit', [1, 2]),
]
