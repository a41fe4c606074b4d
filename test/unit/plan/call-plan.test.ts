/**
 * @module test/unit/plan/call-plan: `/rpc/fn` → the 'call' ActionPlan on the literal cache of
 * call-cache.ts — overload resolution (PostgREST's findProc), arguments (toRpcParams), the call
 * plan's parameters and columns, transaction mode, isolation and hoisted settings, the checks,
 * OPTIONS, and content negotiation with custom media-type handlers.
 */
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/defaults.ts'
import type { AppConfig } from '../../../src/config/types.ts'
import { errorResponse } from '../../../src/errors/http.ts'
import { parseApiRequest } from '../../../src/parse/index.ts'
import { actionPlan } from '../../../src/plan/index.ts'
import { findProc, toRpcParams } from '../../../src/plan/call-plan.ts'
import type { ActionPlan } from '../../../src/plan/types.ts'
import { CALL_CACHE, ROUTINES } from './call-cache.ts'

const config: AppConfig = { ...defaultConfig, dbSchemas: ['api'] }

const planFor = (method: string, target: string, body: string | null = null, headers: [string, string][] = [], cfg: AppConfig = config) => {
  const req = parseApiRequest({ method, url: new URL(target, 'http://localhost'), headers, body: body === null ? null : new TextEncoder().encode(body) }, cfg)
  if (!req.ok) throw new Error(`parse: ${JSON.stringify(req.error)}`)
  return actionPlan(req.value, cfg, CALL_CACHE)
}

const call = (...args: Parameters<typeof planFor>): ActionPlan & { kind: 'call' } => {
  const p = planFor(...args)
  if (!p.ok) throw new Error(`plan: ${JSON.stringify(errorResponse(p.error, 'verbose'))}`)
  if (p.value.kind !== 'call') throw new Error(`not a call plan: ${p.value.kind}`)
  return p.value
}

const failure = (...args: Parameters<typeof planFor>) => {
  const p = planFor(...args)
  if (p.ok) throw new Error(`expected an error, got a ${p.value.kind} plan`)
  const e = errorResponse(p.error, 'verbose')
  return { status: e.status, code: e.code, message: e.message, details: e.details, hint: e.hint }
}

const JSON_HDR: [string, string][] = [['Content-Type', 'application/json']]
const post = (target: string, body: unknown, headers: [string, string][] = []) => call('POST', target, JSON.stringify(body), [...JSON_HDR, ...headers])

const routine = (name: string, n: number) => ROUTINES.filter((r) => r.name === name)[n]

describe('findProc', () => {
  const json = { kind: 'json' } as const
  const find = (name: string, keys: string[], isInvPost = false, ct: Parameters<typeof findProc>[3] = json) =>
    findProc(CALL_CACHE, { schema: 'api', name }, new Set(keys), ct, isInvPost)

  it('picks the overload whose parameters the argument names match', () => {
    expect(find('pick', ['a'])).toEqual({ ok: true, value: routine('pick', 0) })
    expect(find('pick', ['a', 'b'])).toEqual({ ok: true, value: routine('pick', 1) })
  })

  it('required parameters must be given, optional ones may be, nothing else may be', () => {
    expect(find('mixed', ['a']).ok).toBe(true)
    expect(find('mixed', ['a', 'b']).ok).toBe(true)
    expect(find('mixed', ['b']).ok).toBe(false)
    expect(find('mixed', ['a', 'c']).ok).toBe(false)
    expect(find('hello', []).ok).toBe(true)
    expect(find('hello', ['name']).ok).toBe(true)
  })

  it('several matches are ambiguous (PGRST203), listed in the cache order', () => {
    const r = find('same', ['x'])
    expect(r).toEqual({ ok: false, error: { origin: 'schemaCache', error: { kind: 'ambiguousRpc', routines: [routine('same', 0), routine('same', 1)] } } })
  })

  it('a POST body goes to the single unnamed parameter of its type', () => {
    expect(find('j', ['whatever'], true, json)).toEqual({ ok: true, value: routine('j', 0) })
    expect(find('t', [], true, { kind: 'text' })).toEqual({ ok: true, value: routine('t', 0) })
    expect(find('b', [], true, { kind: 'octet' })).toEqual({ ok: true, value: routine('b', 0) })
    // not for GET, and not for another body type
    expect(find('j', ['whatever'], false, json).ok).toBe(false)
    expect(find('t', [], true, { kind: 'xml' }).ok).toBe(false)
  })

  it('a raw body cannot call a function without parameters', () => {
    expect(find('noop', [], true, { kind: 'text' }).ok).toBe(false)
    expect(find('noop', [], true, json).ok).toBe(true)
    expect(find('noop', [], false, { kind: 'text' }).ok).toBe(true)
  })

  it('no match: PGRST202 with the sorted argument names, the content type and a hint', () => {
    expect(find('add', ['c', 'a'])).toEqual({
      ok: false,
      error: {
        origin: 'schemaCache',
        error: {
          kind: 'noRpc',
          schema: 'api',
          name: 'add',
          argumentKeys: ['a', 'c'],
          contentType: 'json',
          isInvPost: false,
          suggestion: 'Perhaps you meant to call the function api.add(a, b)',
        },
      },
    })
  })
})

