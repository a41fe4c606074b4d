/**
 * @module test/unit/errors/pg: SQLSTATE → HTTP status (PostgREST's mapSQLtoHTTP), PTxyz and
 * `RAISE SQLSTATE 'PGRST'` handling, and the bodies of database errors. Expected bodies and
 * Content-Length values come from PostgREST's spec suite where it has them.
 */
import { describe, expect, it } from 'vitest'
import { errorResponse, errorToResponse } from '../../../src/errors/http.ts'
import { parseRaisePgrst, pgErrorResponse, sqlStateStatus } from '../../../src/errors/pg.ts'
import { pgErr, type AppError, type PgServerError } from '../../../src/errors/types.ts'

const e = (code: string, message = 'boom', detail?: string | null, hint?: string | null): PgServerError => ({ code, message, detail, hint })
const server = (error: PgServerError, authenticated = false): AppError => pgErr({ kind: 'server', authenticated, error })

describe('sqlStateStatus', () => {
  const table: readonly (readonly [string, string, number])[] = [
    ['08000', 'connection exception', 503],
    ['08006', 'connection failure', 503],
    ['09000', 'triggered action', 500],
    ['0L000', 'invalid grantor', 403],
    ['0P000', 'invalid role specification', 403],
    ['23503', 'fk violation', 409],
    ['23505', 'unique violation', 409],
    ['23502', 'not null violation', 400],
    ['23514', 'check violation', 400],
    ['25006', 'read only transaction', 405],
    ['25001', 'active sql transaction', 500],
    ['25P02', 'in failed transaction', 500],
    ['28000', 'invalid authorization', 403],
    ['28P01', 'invalid password', 403],
    ['2D000', 'invalid transaction termination', 500],
    ['38000', 'external routine', 500],
    ['39000', 'external routine invocation', 500],
    ['3B000', 'savepoint', 500],
    ['40001', 'serialization failure', 500],
    ['40P01', 'deadlock', 500],
    ['53400', 'configuration limit exceeded', 500],
    ['53100', 'disk full', 503],
    ['53200', 'out of memory', 503],
    ['53300', 'too many connections', 503],
    ['54001', 'statement too complex', 500],
    ['55000', 'object not in prerequisite state', 500],
    ['55P03', 'lock not available', 500],
    ['57P01', 'admin shutdown', 503],
    ['57014', 'query canceled', 500],
    ['58000', 'system error', 500],
    ['F0000', 'config file error', 500],
    ['HV000', 'fdw error', 500],
    ['P0001', 'raise exception', 400],
    ['P0002', 'no data found', 500],
    ['P0004', 'assert failure', 500],
    ['XX000', 'internal error', 500],
    ['42P01', 'undefined table', 404],
    ['42P17', 'infinite recursion', 500],
    ['42703', 'undefined column', 400],
    ['42704', 'undefined object', 400],
    ['22P02', 'invalid text representation', 400],
    ['22001', 'string data right truncation', 400],
    ['2200N', 'invalid xml content', 400],
    ['428C9', 'generated always', 400],
    ['PT40A', 'not a number', 500],
  ]
  it.each(table)('%s (%s) → %i', (code, _what, status) => {
    expect(sqlStateStatus(false, e(code)).status).toBe(status)
  })

  it('21000: pg-safeupdate refusals are 400, other cardinality violations 500', () => {
    expect(sqlStateStatus(false, e('21000', 'UPDATE requires a WHERE clause')).status).toBe(400)
    expect(sqlStateStatus(false, e('21000', 'DELETE requires a WHERE clause')).status).toBe(400)
    expect(sqlStateStatus(false, e('21000', 'more than one row returned by a subquery used as an expression')).status).toBe(500)
  })

  it('22023: a missing role is 401, other invalid parameter values 400', () => {
    expect(sqlStateStatus(false, e('22023', 'role "not existing" does not exist')).status).toBe(401)
    expect(sqlStateStatus(true, e('22023', 'role "not existing" does not exist')).status).toBe(401)
    expect(sqlStateStatus(false, e('22023', 'geometry column is missing')).status).toBe(400)
    expect(sqlStateStatus(false, e('22023', 'invalid value for parameter "TimeZone": "Invalid/Timezone"')).status).toBe(400)
  })

  it('42883: missing xmlagg is 406, other undefined functions 404', () => {
    expect(sqlStateStatus(false, e('42883', 'function xmlagg(integer) does not exist')).status).toBe(406)
    expect(sqlStateStatus(false, e('42883', 'operator does not exist: text -> integer')).status).toBe(404)
  })

  it('42501: 401 for the anonymous role, 403 when authenticated', () => {
    expect(sqlStateStatus(false, e('42501')).status).toBe(401)
    expect(sqlStateStatus(true, e('42501')).status).toBe(403)
  })

  it('PTxyz: status xyz with the message as reason phrase', () => {
    expect(sqlStateStatus(false, e('PT402', 'Payment Required'))).toEqual({ status: 402, statusText: 'Payment Required' })
    expect(sqlStateStatus(false, e('PT418', "I'm a teapot"))).toEqual({ status: 418, statusText: "I'm a teapot" })
  })

  it('PGRST: status and optional status_text from DETAIL; 500 when unparseable', () => {
    const msg = '{"code":"123","message":"ABC"}'
    expect(sqlStateStatus(false, e('PGRST', msg, '{"status":332,"headers":{}}'))).toEqual({ status: 332 })
    expect(sqlStateStatus(false, e('PGRST', msg, '{"status":404,"status_text":"My Not Found","headers":{}}'))).toEqual({
      status: 404,
      statusText: 'My Not Found',
    })
    expect(sqlStateStatus(false, e('PGRST', 'INVALID', '{"status":332,"headers":{}}'))).toEqual({ status: 500 })
    expect(sqlStateStatus(false, e('PGRST', msg, null))).toEqual({ status: 500 })
  })
})

