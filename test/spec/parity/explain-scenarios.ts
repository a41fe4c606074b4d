/**
 * @module test/spec/parity/explain-scenarios: EXPLAIN output (`Accept: application/vnd.pgrst.plan…`)
 * on reads, writes and calls, in every format, with PostgREST's content types — and postgrest-js's
 * `.explain()` reading it unchanged. db-plan-enabled is on only through the login role's in-database
 * configuration (test/fixtures/90-parity.sql), so these also show that configuration applied.
 */
import { PostgrestClient } from '@supabase/postgrest-js'
import { expect } from 'vitest'
import type { ParityScenario } from './target.ts'
import { bearer, get, jsonOf } from './target.ts'

type Plan = { Plan: Record<string, unknown>; Settings?: Record<string, string> }[]

const planCt = (format: string, forMime = 'application/json', options?: string): string =>
  `application/vnd.pgrst.plan+${format}; for="${forMime}"${options === undefined ? '' : `; options=${options}`}; charset=utf-8`

const plan = async (res: Response, ct: string): Promise<Plan> => {
  expect([res.status, res.headers.get('content-type')]).toEqual([200, ct])
  const text = await res.text()
  // One row, followed by a line break, as PostgREST sends it.
  expect(text.endsWith('\n')).toBe(true)
  return JSON.parse(text) as Plan
}

const bookCount = async (send: (r: { method: string; path: string }) => Promise<Response>): Promise<number> =>
  ((await jsonOf(await send({ method: 'GET', path: '/books?select=id' }))) as unknown[]).length

