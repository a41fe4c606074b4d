/**
 * @module test/unit/parse/api-request: parseApiRequest end to end — resource and action from
 * path and method, schema from profile headers, error order and the error bodies PostgREST
 * sends (rendered through errors/http), headers, cookies, ranges, payload.
 */
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/defaults.ts'
import type { AppConfig } from '../../../src/config/types.ts'
import { errorResponse } from '../../../src/errors/http.ts'
import { parseApiRequest, parseCookies, type RequestInput } from '../../../src/parse/index.ts'
import type { ApiRequest } from '../../../src/parse/types.ts'

const config: AppConfig = { ...defaultConfig, dbSchemas: ['test'] }
const multi: AppConfig = { ...defaultConfig, dbSchemas: ['v1', 'v2', 'SPECIAL "@/\\#~_-'] }

const request = (method: string, target: string, headers: [string, string][] = [], body: string | null = null): RequestInput => {
  const url = new URL(target, 'http://localhost')
  return { method, url, headers, body: body === null ? null : new TextEncoder().encode(body) }
}

const ok = (input: RequestInput, cfg: AppConfig = config): ApiRequest => {
  const r = parseApiRequest(input, cfg)
  if (!r.ok) throw new Error(`unexpected error ${JSON.stringify(r.error)}`)
  return r.value
}

/** The error as the client sees it. */
const failure = (input: RequestInput, cfg: AppConfig = config) => {
  const r = parseApiRequest(input, cfg)
  if (r.ok) throw new Error('expected an error')
  const e = errorResponse(r.error, 'verbose')
  return { status: e.status, code: e.code, message: e.message, details: e.details, hint: e.hint }
}

describe('resource and action', () => {
  it.each<[string, string, unknown]>([
    ['GET', '/items', { kind: 'relationRead', qi: { schema: 'test', name: 'items' }, headersOnly: false }],
    ['HEAD', '/items', { kind: 'relationRead', qi: { schema: 'test', name: 'items' }, headersOnly: true }],
    ['POST', '/items', { kind: 'relationMut', qi: { schema: 'test', name: 'items' }, mutation: 'create' }],
    ['PUT', '/items', { kind: 'relationMut', qi: { schema: 'test', name: 'items' }, mutation: 'singleUpsert' }],
    ['PATCH', '/items', { kind: 'relationMut', qi: { schema: 'test', name: 'items' }, mutation: 'update' }],
    ['DELETE', '/items', { kind: 'relationMut', qi: { schema: 'test', name: 'items' }, mutation: 'delete' }],
    ['OPTIONS', '/items', { kind: 'relationInfo', qi: { schema: 'test', name: 'items' } }],
    ['GET', '/rpc/fn', { kind: 'routine', qi: { schema: 'test', name: 'fn' }, invMethod: { kind: 'invRead', headersOnly: false } }],
    ['HEAD', '/rpc/fn', { kind: 'routine', qi: { schema: 'test', name: 'fn' }, invMethod: { kind: 'invRead', headersOnly: true } }],
    ['POST', '/rpc/fn', { kind: 'routine', qi: { schema: 'test', name: 'fn' }, invMethod: { kind: 'inv' } }],
    ['OPTIONS', '/rpc/fn', { kind: 'routineInfo', qi: { schema: 'test', name: 'fn' }, invMethod: { kind: 'invRead', headersOnly: true } }],
    ['GET', '/', { kind: 'schemaRead', schema: 'test', headersOnly: false }],
    ['HEAD', '/', { kind: 'schemaRead', schema: 'test', headersOnly: true }],
    ['OPTIONS', '/', { kind: 'schemaInfo' }],
    ['GET', '/rpc', { kind: 'relationRead', qi: { schema: 'test', name: 'rpc' }, headersOnly: false }],
    ['GET', '/Escap3e%3B', { kind: 'relationRead', qi: { schema: 'test', name: 'Escap3e;' }, headersOnly: false }],
    ['GET', '/%C3%BCnic%C3%B8de', { kind: 'relationRead', qi: { schema: 'test', name: 'ünicøde' }, headersOnly: false }],
    ['GET', '/my%20table', { kind: 'relationRead', qi: { schema: 'test', name: 'my table' }, headersOnly: false }],
  ])('%s %s', (method, path, action) => {
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : null
    expect(ok(request(method, path, [], body)).action).toEqual(action)
  })

  it('the root spec function answers /', () => {
    const cfg: AppConfig = { ...config, dbRootSpec: { schema: 'other', name: 'root' } }
    expect(ok(request('GET', '/'), cfg).action).toEqual({ kind: 'routine', qi: { schema: 'test', name: 'root' }, invMethod: { kind: 'invRead', headersOnly: false } })
  })

  it.each<[string, string, AppConfig, unknown]>([
    ['GET', '/first/second/third?select=*', config, { status: 404, code: 'PGRST125', message: 'Invalid path specified in request URL', details: null, hint: null }],
    ['GET', '/items/', config, { status: 404, code: 'PGRST125', message: 'Invalid path specified in request URL', details: null, hint: null }],
    ['GET', '/rpc/a/b', config, { status: 404, code: 'PGRST125', message: 'Invalid path specified in request URL', details: null, hint: null }],
    ['DELETE', '/rpc/sayhello', config, { status: 405, code: 'PGRST101', message: 'Cannot use the DELETE method on RPC', details: null, hint: null }],
    ['PATCH', '/rpc/sayhello', config, { status: 405, code: 'PGRST101', message: 'Cannot use the PATCH method on RPC', details: null, hint: null }],
    ['TRACE', '/items', config, { status: 405, code: 'PGRST117', message: 'Unsupported HTTP method: TRACE', details: null, hint: null }],
    ['POST', '/', config, { status: 405, code: 'PGRST117', message: 'Unsupported HTTP method: POST', details: null, hint: null }],
    ['GET', '/', { ...config, openApiMode: 'disabled' }, { status: 404, code: 'PGRST126', message: 'Root endpoint metadata is disabled', details: null, hint: null }],
    ['OPTIONS', '/', { ...config, openApiMode: 'disabled' }, { status: 404, code: 'PGRST126', message: 'Root endpoint metadata is disabled', details: null, hint: null }],
  ])('%s %s fails', (method, path, cfg, expected) => {
    expect(failure(request(method, path), cfg)).toEqual(expected)
  })
})

