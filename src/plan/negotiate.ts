/**
 * @module plan/negotiate: content negotiation (PostgREST's Plan/Negotiate.hs). Picks the first
 * acceptable media type the resource can produce and the handler that aggregates its rows.
 */
import { err, ok, type Result } from '../result.ts'
import type { ApiRequest, MediaType, QualifiedIdentifier } from '../parse/types.ts'
import type { ApiRequestError } from '../errors/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { SchemaCache } from '../schema-cache/types.ts'
import type { MediaHandler } from './types.ts'
import { toMime } from '../parse/media-type.ts'

/** Identity of a media type for matching custom handlers (mime string). */
const key = (m: MediaType): string => toMime(m)

/** Built-in handlers that apply to any relation. */
const builtin = (m: MediaType): [MediaHandler, MediaType] | null => {
  switch (m.kind) {
    case 'any':
    case 'json':
      return [{ kind: 'builtinOvAggJson' }, { kind: 'json' }]
    case 'csv':
      return [{ kind: 'builtinOvAggCsv' }, { kind: 'csv' }]
    case 'geojson':
      return [{ kind: 'builtinOvAggGeoJson' }, { kind: 'geojson' }]
    default:
      return null
  }
}

const customHandler = (cache: SchemaCache, relation: QualifiedIdentifier | null, mime: string): MediaHandler | null => {
  const h = cache.mediaHandlers.find(
    (mh) =>
      mh.mediaType.toLowerCase() === mime.toLowerCase() &&
      (relation === null ? mh.relation === null : mh.relation?.schema === relation.schema && mh.relation.name === relation.name),
  )
  return h ? { kind: 'customFunc', function: h.function, target: h.relation } : null
}

export const negotiateContent = (
  config: AppConfig,
  req: ApiRequest,
  identifier: QualifiedIdentifier,
  cache: SchemaCache,
  defaultSelect: boolean,
): Result<[MediaHandler, MediaType], ApiRequestError> => {
  const lookup = (m: MediaType): [MediaHandler, MediaType] | null => {
    // A handler declared for this relation wins (only with the default select: other selects
    // change the row type the handler was written for), then anyelement handlers, then builtins.
    if (defaultSelect) {
      const anyRel = customHandler(cache, identifier, '*/*')
      if (anyRel) return [anyRel, m.kind === 'any' ? { kind: 'other', type: '*/*' } : m]
      const rel = customHandler(cache, identifier, key(m))
      if (rel) return [rel, m]
    }
    const anyElem = customHandler(cache, null, key(m))
    if (anyElem) return [anyElem, m]
    return builtin(m)
  }
  const match = (m: MediaType): [MediaHandler, MediaType] | null => {
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
  let picked: [MediaHandler, MediaType] | null = null
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
