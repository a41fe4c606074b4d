/**
 * @module test/spec/cases/errors: read errors with PostgREST v16.2's exact bodies — unknown
 * tables (404 PGRST205 with a fuzzy "Perhaps you meant" hint), unknown columns and bad values
 * (the database's 42703/22P02), query-string parse errors (PGRST100 with Parsec's positions),
 * embedding errors (PGRST200/108/118), and privileges (42501: 401 + WWW-Authenticate for the
 * anonymous role, 403 for an authenticated one).
 */
import type { SpecCase } from '../types.ts'
import { AUTHENTICATED_JWT, get, okJson, parseError, pgrstError } from './common.ts'

const NEAR_NAME = 'Perhaps you meant to reference the column "items.name".'

export const cases: SpecCase[] = [
  // --- unknown resources --------------------------------------------------------------------
  {
    name: 'error: unknown table is 404 without a hint when nothing is close',
    request: get('/nothing_here'),
    expect: pgrstError(404, 'PGRST205', "Could not find the table 'test.nothing_here' in the schema cache"),
  },
  {
    name: 'error: unknown table close to a known one gets a hint',
    request: get('/itemz'),
    expect: pgrstError(404, 'PGRST205', "Could not find the table 'test.itemz' in the schema cache", null, "Perhaps you meant the table 'test.items'"),
  },
  {
    name: 'error: another close table name',
    request: get('/clientz?select=id'),
    expect: pgrstError(404, 'PGRST205', "Could not find the table 'test.clientz' in the schema cache", null, "Perhaps you meant the table 'test.clients'"),
  },
  {
    name: 'error: a dotted path is a table name, not schema.table',
    request: get('/test.items'),
    expect: pgrstError(404, 'PGRST205', "Could not find the table 'test.test.items' in the schema cache"),
  },
  {
    name: 'error: a path with more than one segment is invalid',
    request: get('/items/extra'),
    expect: pgrstError(404, 'PGRST125', 'Invalid path specified in request URL'),
  },
  // --- columns and values (database errors) -------------------------------------------------
  {
    name: 'error: unknown column in select (with the database hint)',
    request: get('/items?select=nope'),
    expect: pgrstError(400, '42703', 'column items.nope does not exist', null, NEAR_NAME),
  },
  {
    name: 'error: unknown column in select (no close column)',
    request: get('/items?select=id,banana'),
    expect: pgrstError(400, '42703', 'column items.banana does not exist'),
  },
  {
    name: 'error: unknown column in a filter',
    request: get('/items?nope=eq.1'),
    expect: pgrstError(400, '42703', 'column items.nope does not exist', null, NEAR_NAME),
  },
  {
    name: 'error: unknown column in order',
    request: get('/items?order=nope.desc'),
    expect: pgrstError(400, '42703', 'column items.nope does not exist', null, NEAR_NAME),
  },
  {
    name: 'error: a value that does not parse as the column type',
    request: get('/items?id=eq.abc'),
    expect: pgrstError(400, '22P02', 'invalid input syntax for type integer: "abc"'),
  },
  {
    // The type is named as the search_path (the exposed schema first) makes it visible.
    name: 'error: a value outside an enum',
    request: get('/items?mood=eq.nope'),
    expect: pgrstError(400, '22P02', 'invalid input value for enum mood: "nope"'),
  },
  {
    name: 'error: null inside an in-list on an integer column',
    request: get('/items?id=in.(1,null)'),
    expect: pgrstError(400, '22P02', 'invalid input syntax for type integer: "null"'),
  },
  {
    name: 'error: unknown full-text search configuration',
    request: get('/items?body=fts(nope).apple'),
    expect: pgrstError(400, '42704', 'text search configuration "nope" does not exist'),
  },
  // --- PGRST100: query-string grammar -------------------------------------------------------
  {
    name: 'error: malformed select',
    request: get('/items?select=id,clients(name[])'),
    expect: parseError(
      '"failed to parse select parameter (id,clients(name[]))" (line 1, column 16)',
      'unexpected \'[\' expecting letter, digit, "-", "->>", "->", "::", ".", ")", "," or end of input',
    ),
  },
  {
    name: 'error: malformed negative array index in select',
    request: get('/items?select=data->>--34'),
    expect: parseError('"failed to parse select parameter (data->>--34)" (line 1, column 9)', 'unexpected "-" expecting digit'),
  },
  {
    name: 'error: cast without a type in select',
    request: get('/items?select=name::'),
    expect: parseError('"failed to parse select parameter (name::)" (line 1, column 7)', 'unexpected end of input expecting letter or digit'),
  },
  {
    name: 'error: unknown operator',
    request: get('/items?id=foo.1'),
    expect: parseError('"failed to parse filter (foo.1)" (line 1, column 1)', 'unexpected "f" expecting "not" or operator (eq, gt, ...)'),
  },
  {
    name: 'error: a filter without an operator',
    request: get('/items?id=val'),
    expect: parseError('"failed to parse filter (val)" (line 1, column 1)', 'unexpected "v" expecting "not" or operator (eq, gt, ...)'),
  },
  {
    name: 'error: empty quantifier',
    request: get('/items?id=eq().1'),
    expect: parseError('"failed to parse filter (eq().1)" (line 1, column 4)', 'unexpected ")" expecting operator (eq, gt, ...)'),
  },
  {
    name: 'error: empty fts language',
    request: get('/items?body=fts().apple'),
    expect: parseError('"failed to parse filter (fts().apple)" (line 1, column 5)', 'unexpected ")" expecting operator (eq, gt, ...)'),
  },
  {
    name: 'error: unknown order direction',
    request: get('/items?order=id.ac'),
    expect: parseError('"failed to parse order (id.ac)" (line 1, column 4)', 'unexpected "c" expecting "asc", "desc", "nullsfirst" or "nullslast"'),
  },
  {
    name: 'error: trailing characters after an order direction',
    request: get('/items?order=id.descc'),
    expect: parseError('"failed to parse order (id.descc)" (line 1, column 8)', 'unexpected \'c\' expecting delimiter (.), "," or end of input'),
  },
  {
    name: 'error: unknown nulls placement',
    request: get('/items?order=id.asc.nlsfst'),
    expect: parseError('"failed to parse order (id.asc.nlsfst)" (line 1, column 8)', 'unexpected "l" expecting "nullsfirst" or "nullslast"'),
  },
  {
    name: 'error: trailing characters after nullslast',
    request: get('/items?order=id.asc.nullslasttt'),
    expect: parseError('"failed to parse order (id.asc.nullslasttt)" (line 1, column 17)', 'unexpected \'t\' expecting "," or end of input'),
  },
  {
    name: 'error: empty logic tree',
    request: get('/items?or=()'),
    expect: parseError(
      '"failed to parse logic tree (())" (line 1, column 4)',
      'unexpected ")" expecting field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)',
    ),
  },
  {
    name: 'error: in-list without parentheses inside a logic tree',
    request: get('/items?or=(id.in.1,2,id.eq.3)'),
    expect: parseError('"failed to parse logic tree ((id.in.1,2,id.eq.3))" (line 1, column 10)', 'unexpected "1" expecting "("'),
  },
  {
    name: 'error: unknown logic operator inside a tree',
    request: get('/items?or=(id.eq.1,not.xor(id.eq.2,id.eq.3))'),
    expect: parseError(
      '"failed to parse logic tree ((id.eq.1,not.xor(id.eq.2,id.eq.3)))" (line 1, column 16)',
      'unexpected "x" expecting logic operator (and, or)',
    ),
  },
  // --- embedding ----------------------------------------------------------------------------
  {
    name: 'error: embedding an unrelated name',
    request: get('/clients?select=id,xyz(id)'),
    expect: pgrstError(
      400,
      'PGRST200',
      "Could not find a relationship between 'clients' and 'xyz' in the schema cache",
      "Searched for a foreign key relationship between 'clients' and 'xyz' in the schema 'test', but no matches were found.",
    ),
  },
  {
    name: 'error: embedding a misspelled relation gets a hint',
    request: get('/clients?select=id,projectz(id)'),
    expect: pgrstError(
      400,
      'PGRST200',
      "Could not find a relationship between 'clients' and 'projectz' in the schema cache",
      "Searched for a foreign key relationship between 'clients' and 'projectz' in the schema 'test', but no matches were found.",
      "Perhaps you meant 'projects' instead of 'projectz'.",
    ),
  },
  {
    name: 'error: filtering a resource that is not embedded',
    request: get('/clients?select=id&projects.id=eq.1'),
    expect: pgrstError(
      400,
      'PGRST108',
      "'projects' is not an embedded resource in this request",
      null,
      "Verify that 'projects' is included in the 'select' query parameter.",
    ),
  },
  {
    name: 'error: ordering by a to-many embed',
    request: get('/clients?select=id,projects(id)&order=projects(id)'),
    expect: pgrstError(
      400,
      'PGRST118',
      "A related order on 'projects' is not possible",
      "'clients' and 'projects' do not form a many-to-one or one-to-one relationship",
    ),
  },
  {
    // v16.2 no longer answers PGRST120 here: only `is.null`/`not.is.null` become embed filters,
    // anything else stays a filter on a column of that name.
    name: 'error: a non-null filter named like an embed is a plain column filter',
    request: get('/projects?select=id,clients(id)&clients=eq.1'),
    expect: pgrstError(400, '42703', 'column projects.clients does not exist', null, 'Perhaps you meant to reference the column "projects.client_id".'),
  },
  // --- aggregates (db-aggregates-enabled is false by default) -------------------------------
  {
    name: 'error: count() is refused while aggregates are disabled',
    request: get('/items?select=count()'),
    expect: pgrstError(400, 'PGRST123', 'Use of aggregate functions is not allowed'),
  },
  {
    name: 'error: sum() is refused while aggregates are disabled',
    request: get('/items?select=price.sum()'),
    expect: pgrstError(400, 'PGRST123', 'Use of aggregate functions is not allowed'),
  },
  // --- privileges ---------------------------------------------------------------------------
  {
    name: 'error: anonymous reading a table without a grant is 401',
    request: get('/secrets'),
    expect: pgrstError(401, '42501', 'permission denied for table secrets', null, null, { 'WWW-Authenticate': 'Bearer' }),
  },
  {
    name: 'error: an authenticated role with a grant reads the same table',
    request: get('/secrets', { Authorization: `Bearer ${AUTHENTICATED_JWT}` }),
    expect: okJson([{ id: 1, secret: 'hidden' }]),
  },
  {
    name: 'error: an authenticated role without a grant is 403',
    request: get('/private_notes', { Authorization: `Bearer ${AUTHENTICATED_JWT}` }),
    expect: pgrstError(403, '42501', 'permission denied for table private_notes', null, null, { 'WWW-Authenticate': null }),
  },
  {
    name: 'error: anonymous on the same ungranted table is 401',
    request: get('/private_notes?select=id'),
    expect: pgrstError(401, '42501', 'permission denied for table private_notes', null, null, { 'WWW-Authenticate': 'Bearer' }),
  },
]
