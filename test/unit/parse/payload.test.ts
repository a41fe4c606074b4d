/**
 * @module test/unit/parse/payload: request bodies (PostgREST's Payload.hs): JSON, CSV (cassava),
 * urlencoded, raw, `?columns=`, and PGRST102 texts from InsertSpec/UpdateSpec/RpcSpec.
 */
import { describe, expect, it } from 'vitest'
import { decodeCsvByName } from '../../../src/parse/csv.ts'
import { getPayload } from '../../../src/parse/payload.ts'
import type { Action, MediaType } from '../../../src/parse/types.ts'

const qi = { schema: 'test', name: 't' }
const create: Action = { kind: 'relationMut', qi, mutation: 'create' }
const update: Action = { kind: 'relationMut', qi, mutation: 'update' }
const upsert: Action = { kind: 'relationMut', qi, mutation: 'singleUpsert' }
const del: Action = { kind: 'relationMut', qi, mutation: 'delete' }
const read: Action = { kind: 'relationRead', qi, headersOnly: false }
const call: Action = { kind: 'routine', qi, invMethod: { kind: 'inv' } }
const callRead: Action = { kind: 'routine', qi, invMethod: { kind: 'invRead', headersOnly: false } }

const json: MediaType = { kind: 'json' }
const csv: MediaType = { kind: 'csv' }
const form: MediaType = { kind: 'urlencoded' }
const bytes = (s: string) => new TextEncoder().encode(s)

const payloadOf = (body: string, mt: MediaType, action: Action, columns?: string[]) => {
  const r = getPayload(bytes(body), mt, columns, action)
  if (!r.ok) return r.error
  return { payload: r.value.payload, columns: [...r.value.columns] }
}
const invalid = (message: string) => ({ kind: 'invalidBody', message })

describe('JSON', () => {
  it.each<[string, string, Action, unknown]>([
    ['object', '{"b":1,"a":2}', create, { payload: { kind: 'json', raw: '{"b":1,"a":2}', keys: new Set(['a', 'b']) }, columns: ['a', 'b'] }],
    ['array of uniform objects', '[{"a":1,"b":2},{"b":3,"a":4}]', create, { payload: { kind: 'json', raw: '[{"a":1,"b":2},{"b":3,"a":4}]', keys: new Set(['a', 'b']) }, columns: ['a', 'b'] }],
    ['empty array', ' [ ] ', create, { payload: { kind: 'json', raw: '[]', keys: new Set() }, columns: [] }],
    ['scalar becomes an empty array', '"x"', update, { payload: { kind: 'json', raw: '[]', keys: new Set() }, columns: [] }],
    ['null becomes an empty array', 'null', upsert, { payload: { kind: 'json', raw: '[]', keys: new Set() }, columns: [] }],
    ['keys differ', '[{"body":"xxxxx","id":100},{"body":"xxxx","id":111,"owner":"me"}]', create, invalid('All object keys must match')],
    ['not all objects', '[{"a":1},2]', create, invalid('All object keys must match')],
    ['array of scalars', '[1,2]', create, invalid('All object keys must match')],
    ['invalid', '}{ x = 2', create, invalid('Empty or invalid json')],
    ['empty', '', update, invalid('Empty or invalid json')],
    ['whitespace for a function', ' ', call, invalid('Empty or invalid json')],
    ['BOM', '\ufeff{}', create, invalid('Empty or invalid json')],
    ['empty body for a function', '', call, { payload: { kind: 'json', raw: '', keys: new Set() }, columns: [] }],
    ['__proto__ is a key', '{"__proto__":1}', create, { payload: { kind: 'json', raw: '{"__proto__":1}', keys: new Set(['__proto__']) }, columns: ['__proto__'] }],
  ])('%s', (_name, body, action, expected) => {
    expect(payloadOf(body, json, action)).toEqual(expected)
  })

  it('?columns= sends the body through unparsed (POST, PATCH, function calls)', () => {
    for (const action of [create, update, call]) {
      expect(payloadOf('not json', json, action, ['b', 'a'])).toEqual({ payload: { kind: 'rawJson', raw: 'not json' }, columns: ['b', 'a'] })
    }
  })

  it('?columns= does not apply to PUT', () => {
    expect(payloadOf('{"a":1}', json, upsert, ['b'])).toEqual({ payload: { kind: 'json', raw: '{"a":1}', keys: new Set(['a']) }, columns: ['a'] })
  })

  it('bodies are ignored for reads, deletes and GET /rpc', () => {
    for (const action of [read, del, callRead, { kind: 'relationInfo', qi } as Action]) {
      expect(payloadOf('garbage', json, action)).toEqual({ payload: undefined, columns: [] })
    }
  })
})

