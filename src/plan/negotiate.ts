/**
 * @module plan/negotiate: content negotiation (PostgREST's Plan/Negotiate.hs). Picks the first
 * acceptable media type the resource can produce and the handler that aggregates its rows.
 *
 * Handlers are looked up like PostgREST's media handler map, keyed by (relation or "any element",
 * media type): the built-in JSON, CSV and GeoJSON handlers for any element, overridden by custom
 * ones — aggregates returning a domain named after a media type, and functions returning such a
 * domain (keyed by the function). The vendored `vnd.pgrst.object`/`array;nulls=stripped` and
 * `vnd.pgrst.plan` types cannot be overridden.
 */
import { err, ok, type Result } from '../result.ts'
import type { ApiRequest, MediaType, QualifiedIdentifier } from '../parse/types.ts'
import type { ApiRequestError } from '../errors/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { MediaHandler as CachedHandler, SchemaCache } from '../schema-cache/types.ts'
import { qiKey } from '../schema-cache/types.ts'
import type { MediaHandler } from './types.ts'
import { decodeMediaType, toMime } from '../parse/media-type.ts'

/** A handler with the media type it produces (`*\/*` handlers produce application/octet-stream). */
type Resolved = readonly [MediaHandler, MediaType]

/** The "any element" side of the key (aggregates over `anyelement`, and the built-ins). */
const ANY_ELEMENT = ''
const indexKey = (rel: string, m: MediaType): string => `${rel}\u0001${toMime(m)}`

const BUILTINS: readonly (readonly [MediaType, Resolved])[] = [
  [{ kind: 'any' }, [{ kind: 'builtinOvAggJson' }, { kind: 'json' }]],
  [{ kind: 'json' }, [{ kind: 'builtinOvAggJson' }, { kind: 'json' }]],
  [{ kind: 'csv' }, [{ kind: 'builtinOvAggCsv' }, { kind: 'csv' }]],
  [{ kind: 'geojson' }, [{ kind: 'builtinOvAggGeoJson' }, { kind: 'geojson' }]],
]

/** Media types are compared decoded, as PostgREST compares its MediaType values. */
const buildIndex = (handlers: readonly CachedHandler[]): ReadonlyMap<string, Resolved> => {
  const index = new Map<string, Resolved>(BUILTINS.map(([m, r]) => [indexKey(ANY_ELEMENT, m), r]))
  const customs = new Map<string, Resolved>()
  for (const h of handlers) {
    const m = decodeMediaType(h.mediaType)
    const key = indexKey(h.relation === null ? ANY_ELEMENT : qiKey(h.relation), m)
    if (customs.has(key)) continue
    const produced: MediaType = m.kind === 'any' ? { kind: 'octet' } : m
    customs.set(key, [{ kind: 'customFunc', function: h.function, target: h.relation }, produced])
  }
  // Custom handlers override the built-ins.
  for (const [k, v] of customs) index.set(k, v)
  return index
}

/** Built once per loaded schema cache. */
const indexes = new WeakMap<readonly CachedHandler[], ReadonlyMap<string, Resolved>>()
const handlerIndex = (cache: SchemaCache): ReadonlyMap<string, Resolved> => {
  let idx = indexes.get(cache.mediaHandlers)
  if (idx === undefined) {
    idx = buildIndex(cache.mediaHandlers)
    indexes.set(cache.mediaHandlers, idx)
  }
  return idx
}

export const negotiateContent = (
  config: AppConfig,
  req: ApiRequest,
  identifier: QualifiedIdentifier,
  cache: SchemaCache,
  defaultSelect: boolean,
): Result<[MediaHandler, MediaType], ApiRequestError> => {
  const index = handlerIndex(cache)
  const rel = qiKey(identifier)
  const lookup = (m: MediaType): Resolved | null =>
    // A handler of this relation (or function) applies only to its own row type, i.e. with the
    // default select; a `*/*` one wins over any requested type. Then the any-element handlers.
    (defaultSelect ? (index.get(indexKey(rel, { kind: 'any' })) ?? index.get(indexKey(rel, m))) : undefined) ??
    index.get(indexKey(ANY_ELEMENT, m)) ??
    null
  const match = (m: MediaType): Resolved | null => {
    switch (m.kind) {
      case 'singular':
        return [{ kind: 'builtinAggSingleJson', stripNulls: m.stripNulls }, m]
      case 'arrayJson':
        return m.stripNulls ? [{ kind: 'builtinAggArrayJsonStrip' }, m] : lookup({ kind: 'json' })
      case 'plan': {
        if (!config.dbPlanEnabled) return null
        const inner = match(m.for)
        return inner ? [inner[0], m] : null
      }
      default:
        return lookup(m)
    }
  }
  let picked: Resolved | null = null
  for (const m of req.acceptMediaTypes) {
    picked = match(m)
    if (picked) break
  }
  if (!picked) return err({ kind: 'mediaType', mediaTypes: req.acceptMediaTypes.map(toMime) })
  const [handler, media] = picked
  const act = req.action
  if (act.kind === 'relationMut') return ok([req.preferences.representation === 'full' ? handler : { kind: 'noAgg' }, media])
  // HEAD needs no aggregate (PostgREST #2849).
  if (act.kind === 'relationRead' && act.headersOnly) return ok([{ kind: 'noAgg' }, media])
  if (act.kind === 'routine' && act.invMethod.kind === 'invRead' && act.invMethod.headersOnly) return ok([{ kind: 'noAgg' }, media])
  return ok([handler, media])
}
