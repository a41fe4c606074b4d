/**
 * @module parse/payload: the request body as PostgREST's ApiRequest/Payload.hs reads it: JSON
 * (object or array of objects with identical keys), CSV, urlencoded, or raw bytes for RPC with
 * text/xml/octet-stream; plus the column set (payload keys, or `?columns=` for raw JSON).
 * Error texts are PGRST102's.
 */
import { err, ok, type Result } from '../result.ts'
import type { ApiRequestError } from '../errors/types.ts'
import type { Action, MediaType, Payload } from './types.ts'
import { decodeCsvByName } from './csv.ts'
import { toMime } from './media-type.ts'
import { compareCodePoints, parseQuery, toSortedSet, utf8DecodeLenient } from './url-encoding.ts'

export interface PayloadResult {
  readonly payload?: Payload | undefined
  /** Payload keys, or the `columns` parameter for raw JSON, else empty (sorted). */
  readonly columns: ReadonlySet<string>
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const invalidBody = (message: string): Result<never, ApiRequestError> => err({ kind: 'invalidBody', message })

/** Like aeson's `decode`: any JSON value, or null when the body is not valid UTF-8 JSON. */
const decodeJson = (body: Uint8Array): { readonly value: unknown } | null => {
  try {
    return { value: JSON.parse(strictDecoder.decode(body)) as unknown }
  } catch {
    return null
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

const sameKeys = (a: ReadonlySet<string>, b: readonly string[]): boolean => {
  const bs = new Set(b)
  if (a.size !== bs.size) return false
  for (const k of a) if (!bs.has(k)) return false
  return true
}

/**
 * PostgREST's payloadAttributes: an object gives its keys; an array must hold objects that all
 * have the first one's keys (else null); an empty array or any other value becomes `[]`.
 */
const payloadAttributes = (raw: string, json: unknown): Payload | null => {
  const emptyArray: Payload = { kind: 'json', raw: '[]', keys: new Set() }
  if (Array.isArray(json)) {
    if (json.length === 0) return emptyArray
    const first: unknown = json[0]
    if (!isObject(first)) return null
    const keys = new Set(toSortedSet(Object.keys(first)))
    const uniform = json.every((x: unknown) => isObject(x) && sameKeys(keys, Object.keys(x)))
    return uniform ? { kind: 'json', raw, keys } : null
  }
  if (isObject(json)) return { kind: 'json', raw, keys: new Set(toSortedSet(Object.keys(json))) }
  return emptyArray
}

/** `a=1&b=2` bodies (`+` is a space, `;` also separates, a key without `=` has an empty value). */
const urlencodedPairs = (body: Uint8Array): (readonly [string, string])[] =>
  parseQuery(body).map((it) => [utf8DecodeLenient(it.key), it.value === null ? '' : utf8DecodeLenient(it.value)] as const)

/** CSV rows → JSON objects (`NULL` → null), keys in code-point order like aeson's KeyMap. */
const csvToJson = (rows: readonly ReadonlyMap<string, Uint8Array>[]): Record<string, string | null>[] =>
  rows.map((row) => {
    const entries = [...row.keys()].sort(compareCodePoints).map((k) => {
      const v = utf8DecodeLenient(row.get(k) as Uint8Array)
      return [k, v === 'NULL' ? null : v] as const
    })
    // fromEntries defines own properties, so a `__proto__` column stays a column
    return Object.fromEntries(entries)
  })

const parsesPayload = (action: Action): boolean =>
  (action.kind === 'relationMut' && action.mutation !== 'delete') || (action.kind === 'routine' && action.invMethod.kind === 'inv')

const columnsApply = (action: Action): boolean =>
  (action.kind === 'relationMut' && (action.mutation === 'create' || action.mutation === 'update')) ||
  (action.kind === 'routine' && action.invMethod.kind === 'inv')

const decodePayload = (
  body: Uint8Array,
  contentType: MediaType,
  columns: readonly string[] | undefined,
  isProc: boolean,
): Result<Payload, ApiRequestError> => {
  switch (contentType.kind) {
    case 'json': {
      if (columns !== undefined) return ok({ kind: 'rawJson', raw: utf8DecodeLenient(body) })
      // an empty body calls a function without arguments
      if (body.length === 0 && isProc) return ok({ kind: 'json', raw: '', keys: new Set() })
      const json = decodeJson(body)
      if (json === null) return invalidBody('Empty or invalid json')
      const p = payloadAttributes(utf8DecodeLenient(body), json.value)
      return p === null ? invalidBody('All object keys must match') : ok(p)
    }
    case 'csv': {
      const csv = decodeCsvByName(body)
      if (!csv.ok) return invalidBody(csv.message)
      const json = csvToJson(csv.rows)
      const p = payloadAttributes(JSON.stringify(json), json)
      return p === null ? invalidBody('All lines must have same number of fields') : ok(p)
    }
    case 'urlencoded': {
      const pairs = urlencodedPairs(body)
      if (isProc) return ok({ kind: 'urlencoded', pairs, keys: new Set(toSortedSet(pairs.map(([k]) => k))) })
      // later duplicates win, as with HashMap.fromList
      const obj = Object.fromEntries(new Map(pairs))
      return ok({ kind: 'json', raw: JSON.stringify(obj), keys: new Set(toSortedSet(pairs.map(([k]) => k))) })
    }
    case 'text':
    case 'xml':
    case 'octet':
      if (isProc) return ok({ kind: 'raw', raw: body })
      return invalidBody(`Content-Type not acceptable: ${toMime(contentType)}`)
    case 'geojson':
    case 'html':
    case 'openapi':
    case 'openapi31':
    case 'arrayJson':
    case 'singular':
    case 'plan':
    case 'any':
    case 'other':
      return invalidBody(`Content-Type not acceptable: ${toMime(contentType)}`)
    default: {
      const never: never = contentType
      return never
    }
  }
}

/**
 * PostgREST's getPayload. Bodies are read for POST/PUT/PATCH on tables and POST on functions;
 * `columns` (the parsed `?columns=`) applies to POST/PATCH and function calls only.
 */
export const getPayload = (
  body: Uint8Array,
  contentType: MediaType,
  qsColumns: readonly string[] | undefined,
  action: Action,
): Result<PayloadResult, ApiRequestError> => {
  if (!parsesPayload(action)) return ok({ payload: undefined, columns: new Set() })
  const columns = columnsApply(action) ? qsColumns : undefined
  const decoded = decodePayload(body, contentType, columns, action.kind === 'routine')
  if (!decoded.ok) return decoded
  const payload = decoded.value
  let cols: ReadonlySet<string> = new Set()
  if (payload.kind === 'json' || payload.kind === 'urlencoded') cols = payload.keys
  else if (payload.kind === 'rawJson' && columns !== undefined) cols = new Set(columns)
  return ok({ payload, columns: cols })
}
