/**
 * @module shape-cache: plan and SQL of a read computed once per request *shape* instead of once
 * per request. Requests to an API repeat a handful of shapes — `GET /books?id=eq.N` with ever new
 * N — and planning plus SQL generation was about a third of a read's CPU (more for embeds), work
 * whose result only differs in the filter values that end up as parameters.
 *
 * The shape of a GET/HEAD on a table or view is its path, its query string with the value of every
 * plain filter (`col=op.VALUE`, `emb.col=not.op.VALUE`) cut out, the headers parse reads (Accept,
 * Prefer, Range, the profiles, Content-Type) and the role. Two requests of one shape parse to the
 * same structure except for those values, since parse takes a filter's value verbatim after
 * `op.`: so they plan alike and their SQL differs only in the parameters the values become.
 *
 * Entries are made and checked on a miss, from the request that missed:
 * 1. the request is planned and compiled as always (its answer does not wait for the cache);
 * 2. the same request with each value replaced by a sentinel is planned and compiled again, and
 *    the statement is turned into a template: parameters that are exactly a sentinel become slots;
 * 3. the template, filled with the real values, must give back exactly the real statement (text
 *    and parameters), no sentinel may show up anywhere else, and the number of values cut from the
 *    query string must be the number of filter values parse found. Otherwise the shape is
 *    remembered as not cacheable and always takes the full path.
 * Only operators whose value reaches SQL untouched as one parameter are cut (not `like`, whose `*`
 * becomes `%`, nor `in`, `is`, quantified or language-tagged forms); anything else stays in the
 * key. Writes, RPC, EXPLAIN, planned counts and the root are never cached.
 *
 * Bounded: at most MAX_SHAPES per configuration, forgotten all at once when full, and no key longer
 * than MAX_KEY_LENGTH. A schema cache reload builds new deps and with them a new, empty cache.
 */
import type { AppConfig } from './config/types.ts'
import type { ApiRequest, Filter, Operation } from './parse/types.ts'
import type { ActionPlan } from './plan/types.ts'
import type { CompiledSql } from './sql/fragment.ts'
import type { RequestTarget } from './pipeline.ts'

const MAX_SHAPES = 1000
/** Longer keys (very long query strings) are not cached: MAX_SHAPES of them could hold a lot of memory. */
const MAX_KEY_LENGTH = 4096

/** A parameter of a cached statement: a constant of the shape, or the n-th filter value. */
type TemplateParam = string | null | { readonly slot: number }

interface Template {
  readonly text: string
  readonly params: readonly TemplateParam[]
}

type Entry = { readonly kind: 'cached'; readonly plan: ActionPlan & { kind: 'read' }; readonly main: Template } | { readonly kind: 'uncacheable' }

export interface ShapeCache {
  readonly byConfig: WeakMap<AppConfig, Map<string, Entry>>
}

export const createShapeCache = (): ShapeCache => ({ byConfig: new WeakMap() })

/** What the cache says of a request. */
export type ShapeUse =
  /** Its shape is cached: the plan of the shape and this request's main statement. */
  | { readonly kind: 'hit'; readonly plan: ActionPlan & { kind: 'read' }; readonly main: CompiledSql }
  /** A shape not seen yet: rememberShape it once the request is compiled. */
  | { readonly kind: 'learn'; readonly key: ShapeKey }
  /** Never cached (not a read of a table, a long key, a shape known not to template). */
  | { readonly kind: 'none' }

export interface ShapeKey {
  readonly key: string
  /** How many filter values the key cut from the query string. */
  readonly cut: number
}

const NONE: ShapeUse = { kind: 'none' }

/** Query-string words that are not filters (parse's reserved keys), at any segment of a key. */
const RESERVED = new Set(['select', 'columns', 'on_conflict', 'order', 'limit', 'offset', 'and', 'or', 'not'])

/** `[not.]op.` of the operators whose value becomes one parameter as it is (sql/format.ts). */
const CUTTABLE = /^(?:not\.)?(?:eq|neq|gt|gte|lt|lte|match|imatch|cs|cd|ov|sl|sr|nxr|nxl|adj|isdistinct|fts|plfts|phfts|wfts)\./

const HEADERS = ['accept', 'prefer', 'range', 'range-unit', 'accept-profile', 'content-profile', 'content-type'] as const

/**
 * The shape key of a request and how many values were cut from its query string, or null for a
 * request that is never cached.
 */
export const shapeKey = (method: string, target: RequestTarget, headers: Headers, role: string): ShapeKey | null => {
  if (method !== 'GET' && method !== 'HEAD') return null
  const path = target.pathname
  if (path === '/' || path.startsWith('/rpc/') || path.indexOf('/', 1) >= 0) return null
  let key = `${method} ${path} ${role}`
  for (const h of HEADERS) key += `\n${headers.get(h) ?? '\u0000'}`
  key += '\n'
  let cut = 0
  const search = target.search
  let at = search.startsWith('?') ? 1 : 0
  while (at < search.length) {
    let end = search.indexOf('&', at)
    if (end < 0) end = search.length
    const eq = search.indexOf('=', at)
    if (eq > at && eq < end && cuttableKey(search.slice(at, eq))) {
      const m = CUTTABLE.exec(search.slice(eq + 1, end))
      if (m !== null) {
        key += `${search.slice(at, eq + 1 + m[0].length)}\u0000&`
        cut++
        at = end + 1
        continue
      }
    }
    key += `${search.slice(at, end)}&`
    at = end + 1
  }
  return key.length > MAX_KEY_LENGTH ? null : { key, cut }
}