describe('schema', () => {
  const invalidSchema = {
    status: 406,
    code: 'PGRST106',
    message: 'Invalid schema: unknown',
    details: null,
    hint: 'Only the following schemas are exposed: v1, v2, SPECIAL "@/\\#~_-',
  }

  it('defaults to the first schema; negotiated when several are exposed', () => {
    expect(ok(request('GET', '/items'))).toMatchObject({ schema: 'test', negotiatedByProfile: false })
    expect(ok(request('GET', '/items'), multi)).toMatchObject({ schema: 'v1', negotiatedByProfile: true })
  })

  it.each<[string, [string, string][], string]>([
    ['GET', [['Accept-Profile', 'v2']], 'v2'],
    ['HEAD', [['accept-profile', 'v2']], 'v2'],
    ['OPTIONS', [['Accept-Profile', 'v2']], 'v2'],
    ['GET', [['Content-Profile', 'v2']], 'v1'],
    ['POST', [['Content-Profile', 'v2']], 'v2'],
    ['PATCH', [['Content-Profile', 'v2']], 'v2'],
    ['PUT', [['Content-Profile', 'v2']], 'v2'],
    ['DELETE', [['Content-Profile', 'v2']], 'v2'],
    ['POST', [['Accept-Profile', 'v2']], 'v1'],
    ['GET', [['Accept-Profile', 'SPECIAL "@/\\#~_-']], 'SPECIAL "@/\\#~_-'],
  ])('%s with %j', (method, headers, schema) => {
    const r = ok(request(method, '/items', headers, method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'DELETE' ? null : '{}'), multi)
    expect(r.schema).toBe(schema)
    expect(r.action).toMatchObject(r.action.kind === 'relationInfo' || r.action.kind === 'relationRead' || r.action.kind === 'relationMut' ? { qi: { schema } } : {})
  })

  it.each<[string, string, string]>([
    ['GET', '/parents', 'Accept-Profile'],
    ['POST', '/children', 'Content-Profile'],
    ['GET', '/', 'Accept-Profile'],
  ])('%s %s with an unknown %s', (method, path, header) => {
    expect(failure(request(method, path, [[header, 'unknown']], '{}'), multi)).toEqual(invalidSchema)
  })

  it('decodes UTF-8 profile names given as byte strings', () => {
    const cfg: AppConfig = { ...config, dbSchemas: ['test', 'ünï'] }
    const latin1 = String.fromCharCode(...new TextEncoder().encode('ünï'))
    expect(ok(request('GET', '/x', [['Accept-Profile', latin1]]), cfg).schema).toBe('ünï')
  })
})