describe('toRpcParams', () => {
  it('a repeated VARIADIC parameter collects its values in order', () => {
    expect(toRpcParams(routine('v', 0)!, [['parts', 'a'], ['parts', 'b'], ['parts', 'c']])).toEqual(
      new Map([['parts', { kind: 'variadic', values: ['a', 'b', 'c'] }]]),
    )
  })
  it('any other repeated parameter keeps its last value', () => {
    expect(toRpcParams(routine('add', 0)!, [['a', '1'], ['a', '2'], ['b', '3']])).toEqual(
      new Map([
        ['a', { kind: 'fixed', value: '2' }],
        ['b', { kind: 'fixed', value: '3' }],
      ]),
    )
  })
})

describe('the call plan', () => {
  it('GET: query-string arguments, read-only, the scalar shape', () => {
    const p = call('GET', '/rpc/add?a=1&b=2')
    expect(p.callPlan).toEqual({
      qi: { schema: 'api', name: 'add' },
      params: { kind: 'key', params: routine('add', 0)!.params },
      args: { kind: 'direct', args: new Map([['a', { kind: 'fixed', value: '1' }], ['b', { kind: 'fixed', value: '2' }]]) },
      scalar: true,
      setOfScalar: false,
      filterFields: [],
      returning: ['*'],
    })
    expect(p.txMode).toBe('read')
    expect(p.readPlan.fromAlias).toBe('add')
  })

  it('POST: the JSON body, only the parameters the body names, read-write for a volatile function', () => {
    const p = post('/rpc/touch', { id: 'x' })
    expect(p.callPlan.args).toEqual({ kind: 'json', body: '{"id":"x"}' })
    expect(p.callPlan.params).toEqual({ kind: 'key', params: [routine('touch', 0)!.params[0]] })
    expect(p.txMode).toBe('write')
    // a stable function runs read-only even through POST
    expect(post('/rpc/hello', {}).txMode).toBe('read')
    // and a volatile one read-only through GET (where writing then fails in the database)
    expect(call('GET', '/rpc/touch?id=x').txMode).toBe('read')
  })

  it('a set of rows reads like its table: embeds, filters and the columns the response needs', () => {
    const p = call('GET', '/rpc/things_between?lo=1&hi=2&select=id,parents(name)&n=gt.0')
    expect(p.readPlan.fromAlias).toBe('things')
    expect(p.callPlan.returning).toEqual(['id', 'parent_id'])
    expect(p.callPlan.filterFields).toEqual(['n'])
    expect(p.callPlan.scalar || p.callPlan.setOfScalar).toBe(false)
  })

  it('urlencoded arguments are direct arguments', () => {
    const p = call('POST', '/rpc/v', 'parts=a&parts=b', [['Content-Type', 'application/x-www-form-urlencoded']])
    expect(p.callPlan.args).toEqual({ kind: 'direct', args: new Map([['parts', { kind: 'variadic', values: ['a', 'b'] }]]) })
  })

  it('a raw body is the one positional argument', () => {
    const p = call('POST', '/rpc/t', 'hi', [['Content-Type', 'text/plain']])
    expect(p.callPlan.params).toEqual({ kind: 'onePos', param: routine('t', 0)!.params[0] })
    expect(p.callPlan.args).toEqual({ kind: 'raw', body: new TextEncoder().encode('hi') })
  })

  it('the function isolation level, and only the hoisted ones of its settings', () => {
    const p = call('GET', '/rpc/iso')
    expect(p.isolation).toBe('serializable')
    expect(p.funcSettings).toEqual([
      ['default_transaction_isolation', 'serializable'],
      ['statement_timeout', '5s'],
    ])
    const q = call('GET', '/rpc/iso', null, [], { ...config, dbHoistedTxSettings: ['work_mem'] })
    expect(q.funcSettings).toEqual([['work_mem', '64kB']])
  })

  it('checks: singular for vnd.pgrst.object, max-affected with handling=strict', () => {
    expect(post('/rpc/touch', { id: 'x' }, [['Accept', 'application/vnd.pgrst.object+json'], ['Prefer', 'handling=strict, max-affected=3']]).checks).toEqual([
      { kind: 'singular' },
      { kind: 'maxAffected', max: 3 },
    ])
    expect(post('/rpc/touch', { id: 'x' }, [['Prefer', 'max-affected=3']]).checks).toEqual([])
  })
})