/** A raw key that can only be a filter: no percent-escape (which could spell a reserved word), no reserved segment. */
const cuttableKey = (raw: string): boolean => {
  if (raw.includes('%') || raw.includes('+')) return false
  for (const segment of raw.split('.')) if (RESERVED.has(segment)) return false
  return true
}

/** Whether a filter's value is one the key cut (see CUTTABLE): the same operators, parsed. */
const cutValue = (op: Operation): op is Operation & { value: string } => {
  switch (op.kind) {
    case 'simple':
    case 'isdistinct':
      return true
    case 'quant':
      return op.quantifier === undefined && op.op !== 'like' && op.op !== 'ilike'
    case 'fts':
      return op.language === undefined
    case 'in':
    case 'is':
      return false
    default: {
      const never: never = op
      throw new TypeError(`unknown operation ${String(never)}`)
    }
  }
}

/** The filter values of a parsed read, in query-string order. */
const filterValues = (req: ApiRequest): string[] => {
  const values: string[] = []
  for (const [, f] of req.queryParams.filters) if (cutValue(f.opExpr.operation)) values.push(f.opExpr.operation.value)
  return values
}

/** A sentinel no client value can equal by accident: control characters parse never produces. */
const sentinel = (i: number): string => `\u0001edgerest-slot-${String(i)}\u0002`
const SENTINEL_MARK = '\u0001edgerest-slot-'

/** The request with the n-th filter value replaced by sentinel(n). */
const withSentinels = (req: ApiRequest): ApiRequest => {
  const replaced = new Map<Filter, Filter>()
  let n = 0
  for (const [, f] of req.queryParams.filters) {
    const op = f.opExpr.operation
    if (cutValue(op)) replaced.set(f, { ...f, opExpr: { ...f.opExpr, operation: { ...op, value: sentinel(n++) } as Operation } })
  }
  const swap = (f: Filter): Filter => replaced.get(f) ?? f
  const qp = req.queryParams
  return {
    ...req,
    queryParams: {
      ...qp,
      filters: qp.filters.map(([p, f]) => [p, swap(f)] as const),
      filtersRoot: qp.filtersRoot.map(swap),
      filtersNotRoot: qp.filtersNotRoot.map(([p, f]) => [p, swap(f)] as const),
    },
  }
}

const toTemplate = (compiled: CompiledSql): Template | null => {
  if (compiled.text.includes(SENTINEL_MARK)) return null
  const params: TemplateParam[] = []
  for (const p of compiled.params) {
    if (p !== null && p.includes(SENTINEL_MARK)) {
      const m = /^\u0001edgerest-slot-(\d+)\u0002$/.exec(p)
      if (m === null) return null
      params.push({ slot: Number(m[1]) })
    } else params.push(p)
  }
  return { text: compiled.text, params }
}

const fill = (t: Template, values: readonly string[]): CompiledSql => ({
  text: t.text,
  params: t.params.map((p) => (p === null || typeof p === 'string' ? p : (values[p.slot] as string))),
})

const sameSql = (a: CompiledSql, b: CompiledSql): boolean =>
  a.text === b.text && a.params.length === b.params.length && a.params.every((p, i) => p === b.params[i])

const entriesFor = (cache: ShapeCache, config: AppConfig): Map<string, Entry> => {
  let entries = cache.byConfig.get(config)
  if (entries === undefined) {
    entries = new Map()
    cache.byConfig.set(config, entries)
  }
  return entries
}

/** Whether a parsed request's shape is cached (then its plan and statement), to be learnt, or never cached. */
export const useShape = (cache: ShapeCache, config: AppConfig, method: string, target: RequestTarget, headers: Headers, role: string, req: ApiRequest): ShapeUse => {
  const key = shapeKey(method, target, headers, role)
  if (key === null) return NONE
  const entry = entriesFor(cache, config).get(key.key)
  if (entry === undefined) return { kind: 'learn', key }
  if (entry.kind === 'uncacheable') return NONE
  const values = filterValues(req)
  return values.length === key.cut ? { kind: 'hit', plan: entry.plan, main: fill(entry.main, values) } : NONE
}

/**
 * Remember a shape from the request that missed: `compile` plans and compiles a request as the
 * pipeline does (null when planning fails); `real` is what it gave for this request.
 */
export const rememberShape = (
  cache: ShapeCache,
  config: AppConfig,
  key: ShapeKey,
  req: ApiRequest,
  real: CompiledSql,
  compile: (req: ApiRequest) => { plan: ActionPlan; main: CompiledSql | null } | null,
): void => {
  const entries = entriesFor(cache, config)
  if (entries.size >= MAX_SHAPES) entries.clear()
  const values = filterValues(req)
  const probe = values.length === key.cut ? compile(withSentinels(req)) : null
  const template = probe === null || probe.main === null ? null : toTemplate(probe.main)
  const ok = probe !== null && probe.plan.kind === 'read' && template !== null && sameSql(fill(template, values), real)
  entries.set(key.key, ok ? { kind: 'cached', plan: probe.plan as ActionPlan & { kind: 'read' }, main: template } : { kind: 'uncacheable' })
}
