/**
 * @module test/spec/writes-scenarios: the write specs, as scenarios every runtime runs — the Node
 * app over `pg` (test/spec/writes.test.ts) and the Worker inside workerd over `neon-http` and
 * `neon-ws` (test/runtime/workers/writes.test.ts). A scenario sends requests through the API and
 * checks each response exactly (status, headers, body as PostgREST v16.2 sends them), then reads
 * the table outside the API (superuser, its own transaction) to see what really was committed.
 *
 * Settings: SPEC_SETTINGS + WRITES_SETTINGS (schema `writes` only, db-tx-end=commit-allow-override).
 * Scenarios run concurrently with each other and with other runtimes on the same database, so
 * each one writes only rows whose keys it made with `ctx.key()` and looks only at those.
 */
import { expect } from 'vitest'
import { checkSpecResponse } from './check.ts'
import { AUTHENTICATED_JWT, JSON_CT, OBJECT_CT, pgrstError } from './cases/common.ts'
import type { SpecExpect, SpecRequest } from './types.ts'

export interface WriteContext {
  readonly send: (request: SpecRequest) => Promise<Response>
  /** A read outside the API, as superuser, in its own transaction: rows of text values. */
  readonly query: (text: string, params?: readonly string[]) => Promise<(string | null)[][]>
  /** A key no other test uses. */
  readonly key: (prefix?: string) => string
}

export interface WriteScenario {
  readonly name: string
  readonly run: (ctx: WriteContext) => Promise<void>
}

const CSV_CT = 'text/csv; charset=utf-8'

const step = async (ctx: WriteContext, request: SpecRequest, want: SpecExpect): Promise<void> => {
  await checkSpecResponse(await ctx.send(request), want)
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}): SpecRequest => ({
  method: 'POST',
  path,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})
