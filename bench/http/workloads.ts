/**
 * @module bench/http/workloads: the requests the HTTP benchmark sends, one shape per workload,
 * against bench/http/schema.sql. A shape is a method, a path, a query string and optionally a body
 * with `{slot}` placeholders; the driver fills the slots with values that vary per request (which
 * book, which author, which user's token), the floor handler finds the same slots in the request it
 * receives. Both servers get byte-identical requests.
 */

/** Who a request runs as: no token (PGRST_DB_ANON_ROLE), or a signed-in user's JWT. */
export type Principal = 'anonymous' | 'user'

export interface Workload {
  readonly name: string
  readonly description: string
  readonly method: 'GET' | 'POST'
  readonly path: string
  /** Query string without `?`; `{slot}` placeholders stand for per-request values. */
  readonly query: string
  /** JSON body with `{slot}` placeholders (sent as is, so the values must keep it valid JSON). */
  readonly body?: string | undefined
  readonly headers: Readonly<Record<string, string>>
  readonly principal: Principal
  /** The status both servers must answer with. */
  readonly status: number
  /** Writes to api.reviews: the driver truncates it before each measured cell. */
  readonly writes: boolean
  /** Per-request value of each slot; `n` is a uniform random integer source. */
  readonly slots: Readonly<Record<string, (n: (max: number) => number) => string>>
}

const GENRES = ['fiction', 'mystery', 'fantasy', 'science', 'history', 'poetry', 'romance', 'thriller', 'biography', 'travel', 'cooking', 'children']

const book = (n: (max: number) => number): string => String(1 + n(100_000))
const author = (n: (max: number) => number): string => String(1 + n(10_000))

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'pk-get',
    description: 'one book by primary key',
    method: 'GET',
    path: '/books',
    query: 'id=eq.{book}',
    headers: {},
    principal: 'anonymous',
    status: 200,
    writes: false,
    slots: { book },
  },
  {
    name: 'filtered-list',
    description: '20 books of a genre under a price, newest first',
    method: 'GET',
    path: '/books',
    query: 'select=id,title,genre,published_on,price&genre=eq.{genre}&price=lt.{price}&order=published_on.desc&limit=20',
    headers: {},
    principal: 'anonymous',
    status: 200,
    writes: false,
    slots: { genre: (n) => GENRES[n(GENRES.length)] as string, price: (n) => String(10 + n(30)) },
  },
  {
    name: 'embed-1',
    description: '20 books of a genre, each with its author (many-to-one)',
    method: 'GET',
    path: '/books',
    query: 'select=id,title,published_on,authors(id,name,country)&genre=eq.{genre}&order=published_on.desc&limit=20',
    headers: {},
    principal: 'anonymous',
    status: 200,
    writes: false,
    slots: { genre: (n) => GENRES[n(GENRES.length)] as string },
  },
  {
    name: 'embed-2',
    description: 'an author, their books, each book\'s tags (one-to-many, then many-to-many)',
    method: 'GET',
    path: '/authors',
    query: 'select=id,name,books(id,title,published_on,tags(name))&id=eq.{author}',
    headers: {},
    principal: 'anonymous',
    status: 200,
    writes: false,
    slots: { author },
  },
  {
    name: 'insert',
    description: 'POST a review with a JWT, Prefer: return=representation (RLS WITH CHECK)',
    method: 'POST',
    path: '/reviews',
    query: '',
    body: '{"book_id":{book},"rating":{rating},"body":"Read it in {days} days, would recommend."}',
    headers: { 'content-type': 'application/json', prefer: 'return=representation' },
    principal: 'user',
    status: 201,
    writes: true,
    slots: { book, rating: (n) => String(1 + n(5)), days: (n) => String(1 + n(30)) },
  },
  {
    name: 'jwt-get',
    description: 'a signed-in user\'s 10 latest orders (JWT, RLS on the token\'s sub)',
    method: 'GET',
    path: '/orders',
    query: 'select=id,book_id,quantity,ordered_at&order=ordered_at.desc&limit=10',
    headers: {},
    principal: 'user',
    status: 200,
    writes: false,
    slots: {},
  },
]

/** The PK GET workload: the readiness probe, the profile run and the workerd measurement use it. */
export const PK_GET = WORKLOADS.find((w) => w.name === 'pk-get') as Workload

/** `{name}` placeholders of a template, in order of appearance. */
const SLOT = /\{([a-z]+)\}/g

export const fillSlots = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(SLOT, (_, name: string) => {
    const v = values[name]
    if (v === undefined) throw new Error(`no value for slot {${name}}`)
    return v
  })

/** Where a slot sits in the query string: `key=prefix{slot}suffix`. */
export interface QuerySlot {
  readonly key: string
  readonly slot: string
  readonly prefix: string
  readonly suffix: string
}

/** The query parameters whose value holds a slot (one slot per parameter). */
export const querySlots = (w: Workload): QuerySlot[] => {
  const out: QuerySlot[] = []
  for (const pair of w.query === '' ? [] : w.query.split('&')) {
    const eq = pair.indexOf('=')
    const key = pair.slice(0, eq)
    const value = pair.slice(eq + 1)
    const m = [...value.matchAll(SLOT)]
    if (m.length === 0) continue
    if (m.length > 1) throw new Error(`${w.name}: one slot per query parameter (${pair})`)
    const hit = m[0] as RegExpExecArray
    out.push({ key, slot: hit[1] as string, prefix: value.slice(0, hit.index), suffix: value.slice(hit.index + hit[0].length) })
  }
  return out
}

/** One concrete request of a workload. */
export interface ConcreteRequest {
  readonly method: string
  /** Path and query string. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string | undefined
}

/** A request of `w` with fresh slot values; `tokens` are the users' JWTs (principal `user`). */
export const concreteRequest = (w: Workload, n: (max: number) => number, tokens: readonly string[]): ConcreteRequest => {
  const values: Record<string, string> = {}
  for (const [name, gen] of Object.entries(w.slots)) values[name] = gen(n)
  const headers: Record<string, string> = { ...w.headers }
  if (w.principal === 'user') headers['authorization'] = `Bearer ${tokens[n(tokens.length)] as string}`
  const query = fillSlots(w.query, values)
  return {
    method: w.method,
    path: query === '' ? w.path : `${w.path}?${query}`,
    headers,
    ...(w.body !== undefined ? { body: fillSlots(w.body, values) } : {}),
  }
}

/** A seeded generator (mulberry32), so a run's request mix is the same every time. */
export const seededInts = (seed: number): ((max: number) => number) => {
  let a = seed >>> 0
  return (max) => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * max)
  }
}
