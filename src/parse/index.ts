/**
 * @module parse: HTTP request + config → ApiRequest, in the order PostgREST's userApiRequest
 * checks things (resource, schema, action, query parameters, ranges, payload), so that when a
 * request has several problems the same error wins. Never consults the schema cache.
 */
import { err, ok, type Result } from '../result.ts'
import { apiErr, type ApiRequestError, type AppError } from '../errors/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { Action, ApiRequest, InvokeMethod, QualifiedIdentifier } from './types.ts'
import { parseAccept, parseContentType } from './media-type.ts'
import { getPayload } from './payload.ts'
import { parsePreferences } from './preferences.ts'
import { parseQueryString, rangesByEmbedPath, withRanges } from './query-params.ts'
import { getRanges, toApiRange } from './range.ts'
import { decodePathSegments, headerText } from './url-encoding.ts'

export interface RequestInput {
  readonly method: string
  /** A URL, or anything with the raw (percent-encoded) path and query string (`?…` or ''). */
  readonly url: { readonly pathname: string; readonly search: string }
  /** An array keeps the original header order and repeated headers; a Headers object merges them. */
  readonly headers: Headers | readonly (readonly [string, string])[]
  readonly body: Uint8Array | null
}

type HeaderList = readonly (readonly [string, string])[]

const headerList = (h: RequestInput['headers']): HeaderList => {
  if (Array.isArray(h)) return h as HeaderList
  const out: [string, string][] = []
  ;(h as Headers).forEach((value, name) => {
    out.push([name, value])
  })
  return out
}

const lookupHeader = (headers: HeaderList, name: string): string | undefined => {
  const lower = name.toLowerCase()
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1]
}

/** Web.Cookie's parseCookies: `;`-separated, names left-trimmed of spaces, values verbatim. */
export const parseCookies = (header: string): (readonly [string, string])[] => {
  if (header === '') return []
  const out: (readonly [string, string])[] = []
  let rest = header
  for (;;) {
    const semi = rest.indexOf(';')
    const part = semi === -1 ? rest : rest.slice(0, semi)
    const eq = part.indexOf('=')
    const name = (eq === -1 ? part : part.slice(0, eq)).replace(/^ +/, '')
    out.push([name, eq === -1 ? '' : part.slice(eq + 1)])
    if (semi === -1) break
    rest = rest.slice(semi + 1)
    if (rest === '') break
  }
  return out
}

type Resource =
  | { readonly kind: 'relation'; readonly name: string }
  | { readonly kind: 'routine'; readonly name: string }
  | { readonly kind: 'schema' }

const getResource = (config: AppConfig, segments: readonly string[]): Result<Resource, ApiRequestError> => {
  const [first, second] = segments
  if (first === undefined) {
    if (config.openApiMode === 'disabled') return err({ kind: 'openApiDisabled' })
    return ok(config.dbRootSpec !== null ? { kind: 'routine', name: config.dbRootSpec.name } : { kind: 'schema' })
  }
  if (segments.length === 1) return ok({ kind: 'relation', name: first })
  if (segments.length === 2 && first === 'rpc' && second !== undefined) return ok({ kind: 'routine', name: second })
  return err({ kind: 'invalidResourcePath' })
}

/** Accept-Profile for GET/HEAD (and anything else), Content-Profile for DELETE/PATCH/POST/PUT. */
const getSchema = (
  config: AppConfig,
  headers: HeaderList,
  method: string,
): Result<{ readonly schema: string; readonly negotiatedByProfile: boolean }, ApiRequestError> => {
  const usesContentProfile = method === 'DELETE' || method === 'PATCH' || method === 'POST' || method === 'PUT'
  const raw = lookupHeader(headers, usesContentProfile ? 'Content-Profile' : 'Accept-Profile')
  if (raw === undefined) return ok({ schema: config.dbSchemas[0], negotiatedByProfile: config.dbSchemas.length !== 1 })
  const profile = headerText(raw)
  if (!config.dbSchemas.includes(profile)) return err({ kind: 'unacceptableSchema', schema: profile, allowed: config.dbSchemas })
  return ok({ schema: profile, negotiatedByProfile: true })
}

const READ: InvokeMethod = { kind: 'invRead', headersOnly: false }
const READ_HEAD: InvokeMethod = { kind: 'invRead', headersOnly: true }

