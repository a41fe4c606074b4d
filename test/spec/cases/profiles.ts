/**
 * @module test/spec/cases/profiles: schema selection with `Accept-Profile` (PostgREST v16.2:
 * `Content-Profile` always answered when several schemas are exposed; 406 PGRST106 for unknown
 * schemas), `Prefer: timezone`, and how other preferences show in `Preference-Applied`.
 */
import type { SpecCase } from '../types.ts'
import { get, head, ids, okJson, pgrstError } from './common.ts'

const LA = { Prefer: 'timezone=America/Los_Angeles' }

export const cases: SpecCase[] = [
  // --- profiles -----------------------------------------------------------------------------
  {
    name: 'profile: the first schema is the default and is named in Content-Profile',
    request: get('/clients?order=id'),
    expect: okJson([
      { id: 1, name: 'Microsoft' },
      { id: 2, name: 'Apple' },
    ]),
  },
  {
    name: 'profile: Accept-Profile test',
    request: get('/clients?select=id&order=id', { 'Accept-Profile': 'test' }),
    expect: okJson(ids(1, 2), { 'Content-Profile': 'test' }),
  },
  {
    name: 'profile: Accept-Profile api',
    request: get('/students?select=id,name&order=id', { 'Accept-Profile': 'api' }),
    expect: okJson(
      [
        { id: 1, name: 'Ada Lovelace' },
        { id: 2, name: 'Alan Turing' },
      ],
      { 'Content-Profile': 'api', 'Content-Location': '/students?order=id&select=id%2Cname' },
    ),
  },
  {
    name: 'profile: all columns of a table in api',
    request: get('/students?id=eq.2', { 'Accept-Profile': 'api' }),
    expect: okJson([{ id: 2, name: 'Alan Turing', first_name: 'Alan', last_name: 'Turing', created_by: null }], { 'Content-Profile': 'api' }),
  },
  {
    name: 'profile: filters in another schema',
    request: get('/students?last_name=eq.Turing&select=first_name', { 'Accept-Profile': 'api' }),
    expect: okJson([{ first_name: 'Alan' }], { 'Content-Profile': 'api' }),
  },
  {
    name: 'profile: same table name in another schema',
    request: get('/items', { 'Accept-Profile': 'other' }),
    expect: okJson([{ id: 1, label: 'from other' }], { 'Content-Profile': 'other', 'Content-Range': '0-0/*' }),
  },
  {
    name: 'profile: HEAD answers the chosen profile',
    request: head('/items', { 'Accept-Profile': 'other' }),
    expect: { status: 200, text: '', headers: { 'Content-Profile': 'other', 'Content-Range': '0-0/*' } },
  },
  {
    name: 'profile: Content-Profile does not choose the schema of a GET',
    request: get('/clients?select=id&order=id', { 'Content-Profile': 'api' }),
    expect: okJson(ids(1, 2), { 'Content-Profile': 'test' }),
  },
  {
    name: 'profile: unknown schema is 406',
    request: get('/items', { 'Accept-Profile': 'nope' }),
    expect: pgrstError(406, 'PGRST106', 'Invalid schema: nope', null, 'Only the following schemas are exposed: test, api, other'),
  },
  {
    name: 'profile: a table of another schema is not found in the chosen one',
    request: get('/clients', { 'Accept-Profile': 'api' }),
    expect: pgrstError(404, 'PGRST205', "Could not find the table 'api.clients' in the schema cache"),
  },
  {
    name: 'profile: a table of api is not found in the default schema',
    request: get('/students'),
    expect: pgrstError(404, 'PGRST205', "Could not find the table 'test.students' in the schema cache"),
  },
  // --- Prefer: timezone ---------------------------------------------------------------------
  {
    name: 'timezone: America/Los_Angeles, across a DST change',
    request: get('/items?select=id,created_at&id=in.(1,3,5)&order=id', LA),
    expect: okJson(
      [
        { id: 1, created_at: '2024-01-01T19:04:05-08:00' },
        { id: 3, created_at: '2024-03-03T21:06:07-08:00' },
        { id: 5, created_at: '2024-05-06T00:08:09-07:00' },
      ],
      { 'Preference-Applied': 'timezone=America/Los_Angeles' },
    ),
  },
  {
    name: 'timezone: Asia/Tokyo',
    request: get('/items?select=created_at&id=eq.2', { Prefer: 'timezone=Asia/Tokyo' }),
    expect: okJson([{ created_at: '2024-02-03T13:05:06+09:00' }], { 'Preference-Applied': 'timezone=Asia/Tokyo' }),
  },
  {
    name: 'timezone: a POSIX offset counts west of Greenwich',
    request: get('/items?select=created_at&id=eq.1', { Prefer: 'timezone=+05:30' }),
    expect: okJson([{ created_at: '2024-01-01T21:34:05-05:30' }], { 'Preference-Applied': 'timezone=+05:30' }),
  },
  {
    name: 'timezone: with handling=strict',
    request: get('/items?select=created_at&id=eq.1', { Prefer: 'handling=strict, timezone=America/Los_Angeles' }),
    expect: okJson([{ created_at: '2024-01-01T19:04:05-08:00' }], { 'Preference-Applied': 'handling=strict, timezone=America/Los_Angeles' }),
  },
  {
    name: 'timezone: an unknown zone is the database error',
    request: get('/items?select=id', { Prefer: 'timezone=Invalid/Timezone' }),
    expect: pgrstError(400, '22023', 'invalid value for parameter "TimeZone": "Invalid/Timezone"'),
  },
  {
    name: 'timezone: without the preference timestamps use the server zone (UTC)',
    request: get('/items?select=created_at&id=eq.1'),
    expect: okJson([{ created_at: '2024-01-02T03:04:05+00:00' }], { 'Preference-Applied': null }),
  },
  // --- other preferences --------------------------------------------------------------------
  {
    name: 'prefer: applied preferences are listed in a fixed order',
    request: get('/items?select=id&order=id', { Prefer: 'handling=lenient, count=exact' }),
    expect: okJson(ids(1, 2, 3, 4, 5), { 'Preference-Applied': 'count=exact, handling=lenient', 'Content-Range': '0-4/5' }),
  },
  {
    name: 'prefer: preferences may come in several comma-separated lists',
    request: get('/items?select=id&id=eq.1', { Prefer: 'count=exact,timezone=UTC' }),
    expect: okJson(ids(1), { 'Preference-Applied': 'count=exact, timezone=UTC', 'Content-Range': '0-0/1' }),
  },
  {
    name: 'prefer: an unknown preference is ignored by default',
    request: get('/items?select=id&id=eq.1', { Prefer: 'foo=bar' }),
    expect: okJson(ids(1), { 'Preference-Applied': null }),
  },
  {
    name: 'prefer: return= does not apply to reads',
    request: get('/items?select=id&id=eq.1', { Prefer: 'return=representation' }),
    expect: okJson(ids(1), { 'Preference-Applied': null }),
  },
  {
    name: 'prefer: handling=strict alone is applied',
    request: get('/items?select=id&id=eq.1', { Prefer: 'handling=strict' }),
    expect: okJson(ids(1), { 'Preference-Applied': 'handling=strict' }),
  },
  {
    name: 'prefer: handling=strict rejects unknown preferences',
    request: get('/items?select=id', { Prefer: 'handling=strict, foo=bar' }),
    expect: pgrstError(400, 'PGRST122', 'Invalid preferences given with handling=strict', 'Invalid preferences: foo=bar'),
  },
]