const patch = (path: string, body: unknown, headers: Record<string, string> = {}): SpecRequest => ({
  method: 'PATCH',
  path,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const put = (path: string, body: unknown, headers: Record<string, string> = {}): SpecRequest => ({
  method: 'PUT',
  path,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const del = (path: string, headers: Record<string, string> = {}): SpecRequest => ({ method: 'DELETE', path, headers })

/** A write answered without a body: no Content-Type, the given headers. */
const noBody = (status: number, headers: Record<string, string | null> = {}): SpecExpect => ({
  status,
  text: '',
  headers: { 'Content-Type': null, ...headers },
})

const json = (status: number, body: unknown, headers: Record<string, string | null> = {}): SpecExpect => ({
  status,
  json: body,
  headers: { 'Content-Type': JSON_CT, ...headers },
})

/** `id, n, note` of writes.things rows with these ids, ordered by id. */
const things = (ctx: WriteContext, keys: readonly string[]): Promise<(string | null)[][]> =>
  ctx.query('SELECT id, n::text, note FROM writes.things WHERE id = ANY($1::text[]) ORDER BY id', [`{${keys.map((k) => `"${k}"`).join(',')}}`])

const seedThings = async (ctx: WriteContext, rows: readonly { id: string; n: number; note?: string }[]): Promise<void> => {
  await step(ctx, post('/things', rows.map((r) => ({ id: r.id, n: r.n, note: r.note ?? 'fresh' }))), noBody(201, { 'Content-Range': '*/*' }))
}

export const WRITE_SCENARIOS: readonly WriteScenario[] = [
  // ------------------------------------------------------------------------------------- POST
  {
    name: 'POST a JSON object: 201 without body or Content-Type, omitted columns take their DEFAULT',
    run: async (ctx) => {
      const k = ctx.key()
      await step(ctx, post('/things', { id: k, n: 1 }), noBody(201, { 'Content-Range': '*/*', Location: null, 'Preference-Applied': null }))
      expect(await things(ctx, [k])).toEqual([[k, '1', 'fresh']])
    },
  },
  {
    name: 'POST a bulk array with return=representation and select=',
    run: async (ctx) => {
      const [a, b] = [ctx.key('a'), ctx.key('b')]
      await step(
        ctx,
        post('/things?select=id,n', [{ id: a, n: 1 }, { id: b, n: 2 }], { Prefer: 'return=representation' }),
        json(201, [{ id: a, n: 1 }, { id: b, n: 2 }], { 'Content-Range': '*/*', 'Preference-Applied': 'return=representation', Location: null }),
      )
      expect(await things(ctx, [a, b])).toEqual([[a, '1', 'fresh'], [b, '2', 'fresh']])
    },
  },
  {
    name: 'POST a urlencoded body',
    run: async (ctx) => {
      const k = ctx.key()
      await step(
        ctx,
        { method: 'POST', path: '/things', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Prefer: 'return=representation' }, body: `id=${k}&n=5&note=a+b%26c` },
        json(201, [{ id: k, n: 5, note: 'a b&c', parent_id: null, tags: null, data: null }]),
      )
    },
  },
  {
    name: 'POST a CSV body (NULL is null) and get CSV back',
    run: async (ctx) => {
      const [a, b] = [ctx.key('a'), ctx.key('b')]
      await step(
        ctx,
        {
          method: 'POST',
          path: '/things?select=id,note',
          headers: { 'Content-Type': 'text/csv', Accept: 'text/csv', Prefer: 'return=representation' },
          body: `id,n,note\n${a},1,NULL\n${b},2,"x,y"`,
        },
        { status: 201, text: `id,note\n${a},\n${b},"x,y"`, headers: { 'Content-Type': CSV_CT } },
      )
      expect(await things(ctx, [a, b])).toEqual([[a, '1', null], [b, '2', 'x,y']])
    },
  },
  {
    name: 'columns= takes only the named keys; an unknown column or payload key is PGRST204 and writes nothing',
    run: async (ctx) => {
      const [a, b, c] = [ctx.key('a'), ctx.key('b'), ctx.key('c')]
      await step(ctx, post('/things?columns=id,n', { id: a, n: 3, bogus: 'ignored', note: 'ignored' }), noBody(201))
      expect(await things(ctx, [a])).toEqual([[a, '3', 'fresh']])
      const missing = (col: string) => pgrstError(400, 'PGRST204', `Could not find the '${col}' column of 'things' in the schema cache`)
      await step(ctx, post('/things?columns=id,nope', { id: b, n: 1 }), missing('nope'))
      await step(ctx, post('/things', { id: c, n: 1, nope: 2 }), missing('nope'))
      expect(await things(ctx, [b, c])).toEqual([])
    },
  },
  {
    name: 'Prefer: missing=default fills absent keys with the column DEFAULT instead of NULL',
    run: async (ctx) => {
      const [a, b, c] = [ctx.key('a'), ctx.key('b'), ctx.key('c')]
      await step(
        ctx,
        post('/serials?columns=tag,label,n&select=tag,label,n', [{ tag: a }, { tag: b, n: 7 }], { Prefer: 'missing=default, return=representation' }),
        json(201, [{ tag: a, label: 'unnamed', n: 42 }, { tag: b, label: 'unnamed', n: 7 }], { 'Preference-Applied': 'missing=default, return=representation' }),
      )
      await step(
        ctx,
        post('/serials?columns=tag,label,n&select=tag,label,n', [{ tag: c }], { Prefer: 'return=representation' }),
        json(201, [{ tag: c, label: null, n: null }], { 'Preference-Applied': 'return=representation' }),
      )
    },
  },
  {
    name: 'return=headers-only: Location from the primary key, percent-encoded, and usable',
    run: async (ctx) => {
      const a = `${ctx.key()} ü&`
      const enc = encodeURIComponent(a).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      const location = `/pairs?a=eq.${enc}&b=eq.2`
      await step(
        ctx,
        post('/pairs', { a, b: 2, v: 'x' }, { Prefer: 'return=headers-only' }),
        noBody(201, { Location: location, 'Content-Range': '*/*', 'Preference-Applied': 'return=headers-only' }),
      )
      await step(ctx, { method: 'GET', path: location }, json(200, [{ a, b: 2, v: 'x' }]))
      // Two rows, or a table without a key: no Location.
      await step(ctx, post('/pairs', [{ a, b: 3 }, { a, b: 4 }], { Prefer: 'return=headers-only' }), noBody(201, { Location: null }))
      await step(ctx, post('/no_pk', { tag: ctx.key() }, { Prefer: 'return=headers-only' }), noBody(201, { Location: null }))
    },
  },
  {
    name: 'return=headers-only on a generated key: Location names the key the database chose',
    run: async (ctx) => {
      const tag = ctx.key()
      const res = await ctx.send(post('/serials', { tag }, { Prefer: 'return=headers-only' }))
      expect(res.status).toBe(201)
      const [[id]] = (await ctx.query('SELECT id::text FROM writes.serials WHERE tag = $1', [tag])) as [[string]]
      expect(res.headers.get('Location')).toBe(`/serials?id=eq.${id}`)
    },
  },
  {
    name: 'embeds in the representation of a write (RETURNING adds the foreign key)',
    run: async (ctx) => {
      const [p, k] = [ctx.key('p'), ctx.key()]
      await step(ctx, post('/parents', { id: p, name: 'mum' }), noBody(201))
      await step(
        ctx,
        post('/things?select=id,parent:parents(name)', { id: k, n: 1, parent_id: p }, { Prefer: 'return=representation' }),
        json(201, [{ id: k, parent: { name: 'mum' } }]),
      )
    },
  },
  // ------------------------------------------------------------------------------------ upsert
  {
    name: 'resolution=merge-duplicates: 201 when a row is new, 200 when every row only updated',
    run: async (ctx) => {
      const [a, b] = [ctx.key('a'), ctx.key('b')]
      await seedThings(ctx, [{ id: a, n: 1 }])
      const prefer = { Prefer: 'return=representation, resolution=merge-duplicates' }
      const applied = 'resolution=merge-duplicates, return=representation'
      await step(
        ctx,
        post('/things?select=id,n', [{ id: a, n: 9 }, { id: b, n: 2 }], prefer),
        json(201, [{ id: a, n: 9 }, { id: b, n: 2 }], { 'Preference-Applied': applied }),
      )
      await step(ctx, post('/things?select=id,n', [{ id: a, n: 10 }], prefer), json(200, [{ id: a, n: 10 }], { 'Preference-Applied': applied }))
      expect(await things(ctx, [a, b])).toEqual([[a, '10', 'fresh'], [b, '2', 'fresh']])
    },
  },
  {
    name: 'resolution=ignore-duplicates keeps existing rows and returns only the inserted ones',
    run: async (ctx) => {
      const [a, b] = [ctx.key('a'), ctx.key('b')]
      await seedThings(ctx, [{ id: a, n: 1 }])
      await step(
        ctx,
        post('/things?select=id,n', [{ id: a, n: 5 }, { id: b, n: 6 }], { Prefer: 'return=representation, resolution=ignore-duplicates' }),
        json(201, [{ id: b, n: 6 }], { 'Preference-Applied': 'resolution=ignore-duplicates, return=representation' }),
      )
      expect(await things(ctx, [a, b])).toEqual([[a, '1', 'fresh'], [b, '6', 'fresh']])
    },
  },
  {
    name: 'on_conflict= names the unique columns to merge on; without a key or on_conflict the resolution is not applied',
    run: async (ctx) => {
      const code = ctx.key()
      await step(ctx, post('/uniques', { code, v: 'one' }), noBody(201))
      await step(
        ctx,
        post('/uniques?on_conflict=code&select=code,v', { code, v: 'two' }, { Prefer: 'return=representation, resolution=merge-duplicates' }),
        json(200, [{ code, v: 'two' }], { 'Preference-Applied': 'resolution=merge-duplicates, return=representation' }),
      )
      await step(
        ctx,
        post('/no_pk', { tag: code, v: 'x' }, { Prefer: 'return=representation, resolution=merge-duplicates' }),
        json(201, [{ tag: code, v: 'x' }], { 'Preference-Applied': 'return=representation' }),
      )
    },
  },
  {
    name: 'PUT inserts (201) then replaces (200) the row named by the primary key; 204 without representation',
    run: async (ctx) => {
      const k = ctx.key()
      const rep = { Prefer: 'return=representation' }
      await step(ctx, put(`/things?id=eq.${k}&select=id,n`, { id: k, n: 1 }, rep), json(201, [{ id: k, n: 1 }]))
      await step(ctx, put(`/things?id=eq.${k}&select=id,n`, { id: k, n: 2 }, rep), json(200, [{ id: k, n: 2 }]))
      await step(ctx, put(`/things?id=eq.${k}`, { id: k, n: 3 }), noBody(204, { 'Content-Range': null }))
      await step(ctx, put(`/pairs?a=eq.${k}&b=eq.1`, { a: k, b: 1, v: 'p' }, { Prefer: 'return=representation', Accept: 'application/vnd.pgrst.object+json' }), {
        status: 201,
        json: { a: k, b: 1, v: 'p' },
        headers: { 'Content-Type': OBJECT_CT },
      })
      expect(await things(ctx, [k])).toEqual([[k, '3', 'fresh']])
    },
  },
  {
    name: 'PUT: PGRST115 when the payload key differs from the URL (nothing written), PGRST105 and PGRST114 for other filters and limits',
    run: async (ctx) => {
      const [k, other] = [ctx.key(), ctx.key('other')]
      await step(ctx, put(`/things?id=eq.${k}`, { id: other, n: 1 }), pgrstError(400, 'PGRST115', 'Payload values do not match URL in primary key column(s)'))
      expect(await things(ctx, [k, other])).toEqual([])
      const invalid = pgrstError(405, 'PGRST105', "Filters must include all and only primary key columns with 'eq' operators")
      await step(ctx, put(`/things?n=eq.1`, { id: k, n: 1 }), invalid)
      await step(ctx, put(`/things?id=neq.${k}`, { id: k, n: 1 }), invalid)
      await step(ctx, put(`/pairs?a=eq.${k}`, { a: k, b: 1 }), invalid)
      await step(ctx, put(`/no_pk?tag=eq.${k}`, { tag: k }), invalid)
      await step(ctx, put(`/things?id=eq.${k}&limit=1`, { id: k, n: 1 }), pgrstError(400, 'PGRST114', 'limit/offset querystring parameters are not allowed for PUT'))
      expect(await things(ctx, [k, other])).toEqual([])
    },
  },
  // ------------------------------------------------------------------------------ PATCH / DELETE
  {
    name: 'PATCH with filters: 204 and Content-Range, or the rows with return=representation, count=exact totals',
    run: async (ctx) => {
      const p = ctx.key('p')
      const keys = [`${p}-1`, `${p}-2`, `${p}-3`]
      await seedThings(ctx, keys.map((id, i) => ({ id, n: i })))
      await step(ctx, patch(`/things?id=like.${p}-*&n=gte.1`, { note: 'patched' }), noBody(204, { 'Content-Range': '0-1/*' }))
      await step(
        ctx,
        patch(`/things?id=like.${p}-*&select=id,note&order=id.desc`, { n: 7 }, { Prefer: 'return=representation, count=exact' }),
        json(200, [{ id: keys[2], note: 'patched' }, { id: keys[1], note: 'patched' }, { id: keys[0], note: 'fresh' }], {
          'Content-Range': '0-2/3',
          'Preference-Applied': 'return=representation, count=exact',
        }),
      )
      await step(ctx, patch(`/things?id=eq.${p}-none`, { n: 1 }, { Prefer: 'return=representation' }), json(200, [], { 'Content-Range': '*/*' }))
      // An empty object changes nothing.
      await step(ctx, patch(`/things?id=like.${p}-*`, {}), noBody(204, { 'Content-Range': '*/*' }))
      expect(await things(ctx, keys)).toEqual([[keys[0], '7', 'fresh'], [keys[1], '7', 'patched'], [keys[2], '7', 'patched']])
    },
  },
  {
    name: 'DELETE with filters: 204, or the deleted rows with return=representation',
    run: async (ctx) => {
      const p = ctx.key('p')
      const keys = [`${p}-1`, `${p}-2`, `${p}-3`]
      await seedThings(ctx, keys.map((id, i) => ({ id, n: i })))
      await step(ctx, del(`/things?id=eq.${keys[0]}`, { Prefer: 'count=exact' }), noBody(204, { 'Content-Range': '*/1', 'Preference-Applied': 'count=exact' }))
      await step(
        ctx,
        del(`/things?id=like.${p}-*&select=id&order=id`, { Prefer: 'return=representation' }),
        json(200, [{ id: keys[1] }, { id: keys[2] }], { 'Content-Range': '*/*' }),
      )
      expect(await things(ctx, keys)).toEqual([])
    },
  },
  // ---------------------------------------------------------------------------------- Prefer
  {
    name: 'handling=strict rejects unknown preferences (PGRST122) before writing; lenient ignores them',
    run: async (ctx) => {
      const [a, b] = [ctx.key('a'), ctx.key('b')]
      await step(
        ctx,
        post('/things', { id: a, n: 1 }, { Prefer: 'handling=strict, return=minimal, bogus' }),
        pgrstError(400, 'PGRST122', 'Invalid preferences given with handling=strict', 'Invalid preferences: bogus'),
      )
      await step(ctx, post('/things', { id: b, n: 1 }, { Prefer: 'handling=lenient, return=minimal, bogus' }), noBody(201, { 'Preference-Applied': 'return=minimal, handling=lenient' }))
      expect(await things(ctx, [a, b])).toEqual([[b, '1', 'fresh']])
    },
  },
  {
    name: 'max-affected with handling=strict: PGRST124 and nothing changed when more rows are hit',
    run: async (ctx) => {
      const p = ctx.key('p')
      const keys = [`${p}-1`, `${p}-2`, `${p}-3`]
      await seedThings(ctx, keys.map((id) => ({ id, n: 1 })))
      const tooMany = pgrstError(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', 'The query affects 3 rows')
      await step(ctx, patch(`/things?id=like.${p}-*`, { n: 2 }, { Prefer: 'handling=strict, max-affected=2' }), tooMany)
      await step(ctx, del(`/things?id=like.${p}-*`, { Prefer: 'handling=strict, max-affected=2, return=representation' }), tooMany)
      expect(await things(ctx, keys)).toEqual(keys.map((k) => [k, '1', 'fresh']))
      await step(
        ctx,
        patch(`/things?id=like.${p}-*`, { n: 3 }, { Prefer: 'handling=strict, max-affected=3, timezone=UTC' }),
        noBody(204, { 'Preference-Applied': 'handling=strict, timezone=UTC, max-affected=3', 'Content-Range': '0-2/*' }),
      )
      // Lenient handling ignores it (and does not report it).
      await step(ctx, patch(`/things?id=like.${p}-*`, { n: 4 }, { Prefer: 'max-affected=1' }), noBody(204, { 'Preference-Applied': null }))
      expect(await things(ctx, keys)).toEqual(keys.map((k) => [k, '4', 'fresh']))
    },
  },
  {
    name: 'vnd.pgrst.object+json: a write of other than one row is 406 PGRST116 and undone',
    run: async (ctx) => {
      const p = ctx.key('p')
      const keys = [`${p}-1`, `${p}-2`]
      await seedThings(ctx, keys.map((id) => ({ id, n: 1 })))
      const single = { Accept: 'application/vnd.pgrst.object+json' }
      const rows = (n: number) => pgrstError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${n} rows`)
      await step(ctx, patch(`/things?id=like.${p}-*`, { n: 2 }, single), rows(2))
      await step(ctx, patch(`/things?id=like.${p}-*`, { n: 2 }, { ...single, Prefer: 'return=representation' }), rows(2))
      await step(ctx, del(`/things?id=like.${p}-*`, single), rows(2))
      await step(ctx, del(`/things?id=eq.${p}-none`, single), rows(0))
      await step(ctx, post('/things', [{ id: `${p}-3`, n: 1 }, { id: `${p}-4`, n: 1 }], single), rows(2))
      expect(await things(ctx, [...keys, `${p}-3`, `${p}-4`])).toEqual(keys.map((k) => [k, '1', 'fresh']))
      await step(ctx, patch(`/things?id=eq.${keys[0]}&select=id,n`, { n: 5 }, { ...single, Prefer: 'return=representation' }), {
        status: 200,
        json: { id: keys[0], n: 5 },
        headers: { 'Content-Type': OBJECT_CT },
      })
      expect(await things(ctx, keys)).toEqual([[keys[0], '5', 'fresh'], [keys[1], '1', 'fresh']])
    },
  },
  {
    name: 'Prefer: tx=rollback answers as if committed, then undoes the write; tx=commit commits',
    run: async (ctx) => {
      const [a, b] = [ctx.key('a'), ctx.key('b')]
      const rollback = { Prefer: 'return=representation, tx=rollback' }
      const applied = { 'Preference-Applied': 'return=representation, tx=rollback' }
      await step(ctx, post('/things?select=id,n', { id: a, n: 1 }, rollback), json(201, [{ id: a, n: 1 }], applied))
      expect(await things(ctx, [a])).toEqual([])
      await step(ctx, post('/things', { id: b, n: 1 }, { Prefer: 'tx=commit' }), noBody(201, { 'Preference-Applied': 'tx=commit' }))
      await step(ctx, patch(`/things?id=eq.${b}&select=n`, { n: 2 }, rollback), json(200, [{ n: 2 }], applied))
      await step(ctx, put(`/things?id=eq.${b}&select=n`, { id: b, n: 3 }, rollback), json(200, [{ n: 3 }], applied))
      await step(ctx, del(`/things?id=eq.${b}&select=n`, rollback), json(200, [{ n: 1 }], applied))
      expect(await things(ctx, [a, b])).toEqual([[b, '1', 'fresh']])
    },
  },
  {
    name: 'a deferred constraint is checked before a rollback (409), and at COMMIT otherwise',
    run: async (ctx) => {
      const [a, b, c] = [ctx.key('a'), ctx.key('b'), ctx.key('c')]
      const code = ctx.key('code')
      const dup = (status: number) => ({
        ...pgrstError(status, '23505', 'duplicate key value violates unique constraint "deferred_code_key"', `Key (code)=(${code}) already exists.`),
      })
      await step(ctx, post('/deferred', [{ id: a, code }, { id: b, code }], { Prefer: 'tx=rollback' }), dup(409))
      await step(ctx, post('/deferred', [{ id: a, code }, { id: c, code }]), dup(409))
      expect(await ctx.query('SELECT id FROM writes.deferred WHERE code = $1', [code])).toEqual([])
    },
  },
  // ---------------------------------------------------------------------------------- errors
  {
    name: 'constraint and type errors: 23505/23503 → 409, 23502/23514/22P02 → 400, with PostgreSQL’s texts',
    run: async (ctx) => {
      const [k, x] = [ctx.key(), ctx.key('x')]
      await seedThings(ctx, [{ id: k, n: 1 }])
      await step(
        ctx,
        post('/things', { id: k, n: 1 }),
        pgrstError(409, '23505', 'duplicate key value violates unique constraint "things_pkey"', `Key (id)=(${k}) already exists.`),
      )
      await step(
        ctx,
        post('/things', { id: x, n: 1, parent_id: 'nobody' }),
        pgrstError(409, '23503', 'insert or update on table "things" violates foreign key constraint "things_parent_id_fkey"', 'Key (parent_id)=(nobody) is not present in table "parents".'),
      )
      await step(
        ctx,
        post('/things', { id: x, n: null }),
        pgrstError(400, '23502', 'null value in column "n" of relation "things" violates not-null constraint', `Failing row contains (${x}, null, fresh, null, null, null).`),
      )
      await step(
        ctx,
        patch(`/things?id=eq.${k}`, { n: -1 }),
        pgrstError(400, '23514', 'new row for relation "things" violates check constraint "things_n_check"', `Failing row contains (${k}, -1, fresh, null, null, null).`),
      )
      await step(ctx, post('/things', { id: x, n: 'abc' }), pgrstError(400, '22P02', 'invalid input syntax for type integer: "abc"'))
      await step(ctx, patch(`/things?n=eq.abc`, { n: 1 }), pgrstError(400, '22P02', 'invalid input syntax for type integer: "abc"'))
      expect(await things(ctx, [k, x])).toEqual([[k, '1', 'fresh']])
    },
  },
  {
    name: 'a bulk insert with one bad row writes nothing',
    run: async (ctx) => {
      const p = ctx.key('p')
      const rows = [1, 2, 3, 4].map((i) => ({ id: `${p}-${i}`, n: i === 3 ? -5 : i }))
      const res = await ctx.send(post('/things', rows))
      expect(res.status).toBe(400)
      expect(((await res.json()) as { code: string }).code).toBe('23514')
      expect(await things(ctx, rows.map((r) => r.id))).toEqual([])
    },
  },
  {
    name: 'no privilege: 401 for the anonymous role, 403 for an authenticated one',
    run: async (ctx) => {
      const k = ctx.key()
      await step(ctx, post('/locked', { id: k }), pgrstError(401, '42501', 'permission denied for table locked', null, null, { 'WWW-Authenticate': 'Bearer' }))
      await step(ctx, del(`/locked?id=eq.${k}`, { Authorization: `Bearer ${AUTHENTICATED_JWT}` }), pgrstError(403, '42501', 'permission denied for table locked'))
    },
  },
]

/**
 * The same writes under db-tx-end=rollback (no override): every write answers as usual and is
 * undone; `Prefer: tx=commit` cannot change that.
 */
export const FORCED_ROLLBACK_SCENARIOS: readonly WriteScenario[] = [
  {
    name: 'db-tx-end=rollback: POST, PATCH, PUT and DELETE answer normally and leave the table as it was',
    run: async (ctx) => {
      const [a, fixed] = [ctx.key('a'), 'p-fixed']
      const rep = { Prefer: 'return=representation, tx=commit' }
      await step(ctx, post('/things?select=id,n', { id: a, n: 1 }, rep), json(201, [{ id: a, n: 1 }], { 'Preference-Applied': 'return=representation' }))
      await step(ctx, patch(`/parents?id=eq.${fixed}&select=name`, { name: 'changed' }, rep), json(200, [{ name: 'changed' }]))
      await step(ctx, put(`/parents?id=eq.${fixed}&select=name`, { id: fixed, name: 'put' }, rep), json(200, [{ name: 'put' }]))
      await step(ctx, del(`/parents?id=eq.${fixed}&select=name`, rep), json(200, [{ name: 'fixture parent' }]))
      expect(await things(ctx, [a])).toEqual([])
      expect(await ctx.query('SELECT name FROM writes.parents WHERE id = $1', [fixed])).toEqual([['fixture parent']])
    },
  },
]