describe('errors, in PostgREST order', () => {
  it('max-affected with handling=strict on a function returning one row: PGRST128', () => {
    expect(failure('POST', '/rpc/add', '{"a":1,"b":2}', [...JSON_HDR, ['Prefer', 'handling=strict, max-affected=1']])).toEqual({
      status: 400,
      code: 'PGRST128',
      message: 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict',
      details: null,
      hint: null,
    })
  })

  it('a function is found before the media type is negotiated', () => {
    expect(failure('GET', '/rpc/nope', null, [['Accept', 'x/y']]).code).toBe('PGRST202')
    expect(failure('GET', '/rpc/add?a=1&b=2', null, [['Accept', 'x/y']]).code).toBe('PGRST107')
  })

  it('an invalid preference with handling=strict: PGRST122', () => {
    expect(failure('GET', '/rpc/amounts', null, [['Prefer', 'handling=strict, nope']]).code).toBe('PGRST122')
  })
})

describe('OPTIONS', () => {
  it('a volatile function allows POST only; others GET and HEAD too', () => {
    expect(planFor('OPTIONS', '/rpc/noop')).toEqual({ ok: true, value: { kind: 'routineInfo', qi: { schema: 'api', name: 'noop' }, allow: ['OPTIONS', 'POST'] } })
    expect(planFor('OPTIONS', '/rpc/amounts')).toEqual({
      ok: true,
      value: { kind: 'routineInfo', qi: { schema: 'api', name: 'amounts' }, allow: ['OPTIONS', 'GET', 'HEAD', 'POST'] },
    })
  })
  it('an unknown function is a 404', () => {
    expect(failure('OPTIONS', '/rpc/nope').status).toBe(404)
  })
})

describe('negotiation with custom handlers', () => {
  const negotiated = (target: string, accept: string) => {
    const p = call('GET', target, null, [['Accept', accept]])
    return [p.handler, p.media]
  }

  it('a function returning a media-type domain: the domain is the handler, for that type only', () => {
    expect(negotiated('/rpc/page?title=x', 'text/html')).toEqual([
      { kind: 'customFunc', function: { schema: 'api', name: 'text/html' }, target: { schema: 'api', name: 'page' } },
      { kind: 'other', type: 'text/html' },
    ])
    expect(negotiated('/rpc/page?title=x', '*/*')).toEqual([{ kind: 'builtinOvAggJson' }, { kind: 'json' }])
  })

  it('a `*/*` handler answers every Accept as application/octet-stream', () => {
    for (const accept of ['*/*', 'image/png', 'application/json']) {
      expect(negotiated('/rpc/blob', accept)).toEqual([
        { kind: 'customFunc', function: { schema: 'api', name: '*/*' }, target: { schema: 'api', name: 'blob' } },
        { kind: 'octet' },
      ])
    }
  })

  it('a table handler applies to a function returning that table, with the default select only', () => {
    expect(negotiated('/rpc/things_between?lo=1&hi=2', 'text/plain')[0]).toEqual({
      kind: 'customFunc',
      function: { schema: 'api', name: 'things_txt' },
      target: { schema: 'api', name: 'things' },
    })
    expect(failure('GET', '/rpc/things_between?lo=1&hi=2&select=id', null, [['Accept', 'text/plain']]).code).toBe('PGRST107')
  })

  it('an anyelement aggregate applies to everything, whatever the select', () => {
    expect(negotiated('/rpc/things_between?lo=1&hi=2&select=id', 'application/vnd.x')).toEqual([
      { kind: 'customFunc', function: { schema: 'api', name: 'agg_x' }, target: null },
      { kind: 'other', type: 'application/vnd.x' },
    ])
  })

  it('a handler named application/json overrides the built-in JSON for its relation; vendored types are never overridden', () => {
    const read = (accept: string) => {
      const req = parseApiRequest({ method: 'GET', url: new URL('/parents', 'http://localhost'), headers: [['Accept', accept]], body: null }, config)
      if (!req.ok) throw new Error('parse')
      const p = actionPlan(req.value, config, CALL_CACHE)
      if (!p.ok || p.value.kind !== 'read') throw new Error('plan')
      return p.value.handler
    }
    expect(read('application/json')).toEqual({ kind: 'customFunc', function: { schema: 'api', name: 'parents_json' }, target: { schema: 'api', name: 'parents' } })
    expect(read('application/vnd.pgrst.object+json')).toEqual({ kind: 'builtinAggSingleJson', stripNulls: false })
  })

  it('HEAD needs no aggregate', () => {
    expect(call('HEAD', '/rpc/amounts').handler).toEqual({ kind: 'noAgg' })
  })

  it('the first acceptable type wins', () => {
    expect(negotiated('/rpc/amounts', 'text/html, text/csv, application/json')).toEqual([{ kind: 'builtinOvAggCsv' }, { kind: 'csv' }])
  })
})