describe('error order', () => {
  it('path before schema before method before query before range before body', () => {
    const bad: [string, string][] = [['Accept-Profile', 'nope'], ['Content-Profile', 'nope'], ['Range', '5-1']]
    expect(failure(request('GET', '/a/b/c?id=x', bad)).code).toBe('PGRST125')
    expect(failure(request('GET', '/items?id=x', bad)).code).toBe('PGRST106')
    expect(failure(request('TRACE', '/items?id=x')).code).toBe('PGRST117')
    expect(failure(request('GET', '/items?id=x&limit=-1', [['Range', '5-1']])).code).toBe('PGRST100')
    expect(failure(request('GET', '/items?limit=-1', [['Range', '5-1']]))).toMatchObject({ code: 'PGRST103', details: 'The lower boundary must be lower than or equal to the upper boundary in the Range header.' })
    expect(failure(request('PUT', '/items?limit=1', [], '}'))).toMatchObject({ code: 'PGRST114' })
    expect(failure(request('POST', '/items?limit=1', [], '}'))).toMatchObject({ code: 'PGRST102' })
  })

  it('PGRST103 and PGRST114 bodies', () => {
    expect(failure(request('GET', '/items?select=id&limit=-1'))).toEqual({
      status: 416,
      code: 'PGRST103',
      message: 'Requested range not satisfiable',
      details: 'Limit should be greater than or equal to zero.',
      hint: null,
    })
    expect(failure(request('PUT', '/tiobe_pls?name=eq.Javascript&limit=1', [], '[{"name":"Javascript","rank":1}]'))).toEqual({
      status: 400,
      code: 'PGRST114',
      message: 'limit/offset querystring parameters are not allowed for PUT',
      details: null,
      hint: null,
    })
  })

  it('PGRST100 body', () => {
    expect(failure(request('GET', '/ghostBusters?id=0'))).toEqual({
      status: 400,
      code: 'PGRST100',
      message: '"failed to parse filter (0)" (line 1, column 1)',
      details: 'unexpected "0" expecting "not" or operator (eq, gt, ...)',
      hint: null,
    })
  })

  it('filters on POST /rpc are filters, not arguments', () => {
    expect(failure(request('POST', '/rpc/sayhello?name=John', [], '{"name":"John"}'))).toMatchObject({ code: 'PGRST100', message: '"failed to parse filter (John)" (line 1, column 1)' })
    expect(ok(request('GET', '/rpc/sayhello?name=John')).queryParams.params).toEqual([['name', 'John']])
    expect(ok(request('HEAD', '/rpc/sayhello?name=John')).queryParams.params).toEqual([['name', 'John']])
  })
})

describe('ranges', () => {
  it('Range header on GET combines with limit/offset; nested ranges by embed path', () => {
    const r = ok(request('GET', '/items?limit=5&offset=1&clients.limit=2', [['Range-Unit', 'items'], ['Range', '2-3']]))
    expect(r.topLevelRange).toEqual({ offset: 2, limit: 2 })
    expect(Object.fromEntries(r.ranges)).toEqual({ '': { offset: 2, limit: 2 }, clients: { offset: 0, limit: 2 } })
    expect(Object.fromEntries(r.queryParams.ranges)).toEqual({ '': { offset: 1, limit: 5 }, clients: { offset: 0, limit: 2 } })
  })
  it('the Range header is ignored for other methods', () => {
    expect(ok(request('HEAD', '/items', [['Range', '0-1']])).topLevelRange).toEqual({ offset: 0 })
    expect(ok(request('DELETE', '/items', [['Range', '1-0']])).topLevelRange).toEqual({ offset: 0 })
  })
  it('limit=0', () => {
    expect(ok(request('GET', '/items?select=id&limit=0')).topLevelRange).toEqual({ offset: 0, limit: 0 })
  })
})