describe('CSV', () => {
  it('rows become objects, NULL becomes null', () => {
    expect(payloadOf('b,a\n1,NULL\r\n"x,""y""",\n', csv, create)).toEqual({
      payload: { kind: 'json', raw: '[{"a":null,"b":"1"},{"a":"","b":"x,\\"y\\""}]', keys: new Set(['a', 'b']) },
      columns: ['a', 'b'],
    })
  })
  it('header only', () => {
    expect(payloadOf('a,b\n', csv, create)).toEqual({ payload: { kind: 'json', raw: '[]', keys: new Set() }, columns: [] })
  })
  it.each<[string, string]>([
    ['a,b\nfoo,bar\nbaz', 'All lines must have same number of fields'],
    ['a,b', 'parse error (not enough input) at ""'],
    ['', 'parse error (not enough input) at ""'],
    ['a,b\n"x"y,1', 'parse error (Failed reading: satisfy) at "y,1"'],
    ['a,b\nx"y,1', 'parse error (Failed reading: satisfy) at "\\"y,1"'],
  ])('%j', (body, message) => {
    expect(payloadOf(body, csv, create)).toEqual(invalid(message))
  })

  it('cassava details: blank lines skipped, extra fields dropped, lone CR ends a line', () => {
    const r = decodeCsvByName(bytes('a,b\r\n\n1,2,3\r3,4'))
    expect(r.ok && r.rows.map((row) => Object.fromEntries([...row].map(([k, v]) => [k, new TextDecoder().decode(v)])))).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ])
  })
})

describe('urlencoded', () => {
  it('to a table: a JSON object (last duplicate wins)', () => {
    expect(payloadOf('name=John+Doe&age=5&name=x%26y', form, create)).toEqual({
      payload: { kind: 'json', raw: '{"name":"x&y","age":"5"}', keys: new Set(['age', 'name']) },
      columns: ['age', 'name'],
    })
  })
  it('to a function: the pairs', () => {
    expect(payloadOf('a=1;b&a=2', form, call)).toEqual({
      payload: { kind: 'urlencoded', pairs: [['a', '1'], ['b', ''], ['a', '2']], keys: new Set(['a', 'b']) },
      columns: ['a', 'b'],
    })
  })
})

describe('raw bodies and unacceptable content types', () => {
  it.each<[MediaType]>([[{ kind: 'text' }], [{ kind: 'xml' }], [{ kind: 'octet' }]])('%j to a function is raw', (mt) => {
    expect(payloadOf('abc', mt, call)).toEqual({ payload: { kind: 'raw', raw: bytes('abc') }, columns: [] })
  })
  it.each<[MediaType, Action, string]>([
    [{ kind: 'text' }, create, 'Content-Type not acceptable: text/plain'],
    [{ kind: 'octet' }, update, 'Content-Type not acceptable: application/octet-stream'],
    [{ kind: 'singular', stripNulls: false }, create, 'Content-Type not acceptable: application/vnd.pgrst.object+json'],
    [{ kind: 'other', type: 'application/vnd.twkb' }, call, 'Content-Type not acceptable: application/vnd.twkb'],
    [{ kind: 'any' }, create, 'Content-Type not acceptable: */*'],
  ])('%j', (mt, action, message) => {
    expect(payloadOf('abc', mt, action)).toEqual(invalid(message))
  })
})
