/**
 * @module test/spec/rpc-cases: HTTP spec cases for functions called through `/rpc`, against the
 * `rpc` schema of test/fixtures/80-rpc.sql, shared by the Node runner (test/spec/rpc.test.ts) and
 * the workerd runner (test/runtime/workers/rpc.test.ts, over neon-http and neon-ws). Only cases
 * that read or whose writes are rolled back by the function failing; tests that commit live in
 * the runners, with keys of their own.
 */
import type { SpecCase, SpecExpect, SpecRequest } from './types.ts'

/**
 * What the RPC tests change on top of SPEC_SETTINGS: only the `rpc` schema is exposed, a
 * pre-request hook reports two settings as response headers, and only `statement_timeout` is
 * hoisted from function settings into the transaction.
 */
export const RPC_SETTINGS: Readonly<Record<string, string>> = {
  PGRST_DB_SCHEMAS: 'rpc',
  PGRST_DB_PRE_REQUEST: 'rpc.pre_request',
  PGRST_DB_HOISTED_TX_SETTINGS: 'statement_timeout',
}

export const JSON_CT = 'application/json; charset=utf-8'

const get = (path: string, headers?: Record<string, string>): SpecRequest => (headers ? { method: 'GET', path, headers } : { method: 'GET', path })
const post = (path: string, body: unknown, headers: Record<string, string> = {}): SpecRequest => ({
  method: 'POST',
  path,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const ok = (json: unknown, headers: Record<string, string | null> = {}, status = 200): SpecExpect => ({
  status,
  json,
  headers: { 'Content-Type': JSON_CT, ...headers },
})
const error = (status: number, code: string, message: string, details: string | null = null, hint: string | null = null): SpecExpect => ({
  status,
  json: { code, message, details, hint },
  headers: { 'Content-Type': JSON_CT },
})

const tx = (id: number, account_id: number, amount: number, kind: string, note: string | null) => ({ id, account_id, amount, kind, note })
const T2 = tx(2, 1, 150, 'credit', 'salary')
const T3 = tx(3, 1, 300, 'credit', null)
const T5 = tx(5, 2, 120, 'debit', 'books')

const filters = (...fs: [string, string, string | number][]) => fs.map(([field, operation, value]) => ({ field, operation, value }))

export const RPC_CASES: readonly SpecCase[] = [
  // --- business logic as apps write it ----------------------------------------------------------
  {
    name: 'POST with a JSON array argument: dynamic filters',
    request: post('/rpc/get_filtered_transactions', { filters: filters(['amount', 'gt', 100]) }),
    expect: ok([T2, T3, T5], { 'Content-Range': '0-2/*' }),
  },
  {
    name: 'the result is filtered, ordered, paginated and counted like a table',
    request: post('/rpc/get_filtered_transactions?select=id,amount&order=amount.desc&limit=2', { filters: filters(['amount', 'gt', 100]) }, { Prefer: 'count=exact' }),
    expect: ok([{ id: 3, amount: 300 }, { id: 2, amount: 150 }], { 'Content-Range': '0-1/3', 'Preference-Applied': 'count=exact' }, 206),
  },
  {
    name: 'GET: a JSON argument in the query string next to a filter on the result',
    request: get(`/rpc/get_filtered_transactions?filters=${encodeURIComponent(JSON.stringify(filters(['kind', 'eq', 'debit'])))}&account_id=eq.2&select=id`),
    expect: ok([{ id: 4 }, { id: 5 }]),
  },
  {
    name: 'the result embeds what its table references',
    request: get('/rpc/get_filtered_transactions?select=id,amount,account:accounts(owner)&id=lte.2'),
    expect: ok([
      { id: 1, amount: 50, account: { owner: 'ada' } },
      { id: 2, amount: 150, account: { owner: 'ada' } },
    ]),
  },
  {
    name: 'Range header on a GET',
    request: get('/rpc/get_filtered_transactions?select=id', { Range: '1-2', Prefer: 'count=exact' }),
    expect: ok([{ id: 2 }, { id: 3 }], { 'Content-Range': '1-2/6' }, 206),
  },
  {
    name: 'Range past the end is 416',
    request: get('/rpc/get_filtered_transactions?select=id', { Range: '10-11', Prefer: 'count=exact' }),
    expect: error(416, 'PGRST103', 'Requested range not satisfiable', 'An offset of 10 was requested, but there are only 6 rows.'),
  },
  {
    name: 'statistics with defaulted arguments',
    request: post('/rpc/get_transaction_stat', { p_user_id: 1 }),
    expect: ok(500, { 'Content-Range': '0-0/*' }),
  },
  {
    name: 'statistics with every argument',
    request: post('/rpc/get_transaction_stat', { p_user_id: 1, p_filters: filters(['kind', 'eq', 'credit']), p_aggregate_fn: 'avg' }),
    expect: ok(225),
  },
  {
    name: 'a RAISE with a PT status code is that status',
    request: post('/rpc/get_transaction_stat', { p_user_id: 1, p_aggregate_fn: 'median' }),
    expect: error(400, 'PT400', 'unknown aggregate median'),
  },
  {
    name: 'a RAISE with an SQLSTATE keeps its hint',
    request: post('/rpc/get_filtered_transactions', { filters: filters(['owner', 'eq', 'x']) }),
    expect: error(400, '22023', 'invalid filter {"field": "owner", "value": "x", "operation": "eq"}', null, 'fields: amount, kind, account_id'),
  },

  // --- return shapes ------------------------------------------------------------------------------
  { name: 'a scalar over GET', request: get('/rpc/add?a=1&b=2'), expect: ok(3, { 'Content-Range': '0-0/*' }) },
  { name: 'a scalar counts as one row', request: post('/rpc/add', { a: 40, b: 2 }, { Prefer: 'count=exact' }), expect: ok(42, { 'Content-Range': '0-0/1' }) },
  { name: 'a defaulted argument may be left out', request: get('/rpc/hello'), expect: ok('Hello, world') },
  { name: 'a text argument from the query string', request: get('/rpc/hello?name=edge%20rest'), expect: ok('Hello, edge rest') },
  { name: 'a single composite is an object', request: get('/rpc/account?id=2'), expect: ok({ id: 2, owner: 'bob' }) },
  // A SQL function returning no row of a composite returns a NULL composite: one row of NULLs.
  { name: 'a missing row of a single composite is an object of nulls', request: get('/rpc/account?id=9'), expect: ok({ id: null, owner: null }) },
  { name: 'a set of scalars is an array of values', request: get('/rpc/amounts?account_id=2'), expect: ok([20, 120, 75]) },
  {
    name: 'RETURNS TABLE is a set of rows that can be filtered',
    request: get('/rpc/totals?total=gt.300'),
    expect: ok([{ account_id: 1, total: 500 }]),
  },
  { name: 'OUT parameters are an object', request: get('/rpc/split?a=7'), expect: ok({ half: 3, rest: 1 }) },
  {
    name: 'void is 204 without Content-Type',
    request: post('/rpc/noop', {}),
    expect: { status: 204, text: '', headers: { 'Content-Type': null } },
  },
  {
    name: 'singular: one row of a set as an object',
    request: get('/rpc/accounts_of?owner_prefix=a', { Accept: 'application/vnd.pgrst.object+json' }),
    expect: { status: 200, json: { id: 1, owner: 'ada' }, headers: { 'Content-Type': 'application/vnd.pgrst.object+json; charset=utf-8' } },
  },
  {
    name: 'singular: more than one row is 406',
    request: get('/rpc/accounts_of?owner_prefix=', { Accept: 'application/vnd.pgrst.object+json' }),
    expect: error(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', 'The result contains 2 rows'),
  },
  {
    name: 'CSV of a set-returning function',
    request: get('/rpc/accounts_of?owner_prefix=', { Accept: 'text/csv' }),
    expect: { status: 200, text: 'id,owner\n1,ada\n2,bob', headers: { 'Content-Type': 'text/csv; charset=utf-8' } },
  },
  {
    name: 'HEAD: headers only',
    request: { method: 'HEAD', path: '/rpc/accounts_of?owner_prefix=', headers: { Prefer: 'count=exact' } },
    expect: { status: 200, text: '', headers: { 'Content-Range': '0-1/2', 'Content-Type': JSON_CT } },
  },

  // --- arguments ------------------------------------------------------------------------------------
  { name: 'overloads are told apart by argument names (one)', request: get('/rpc/pick?a=1'), expect: ok('int') },
  { name: 'overloads are told apart by argument names (two)', request: post('/rpc/pick', { a: 1, b: 2 }), expect: ok('int,int') },
  {
    name: 'the same names with other types are ambiguous: 300',
    request: get('/rpc/same?x=1'),
    expect: {
      status: 300,
      json: {
        code: 'PGRST203',
        details: null,
        hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
        message: 'Could not choose the best candidate function between: rpc.same(x => integer), rpc.same(x => text)',
      },
    },
  },
  {
    name: 'unknown arguments: 404 with the closest parameter list',
    request: get('/rpc/add?a=1&c=2'),
    expect: error(
      404,
      'PGRST202',
      'Could not find the function rpc.add(a, c) in the schema cache',
      'Searched for the function rpc.add with parameters a, c, but no matches were found in the schema cache.',
      'Perhaps you meant to call the function rpc.add(a, b)',
    ),
  },
  {
    name: 'an unknown function: 404 with the closest name',
    request: post('/rpc/helo', { name: 'x' }),
    expect: error(
      404,
      'PGRST202',
      'Could not find the function rpc.helo(name) in the schema cache',
      'Searched for the function rpc.helo with parameter name or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      'Perhaps you meant to call the function rpc.hello',
    ),
  },
  { name: 'variadic from a JSON array', request: post('/rpc/join_all', { parts: ['a', 'b', 'c'] }), expect: ok('a+b+c') },
  { name: 'variadic by repeating a query parameter', request: get('/rpc/join_all?parts=x&parts=y'), expect: ok('x+y') },
  {
    name: 'variadic by repeating a form field',
    request: { method: 'POST', path: '/rpc/join_all', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'parts=1&parts=2&parts=3' },
    expect: ok('1+2+3'),
  },
  {
    name: 'form-urlencoded arguments',
    request: { method: 'POST', path: '/rpc/add', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=5&b=6' },
    expect: ok(11),
  },
  {
    name: 'CSV arguments (the first row)',
    request: { method: 'POST', path: '/rpc/add', headers: { 'Content-Type': 'text/csv' }, body: 'a,b\n7,8\n100,100' },
    expect: ok(15),
  },
  { name: 'a JSON array body calls with its first object', request: post('/rpc/add', [{ a: 1, b: 1 }, { a: 9, b: 9 }]), expect: ok(2) },
  { name: '?columns= keeps only the listed keys', request: post('/rpc/hello?columns=name', { name: 'cols', other: 1 }), expect: ok('Hello, cols') },
  {
    name: 'the JSON body as the single unnamed json argument',
    request: post('/rpc/json_keys', { zeta: 1, alpha: 2 }),
    expect: ok(['alpha', 'zeta']),
  },
  {
    name: 'a text/plain body as the single unnamed text argument',
    request: { method: 'POST', path: '/rpc/shout', headers: { 'Content-Type': 'text/plain' }, body: 'quiet ünïcode' },
    expect: ok('QUIET ÜNÏCODE'),
  },
  {
    name: 'an octet-stream body as the single unnamed bytea argument',
    request: { method: 'POST', path: '/rpc/byte_count', headers: { 'Content-Type': 'application/octet-stream' }, body: 'four' },
    expect: ok(4),
  },
  {
    name: 'a text body for a function without a text parameter: 404 without a hint',
    request: { method: 'POST', path: '/rpc/add', headers: { 'Content-Type': 'text/plain' }, body: '1' },
    expect: error(
      404,
      'PGRST202',
      'Could not find the function rpc.add in the schema cache',
      'Searched for the function rpc.add with a single unnamed text parameter, but no matches were found in the schema cache.',
    ),
  },

  // --- methods, transactions, preferences -----------------------------------------------------------
  {
    name: 'GET runs read-only: a writing function is 405',
    request: get('/rpc/add_note?id=never&body=x'),
    expect: error(405, '25006', 'cannot execute INSERT in a read-only transaction'),
  },
  { name: 'DELETE on a function is 405 PGRST101', request: { method: 'DELETE', path: '/rpc/add' }, expect: error(405, 'PGRST101', 'Cannot use the DELETE method on RPC') },
  {
    name: 'OPTIONS on a stable function',
    request: { method: 'OPTIONS', path: '/rpc/hello' },
    expect: { status: 200, text: '', headers: { Allow: 'OPTIONS,GET,HEAD,POST' } },
  },
  {
    name: 'OPTIONS on a volatile function',
    request: { method: 'OPTIONS', path: '/rpc/noop' },
    expect: { status: 200, text: '', headers: { Allow: 'OPTIONS,POST' } },
  },
  {
    name: 'max-affected with handling=strict on a single-row function: 400 PGRST128',
    request: post('/rpc/add', { a: 1, b: 1 }, { Prefer: 'handling=strict, max-affected=1' }),
    expect: error(400, 'PGRST128', 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict'),
  },
  {
    name: 'max-affected on a set: within the limit',
    request: post('/rpc/accounts_of', { owner_prefix: '' }, { Prefer: 'handling=strict, max-affected=2' }),
    expect: ok([{ id: 1, owner: 'ada' }, { id: 2, owner: 'bob' }], { 'Preference-Applied': 'handling=strict, max-affected=2' }),
  },
  {
    name: 'max-affected on a set: over the limit is 400 PGRST124',
    request: post('/rpc/accounts_of', { owner_prefix: '' }, { Prefer: 'handling=strict, max-affected=1' }),
    expect: error(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', 'The query affects 2 rows'),
  },
  {
    name: 'the function isolation level is the transaction isolation level',
    request: get('/rpc/isolation'),
    expect: ok('serializable'),
  },
  {
    name: 'a hoisted setting applies to the whole transaction, the others only inside the function',
    request: get('/rpc/work_mem'),
    expect: { ...ok('1234kB'), headerPatterns: { 'X-Statement-Timeout': '^(?!7s$)', 'X-Work-Mem': '^(?!1234kB$)' } },
  },
  {
    name: 'a function setting listed in db-hoisted-tx-settings is set before the function runs',
    request: get('/rpc/timeout'),
    expect: ok('7s', { 'X-Statement-Timeout': '7s' }),
  },

  // --- media types -----------------------------------------------------------------------------------
  {
    name: 'a function returning a text/html domain',
    request: get('/rpc/page?title=Hi', { Accept: 'text/html' }),
    expect: { status: 200, text: '<h1>Hi</h1>', headers: { 'Content-Type': 'text/html' } },
  },
  {
    name: 'a domain-typed function still answers JSON by default',
    request: get('/rpc/page?title=Hi'),
    expect: ok('<h1>Hi</h1>'),
  },
  {
    name: 'an aggregate handler for the function result table',
    request: get('/rpc/accounts_of?owner_prefix=', { Accept: 'text/plain' }),
    expect: { status: 200, text: '1:ada\n2:bob\n', headers: { 'Content-Type': 'text/plain; charset=utf-8' } },
  },
  {
    name: 'the table handler needs the default select',
    request: get('/rpc/accounts_of?owner_prefix=&select=id', { Accept: 'text/plain' }),
    expect: error(406, 'PGRST107', 'None of these media types are available: text/plain'),
  },
  {
    name: 'an unknown media type is 406 PGRST107',
    request: get('/rpc/add?a=1&b=2', { Accept: 'audio/mpeg' }),
    expect: error(406, 'PGRST107', 'None of these media types are available: audio/mpeg'),
  },
]

/** Base64url without padding, for JWT parts. */
const b64url = (bytes: Uint8Array): string => {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** An HS256 JWT for `claims`, signed with WebCrypto (available on Node and in workerd). */
export const signHs256 = async (claims: Record<string, unknown>, secret: string): Promise<string> => {
  const enc = new TextEncoder()
  const head = `${b64url(enc.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })))}.${b64url(enc.encode(JSON.stringify(claims)))}`
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return `${head}.${b64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(head))))}`
}
