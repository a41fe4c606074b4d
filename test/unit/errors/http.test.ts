/**
 * @module test/unit/errors/http: the AppError → response table. Expected texts, bodies and
 * Content-Length values are PostgREST v16.2's, taken from its spec suite (the conformance
 * corpus) where a case exists and from Error.hs otherwise.
 */
import { describe, expect, it } from 'vitest'
import {
  compressedRel,
  errorResponse,
  errorToResponse,
  haskellShowString,
  relSuggestionHint,
  rpcSuggestionHint,
  tableSuggestionHint,
} from '../../../src/errors/http.ts'
import { errorBodyJson, errorHeaders } from '../../../src/errors/response.ts'
import { apiErr, cacheErr, jwtErr, pgErr, type AppError, type ErrorResponse } from '../../../src/errors/types.ts'
import type { Relationship, Routine, RoutineParam } from '../../../src/schema-cache/types.ts'

interface Expected {
  readonly status: number
  readonly code: string
  readonly message: string
  readonly details?: unknown
  readonly hint?: unknown
  readonly headers?: readonly (readonly [string, string])[]
}

const verbose = (e: AppError): ErrorResponse => errorResponse(e, 'verbose')

const cases: readonly (readonly [string, AppError, Expected])[] = [
  // PGRST1xx
  [
    'PGRST100 query param',
    apiErr({
      kind: 'queryParam',
      message: '"failed to parse select parameter (data->>--34)" (line 1, column 9)',
      details: 'unexpected "-" expecting digit',
    }),
    {
      status: 400,
      code: 'PGRST100',
      message: '"failed to parse select parameter (data->>--34)" (line 1, column 9)',
      details: 'unexpected "-" expecting digit',
    },
  ],
  ['PGRST101', apiErr({ kind: 'invalidRpcMethod', method: 'DELETE' }), { status: 405, code: 'PGRST101', message: 'Cannot use the DELETE method on RPC' }],
  ['PGRST102', apiErr({ kind: 'invalidBody', message: 'All object keys must match' }), { status: 400, code: 'PGRST102', message: 'All object keys must match' }],
  [
    'PGRST103 negative limit',
    apiErr({ kind: 'invalidRange', range: { kind: 'negativeLimit' } }),
    { status: 416, code: 'PGRST103', message: 'Requested range not satisfiable', details: 'Limit should be greater than or equal to zero.' },
  ],
  [
    'PGRST103 lower > upper',
    apiErr({ kind: 'invalidRange', range: { kind: 'lowerGTUpper' } }),
    {
      status: 416,
      code: 'PGRST103',
      message: 'Requested range not satisfiable',
      details: 'The lower boundary must be lower than or equal to the upper boundary in the Range header.',
    },
  ],
  [
    'PGRST103 out of bounds',
    apiErr({ kind: 'invalidRange', range: { kind: 'outOfBounds', lower: '100', total: '15' } }),
    { status: 416, code: 'PGRST103', message: 'Requested range not satisfiable', details: 'An offset of 100 was requested, but there are only 15 rows.' },
  ],
  [
    'PGRST105',
    apiErr({ kind: 'invalidFilters' }),
    { status: 405, code: 'PGRST105', message: "Filters must include all and only primary key columns with 'eq' operators" },
  ],
  [
    'PGRST106',
    apiErr({ kind: 'unacceptableSchema', schema: 'unknown', allowed: ['v1', 'v2', 'SPECIAL "@/\\#~_-'] }),
    { status: 406, code: 'PGRST106', message: 'Invalid schema: unknown', hint: 'Only the following schemas are exposed: v1, v2, SPECIAL "@/\\#~_-' },
  ],
  [
    'PGRST107',
    apiErr({ kind: 'mediaType', mediaTypes: ['text/plain', 'application/xml'] }),
    { status: 406, code: 'PGRST107', message: 'None of these media types are available: text/plain, application/xml' },
  ],
  [
    'PGRST108 not selected',
    apiErr({ kind: 'notEmbedded', resource: 'clientsx' }),
    {
      status: 400,
      code: 'PGRST108',
      message: "'clientsx' is not an embedded resource in this request",
      hint: "Verify that 'clientsx' is included in the 'select' query parameter.",
    },
  ],
  [
    'PGRST108 target name with alias',
    apiErr({ kind: 'notEmbedded', resource: 'tasks', alias: { name: 'tasks', alias: 'the_tasks' } }),
    {
      status: 400,
      code: 'PGRST108',
      message: "'tasks' is not an embedded resource in this request",
      details: 'Target names are not allowed in filters if they have an alias',
      hint: "Change 'tasks' to 'the_tasks' in filters, orders or limits.",
    },
  ],
  [
    'PGRST111',
    apiErr({ kind: 'gucHeaders' }),
    { status: 500, code: 'PGRST111', message: 'response.headers guc must be a JSON array composed of objects with a single key and a string value' },
  ],
  ['PGRST112', apiErr({ kind: 'gucStatus' }), { status: 500, code: 'PGRST112', message: 'response.status guc must be a valid status code' }],
  ['PGRST114', apiErr({ kind: 'putLimitNotAllowed' }), { status: 400, code: 'PGRST114', message: 'limit/offset querystring parameters are not allowed for PUT' }],
  ['PGRST115', apiErr({ kind: 'putMatchingPk' }), { status: 400, code: 'PGRST115', message: 'Payload values do not match URL in primary key column(s)' }],
  [
    'PGRST116',
    apiErr({ kind: 'singularity', rows: 4 }),
    { status: 406, code: 'PGRST116', message: 'Cannot coerce the result to a single JSON object', details: 'The result contains 4 rows' },
  ],
  ['PGRST117', apiErr({ kind: 'unsupportedMethod', method: 'TRACE' }), { status: 405, code: 'PGRST117', message: 'Unsupported HTTP method: TRACE' }],
  [
    'PGRST118',
    apiErr({ kind: 'relatedOrderNotToOne', origin: 'clients', target: 'projects' }),
    {
      status: 400,
      code: 'PGRST118',
      message: "A related order on 'projects' is not possible",
      details: "'clients' and 'projects' do not form a many-to-one or one-to-one relationship",
    },
  ],
  [
    'PGRST120',
    apiErr({ kind: 'unacceptableFilter', target: 'clients' }),
    {
      status: 400,
      code: 'PGRST120',
      message: "Bad operator on the 'clients' embedded resource",
      details: 'Only is null or not is null filters are allowed on embedded resources',
    },
  ],
  [
    'PGRST121 message',
    apiErr({ kind: 'pgrstParse', raise: { kind: 'msgParse', message: 'INVALID' } }),
    {
      status: 500,
      code: 'PGRST121',
      message: `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
      details: "Invalid JSON value for MESSAGE: 'INVALID'",
      hint: "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.",
    },
  ],
  [
    'PGRST121 detail',
    apiErr({ kind: 'pgrstParse', raise: { kind: 'detParse', detail: 'INVALID' } }),
    {
      status: 500,
      code: 'PGRST121',
      message: `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
      details: "Invalid JSON value for DETAIL: 'INVALID'",
      hint: "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.",
    },
  ],
  [
    'PGRST121 no detail',
    apiErr({ kind: 'pgrstParse', raise: { kind: 'noDetail' } }),
    {
      status: 500,
      code: 'PGRST121',
      message: `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
      details: 'DETAIL is missing in the RAISE statement',
      hint: "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.",
    },
  ],
  [
    'PGRST122',
    apiErr({ kind: 'invalidPreferences', prefs: ['something', 'else'] }),
    { status: 400, code: 'PGRST122', message: 'Invalid preferences given with handling=strict', details: 'Invalid preferences: something, else' },
  ],
  ['PGRST123', apiErr({ kind: 'aggregatesNotAllowed' }), { status: 400, code: 'PGRST123', message: 'Use of aggregate functions is not allowed' }],
  [
    'PGRST124',
    apiErr({ kind: 'maxAffectedViolation', rows: 14 }),
    { status: 400, code: 'PGRST124', message: 'Query result exceeds max-affected preference constraint', details: 'The query affects 14 rows' },
  ],
  ['PGRST125', apiErr({ kind: 'invalidResourcePath' }), { status: 404, code: 'PGRST125', message: 'Invalid path specified in request URL' }],
  ['PGRST126', apiErr({ kind: 'openApiDisabled' }), { status: 404, code: 'PGRST126', message: 'Root endpoint metadata is disabled' }],
  [
    'PGRST127',
    apiErr({ kind: 'notImplemented', details: 'some feature' }),
    { status: 400, code: 'PGRST127', message: 'Feature not implemented', details: 'some feature' },
  ],
  [
    'PGRST128',
    apiErr({ kind: 'maxAffectedRpcViolation' }),
    { status: 400, code: 'PGRST128', message: 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict' },
  ],
  // PGRST2xx
  [
    'PGRST200 with suggestion',
    cacheErr({
      kind: 'noRelBetween',
      parent: 'car_models',
      child: 'car_model_sales_202101',
      schema: 'test',
      suggestion: relSuggestionHint('car_model_sales', 'car_model_sales_202101'),
    }),
    {
      status: 400,
      code: 'PGRST200',
      message: "Could not find a relationship between 'car_models' and 'car_model_sales_202101' in the schema cache",
      details: "Searched for a foreign key relationship between 'car_models' and 'car_model_sales_202101' in the schema 'test', but no matches were found.",
      hint: "Perhaps you meant 'car_model_sales' instead of 'car_model_sales_202101'.",
    },
  ],
  [
    'PGRST200 with embed hint',
    cacheErr({ kind: 'noRelBetween', parent: 'message', child: 'sender', hint: 'fk_bogus', schema: 'test', suggestion: null }),
    {
      status: 400,
      code: 'PGRST200',
      message: "Could not find a relationship between 'message' and 'sender' in the schema cache",
      details: "Searched for a foreign key relationship between 'message' and 'sender' using the hint 'fk_bogus' in the schema 'test', but no matches were found.",
    },
  ],
  [
    'PGRST202 GET with suggestion',
    cacheErr({
      kind: 'noRpc',
      schema: 'test',
      name: 'add_them',
      argumentKeys: ['a', 'b', 'smthelse'],
      contentType: 'json',
      isInvPost: false,
      suggestion: rpcSuggestionHint('test', 'add_them(a, b)'),
    }),
    {
      status: 404,
      code: 'PGRST202',
      message: 'Could not find the function test.add_them(a, b, smthelse) in the schema cache',
      details: 'Searched for the function test.add_them with parameters a, b, smthelse, but no matches were found in the schema cache.',
      hint: 'Perhaps you meant to call the function test.add_them(a, b)',
    },
  ],
  [
    'PGRST202 POST json',
    cacheErr({
      kind: 'noRpc',
      schema: 'test',
      name: 'named_json_param',
      argumentKeys: ['A', 'B', 'C'],
      contentType: 'json',
      isInvPost: true,
      suggestion: null,
    }),
    {
      status: 404,
      code: 'PGRST202',
      message: 'Could not find the function test.named_json_param(A, B, C) in the schema cache',
      details:
        'Searched for the function test.named_json_param with parameters A, B, C or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
    },
  ],
  [
    'PGRST202 POST text (suggestion suppressed)',
    cacheErr({
      kind: 'noRpc',
      schema: 'test',
      name: 'unnamed_int_param',
      argumentKeys: [],
      contentType: 'text',
      isInvPost: true,
      suggestion: rpcSuggestionHint('test', 'unnamed_text_param'),
    }),
    {
      status: 404,
      code: 'PGRST202',
      message: 'Could not find the function test.unnamed_int_param in the schema cache',
      details: 'Searched for the function test.unnamed_int_param with a single unnamed text parameter, but no matches were found in the schema cache.',
    },
  ],
  [
    'PGRST202 POST xml',
    cacheErr({ kind: 'noRpc', schema: 'test', name: 'f', argumentKeys: [], contentType: 'xml', isInvPost: true, suggestion: null }),
    {
      status: 404,
      code: 'PGRST202',
      message: 'Could not find the function test.f in the schema cache',
      details: 'Searched for the function test.f with a single unnamed xml parameter, but no matches were found in the schema cache.',
    },
  ],
  [
    'PGRST202 POST octet-stream',
    cacheErr({ kind: 'noRpc', schema: 'test', name: 'unnamed_int_param', argumentKeys: [], contentType: 'octet', isInvPost: true, suggestion: null }),
    {
      status: 404,
      code: 'PGRST202',
      message: 'Could not find the function test.unnamed_int_param in the schema cache',
      details: 'Searched for the function test.unnamed_int_param with a single unnamed bytea parameter, but no matches were found in the schema cache.',
    },
  ],
  [
    'PGRST202 POST csv',
    cacheErr({
      kind: 'noRpc',
      schema: 'test',
      name: 'overloaded_unnamed_param',
      argumentKeys: ['a', 'b'],
      contentType: 'other',
      isInvPost: true,
      suggestion: rpcSuggestionHint('test', 'overloaded_unnamed_param(x, y)'),
    }),
    {
      status: 404,
      code: 'PGRST202',
      message: 'Could not find the function test.overloaded_unnamed_param(a, b) in the schema cache',
      details: 'Searched for the function test.overloaded_unnamed_param with parameters a, b, but no matches were found in the schema cache.',
      hint: 'Perhaps you meant to call the function test.overloaded_unnamed_param(x, y)',
    },
  ],
  [
    'PGRST202 without parameters, one parameter',
    cacheErr({ kind: 'noRpc', schema: 'api', name: 'nope', argumentKeys: [], contentType: 'json', isInvPost: false, suggestion: null }),
    {
      status: 404,
      code: 'PGRST202',
      message: 'Could not find the function api.nope without parameters in the schema cache',
      details: 'Searched for the function api.nope without parameters, but no matches were found in the schema cache.',
    },
  ],
  [
    'PGRST202 single parameter',
    cacheErr({ kind: 'noRpc', schema: 'api', name: 'nope', argumentKeys: ['x'], contentType: 'json', isInvPost: false, suggestion: null }),
    {
      status: 404,
      code: 'PGRST202',
      message: 'Could not find the function api.nope(x) in the schema cache',
      details: 'Searched for the function api.nope with parameter x, but no matches were found in the schema cache.',
    },
  ],
  [
    'PGRST204',
    cacheErr({ kind: 'columnNotFound', relation: 'articles', column: 'helicopter' }),
    { status: 400, code: 'PGRST204', message: "Could not find the 'helicopter' column of 'articles' in the schema cache" },
  ],
  [
    'PGRST205',
    cacheErr({ kind: 'tableNotFound', schema: 'test', name: 'foozle', suggestion: null }),
    { status: 404, code: 'PGRST205', message: "Could not find the table 'test.foozle' in the schema cache" },
  ],
  [
    'PGRST205 with suggestion',
    cacheErr({ kind: 'tableNotFound', schema: 'public', name: 'itemsxx', suggestion: tableSuggestionHint('public', 'items') }),
    {
      status: 404,
      code: 'PGRST205',
      message: "Could not find the table 'public.itemsxx' in the schema cache",
      hint: "Perhaps you meant the table 'public.items'",
    },
  ],
  // PGRST3xx
  ['PGRST300', jwtErr({ kind: 'secretMissing' }), { status: 500, code: 'PGRST300', message: 'Server lacks JWT secret' }],
  [
    'PGRST301 empty',
    jwtErr({ kind: 'decode', error: { kind: 'emptyAuthHeader' } }),
    {
      status: 401,
      code: 'PGRST301',
      message: 'Empty JWT is sent in Authorization header',
      headers: [['WWW-Authenticate', 'Bearer error="invalid_token", error_description="Empty JWT is sent in Authorization header"']],
    },
  ],
  [
    'PGRST301 parts',
    jwtErr({ kind: 'decode', error: { kind: 'unexpectedParts', parts: 2 } }),
    {
      status: 401,
      code: 'PGRST301',
      message: 'Expected 3 parts in JWT; got 2',
      headers: [['WWW-Authenticate', 'Bearer error="invalid_token", error_description="Expected 3 parts in JWT; got 2"']],
    },
  ],
  [
    'PGRST301 key error',
    jwtErr({ kind: 'decode', error: { kind: 'keyError', details: 'None of the keys was able to decode the JWT' } }),
    {
      status: 401,
      code: 'PGRST301',
      message: 'No suitable key or wrong key type',
      details: 'None of the keys was able to decode the JWT',
      headers: [['WWW-Authenticate', 'Bearer error="invalid_token", error_description="No suitable key or wrong key type"']],
    },
  ],
  [
    'PGRST301 bad algorithm',
    jwtErr({ kind: 'decode', error: { kind: 'badAlgorithm', details: "JWT is unsecured but expected 'alg' was not 'none'" } }),
    {
      status: 401,
      code: 'PGRST301',
      message: 'Wrong or unsupported encoding algorithm',
      details: "JWT is unsecured but expected 'alg' was not 'none'",
      headers: [['WWW-Authenticate', 'Bearer error="invalid_token", error_description="Wrong or unsupported encoding algorithm"']],
    },
  ],
  [
    'PGRST301 crypto',
    jwtErr({ kind: 'decode', error: { kind: 'badCrypto' } }),
    {
      status: 401,
      code: 'PGRST301',
      message: 'JWT cryptographic operation failed',
      headers: [['WWW-Authenticate', 'Bearer error="invalid_token", error_description="JWT cryptographic operation failed"']],
    },
  ],
  [
    'PGRST301 token type',
    jwtErr({ kind: 'decode', error: { kind: 'unsupportedTokenType' } }),
    {
      status: 401,
      code: 'PGRST301',
      message: 'Unsupported token type',
      headers: [['WWW-Authenticate', 'Bearer error="invalid_token", error_description="Unsupported token type"']],
    },
  ],
  [
    'PGRST301 unreachable',
    jwtErr({ kind: 'decode', error: { kind: 'unreachable' } }),
    {
      status: 401,
      code: 'PGRST301',
      message: "JWT couldn't be decoded",
      headers: [['WWW-Authenticate', `Bearer error="invalid_token", error_description="JWT couldn't be decoded"`]],
    },
  ],
  [
    'PGRST302',
    jwtErr({ kind: 'tokenRequired' }),
    { status: 401, code: 'PGRST302', message: 'Anonymous access is disabled', headers: [['WWW-Authenticate', 'Bearer']] },
  ],
  // PGRST0xx
  [
    'PGRST000',
    pgErr({ kind: 'connection', details: 'connection refused' }),
    { status: 503, code: 'PGRST000', message: 'Database connection error.', details: 'connection refused' },
  ],
  [
    'PGRST001',
    pgErr({ kind: 'client', details: 'socket closed' }),
    { status: 503, code: 'PGRST001', message: 'Database client error. Retrying the connection.', details: 'socket closed' },
  ],
  [
    'PGRST002',
    { origin: 'noSchemaCache' },
    { status: 503, code: 'PGRST002', message: 'Could not query the database for the schema cache. Retrying.' },
  ],
  [
    'PGRST003',
    pgErr({ kind: 'acquisitionTimeout' }),
    { status: 504, code: 'PGRST003', message: 'Timed out acquiring connection from connection pool.' },
  ],
  // Beyond PostgREST: edgerest's own codes, PostgREST's shape.
  [
    'PGRSTX01 declared size',
    apiErr({ kind: 'payloadTooLarge', limit: 1024, size: 4096 }),
    {
      status: 413,
      code: 'PGRSTX01',
      message: 'Request body too large',
      details: 'The body is 4096 bytes, larger than the limit of 1024 bytes',
      hint: 'Send a smaller body (split a bulk insert into several requests); the limit is EDGEREST_MAX_BODY_BYTES',
    },
  ],
  [
    'PGRSTX01 chunked',
    apiErr({ kind: 'payloadTooLarge', limit: 1024, size: null }),
    {
      status: 413,
      code: 'PGRSTX01',
      message: 'Request body too large',
      details: 'The body is larger than the limit of 1024 bytes',
      hint: 'Send a smaller body (split a bulk insert into several requests); the limit is EDGEREST_MAX_BODY_BYTES',
    },
  ],
  [
    'PGRSTX02',
    pgErr({ kind: 'transportLimit', direction: 'request', details: 'request is too large (max is 10485760 bytes)' }),
    {
      status: 413,
      code: 'PGRSTX02',
      message: "The request is too large for Neon's SQL-over-HTTP endpoint",
      details: 'request is too large (max is 10485760 bytes)',
      hint: 'Send a smaller body (split a bulk insert into several requests), or set EDGEREST_EXECUTOR=neon-ws, which has no request size limit',
    },
  ],
  [
    'PGRSTX03',
    pgErr({ kind: 'transportLimit', direction: 'response', details: 'response is too large (max is 10485760 bytes)' }),
    {
      status: 500,
      code: 'PGRSTX03',
      message: "The response is too large for Neon's SQL-over-HTTP endpoint",
      details: 'response is too large (max is 10485760 bytes)',
      hint: 'Request fewer rows (limit and offset, a Range header, or PGRST_DB_MAX_ROWS), or set EDGEREST_EXECUTOR=neon-ws, which has no response size limit',
    },
  ],
]

const claimCases: readonly (readonly [Parameters<typeof jwtErr>[0] & { kind: 'claims' }, string])[] = [
  [{ kind: 'claims', error: 'expired' }, 'JWT expired'],
  [{ kind: 'claims', error: 'notYetValid' }, 'JWT not yet valid'],
  [{ kind: 'claims', error: 'issuedAtFuture' }, 'JWT issued at future'],
  [{ kind: 'claims', error: 'notInAudience' }, 'JWT not in audience'],
  [{ kind: 'claims', error: 'parsingClaimsFailed' }, 'Parsing claims failed'],
  [{ kind: 'claims', error: 'expNotNumber' }, "The JWT 'exp' claim must be a number"],
  [{ kind: 'claims', error: 'nbfNotNumber' }, "The JWT 'nbf' claim must be a number"],
  [{ kind: 'claims', error: 'iatNotNumber' }, "The JWT 'iat' claim must be a number"],
  [{ kind: 'claims', error: 'audNotStringOrArray' }, "The JWT 'aud' claim must be a string or an array of strings"],
]

describe('errorResponse (verbose)', () => {
  it.each(cases)('%s', (_name, error, exp) => {
    expect(verbose(error)).toEqual({
      status: exp.status,
      code: exp.code,
      message: exp.message,
      details: exp.details ?? null,
      hint: exp.hint ?? null,
      headers: exp.headers ?? [],
    })
  })

  it.each(claimCases)('PGRST303 %o', (error, message) => {
    expect(verbose(jwtErr(error))).toEqual({
      status: 401,
      code: 'PGRST303',
      message,
      details: null,
      hint: null,
      headers: [['WWW-Authenticate', `Bearer error="invalid_token", error_description="${message}"`]],
    })
  })
})

describe('errorResponse (minimal)', () => {
  it('drops details and hint; the body has only code and message', () => {
    const r = errorResponse(cacheErr({ kind: 'tableNotFound', schema: 'test', name: 'itemsx', suggestion: 'x' }), 'minimal')
    expect(r.details).toBeUndefined()
    expect(r.hint).toBeUndefined()
    expect(errorBodyJson(r)).toBe('{"code":"PGRST205","message":"Could not find the table \'test.itemsx\' in the schema cache"}')
  })

  it('keeps status and headers', () => {
    const r = errorResponse(jwtErr({ kind: 'claims', error: 'expired' }), 'minimal')
    expect(r.status).toBe(401)
    expect(r.headers).toEqual([['WWW-Authenticate', 'Bearer error="invalid_token", error_description="JWT expired"']])
  })
})

const qi = (name: string) => ({ schema: 'test', name })
const fk = (table: string, foreignTable: string, cardinality: Extract<Relationship, { kind: 'fk' }>['cardinality']): Relationship => ({
  kind: 'fk',
  table: qi(table),
  foreignTable: qi(foreignTable),
  isSelf: table === foreignTable,
  cardinality,
  tableIsView: false,
  foreignTableIsView: false,
})
const m2m = (junction: string): Relationship =>
  fk('sites', 'big_projects', {
    kind: 'M2M',
    junction: {
      table: qi(junction),
      constraint1: 'jobs_site_id_fkey',
      constraint2: 'jobs_big_project_id_fkey',
      colsSource: [['site_id', 'site_id']],
      colsTarget: [['big_project_id', 'big_project_id']],
    },
  })

describe('PGRST201 ambiguous embedding', () => {
  const rels: Relationship[] = [
    fk('sites', 'big_projects', { kind: 'M2O', constraint: 'main_project', columns: [['main_project_id', 'big_project_id']] }),
    m2m('jobs'),
    m2m('main_jobs'),
  ]
  const error = cacheErr({ kind: 'ambiguousRelBetween', parent: 'sites', child: 'big_projects', rels })

  it('lists each candidate and a hint naming the disambiguators', () => {
    expect(verbose(error)).toEqual({
      status: 300,
      code: 'PGRST201',
      message: "Could not embed because more than one relationship was found for 'sites' and 'big_projects'",
      details: [
        {
          cardinality: 'many-to-one',
          embedding: 'sites with big_projects',
          relationship: 'main_project using sites(main_project_id) and big_projects(big_project_id)',
        },
        {
          cardinality: 'many-to-many',
          embedding: 'sites with big_projects',
          relationship: 'jobs using jobs_site_id_fkey(site_id) and jobs_big_project_id_fkey(big_project_id)',
        },
        {
          cardinality: 'many-to-many',
          embedding: 'sites with big_projects',
          relationship: 'main_jobs using jobs_site_id_fkey(site_id) and jobs_big_project_id_fkey(big_project_id)',
        },
      ],
      hint: "Try changing 'big_projects' to one of the following: 'big_projects!main_project', 'big_projects!jobs', 'big_projects!main_jobs'. Find the desired relationship in the 'details' key.",
      headers: [],
    })
  })

  it('has the byte length PostgREST sends (828)', async () => {
    expect((await errorToResponse(error, 'verbose').arrayBuffer()).byteLength).toBe(828)
  })

  it('describes one-to-many and one-to-one with composite keys', () => {
    expect(
      compressedRel(fk('agents', 'departments', { kind: 'O2M', constraint: 'departments_head_id_fkey', columns: [['id', 'head_id']] })),
    ).toEqual({
      cardinality: 'one-to-many',
      embedding: 'agents with departments',
      relationship: 'departments_head_id_fkey using agents(id) and departments(head_id)',
    })
    expect(
      compressedRel(
        fk('a', 'b', {
          kind: 'O2O',
          constraint: 'a_b_fkey',
          columns: [
            ['x', 'p'],
            ['y', 'q'],
          ],
          isParent: false,
        }),
      ),
    ).toEqual({ cardinality: 'one-to-one', embedding: 'a with b', relationship: 'a_b_fkey using a(x, y) and b(p, q)' })
  })
})

const param = (name: string, type: string): RoutineParam => ({ name, type, typeMaxLength: type, required: true, variadic: false })
const routine = (params: RoutineParam[]): Routine => ({
  schema: 'test',
  name: 'overloaded_same_args',
  description: null,
  params,
  returnType: { kind: 'single', type: { kind: 'scalar', qi: { schema: 'pg_catalog', name: 'text' } } },
  volatility: 'volatile',
  hasVariadic: false,
  isolationLevel: null,
  settings: [],
})

describe('PGRST203 ambiguous function', () => {
  const error = cacheErr({
    kind: 'ambiguousRpc',
    routines: [routine([param('arg', 'integer')]), routine([param('arg', 'xml')]), routine([param('arg', 'text'), param('num', 'integer')])],
  })
  it('lists the candidates with their parameters', async () => {
    const r = verbose(error)
    expect(r.status).toBe(300)
    expect(r.message).toBe(
      'Could not choose the best candidate function between: test.overloaded_same_args(arg => integer), test.overloaded_same_args(arg => xml), test.overloaded_same_args(arg => text, num => integer)',
    )
    expect(r.hint).toBe('Try renaming the parameters or the function itself in the database so function overloading can be resolved')
    expect((await errorToResponse(error, 'verbose').arrayBuffer()).byteLength).toBe(353)
  })
})

describe('errorToResponse', () => {
  // Bodies whose Content-Length PostgREST's spec suite pins: same keys, order and escaping.
  const lengths: readonly (readonly [string, AppError, number])[] = [
    ['PGRST125', apiErr({ kind: 'invalidResourcePath' }), 96],
    ['PGRST205', cacheErr({ kind: 'tableNotFound', schema: 'test', name: 'non_existent_table', suggestion: null }), 129],
    ['PGRST301', jwtErr({ kind: 'decode', error: { kind: 'unexpectedParts', parts: 2 } }), 89],
    ['PGRST301 empty', jwtErr({ kind: 'decode', error: { kind: 'emptyAuthHeader' } }), 100],
    ['PGRST101', apiErr({ kind: 'invalidRpcMethod', method: 'DELETE' }), 94],
    ['PGRST102', apiErr({ kind: 'invalidBody', message: 'Empty or invalid json' }), 80],
    ['PGRST103', apiErr({ kind: 'invalidRange', range: { kind: 'outOfBounds', lower: '1', total: '0' } }), 144],
    ['PGRST107', apiErr({ kind: 'mediaType', mediaTypes: ['text/plain'] }), 110],
    ['PGRST111', apiErr({ kind: 'gucHeaders' }), 157],
    ['PGRST121', apiErr({ kind: 'pgrstParse', raise: { kind: 'msgParse', message: 'INVALID' } }), 263],
    ['PGRST126', apiErr({ kind: 'openApiDisabled' }), 93],
  ]
  it.each(lengths)('%s body length', async (_n, error, length) => {
    const res = errorToResponse(error, 'verbose')
    expect((await res.arrayBuffer()).byteLength).toBe(length)
  })

  it('sets Content-Type, Proxy-Status and the error headers', async () => {
    const res = errorToResponse(jwtErr({ kind: 'decode', error: { kind: 'emptyAuthHeader' } }), 'verbose')
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('proxy-status')).toBe('PostgREST; error=PGRST301')
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="Empty JWT is sent in Authorization header"')
    expect(await res.json()).toEqual({ code: 'PGRST301', details: null, hint: null, message: 'Empty JWT is sent in Authorization header' })
  })

  it('emits keys in aeson order: code, details, hint, message', async () => {
    const text = await errorToResponse(apiErr({ kind: 'singularity', rows: 0 }), 'verbose').text()
    expect(text).toBe(
      '{"code":"PGRST116","details":"The result contains 0 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}',
    )
  })

  it('minimal verbosity sends only code and message', async () => {
    const text = await errorToResponse(apiErr({ kind: 'singularity', rows: 0 }), 'minimal').text()
    expect(text).toBe('{"code":"PGRST116","message":"Cannot coerce the result to a single JSON object"}')
  })

  it('lists headers in PostgREST order', () => {
    expect(errorHeaders(verbose(jwtErr({ kind: 'tokenRequired' })))).toEqual([
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Proxy-Status', 'PostgREST; error=PGRST302'],
      ['WWW-Authenticate', 'Bearer'],
    ])
  })
})

describe('haskellShowString', () => {
  it.each([
    ['JWT expired', '"JWT expired"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['line\nbreak\ttab', '"line\\nbreak\\ttab"'],
    ['\u0001\u007f', '"\\SOH\\DEL"'],
    ['\u000eH', '"\\SO\\&H"'],
    ['é', '"\\233"'],
    ['é1', '"\\233\\&1"'],
    ['😀', '"\\128512"'],
  ])('%j → %s', (input, shown) => {
    expect(haskellShowString(input)).toBe(shown)
  })
})
