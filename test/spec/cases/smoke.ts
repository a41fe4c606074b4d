/**
 * @module test/spec/cases/smoke: a few cases across the pipeline (filter, select, order, limit,
 * Range, embedding, profiles, JWT role, errors) so every runtime's spec runner has something to
 * check end to end. The feature case lists (read.ts, filters.ts, errors.ts, ...) go deeper.
 * Expected values follow PostgREST v16.2 on the fixtures in test/fixtures/*.sql.
 */
import type { SpecCase } from '../types.ts'
import { AUTHENTICATED_JWT } from './common.ts'

export const cases: readonly SpecCase[] = [
  {
    name: 'smoke: eq filter with select',
    request: { method: 'GET', path: '/items?id=eq.1&select=id,name' },
    expect: {
      status: 200,
      json: [{ id: 1, name: 'apple' }],
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Range': '0-0/*' },
    },
  },
  {
    name: 'smoke: order desc with limit',
    request: { method: 'GET', path: '/items?select=id,name&order=id.desc&limit=2' },
    expect: { status: 200, json: [{ id: 5, name: 'Éclair' }, { id: 4, name: 'durian' }], headers: { 'Content-Range': '0-1/*' } },
  },
  {
    name: 'smoke: Range header with an exact count answers 206',
    request: { method: 'GET', path: '/items?select=id&order=id', headers: { Range: '1-2', Prefer: 'count=exact' } },
    expect: {
      status: 206,
      json: [{ id: 2 }, { id: 3 }],
      headers: { 'Content-Range': '1-2/5', 'Preference-Applied': 'count=exact' },
    },
  },
  {
    name: 'smoke: many-to-one embedding',
    request: { method: 'GET', path: '/projects?id=eq.3&select=name,clients(name)' },
    expect: { status: 200, json: [{ name: 'IOS', clients: { name: 'Apple' } }] },
  },
  {
    name: 'smoke: Accept-Profile selects another exposed schema',
    request: { method: 'GET', path: '/students?select=name&order=id', headers: { 'Accept-Profile': 'api' } },
    expect: { status: 200, json: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }], headers: { 'Content-Profile': 'api' } },
  },
  {
    name: 'smoke: a token with role authenticated reads what anonymous may not',
    request: { method: 'GET', path: '/secrets?select=id,secret', headers: { Authorization: `Bearer ${AUTHENTICATED_JWT}` } },
    expect: { status: 200, json: [{ id: 1, secret: 'hidden' }] },
  },
  {
    name: 'smoke: anonymous without the privilege gets 401 and WWW-Authenticate',
    request: { method: 'GET', path: '/secrets' },
    expect: {
      status: 401,
      json: { code: '42501', details: null, hint: null, message: 'permission denied for table secrets' },
      headers: { 'WWW-Authenticate': 'Bearer' },
    },
  },
  {
    name: 'smoke: unknown table is PGRST205 with a suggestion',
    request: { method: 'GET', path: '/itemz' },
    expect: {
      status: 404,
      json: {
        code: 'PGRST205',
        details: null,
        hint: "Perhaps you meant the table 'test.items'",
        message: "Could not find the table 'test.itemz' in the schema cache",
      },
    },
  },
  {
    name: 'smoke: a value the column type rejects is a 400 from PostgreSQL',
    request: { method: 'GET', path: '/items?id=eq.not_a_number' },
    expect: {
      status: 400,
      json: { code: '22P02', details: null, hint: null, message: 'invalid input syntax for type integer: "not_a_number"' },
    },
  },
]
