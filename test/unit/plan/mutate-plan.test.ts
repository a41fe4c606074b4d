/**
 * @module test/unit/plan/mutate-plan: ApiRequest → the 'mutate' ActionPlan for POST, PUT, PATCH
 * and DELETE, on the literal schema cache of fixture-cache.ts: payload columns typed from the
 * cache (representation functions, defaults), RETURNING needs, PUT's key rules, the post-checks,
 * and the errors in PostgREST's order.
 */
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/defaults.ts'
import type { AppConfig } from '../../../src/config/types.ts'
import { errorResponse } from '../../../src/errors/http.ts'
import { parseApiRequest } from '../../../src/parse/index.ts'
import { actionPlan } from '../../../src/plan/index.ts'
import type { ActionPlan, MutatePlan } from '../../../src/plan/types.ts'
import { CACHE } from './fixture-cache.ts'

const config: AppConfig = { ...defaultConfig, dbSchemas: ['api'] }

const plan = (method: string, target: string, body: unknown = null, headers: [string, string][] = []) => {
  const url = new URL(target, 'http://localhost')
  const text = body === null ? null : typeof body === 'string' ? body : JSON.stringify(body)
  const req = parseApiRequest({ method, url, headers, body: text === null ? null : new TextEncoder().encode(text) }, config)
  if (!req.ok) throw new Error(`parse: ${JSON.stringify(req.error)}`)
  return actionPlan(req.value, config, CACHE)
}

const mutate = (...args: Parameters<typeof plan>): ActionPlan & { kind: 'mutate' } => {
  const p = plan(...args)
  if (!p.ok) throw new Error(`plan: ${JSON.stringify(p.error)}`)
  if (p.value.kind !== 'mutate') throw new Error(`not a mutate plan: ${p.value.kind}`)
  return p.value
}

const failure = (...args: Parameters<typeof plan>) => {
  const p = plan(...args)
  if (p.ok) throw new Error('expected an error')
  const e = errorResponse(p.error, 'verbose')
  return { status: e.status, code: e.code, message: e.message }
}

const insertOf = (mp: MutatePlan): MutatePlan & { kind: 'insert' } => {
  if (mp.kind !== 'insert') throw new Error(`not an insert: ${mp.kind}`)
  return mp
}

describe('payload columns', () => {
  it('are the payload keys, typed with the nominal type and carrying the default', () => {
    const mp = insertOf(mutate('POST', '/things', { id: 'a', n: 1, code: 'x' }).mutatePlan)
    expect(mp.columns.map((c) => [c.name, c.irType, c.default ?? null, c.transform ?? null])).toEqual([
      ['code', 'character varying(5)', null, null],
      ['id', 'text', null, null],
      ['n', 'integer', '0', null],
    ])
    expect(mp.body).toBe('{"id":"a","n":1,"code":"x"}')
  })

  it('go through the json → type representation function when the schema declares one', () => {
    const mp = insertOf(mutate('POST', '/things', { id: 'a', color: '#fff' }).mutatePlan)
    expect(mp.columns.find((c) => c.name === 'color')).toMatchObject({ irType: 'json', transform: 'api.json_to_color' })
  })

  it('?columns= chooses them and keeps the body as sent', () => {
    const mp = insertOf(mutate('POST', '/things?columns=n,id', '[{"id":"a","n":1,"x":2}]').mutatePlan)
    expect(mp.columns.map((c) => c.name)).toEqual(['id', 'n'])
    expect(mp.body).toBe('[{"id":"a","n":1,"x":2}]')
  })

  it.each<[string, string, unknown]>([
    ['POST', '/things', { id: 'a', nope: 1 }],
    ['POST', '/things?columns=id,nope', { id: 'a' }],
    ['PATCH', '/things?id=eq.a', { nope: 1 }],
    ['PUT', '/things?id=eq.a', { id: 'a', nope: 1 }],
  ])('an unknown one is PGRST204 (%s %s)', (method, path, body) => {
    expect(failure(method, path, body)).toEqual({
      status: 400,
      code: 'PGRST204',
      message: "Could not find the 'nope' column of 'things' in the schema cache",
    })
  })

  it('an unknown table is PGRST205 before any column is looked at', () => {
    expect(failure('POST', '/nothing?columns=nope', {})).toMatchObject({ status: 404, code: 'PGRST205' })
  })
})

