/**
 * @module test/spec/cases/common: shared vocabulary of the read spec cases — request builders,
 * the exact header values PostgREST v16.2 sends, and the fixture rows (test/fixtures/20-data.sql,
 * 30-spec-extra.sql) written out once as PostgREST renders them in JSON, so cases pick columns
 * and rows from one place instead of retyping values.
 */
import type { SpecExpect, SpecRequest } from '../types.ts'

export const JSON_CT = 'application/json; charset=utf-8'
export const CSV_CT = 'text/csv; charset=utf-8'
export const OBJECT_CT = 'application/vnd.pgrst.object+json; charset=utf-8'
export const ARRAY_STRIPPED_CT = 'application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8'
export const OBJECT_STRIPPED_CT = 'application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8'
export const VARY = 'Accept, Prefer, Range'

/** `{"role":"authenticated"}` signed HS256 with SPEC_SETTINGS' PGRST_JWT_SECRET (no expiry). */
export const AUTHENTICATED_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYXV0aGVudGljYXRlZCJ9.XOGSeHS8usEzEELkUl8SWOrsOLP7xWmHckRSTgpyP3o'

export const get = (path: string, headers?: Record<string, string>): SpecRequest => (headers ? { method: 'GET', path, headers } : { method: 'GET', path })
export const head = (path: string, headers?: Record<string, string>): SpecRequest => (headers ? { method: 'HEAD', path, headers } : { method: 'HEAD', path })

/** 200 with a JSON body in the default media type (profile `test`, the first of db-schemas). */
export const okJson = (json: unknown, headers: Record<string, string | null> = {}): SpecExpect => ({
  status: 200,
  json,
  headers: { 'Content-Type': JSON_CT, 'Content-Profile': 'test', ...headers },
})

/**
 * A PostgREST error response: `{code,message,details,hint}` as JSON with `Proxy-Status` naming the
 * code; errors carry no `Vary` (it is added to successful responses only).
 */
export const pgrstError = (
  status: number,
  code: string,
  message: string,
  details: string | null = null,
  hint: string | null = null,
  headers: Record<string, string | null> = {},
): SpecExpect => ({
  status,
  json: { code, message, details, hint },
  headers: { 'Content-Type': JSON_CT, 'Proxy-Status': `PostgREST; error=${code}`, Vary: null, ...headers },
})

/** PGRST100: a query-string parse error; `message` is Parsec's position line, `details` its explanation. */
export const parseError = (message: string, details: string): SpecExpect => pgrstError(400, 'PGRST100', message, details)

type Row = Readonly<Record<string, unknown>>

/** test.items as PostgREST renders `select=*` (numeric → JSON number, timestamptz in UTC). */
export const ITEMS: readonly Row[] = [
  {
    id: 1,
    name: 'apple',
    price: 1.5,
    tags: ['fruit', 'red'],
    data: { color: 'red', size: { w: 3 }, list: [1, 2, 3] },
    meta: { a: 1 },
    mood: 'happy',
    created_at: '2024-01-02T03:04:05+00:00',
    span: '[1,5)',
    body: "'appl':4 'crisp':2 'red':3",
    description: 'crisp',
  },
  {
    id: 2,
    name: 'banana',
    price: 0.25,
    tags: ['fruit', 'yellow'],
    data: { color: 'yellow', size: { w: 5 }, list: [4] },
    meta: { a: 2 },
    mood: 'ok',
    created_at: '2024-02-03T04:05:06+00:00',
    span: '[5,10)',
    body: "'banana':4 'long':2 'yellow':3",
    description: null,
  },
  {
    id: 3,
    name: 'carrot',
    price: 0.1,
    tags: ['vegetable'],
    data: { color: 'orange', size: { w: 2 } },
    meta: { a: 3 },
    mood: 'sad',
    created_at: '2024-03-04T05:06:07+00:00',
    span: '[10,20)',
    body: "'carrot':3 'orang':2 'root':4",
    description: 'crunchy',
  },
  {
    id: 4,
    name: 'durian',
    price: null,
    tags: [],
    data: null,
    meta: null,
    mood: null,
    created_at: null,
    span: null,
    body: null,
    description: null,
  },
  {
    id: 5,
    name: 'Éclair',
    price: 3,
    tags: ['pastry'],
    data: { color: 'brown' },
    meta: { a: 5 },
    mood: 'happy',
    created_at: '2024-05-06T07:08:09+00:00',
    span: 'empty',
    body: "'chocolat':4 'éclair':2",
    description: 'sweet',
  },
]

/** The given test.items rows (by id, in the order given), each restricted to `cols`. */
export const items = (ids: readonly number[], cols: readonly string[] = ['id']): Row[] =>
  ids.map((id) => {
    const row = ITEMS.find((r) => r.id === id)
    if (!row) throw new Error(`no fixture item ${id}`)
    return Object.fromEntries(cols.map((c) => [c, row[c]]))
  })

/** `[{id: a}, {id: b}, …]`, the body of `select=id` reads. */
export const ids = (...values: number[]): Row[] => values.map((id) => ({ id }))
