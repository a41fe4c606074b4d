/**
 * @module test/spec/rpc.test: functions through `/rpc` on the Node app in-process over `pg`
 * (test/fixtures/80-rpc.sql, RPC_SETTINGS): the shared cases of test/spec/rpc-cases.ts, then what
 * needs more than one request or a look at the database — committed writes, `tx=rollback`, a
 * failed check undoing a function's writes, `request.jwt.claims` from a signed token, bytes from
 * custom media-type handlers.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { superuserQuery, uniqueName } from '../helpers/stack.ts'
import { checkSpecResponse } from './check.ts'
import { createSpecApp, type SpecApp } from './harness.ts'
import { JSON_CT, RPC_CASES, RPC_SETTINGS, signHs256 } from './rpc-cases.ts'
import { SPEC_SETTINGS } from './types.ts'

let app: SpecApp

beforeAll(async () => {
  app = await createSpecApp(RPC_SETTINGS)
})

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.send({ method: 'POST', path, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) })

const notes = async (prefix: string): Promise<string[]> =>
  (await superuserQuery<{ id: string }>('SELECT id FROM rpc.notes WHERE id LIKE $1 ORDER BY id', [`${prefix}%`])).rows.map((r) => r.id)

describe('rpc cases over pg', () => {
  it.each(RPC_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await checkSpecResponse(await app.send(c.request), c.expect)
  })
})

describe('rpc writes over pg', () => {
  it('a volatile function commits its write and returns the row', async () => {
    const id = uniqueName('note')
    const res = await post('/rpc/add_note', { id, body: 'hi' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id, body: 'hi', n: 0 })
    expect(await notes(id)).toEqual([id])
  })

  it('Prefer: tx=rollback undoes the write after the response was built', async () => {
    const id = uniqueName('note')
    const rb = await createSpecApp({ ...RPC_SETTINGS, PGRST_DB_TX_END: 'commit-allow-override' })
    const res = await rb.send({
      method: 'POST',
      path: '/rpc/add_note',
      headers: { 'Content-Type': 'application/json', Prefer: 'tx=rollback' },
      body: JSON.stringify({ id, body: 'gone' }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('Preference-Applied')).toBe('tx=rollback')
    expect(await res.json()).toEqual({ id, body: 'gone', n: 0 })
    expect(await notes(id)).toEqual([])
  })

  it('max-affected exceeded: 400 and the function deleted nothing', async () => {
    const prefix = uniqueName('del')
    for (const k of ['a', 'b', 'c']) expect((await post('/rpc/add_note', { id: `${prefix}_${k}`, body: k })).status).toBe(200)
    const res = await post('/rpc/delete_notes?select=id', { prefix }, { Prefer: 'handling=strict, max-affected=2' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      code: 'PGRST124',
      details: 'The query affects 3 rows',
      hint: null,
      message: 'Query result exceeds max-affected preference constraint',
    })
    expect(await notes(prefix)).toEqual([`${prefix}_a`, `${prefix}_b`, `${prefix}_c`])
    const okRes = await post('/rpc/delete_notes?select=id&order=id', { prefix }, { Prefer: 'handling=strict, max-affected=3' })
    expect(okRes.status).toBe(200)
    expect(await okRes.json()).toEqual([{ id: `${prefix}_a` }, { id: `${prefix}_b` }, { id: `${prefix}_c` }])
    expect(await notes(prefix)).toEqual([])
  })

  it('a singular response of a writing function that returns two rows: 406 and nothing deleted', async () => {
    const prefix = uniqueName('one')
    for (const k of ['a', 'b']) expect((await post('/rpc/add_note', { id: `${prefix}_${k}`, body: k })).status).toBe(200)
    const res = await post('/rpc/delete_notes', { prefix }, { Accept: 'application/vnd.pgrst.object+json' })
    expect(res.status).toBe(406)
    expect((await res.json()) as unknown).toMatchObject({ code: 'PGRST116', details: 'The result contains 2 rows' })
    expect(await notes(prefix)).toHaveLength(2)
  })
})

describe('request context', () => {
  it('a function reads the verified claims of an HS256 token from request.jwt.claims', async () => {
    const token = await signHs256({ role: 'authenticated', sub: 'user-42', email: 'ada@example.com' }, SPEC_SETTINGS['PGRST_JWT_SECRET'] as string)
    const res = await app.send({ method: 'GET', path: '/rpc/whoami', headers: { Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe(JSON_CT)
    expect(await res.json()).toEqual({ role: 'authenticated', sub: 'user-42', email: 'ada@example.com' })
  })

  it('without a token the anonymous role and no claims', async () => {
    const res = await app.send({ method: 'GET', path: '/rpc/whoami' })
    expect(await res.json()).toEqual({ role: 'anonymous', sub: null, email: null })
  })

  it('a token signed with another secret is rejected before the function runs', async () => {
    const token = await signHs256({ role: 'authenticated', sub: 'x' }, 'another-secret-another-secret-00')
    const res = await app.send({ method: 'GET', path: '/rpc/whoami', headers: { Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(401)
    expect(((await res.json()) as { code: string }).code).toBe('PGRST301')
  })
})

describe('custom media-type handlers send bytes', () => {
  it('a `*/*` domain answers any Accept as application/octet-stream with the raw bytes', async () => {
    const res = await app.send({ method: 'GET', path: '/rpc/blob', headers: { Accept: 'image/whatever' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/octet-stream')
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0x00, 0xff, 0x10])
  })

  it('a jsonb domain is sent in binary form: the version byte, then the text', async () => {
    const res = await app.send({ method: 'GET', path: '/rpc/accounts_of?owner_prefix=', headers: { Accept: 'application/vnd.rpc+json' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/vnd.rpc+json')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(bytes[0]).toBe(1)
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(1)))).toEqual({ n: 2 })
  })
})