describe('RETURNING', () => {
  const returning = (path: string, prefer: string) => mutate('POST', path, {}, [['Prefer', prefer]]).mutatePlan.returning

  it('is nothing without return=representation|headers-only', () => {
    expect(mutate('POST', '/things?select=id', { id: 'a' }).mutatePlan.returning).toEqual([])
    expect(returning('/things?select=id', 'return=minimal')).toEqual([])
  })
  it('is * when the select has *', () => {
    expect(returning('/parents', 'return=representation')).toEqual(['*'])
    expect(returning('/parents?select=*,things(*)', 'return=headers-only')).toEqual(['*'])
  })
  it('is every column when * was expanded for a representation (things.color)', () => {
    expect(returning('/things', 'return=representation')).toEqual(['code', 'color', 'id', 'n', 'note', 'parent_id'])
  })
  it('adds the key and the foreign key an embed needs, deduplicated and sorted', () => {
    expect(returning('/things?select=note,parents(name)', 'return=representation')).toEqual(['id', 'note', 'parent_id'])
    expect(returning('/things?select=parent_id,n,parents(name)', 'return=representation')).toEqual(['id', 'n', 'parent_id'])
    expect(returning('/parents?select=name,things(n)', 'return=representation')).toEqual(['id', 'name'])
    expect(returning('/no_pk?select=v', 'return=representation')).toEqual(['v'])
  })
})

describe('POST', () => {
  it('resolution= becomes ON CONFLICT on the key, or on on_conflict=', () => {
    const merge = insertOf(mutate('POST', '/pairs', { a: 'x', b: 1 }, [['Prefer', 'resolution=merge-duplicates']]).mutatePlan)
    expect(merge.onConflict).toEqual({ resolution: 'merge-duplicates', columns: ['a', 'b'] })
    const ignore = insertOf(mutate('POST', '/things?on_conflict=note', { id: 'x' }, [['Prefer', 'resolution=ignore-duplicates']]).mutatePlan)
    expect(ignore.onConflict).toEqual({ resolution: 'ignore-duplicates', columns: ['note'] })
    expect(insertOf(mutate('POST', '/things', { id: 'x' }).mutatePlan).onConflict).toBeUndefined()
  })
  it('missing=default asks for defaults; the key columns are kept for Location', () => {
    const mp = insertOf(mutate('POST', '/pairs', { a: 'x', b: 1 }, [['Prefer', 'missing=default']]).mutatePlan)
    expect(mp.applyDefaults).toBe(true)
    expect(mp.pkCols).toEqual(['a', 'b'])
    expect(mp.where).toEqual([])
  })
})

describe('PUT', () => {
  it('is an insert merging on the key, filtered by the URL key', () => {
    const p = mutate('PUT', '/pairs?b=eq.1&a=eq.x', { a: 'x', b: 1, v: 'y' })
    const mp = insertOf(p.mutatePlan)
    expect(mp.onConflict).toEqual({ resolution: 'merge-duplicates', columns: ['a', 'b'] })
    expect(mp.where.map((t) => (t.kind === 'stmnt' && t.filter.kind === 'filter' ? [t.filter.field.name, t.filter.field.irType] : null))).toEqual([
      ['b', 'integer'],
      ['a', 'text'],
    ])
    expect(mp.pkCols).toEqual([])
    expect(p.checks).toEqual([{ kind: 'putMatchingPk' }])
  })

  it.each([
    '/pairs?a=eq.x',
    '/pairs?a=eq.x&b=eq.1&v=eq.z',
    '/pairs?a=eq.x&b=gt.1',
    '/pairs?a=not.eq.x&b=eq.1',
    '/pairs?a=eq(any).{x}&b=eq.1',
    '/pairs?a=eq.x&b=eq.1&or=(v.eq.1)',
    '/things?id=eq.x&select=id,parents(id)&parents.id=eq.1',
    '/no_pk?tag=eq.x',
  ])('%s is PGRST105', (path) => {
    expect(failure('PUT', path, { a: 'x', b: 1 })).toEqual({
      status: 405,
      code: 'PGRST105',
      message: "Filters must include all and only primary key columns with 'eq' operators",
    })
  })
})

