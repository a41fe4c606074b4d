/**
 * @module test/unit/plan/mutate-response: the respond stage for writes (respond/index.ts) on
 * literal result rows — status per kind of write (201/200 for upserts by the inserted count,
 * 204 without representation), Content-Range, Location encoding, Preference-Applied per write,
 * and the `response.status` / `response.headers` overrides.
 */
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/defaults.ts'
import type { AppConfig } from '../../../src/config/types.ts'
import { parseApiRequest } from '../../../src/parse/index.ts'
import { actionPlan } from '../../../src/plan/index.ts'
import { actionResponse, encodeQueryComponent } from '../../../src/respond/index.ts'
import type { ResultSet } from '../../../src/respond/types.ts'
import { CACHE } from './fixture-cache.ts'

const config: AppConfig = { ...defaultConfig, dbSchemas: ['api'], dbTxAllowOverride: true }

const rs = (r: Partial<ResultSet> = {}): ResultSet => ({
  tableTotal: null,
  queryTotal: 1,
  location: [],
  body: '[{"id":"a"}]',
  gucHeaders: null,
  gucStatus: null,
  inserted: null,
  ...r,
})

const respond = (method: string, target: string, headers: [string, string][], result: ResultSet) => {
  const payload = target.startsWith('/no_pk') ? '{"tag":"a"}' : '{"id":"a"}'
  const body = method === 'DELETE' ? null : new TextEncoder().encode(payload)
  const req = parseApiRequest({ method, url: new URL(target, 'http://localhost'), headers, body }, config)
  if (!req.ok) throw new Error(JSON.stringify(req.error))
  const plan = actionPlan(req.value, config, CACHE)
  if (!plan.ok) throw new Error(JSON.stringify(plan.error))
  const r = actionResponse(plan.value, req.value, config, result)
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return { status: r.value.status, headers: Object.fromEntries(r.value.headers), body: r.value.body }
}

const rep: [string, string] = ['Prefer', 'return=representation']

describe('POST', () => {
  it('201 without a body; the representation with its Content-Type', () => {
    expect(respond('POST', '/things', [], rs())).toEqual({ status: 201, headers: { 'Content-Range': '*/*' }, body: '' })
    expect(respond('POST', '/things', [rep], rs())).toEqual({
      status: 201,
      headers: { 'Content-Range': '*/*', 'Preference-Applied': 'return=representation', 'Content-Type': 'application/json; charset=utf-8' },
      body: '[{"id":"a"}]',
    })
  })
  it('merge-duplicates: 200 when nothing was inserted, 201 otherwise; ignore-duplicates always 201', () => {
    const merge: [string, string] = ['Prefer', 'resolution=merge-duplicates']
    expect(respond('POST', '/things', [merge], rs({ inserted: 0 })).status).toBe(200)
    expect(respond('POST', '/things', [merge], rs({ inserted: null, queryTotal: 0 })).status).toBe(200)
    expect(respond('POST', '/things', [merge], rs({ inserted: 2 })).status).toBe(201)
    expect(respond('POST', '/things', [['Prefer', 'resolution=ignore-duplicates']], rs({ inserted: null })).status).toBe(201)
  })
  it('Location percent-encodes keys and values like renderSimpleQuery', () => {
    const r = respond('POST', '/things', [['Prefer', 'return=headers-only']], rs({ location: [['id', 'eq.a b&c/ü~']] }))
    expect(r.headers['Location']).toBe('/things?id=eq.a%20b%26c%2F%C3%BC~')
    expect(encodeQueryComponent("!*'()-_.~")).toBe('%21%2A%27%28%29-_.~')
  })
  it('count=exact reports the inserted rows as the total', () => {
    expect(respond('POST', '/things', [['Prefer', 'count=exact']], rs({ queryTotal: 3 })).headers['Content-Range']).toBe('*/3')
  })
  it('resolution is only reported where it can apply (a key or on_conflict)', () => {
    const prefer: [string, string] = ['Prefer', 'resolution=merge-duplicates, missing=default, tx=rollback, max-affected=3, handling=strict']
    expect(respond('POST', '/things', [prefer], rs()).headers['Preference-Applied']).toBe('resolution=merge-duplicates, missing=default, tx=rollback, handling=strict')
    expect(respond('POST', '/no_pk', [prefer], rs()).headers['Preference-Applied']).toBe('missing=default, tx=rollback, handling=strict')
    expect(respond('POST', '/no_pk?on_conflict=tag', [prefer], rs()).headers['Preference-Applied']).toBe(
      'resolution=merge-duplicates, missing=default, tx=rollback, handling=strict',
    )
  })
})

describe('PUT, PATCH, DELETE', () => {
  it('PUT: 201 when the row was inserted, 200 when replaced, 204 without representation', () => {
    expect(respond('PUT', '/things?id=eq.a', [rep], rs({ inserted: 1 })).status).toBe(201)
    expect(respond('PUT', '/things?id=eq.a', [rep], rs({ inserted: 0 })).status).toBe(200)
    expect(respond('PUT', '/things?id=eq.a', [], rs({ inserted: 1 }))).toEqual({ status: 204, headers: {}, body: '' })
  })
  it('PATCH: Content-Range over the updated rows; max-affected only with strict handling', () => {
    expect(respond('PATCH', '/things', [], rs({ queryTotal: 3 }))).toEqual({ status: 204, headers: { 'Content-Range': '0-2/*' }, body: '' })
    expect(respond('PATCH', '/things', [rep, ['Prefer', 'count=exact']], rs({ queryTotal: 0, body: '[]' })).headers['Content-Range']).toBe('*/0')
    expect(respond('PATCH', '/things', [['Prefer', 'max-affected=5, handling=strict']], rs()).headers['Preference-Applied']).toBe('handling=strict, max-affected=5')
    expect(respond('PATCH', '/things', [['Prefer', 'max-affected=5']], rs()).headers['Preference-Applied']).toBeUndefined()
  })
  it('DELETE: 204, or 200 with the representation', () => {
    expect(respond('DELETE', '/things', [], rs({ queryTotal: 2 }))).toEqual({ status: 204, headers: { 'Content-Range': '*/*' }, body: '' })
    expect(respond('DELETE', '/things', [rep], rs()).status).toBe(200)
  })
  it('response.status and response.headers set in SQL override ours', () => {
    const r = respond('DELETE', '/things', [], rs({ gucStatus: '202', gucHeaders: '[{"Content-Range":"x"},{"X-A":"1"}]' }))
    expect(r).toEqual({ status: 202, headers: { 'Content-Range': 'x', 'X-A': '1' }, body: '' })
  })
})
