/**
 * @module test/spec/pre-request.test: PGRST_DB_PRE_REQUEST runs after the tx-vars statement and
 * before the main query, in the same transaction: it can read the request GUCs, set response
 * headers through `response.headers`, and abort the request with RAISE SQLSTATE 'PGRST'.
 * Fixture function: test.pre_request (test/fixtures/10-schema.sql).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createSpecApp, type SpecApp } from './harness.ts'

let app: SpecApp

beforeAll(async () => {
  app = await createSpecApp({ PGRST_DB_PRE_REQUEST: 'test.pre_request' })
})

describe('db-pre-request', () => {
  it('runs before the main query: its response.headers GUC becomes a response header', async () => {
    const res = await app.send({ method: 'GET', path: '/items?select=id&id=eq.1' })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-pre-request')).toBe('ran')
    expect(await res.json()).toEqual([{ id: 1 }])
  })

  it('the main query sees what the pre-request function set', async () => {
    const res = await app.send({ method: 'GET', path: '/request_context?select=pre_request_headers' })
    expect(await res.json()).toEqual([{ pre_request_headers: '[{"X-Pre-Request": "ran"}]' }])
  })

  it('can reject the request with RAISE SQLSTATE PGRST: custom status, body and headers', async () => {
    const res = await app.send({ method: 'GET', path: '/items?select=id', headers: { 'X-Block': 'yes' } })
    expect(res.status).toBe(403)
    expect(res.headers.get('x-blocked')).toBe('1')
    expect(await res.json()).toEqual({ code: '123', message: 'blocked by pre-request', details: null, hint: null })
  })
})