describe('PATCH and DELETE', () => {
  it('take the root filters then the root logic trees; embedded ones stay with the embeds', () => {
    const p = mutate('PATCH', '/things?n=gt.1&or=(id.eq.a,id.eq.b)&id=neq.c&select=id,parents(name)&parents.name=eq.z', { note: 'x' })
    expect(p.mutatePlan.kind).toBe('update')
    expect(p.mutatePlan.where.map((t) => t.kind)).toEqual(['stmnt', 'stmnt', 'expr'])
    expect(p.readPlan.where).toEqual([])
    expect(p.readPlan.children[0]?.where).toHaveLength(1)
  })
  it('a filter value on a represented column is parsed from text by its function', () => {
    const p = mutate('DELETE', '/things?color=eq.red')
    const t = p.mutatePlan.where[0]
    expect(t?.kind === 'stmnt' && t.filter.kind === 'filter' ? t.filter.field : null).toMatchObject({ irType: 'text', transform: 'api.text_to_color' })
  })
  it('ignore limit and offset (no limited updates/deletes in v16)', () => {
    expect(mutate('DELETE', '/things?limit=1&offset=2').readPlan.range).toEqual({ offset: 0 })
  })
})

describe('post-checks and the order of errors', () => {
  const singular: [string, string] = ['Accept', 'application/vnd.pgrst.object+json']
  it.each<[string, string, [string, string][], unknown]>([
    ['POST', '/things', [singular], [{ kind: 'singular' }]],
    ['POST', '/things', [['Prefer', 'handling=strict, max-affected=1']], []],
    ['PATCH', '/things', [singular, ['Prefer', 'handling=strict, max-affected=5']], [{ kind: 'singular' }, { kind: 'maxAffected', max: 5 }]],
    ['PATCH', '/things', [['Prefer', 'max-affected=5']], []],
    ['DELETE', '/things', [['Prefer', 'max-affected=2, handling=strict']], [{ kind: 'maxAffected', max: 2 }]],
    ['PUT', '/things?id=eq.a', [singular], [{ kind: 'putMatchingPk' }]],
  ])('%s %s %j', (method, path, headers, checks) => {
    const body = method === 'DELETE' ? null : { id: 'a' }
    expect(mutate(method, path, body, headers).checks).toEqual(checks)
  })

  it('PGRST204 comes before PGRST122, which comes before PGRST107', () => {
    const strict: [string, string] = ['Prefer', 'handling=strict, bogus']
    const csvOnly: [string, string] = ['Accept', 'text/html']
    expect(failure('POST', '/things', { nope: 1 }, [strict, csvOnly]).code).toBe('PGRST204')
    expect(failure('POST', '/things', { id: 'a' }, [strict, csvOnly]).code).toBe('PGRST122')
    expect(failure('POST', '/things', { id: 'a' }, [csvOnly]).code).toBe('PGRST107')
  })

  it('the body is read back only with return=representation', () => {
    expect(mutate('POST', '/things', { id: 'a' }).handler).toEqual({ kind: 'noAgg' })
    expect(mutate('POST', '/things', { id: 'a' }, [['Prefer', 'return=headers-only']]).handler).toEqual({ kind: 'noAgg' })
    expect(mutate('POST', '/things', { id: 'a' }, [['Prefer', 'return=representation']]).handler).toEqual({ kind: 'builtinOvAggJson' })
  })
})