const getAction = (resource: Resource, schema: string, method: string): Result<Action, ApiRequestError> => {
  switch (resource.kind) {
    case 'routine': {
      const qi: QualifiedIdentifier = { schema, name: resource.name }
      switch (method) {
        case 'HEAD':
          return ok({ kind: 'routine', qi, invMethod: READ_HEAD })
        case 'GET':
          return ok({ kind: 'routine', qi, invMethod: READ })
        case 'POST':
          return ok({ kind: 'routine', qi, invMethod: { kind: 'inv' } })
        case 'OPTIONS':
          return ok({ kind: 'routineInfo', qi, invMethod: READ_HEAD })
        default:
          return err({ kind: 'invalidRpcMethod', method })
      }
    }
    case 'relation': {
      const qi: QualifiedIdentifier = { schema, name: resource.name }
      switch (method) {
        case 'HEAD':
          return ok({ kind: 'relationRead', qi, headersOnly: true })
        case 'GET':
          return ok({ kind: 'relationRead', qi, headersOnly: false })
        case 'POST':
          return ok({ kind: 'relationMut', qi, mutation: 'create' })
        case 'PUT':
          return ok({ kind: 'relationMut', qi, mutation: 'singleUpsert' })
        case 'PATCH':
          return ok({ kind: 'relationMut', qi, mutation: 'update' })
        case 'DELETE':
          return ok({ kind: 'relationMut', qi, mutation: 'delete' })
        case 'OPTIONS':
          return ok({ kind: 'relationInfo', qi })
        default:
          return err({ kind: 'unsupportedMethod', method })
      }
    }
    case 'schema':
      switch (method) {
        case 'HEAD':
          return ok({ kind: 'schemaRead', schema, headersOnly: true })
        case 'GET':
          return ok({ kind: 'schemaRead', schema, headersOnly: false })
        case 'OPTIONS':
          return ok({ kind: 'schemaInfo' })
        default:
          return err({ kind: 'unsupportedMethod', method })
      }
    default: {
      const never: never = resource
      return never
    }
  }
}

/** Translates an HTTP request into what the client asked for (PostgREST's userApiRequest + userPreferences). */
export const parseApiRequest = (input: RequestInput, config: AppConfig): Result<ApiRequest, AppError> => {
  const r = parseApiRequest_(input, config)
  return r.ok ? r : err(apiErr(r.error))
}

const parseApiRequest_ = (input: RequestInput, config: AppConfig): Result<ApiRequest, ApiRequestError> => {
  const { method } = input
  const headers = headerList(input.headers)
  const preferences = parsePreferences(headers, config.dbTxAllowOverride)

  const resource = getResource(config, decodePathSegments(input.url.pathname))
  if (!resource.ok) return resource
  const schema = getSchema(config, headers, method)
  if (!schema.ok) return schema
  const action = getAction(resource.value, schema.value.schema, method)
  if (!action.ok) return action

  const isRpcRead = action.value.kind === 'routine' && action.value.invMethod.kind === 'invRead'
  const parsed = parseQueryString(isRpcRead, input.url.search)
  if (!parsed.ok) return parsed
  const { queryParams, rawRanges } = parsed.value

  const ranges = getRanges(method, rawRanges, lookupHeader(headers, 'range'))
  if (!ranges.ok) return ranges

  const contentMediaType = parseContentType(lookupHeader(headers, 'content-type'))
  const payload = getPayload(input.body ?? new Uint8Array(0), contentMediaType, queryParams.columns, action.value)
  if (!payload.ok) return payload

  // PostgREST resolves the `x.limit` keys to embed paths while planning; errors there come last.
  const qsRanges = rangesByEmbedPath(rawRanges)
  if (!qsRanges.ok) return qsRanges
  const requestRanges = rangesByEmbedPath(ranges.value.ranges)
  if (!requestRanges.ok) return requestRanges

  const cookieHeader = lookupHeader(headers, 'cookie')
  return ok({
    action: action.value,
    ranges: requestRanges.value,
    topLevelRange: toApiRange(ranges.value.topLevel),
    payload: payload.value.payload,
    preferences,
    queryParams: withRanges(queryParams, qsRanges.value),
    columns: payload.value.columns,
    headers: headers.filter(([k]) => k.toLowerCase() !== 'cookie').map(([k, v]) => [k.toLowerCase(), v] as const),
    cookies: cookieHeader === undefined ? [] : parseCookies(cookieHeader),
    path: input.url.pathname,
    method,
    schema: schema.value.schema,
    negotiatedByProfile: schema.value.negotiatedByProfile,
    acceptMediaTypes: parseAccept(lookupHeader(headers, 'accept')),
    contentMediaType,
  })
}

export { parseAccept, parseContentType, decodeMediaType, toMime, contentTypeValue, parseHttpAccept } from './media-type.ts'
export { parsePreferences, preferenceAppliedValue, preferenceTokens } from './preferences.ts'
export { parseQueryParams, parseQueryString, embedPathKey } from './query-params.ts'
export { getPayload } from './payload.ts'
export { contentRangeValue, rangeStatusHeader } from './range.ts'
