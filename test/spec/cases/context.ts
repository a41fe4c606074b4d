/**
 * @module test/spec/cases/context: the request context as SQL reads it — role, claims (with
 * `role` added), method, path, headers, cookies, search_path, timezone — all set transaction-local
 * in the one tx-vars statement, and the read-only transaction of a GET.
 */
import type { SpecCase } from '../types.ts'

/** HS256 token for {"role":"authenticated","sub":"user-1","app_metadata":{"org":"acme"}} signed with SPEC_SETTINGS' secret. */
export const AUTHENTICATED_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYXV0aGVudGljYXRlZCIsInN1YiI6InVzZXItMSIsImFwcF9tZXRhZGF0YSI6eyJvcmciOiJhY21lIn19.8mTQjhYpeIwWfGmPXE6vJIJGeHr46ho-JMGItqrrNgM'

const anonymous = {
  method: 'GET',
  path: '/request_context',
  header: 'hello',
  cookie: 'abc',
  claims: { role: 'anonymous' },
  user: 'anonymous',
  search_path: '"test", "public"',
  timezone: 'UTC',
  read_only: 'on',
  pre_request_headers: null,
}

export const cases: readonly SpecCase[] = [
  {
    name: 'context: a valid token sets the role and the full claim set (nested objects intact)',
    request: { method: 'GET', path: '/request_context?select=claims,user', headers: { Authorization: `Bearer ${AUTHENTICATED_TOKEN}` } },
    expect: { status: 200, json: [{ claims: { role: 'authenticated', sub: 'user-1', app_metadata: { org: 'acme' } }, user: 'authenticated' }] },
  },
  {
    name: 'context: anonymous GET sees method, path, headers, cookies, claims, role and search_path',
    request: {
      method: 'GET',
      path: '/request_context',
      headers: { 'X-Custom': 'hello', Cookie: 'session=abc; theme=dark' },
    },
    expect: { status: 200, json: [anonymous] },
  },
  {
    name: 'context: Prefer timezone sets the session TimeZone for the transaction',
    request: { method: 'GET', path: '/request_context?select=timezone', headers: { Prefer: 'timezone=America/Los_Angeles' } },
    expect: { status: 200, json: [{ timezone: 'America/Los_Angeles' }], headers: { 'Preference-Applied': 'timezone=America/Los_Angeles' } },
  },
  {
    name: 'context: Accept-Profile puts the chosen schema first on the search_path',
    request: { method: 'GET', path: '/students?select=id&order=id&limit=1', headers: { 'Accept-Profile': 'api' } },
    expect: { status: 200, json: [{ id: 1 }], headers: { 'Content-Profile': 'api' } },
  },
]