describe('headers, cookies, media types, payload', () => {
  it('lower-cases header names, keeps order, leaves out Cookie; parses cookies', () => {
    const r = ok(
      request('GET', '/items', [
        ['X-One', 'a'],
        ['Cookie', 'sid=abc; theme=dark'],
        ['Accept', 'text/csv;q=0.5, application/json'],
        ['x-one', 'b'],
      ]),
    )
    expect(r.headers).toEqual([
      ['x-one', 'a'],
      ['accept', 'text/csv;q=0.5, application/json'],
      ['x-one', 'b'],
    ])
    expect(r.cookies).toEqual([
      ['sid', 'abc'],
      ['theme', 'dark'],
    ])
    expect(r.acceptMediaTypes).toEqual([{ kind: 'json' }, { kind: 'csv' }])
    expect(r.contentMediaType).toEqual({ kind: 'json' })
    expect(r.path).toBe('/items')
    expect(r.method).toBe('GET')
  })

  it('accepts a Headers object', () => {
    const r = ok({ ...request('GET', '/items'), headers: new Headers({ Prefer: 'count=exact', 'Accept-Profile': 'test' }) })
    expect(r.preferences.count).toBe('exact')
    expect(r.headers).toContainEqual(['prefer', 'count=exact'])
  })

  it.each<[string, unknown]>([
    ['a=1; b=2', [['a', '1'], ['b', '2']]],
    ['a=1;', [['a', '1']]],
    ['a', [['a', '']]],
    ['a=x=y', [['a', 'x=y']]],
    ['', []],
  ])('parseCookies %j', (header, expected) => {
    expect(parseCookies(header)).toEqual(expected)
  })

  it('Prefer tx= follows db-tx-end overrides', () => {
    expect(ok(request('GET', '/items', [['Prefer', 'tx=commit']])).preferences.transaction).toBeUndefined()
    expect(ok(request('GET', '/items', [['Prefer', 'tx=commit']]), { ...config, dbTxAllowOverride: true }).preferences.transaction).toBe('commit')
  })

  it('POST with a CSV body and columns', () => {
    const r = ok(request('POST', '/items?columns=id,name', [['Content-Type', 'text/csv']], 'id,name\n1,a'))
    expect(r.contentMediaType).toEqual({ kind: 'csv' })
    expect(r.payload).toEqual({ kind: 'json', raw: '[{"id":"1","name":"a"}]', keys: new Set(['id', 'name']) })
    expect([...r.columns]).toEqual(['id', 'name'])
    expect(r.queryParams.columns).toEqual(['id', 'name'])
  })

  it('POST JSON with columns is passed through', () => {
    const r = ok(request('POST', '/items?columns=name,id', [], '[{"id":1}]'))
    expect(r.payload).toEqual({ kind: 'rawJson', raw: '[{"id":1}]' })
    expect([...r.columns]).toEqual(['id', 'name'])
  })

  it('PGRST102 bodies', () => {
    expect(failure(request('POST', '/simple_pk', [], '}{ x = 2'))).toEqual({ status: 400, code: 'PGRST102', message: 'Empty or invalid json', details: null, hint: null })
    expect(failure(request('PATCH', '/items', [], ''))).toEqual({ status: 400, code: 'PGRST102', message: 'Empty or invalid json', details: null, hint: null })
    expect(failure(request('POST', '/no_pk', [['Content-Type', 'text/csv']], 'a,b\nfoo,bar\nbaz'))).toEqual({
      status: 400,
      code: 'PGRST102',
      message: 'All lines must have same number of fields',
      details: null,
      hint: null,
    })
  })

  it('POST /rpc with an empty body has no arguments', () => {
    const r = ok(request('POST', '/rpc/fn'))
    expect(r.payload).toEqual({ kind: 'json', raw: '', keys: new Set() })
  })

  it('takes the raw path and query from a plain object too', () => {
    const r = ok({ method: 'GET', url: { pathname: '/items', search: '?select=a b' }, headers: [], body: null })
    expect(r.queryParams.select).toEqual([{ kind: 'field', field: { name: 'a b', jsonPath: [] }, alias: undefined, cast: undefined, aggregate: undefined, aggregateCast: undefined }])
  })
})