export const explainScenarios: ParityScenario[] = [
  {
    name: 'EXPLAIN of a read as JSON: the plan and its total cost',
    run: async (t) => {
      const p = await plan(await t.send(get('/books?id=eq.1', { Accept: 'application/vnd.pgrst.plan+json' })), planCt('json'))
      expect(p[0]?.Plan['Node Type']).toBe('Aggregate')
      expect(p[0]?.Plan['Total Cost']).toBeGreaterThan(0)
    },
  },
  {
    name: 'EXPLAIN as text: every row of the plan, one line each',
    run: async (t) => {
      const res = await t.send(get('/books?select=title,authors(name)&order=id', { Accept: 'application/vnd.pgrst.plan' }))
      expect([res.status, res.headers.get('content-type')]).toEqual([200, planCt('text')])
      const lines = (await res.text()).split('\n')
      expect(lines[0]).toMatch(/^Aggregate {2}\(cost=/)
      // A join and a sort make a plan of several lines; each row ended with a line break.
      expect(lines.length).toBeGreaterThan(4)
      expect(lines.at(-1)).toBe('')
      expect(lines.some((l) => /Sort Key|Nested Loop|Hash/.test(l))).toBe(true)
    },
  },
  {
    name: 'EXPLAIN as XML and YAML',
    run: async (t) => {
      const xml = await t.send(get('/authors', { Accept: 'application/vnd.pgrst.plan+xml' }))
      expect([xml.status, xml.headers.get('content-type')]).toEqual([200, planCt('xml')])
      expect(await xml.text()).toMatch(/^<explain xmlns="http:\/\/www\.postgresql\.org\/2009\/explain">/)
      const yaml = await t.send(get('/authors', { Accept: 'application/vnd.pgrst.plan+yaml' }))
      expect([yaml.status, yaml.headers.get('content-type')]).toEqual([200, planCt('yaml')])
      expect(await yaml.text()).toMatch(/^- Plan: \n {4}Node Type: "Aggregate"/)
    },
  },
  {
    name: 'EXPLAIN options analyze|verbose|settings|buffers|wal',
    run: async (t) => {
      const options = 'analyze|verbose|settings|buffers|wal'
      const p = await plan(await t.send(get('/books', { Accept: `application/vnd.pgrst.plan+json; options=${options}` })), planCt('json', 'application/json', options))
      const top = p[0]?.Plan ?? {}
      expect(top['Actual Total Time']).toEqual(expect.any(Number))
      expect(top['Output']).toEqual(expect.any(Array))
      expect(top['Shared Hit Blocks']).toEqual(expect.any(Number))
      expect(top['WAL Records']).toBe(0)
      // The settings EXPLAIN reports include the anonymous role's own (ALTER ROLE … SET work_mem).
      expect(p[0]?.Settings).toMatchObject({ work_mem: '7MB', search_path: '"parity", "public"' })
    },
  },
  {
    name: 'EXPLAIN for another media type: the singular object',
    run: async (t) => {
      const p = await plan(
        await t.send(get('/books?id=eq.1', { Accept: 'application/vnd.pgrst.plan+json; for="application/vnd.pgrst.object"; options=verbose' })),
        planCt('json', 'application/vnd.pgrst.object+json', 'verbose'),
      )
      expect((p[0]?.Plan['Output'] as string[])[2]).toMatch(/-> 0\), 'null'::json\)$/)
    },
  },
  {
    name: 'EXPLAIN of a write answers 200 with the plan and writes nothing',
    run: async (t) => {
      const writer = { ...(await bearer('parity_user')), Accept: 'application/vnd.pgrst.plan+json', 'Content-Type': 'application/json' }
      const before = await bookCount((r) => t.send(r))
      const p = await plan(
        await t.send({ method: 'POST', path: '/books', headers: { ...writer, Prefer: 'return=representation' }, body: '{"title":"Planned"}' }),
        planCt('json'),
      )
      expect(p[0]?.Plan['Total Cost']).toBeGreaterThan(0)
      expect(await bookCount((r) => t.send(r))).toBe(before)
      const patch = await plan(
        await t.send({ method: 'PATCH', path: '/books?id=eq.1', headers: writer, body: '{"title":"x"}' }),
        planCt('json'),
      )
      expect(patch[0]?.Plan['Node Type']).toBe('Aggregate')
      const title = (await jsonOf(await t.send(get('/books?id=eq.1&select=title')))) as { title: string }[]
      expect(title).toEqual([{ title: 'The Dispossessed' }])
    },
  },
  {
    name: 'EXPLAIN of a function call',
    run: async (t) => {
      const p = await plan(await t.send(get('/rpc/add?a=1&b=2', { Accept: 'application/vnd.pgrst.plan+json' })), planCt('json'))
      expect(p[0]?.Plan['Total Cost']).toBeGreaterThan(0)
    },
  },
  {
    name: 'without db-plan-enabled the plan media types are not acceptable (406 PGRST107)',
    run: async (t) => {
      const res = await t.send(get('/books', { Accept: 'application/vnd.pgrst.plan+json' }), { PGRST_DB_CONFIG: 'false' })
      expect([res.status, await jsonOf(res)]).toEqual([
        406,
        { code: 'PGRST107', details: null, hint: null, message: 'None of these media types are available: application/vnd.pgrst.plan+json; for="application/json"' },
      ])
    },
  },
  {
    name: "postgrest-js's explain() gets PostgREST's shapes (text by default, JSON with options)",
    run: async (t) => {
      const client = new PostgrestClient('http://localhost', { fetch: t.fetchFor(), schema: 'parity' })
      const text = await client.from('books').select('id,title').eq('status', 'published').explain()
      expect(text.error).toBeNull()
      expect(typeof text.data).toBe('string')
      expect(text.data as unknown as string).toMatch(/^Aggregate/)
      const json = await client.from('books').select('id').explain({ format: 'json', analyze: true, verbose: true, settings: true })
      expect(json.error).toBeNull()
      const p = json.data as unknown as Plan
      expect(p[0]?.Plan['Actual Rows']).toBe(1)
      expect(p[0]?.Settings?.['work_mem']).toBe('7MB')
      const rpc = await client.rpc('add', { a: 1, b: 2 }).explain({ format: 'json' })
      expect((rpc.data as unknown as Plan)[0]?.Plan['Total Cost']).toBeGreaterThan(0)
    },
  },
]
