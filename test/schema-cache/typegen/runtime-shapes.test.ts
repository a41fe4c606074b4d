/**
 * What the generated types claim, checked against what edgerest answers: supabase-js (unchanged,
 * with a `fetch` that hands its requests to the in-process Node app over `pg`) runs the queries of
 * client-files.ts's TYPEGEN_CLEAN on the `typegen` fixture schema, and each answer must have the
 * shape the types give it — an object where they say one row (OUT parameters, a composite, a
 * to-one embed), an array where they say a set (SETOF, ROWS 1, RETURNS TABLE, to-many embeds),
 * numbers for bigint and numeric, the row's columns and nothing else.
 */
import { createClient } from '@supabase/supabase-js'
import { SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import ws from 'ws'
import { createSpecApp, type SpecApp } from '../../spec/harness.ts'
import { SPEC_SETTINGS } from '../../spec/types.ts'

let app: SpecApp
// untyped here: the types under test are generated at run time (supabase-types.test.ts compiles them)
const connect = (key: string) =>
  createClient<any, any>('http://localhost', key, {
    db: { schema: 'typegen' },
    global: { fetch: toApp },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Node 20 has no WebSocket of its own; realtime is never used here, but the client builds it
    realtime: { transport: ws as never },
  })
let db: ReturnType<typeof connect>

/** supabase-js serves PostgREST under /rest/v1; edgerest serves it at the root. */
const toApp = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const request = new Request(input, init)
  const url = new URL(request.url)
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text()
  return app.send({
    method: request.method,
    path: url.pathname.replace(/^\/rest\/v1/, '') + url.search,
    headers: Object.fromEntries(request.headers),
    ...(body === undefined || body === '' ? {} : { body }),
  })
}

beforeAll(async () => {
  app = await createSpecApp({ PGRST_DB_SCHEMAS: 'typegen' })
  const secret = new TextEncoder().encode(SPEC_SETTINGS['PGRST_JWT_SECRET'])
  const key = await new SignJWT({ role: 'anonymous' }).setProtectedHeader({ alg: 'HS256' }).sign(secret)
  db = connect(key)
})

/** The data of a supabase-js result, failing the test on an error. */
const data = async (query: PromiseLike<{ data: unknown; error: unknown }>): Promise<unknown> => {
  const { data: value, error } = await query
  if (error !== null) throw new Error(`query failed: ${JSON.stringify(error)}`)
  return value
}

const POST_COLUMNS = ['id', 'author_id', 'title', 'body', 'status', 'tags', 'meta', 'score', 'mood', 'title_length', 'published_on', 'ratio', 'uid']

describe('answers have the shape of the generated types', () => {
  it('rows: the Row columns, generated and enum values, arrays', async () => {
    const posts = (await data(db.from('posts').select('*').eq('id', 1))) as Record<string, unknown>[]
    expect(Object.keys(posts[0] ?? {})).toEqual(POST_COLUMNS)
    expect(posts[0]).toMatchObject({ id: 1, author_id: 1, title: 'Notes', status: 'published', tags: ['math'], title_length: 5, published_on: '1843-09-01' })
    expect(typeof posts[0]?.['uid']).toBe('string')
    const authors = (await data(db.from('authors').select('id, home, level'))) as unknown[]
    expect(authors).toEqual([{ id: 1, home: { street: '1 Main St', city: 'London', zip: null, lines: null }, level: 'high' }])
  })

  it('embeds: an object to one, an array to many (also through the junction)', async () => {
    const post = await data(db.from('posts').select('id, title, authors(name, profiles(bio)), tags(label)').eq('id', 1).single())
    expect(post).toEqual({ id: 1, title: 'Notes', authors: { name: 'Ada', profiles: { bio: 'Countess' } }, tags: [{ label: 'math' }, { label: 'engines' }] })
    expect(await data(db.from('authors').select('name, posts(title)'))).toEqual([{ name: 'Ada', posts: [{ title: 'Notes' }, { title: 'Draft' }] }])
  })

  it('functions: scalars, overloads, VARIADIC, sets, ROWS 1, RETURNS TABLE, OUT parameters, composite, enum array', async () => {
    expect(await data(db.rpc('add', { a: 1 }))).toBe(2)
    expect(await data(db.rpc('add', { x: 'x', y: 'y' }))).toBe('xy')
    expect(await data(db.rpc('total', { nums: [1, 2.5] }))).toBe(3.5)
    expect(await data(db.rpc('posts_by', { author: 1 }).select('id, title'))).toEqual([
      { id: 1, title: 'Notes' },
      { id: 2, title: 'Draft' },
    ])
    const latest = (await data(db.rpc('latest_post', { author: 1 }))) as Record<string, unknown>[]
    expect(latest.map((p) => Object.keys(p))).toEqual([POST_COLUMNS])
    expect(await data(db.rpc('post_stats', {}))).toEqual([{ author_id: 1, posts: 2, last_status: 'published' }])
    expect(await data(db.rpc('split_name', { full_name: 'Ada Lovelace' }))).toEqual({ first: 'Ada', last: 'Lovelace' })
    expect(await data(db.rpc('make_address', { street: 'Main', city: 'London' }))).toEqual({ street: 'Main', city: 'London', zip: null, lines: null })
    expect(await data(db.rpc('levels'))).toEqual(['low', 'high'])
    expect(await data(db.rpc('count_status', { wanted: 'published' }))).toBe(1)
    expect(await data(db.rpc('ping'))).toBeNull()
    expect(await data(db.rpc('echo', { '': { any: 'json' } }))).toEqual({ '': { any: 'json' } })
  })
})
