/**
 * @module base-path: where on the URL the API is served, and the path the pipeline sees.
 *
 * Two prefixes may stand before the API's own paths (`/items`, `/rpc/fn`, `/`):
 * - the mount point, when the app is mounted in another Hono app (`app.route('/api', edgerest())`,
 *   maybe with parameters: `/:tenant/api`), which Hono reports per request;
 * - EDGEREST_BASE_PATH (`config.basePath`, e.g. `/rest/v1`, the prefix supabase-js calls).
 * Both are stripped here, before parse, so parse and plan only know PostgREST's paths; the full
 * public prefix is handed on so respond's Location/Content-Location name the real URL.
 *
 * A request outside the base path is not the API's: PostgREST answers any path it cannot read
 * with 404 PGRST125, and so do we (`null` below).
 */
import type { PipelineDeps, RequestTarget } from './pipeline.ts'

export interface ServedTarget {
  /** The path and query as PostgREST would see them behind a proxy that strips the prefix. */
  readonly target: RequestTarget
  /** The public prefix of the API for this request: mount point + base path ('' at the root). */
  readonly prefix: string
}

/**
 * Where the path continues after `n` leading segments: `/api/items`, 1 → 4 (`/items`); `/api`, 1
 * → 4 (the end). Segments are counted on the encoded path, which has exactly the slashes of the
 * decoded one Hono matched (an encoded slash, `%2F`, stays encoded in both).
 */
const afterSegments = (pathname: string, n: number): number => {
  let at = 0
  for (let i = 0; i < n; i++) {
    const next = pathname.indexOf('/', at + 1)
    if (next < 0) return pathname.length
    at = next
  }
  return at
}

/** The number of segments of a prefix: `/` and `` → 0, `/t/acme/api` → 3. */
const segmentCount = (prefix: string): number => {
  let n = 0
  for (const s of prefix.split('/')) if (s !== '') n++
  return n
}

/**
 * `pathname` and `search` of an absolute URL as `new URL(url)` gives them, for the URLs a runtime
 * hands the app: already serialized (Workers, Vercel) or checked and normalized by
 * @hono/node-server (it parses only targets with dot segments or unusual characters), so splitting
 * the string gives the same parts without a URL parse per request.
 */
export const pathAndSearch = (url: string): RequestTarget => {
  const scheme = url.indexOf('://')
  const start = url.indexOf('/', scheme < 0 ? 0 : scheme + 3)
  if (start < 0) return { pathname: '/', search: '' }
  const hash = url.indexOf('#', start)
  const end = hash < 0 ? url.length : hash
  const q = url.indexOf('?', start)
  if (q < 0 || q > end) return { pathname: url.slice(start, end), search: '' }
  return { pathname: url.slice(start, q), search: q + 1 === end ? '' : url.slice(q, end) }
}

/**
 * The request's path relative to the API, or null when it is outside EDGEREST_BASE_PATH.
 * `mountPath` is the mount point Hono matched (decoded, with parameters filled in; `/` or ''
 * when not mounted); `basePath` is config.basePath (validated: '' or `/seg[/seg…]`).
 */
export const servedTarget = (url: string, mountPath: string, basePath: string): ServedTarget | null => {
  const { pathname, search } = pathAndSearch(url)
  // The mount point as the client spelled it (encoded), so headers built from it stay ASCII.
  const at = afterSegments(pathname, segmentCount(mountPath))
  const mountPrefix = pathname.slice(0, at)
  const rest = at === pathname.length ? '/' : pathname.slice(at)
  if (basePath === '') return { target: { pathname: rest, search }, prefix: mountPrefix }
  if (rest === basePath) return { target: { pathname: '/', search }, prefix: mountPrefix + basePath }
  if (!rest.startsWith(`${basePath}/`)) return null
  return { target: { pathname: rest.slice(basePath.length), search }, prefix: mountPrefix + basePath }
}

/** Per deps object, the same deps with `config.basePath` set to each prefix seen (see below). */
const servedAt = new WeakMap<PipelineDeps, Map<string, PipelineDeps>>()
/** Mount points with parameters (`/:tenant/api`) could make prefixes without end: keep a few. */
const MAX_PREFIXES = 64

/**
 * The deps whose config names the request's full public prefix as its base path, so that
 * respond writes `/api/rest/v1/items?…` when mounted at `/api`. Served at exactly
 * EDGEREST_BASE_PATH (every entry of this project, and any app that is not mounted) the deps are
 * returned as they are; otherwise the variant is made once per prefix.
 */
export const depsServedAt = (deps: PipelineDeps, prefix: string): PipelineDeps => {
  if (prefix === deps.config.basePath) return deps
  let variants = servedAt.get(deps)
  if (variants === undefined) {
    variants = new Map()
    servedAt.set(deps, variants)
  }
  let served = variants.get(prefix)
  if (served === undefined) {
    served = { ...deps, config: { ...deps.config, basePath: prefix } }
    if (variants.size < MAX_PREFIXES) variants.set(prefix, served)
  }
  return served
}