describe('parseRaisePgrst', () => {
  it('reads MESSAGE and DETAIL', () => {
    expect(
      parseRaisePgrst(
        '{"code":"123","message":"ABC","details":"DEF","hint":"XYZ"}',
        '{"status":332,"status_text":"My Custom Status","headers":{"X-Header":"str","A-First":"1"}}',
      ),
    ).toEqual({
      ok: true,
      value: {
        code: '123',
        message: 'ABC',
        details: 'DEF',
        hint: 'XYZ',
        status: 332,
        statusText: 'My Custom Status',
        headers: [
          ['A-First', '1'],
          ['X-Header', 'str'],
        ],
      },
    })
  })

  it('defaults optional keys to null', () => {
    const r = parseRaisePgrst('{"code":"123","message":"ABC","details":null}', '{"status":332,"headers":{}}')
    expect(r).toEqual({ ok: true, value: { code: '123', message: 'ABC', details: null, hint: null, status: 332, statusText: null, headers: [] } })
  })

  const bad: readonly (readonly [string, string, string | null | undefined, unknown])[] = [
    ['MESSAGE not JSON', 'INVALID', '{"status":332,"headers":{}}', { kind: 'msgParse', message: 'INVALID' }],
    ['MESSAGE not an object', '[1]', '{"status":332,"headers":{}}', { kind: 'msgParse', message: '[1]' }],
    ['MESSAGE without code', '{"message":"ABC"}', '{"status":332,"headers":{}}', { kind: 'msgParse', message: '{"message":"ABC"}' }],
    ['MESSAGE with numeric code', '{"code":123,"message":"ABC"}', '{"status":1,"headers":{}}', { kind: 'msgParse', message: '{"code":123,"message":"ABC"}' }],
    ['MESSAGE with non-string details', '{"code":"1","message":"A","details":5}', '{}', { kind: 'msgParse', message: '{"code":"1","message":"A","details":5}' }],
    ['no DETAIL (null)', '{"code":"1","message":"A"}', null, { kind: 'noDetail' }],
    ['no DETAIL (undefined)', '{"code":"1","message":"A"}', undefined, { kind: 'noDetail' }],
    ['DETAIL not JSON', '{"code":"1","message":"A"}', 'INVALID', { kind: 'detParse', detail: 'INVALID' }],
    ['DETAIL without headers', '{"code":"1","message":"A"}', '{"status":332}', { kind: 'detParse', detail: '{"status":332}' }],
    ['DETAIL without status', '{"code":"1","message":"A"}', '{"headers":{}}', { kind: 'detParse', detail: '{"headers":{}}' }],
    ['DETAIL with fractional status', '{"code":"1","message":"A"}', '{"status":3.5,"headers":{}}', { kind: 'detParse', detail: '{"status":3.5,"headers":{}}' }],
    ['DETAIL with string status', '{"code":"1","message":"A"}', '{"status":"332","headers":{}}', { kind: 'detParse', detail: '{"status":"332","headers":{}}' }],
    ['DETAIL header value not a string', '{"code":"1","message":"A"}', '{"status":332,"headers":{"X":1}}', { kind: 'detParse', detail: '{"status":332,"headers":{"X":1}}' }],
    ['MESSAGE checked before DETAIL', 'nope', null, { kind: 'msgParse', message: 'nope' }],
  ]
  it.each(bad)('%s', (_n, message, detail, expected) => {
    expect(parseRaisePgrst(message, detail)).toEqual({ ok: false, error: expected })
  })
})

describe('database error responses', () => {
  it('server error: SQLSTATE code, message, detail and hint (null when absent)', () => {
    expect(errorResponse(server(e('23505', 'duplicate key value violates unique constraint "x"', 'Key (col)=(1) already exists.')), 'verbose')).toEqual({
      status: 409,
      code: '23505',
      message: 'duplicate key value violates unique constraint "x"',
      details: 'Key (col)=(1) already exists.',
      hint: null,
      headers: [],
    })
  })

  it('42501 as anon asks for credentials; authenticated does not', () => {
    const anon = errorResponse(server(e('42501', 'permission denied for table authors_only')), 'verbose')
    expect(anon.status).toBe(401)
    expect(anon.headers).toEqual([['WWW-Authenticate', 'Bearer']])
    const authed = errorResponse(server(e('42501', 'permission denied for table private_table'), true), 'verbose')
    expect(authed.status).toBe(403)
    expect(authed.headers).toEqual([])
  })

  it('a missing JWT role (22023) and PT401 are 401 with WWW-Authenticate', () => {
    expect(errorResponse(server(e('22023', 'role "x" does not exist'), true), 'verbose').headers).toEqual([['WWW-Authenticate', 'Bearer']])
    expect(errorResponse(server(e('PT401', 'Unauthorized')), 'verbose').headers).toEqual([['WWW-Authenticate', 'Bearer']])
  })

  it('PT402 keeps its code and uses the message as reason phrase', async () => {
    const error = server(e('PT402', 'Payment Required', 'Quota exceeded', 'Upgrade your plan'))
    expect(errorResponse(error, 'verbose')).toEqual({
      status: 402,
      statusText: 'Payment Required',
      code: 'PT402',
      message: 'Payment Required',
      details: 'Quota exceeded',
      hint: 'Upgrade your plan',
      headers: [],
    })
    const res = errorToResponse(error, 'verbose')
    expect(res.status).toBe(402)
    expect(res.statusText).toBe('Payment Required')
    expect(res.headers.get('proxy-status')).toBe('PostgREST; error=PT402')
    expect((await res.arrayBuffer()).byteLength).toBe(99)
  })

  it('RAISE PGRST takes code, message, details, hint, status, reason and headers from the JSON', async () => {
    const error = server(
      e(
        'PGRST',
        '{"code":"123","message":"ABC","details":"DEF","hint":"XYZ"}',
        '{"status":332,"status_text":"My Custom Status","headers":{"X-Header":"str"}}',
      ),
    )
    expect(errorResponse(error, 'verbose')).toEqual({
      status: 332,
      statusText: 'My Custom Status',
      code: '123',
      message: 'ABC',
      details: 'DEF',
      hint: 'XYZ',
      headers: [['X-Header', 'str']],
    })
    const res = errorToResponse(error, 'verbose')
    expect(res.status).toBe(332)
    expect(res.statusText).toBe('My Custom Status')
    expect(res.headers.get('x-header')).toBe('str')
    expect(res.headers.get('proxy-status')).toBe('PostgREST; error=123')
    expect((await res.arrayBuffer()).byteLength).toBe(59)
  })

  it('RAISE PGRST with a 401 status gets no automatic WWW-Authenticate', () => {
    const r = errorResponse(server(e('PGRST', '{"code":"X","message":"no"}', '{"status":401,"headers":{}}')), 'verbose')
    expect(r.status).toBe(401)
    expect(r.headers).toEqual([])
  })

  it('an unparseable RAISE PGRST becomes PGRST121 with no custom headers', () => {
    const r = errorResponse(server(e('PGRST', '{"code":"123","message":"ABC"}', 'INVALID')), 'verbose')
    expect(r).toEqual({
      status: 500,
      code: 'PGRST121',
      message: `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
      details: "Invalid JSON value for DETAIL: 'INVALID'",
      hint: "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.",
      headers: [],
    })
    expect(pgErrorResponse({ kind: 'server', authenticated: false, error: e('PGRST', 'x', 'y') })).toEqual({
      ok: false,
      error: { kind: 'msgParse', message: 'x' },
    })
  })

  // Content-Length values from PostgREST's spec suite.
  const lengths: readonly (readonly [string, PgServerError, boolean, number, number])[] = [
    ['42501 anon', e('42501', 'permission denied for table authors_only'), false, 401, 96],
    ['42501 authenticated', e('42501', 'permission denied for table private_table'), true, 403, 97],
    ['22001', e('22001', 'value too long for type character(5)'), false, 400, 92],
    ['22007', e('22007', 'invalid input syntax for type timestamp with time zone: "Z"'), false, 400, 117],
    ['2200N', e('2200N', 'invalid XML content', 'line 1: StartTag: invalid element name\n<\n ^'), false, 400, 118],
    ['22026', e('22026', 'bit string length 6 does not match type bit(5)'), false, 400, 102],
    ['42703', e('42703', 'column datarep_todos.banana does not exist'), false, 400, 98],
    ['42704', e('42704', 'type "fakecolumntype" does not exist'), false, 400, 94],
    ['42P17', e('42P17', 'infinite recursion detected in rules for relation "infinite_recursion"'), false, 500, 128],
    [
      '54001',
      e(
        '54001',
        'stack depth limit exceeded',
        null,
        'Increase the configuration parameter "max_stack_depth" (currently 2048kB), after ensuring the platform\'s stack depth limit is adequate.',
      ),
      false,
      500,
      217,
    ],
    ['PT40A', e('PT40A', 'Wrong'), false, 500, 61],
    ['PGRST121', e('PGRST', 'INVALID', '{"status":332,"headers":{"X-Header":"str"}}'), false, 500, 263],
  ]
  it.each(lengths)('%s', async (_n, error, authenticated, status, length) => {
    const res = errorToResponse(server(error, authenticated), 'verbose')
    expect(res.status).toBe(status)
    expect((await res.arrayBuffer()).byteLength).toBe(length)
  })
})

describe('statuses a fetch Response cannot carry', () => {
  it('a status outside 200–599 is sent as 500, the body kept', async () => {
    const error = server(e('PGRST', '{"code":"X","message":"odd"}', '{"status":999,"headers":{}}'))
    expect(errorResponse(error, 'verbose').status).toBe(999)
    const res = errorToResponse(error, 'verbose')
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ code: 'X', details: null, hint: null, message: 'odd' })
  })

  it('a null-body status gets no body', async () => {
    const res = errorToResponse(server(e('PGRST', '{"code":"X","message":"m"}', '{"status":204,"headers":{}}')), 'verbose')
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
  })

  it('headers the fetch API refuses are dropped, the rest sent', async () => {
    const res = errorToResponse(
      server(e('PGRST', '{"code":"a\\nb","message":"m"}', '{"status":400,"headers":{"Bad Name":"x","X-Ok":"1","X-Nl":"a\\nb"}}')),
      'verbose',
    )
    expect(res.status).toBe(400)
    expect(res.headers.get('x-ok')).toBe('1')
    expect(res.headers.get('x-nl')).toBeNull()
    expect(res.headers.get('proxy-status')).toBeNull()
    expect(await res.json()).toEqual({ code: 'a\nb', details: null, hint: null, message: 'm' })
  })

  it('a reason phrase with line breaks is left out', () => {
    const res = errorToResponse(server(e('PT402', 'two\nlines')), 'verbose')
    expect(res.status).toBe(402)
    expect(res.statusText).toBe('')
  })
})
