/**
 * @module parse/media-type: media types as PostgREST's MediaType.hs decodes them (case-insensitive
 * type/subtype, `vnd.pgrst.object`/`array` with `nulls=stripped`, `vnd.pgrst.plan` with `for` and
 * `options`), `Accept` ordering as wai-extra's parseHttpAccept does it (q-values, then
 * specificity, stable), and the mime strings used in responses and error messages.
 */
import type { MediaType, PlanFormat } from './types.ts'
import {
  alphaNum,
  alt,
  anyChar,
  char,
  many,
  many1,
  manyTill,
  map,
  oneOf,
  optionMaybe,
  type Parser,
  right,
  runParser,
  seq,
  spaces,
  tryP,
} from './parsec.ts'
import { readsHsDouble } from './hs-read.ts'
import { memoize } from './memo.ts'

interface Tokenized {
  readonly type: string
  readonly subtype: string
  readonly params: readonly (readonly [string, string])[]
}

const join = (p: Parser<string[]>): Parser<string> => map(p, (cs) => cs.join(''))

const pQuoted: Parser<string> = right(char('"'), join(manyTill(anyChar, char('"'))))
const pUnquoted: Parser<string> = join(many1(alt(alphaNum, oneOf('|-'))))

const pKeyVal: Parser<readonly [string, string]> = map(
  seq(join(many1(alt(alphaNum, oneOf('-')))), spaces, char('='), spaces, alt(tryP(pQuoted), tryP(pUnquoted))),
  ([key, , , , val]) => [key, val] as const,
)

/** `type/subtype; k=v; k="v"`; parsing stops (without failing) at the first thing it does not understand. */
const tokenizeMediaType: Parser<Tokenized> = map(
  seq(
    join(many1(alt(alphaNum, oneOf('.*')))),
    char('/'),
    join(many1(alt(alphaNum, oneOf('.*+-')))),
    many(tryP(map(seq(spaces, char(';'), spaces, pKeyVal), ([, , , kv]) => kv))),
    optionMaybe(tryP(right(spaces, char(';')))),
  ),
  ([type, , subtype, params]) => ({ type, subtype, params }),
)

const PLAN_OPTIONS = ['analyze', 'verbose', 'settings', 'buffers', 'wal'] as const

/** Decodes one media type string (a Content-Type value or one Accept element). */
export const decodeMediaType = (mt: string): MediaType => decodeMediaTypeMemo(mt)

const decodeMediaTypeUncached = (mt: string): MediaType => {
  const r = runParser(tokenizeMediaType, mt)
  const { type, subtype, params } = r.ok ? r.value : { type: mt, subtype: '', params: [] }
  // parameter names are case-insensitive; Data.Map.fromList keeps the last duplicate
  const paramMap = new Map(params.map(([k, v]) => [k.toLowerCase(), v] as const))
  const strippedNulls = (paramMap.get('nulls') ?? 'false') === 'stripped'
  const plan = (format: PlanFormat): MediaType => {
    const opts = (paramMap.get('options') ?? '').split('|')
    return {
      kind: 'plan',
      for: decodeMediaType(paramMap.get('for') ?? 'application/json'),
      format,
      options: PLAN_OPTIONS.filter((o) => opts.includes(o)),
    }
  }
  switch (`${type.toLowerCase()}/${subtype.toLowerCase()}`) {
    case 'application/json':
      return { kind: 'json' }
    case 'application/geo+json':
      return { kind: 'geojson' }
    case 'text/csv':
      return { kind: 'csv' }
    case 'text/plain':
      return { kind: 'text' }
    case 'text/xml':
      return { kind: 'xml' }
    case 'application/openapi+json':
      return { kind: 'openapi' }
    case 'application/vnd.oai.openapi+json': {
      // The registered OpenAPI media type; only 3.1 is produced, so another version is unknown.
      // (Read from the raw text: PostgREST's parameter grammar has no dots in unquoted values.)
      const version = /;\s*version\s*=\s*"?([0-9.]+)/i.exec(mt)?.[1]
      return version === undefined || version === '3.1' || version.startsWith('3.1.') ? { kind: 'openapi31' } : { kind: 'other', type: mt }
    }
    case 'application/x-www-form-urlencoded':
      return { kind: 'urlencoded' }
    case 'application/octet-stream':
      return { kind: 'octet' }
    case 'application/vnd.pgrst.plan':
    case 'application/vnd.pgrst.plan+text':
      return plan('text')
    case 'application/vnd.pgrst.plan+json':
      return plan('json')
    case 'application/vnd.pgrst.plan+xml':
      return plan('xml')
    case 'application/vnd.pgrst.plan+yaml':
      return plan('yaml')
    case 'application/vnd.pgrst.object+json':
    case 'application/vnd.pgrst.object':
      return { kind: 'singular', stripNulls: strippedNulls }
    case 'application/vnd.pgrst.array+json':
    case 'application/vnd.pgrst.array':
      return strippedNulls ? { kind: 'arrayJson', stripNulls: true } : { kind: 'json' }
    case '*/*':
      return { kind: 'any' }
    default:
      return { kind: 'other', type: mt }
  }
}

const decodeMediaTypeMemo = memoize(decodeMediaTypeUncached)

/** `q=` value of an Accept element: `reads :: Double` on what follows, 1.0 when unreadable. */
const readQ = (s: string): number => readsHsDouble(s) ?? 1.0

/** Haskell's `compare` on Double (NaN compares as GT). */
const compareDouble = (x: number, y: number): number => (x < y ? -1 : x === y ? 0 : 1)

/**
 * wai-extra's parseHttpAccept: split on commas, drop all spaces, cut at `;q=`, then sort
 * stably by q-value and specificity (`;` count minus `*` count), both descending.
 */
export const parseHttpAccept = (header: string): string[] => {
  if (header === '') return []
  const items = header.split(',').map((raw) => {
    const s = raw.replace(/ /g, '')
    const at = s.indexOf(';q=')
    const mt = at === -1 ? s : s.slice(0, at)
    const qText = at === -1 ? '' : s.slice(at + 3).split(';')[0] ?? ''
    const q = readQ(qText)
    const specificity = (mt.match(/;/g)?.length ?? 0) - (mt.match(/\*/g)?.length ?? 0)
    return { mt, q, specificity }
  })
  return items
    .sort((a, b) => compareDouble(b.q, a.q) || compareDouble(b.specificity, a.specificity))
    .map((x) => x.mt)
}

/**
 * Accept headers repeat across requests (a client sends the same one every time); the parsed
 * list is never modified (ApiRequest holds it readonly), so one instance per header is shared.
 */
const parseAcceptHeader = memoize((header: string): readonly MediaType[] => parseHttpAccept(header).map(decodeMediaType))
const ANY: readonly MediaType[] = [{ kind: 'any' }]

/** The media types a client accepts, best first; no Accept header means any media type. */
export const parseAccept = (header: string | undefined): readonly MediaType[] => (header === undefined ? ANY : parseAcceptHeader(header))

/** The request body's media type; no Content-Type means JSON. */
export const parseContentType = (header: string | undefined): MediaType =>
  header === undefined ? { kind: 'json' } : decodeMediaType(header)

/** PostgREST's toMime (used in Content-Type and in error messages). */
export const toMime = (mt: MediaType): string => {
  switch (mt.kind) {
    case 'json':
      return 'application/json'
    case 'arrayJson':
      return mt.stripNulls ? 'application/vnd.pgrst.array+json;nulls=stripped' : 'application/vnd.pgrst.array+json'
    case 'geojson':
      return 'application/geo+json'
    case 'csv':
      return 'text/csv'
    case 'text':
      return 'text/plain'
    case 'html':
      return 'text/html'
    case 'xml':
      return 'text/xml'
    case 'openapi':
      return 'application/openapi+json'
    case 'openapi31':
      return 'application/vnd.oai.openapi+json;version=3.1'
    case 'singular':
      return mt.stripNulls ? 'application/vnd.pgrst.object+json;nulls=stripped' : 'application/vnd.pgrst.object+json'
    case 'urlencoded':
      return 'application/x-www-form-urlencoded'
    case 'octet':
      return 'application/octet-stream'
    case 'any':
      return '*/*'
    case 'other':
      return mt.type
    case 'plan':
      return `application/vnd.pgrst.plan+${mt.format}; for="${toMime(mt.for)}"${mt.options.length === 0 ? '' : `; options=${mt.options.join('|')}`}`
    default: {
      const never: never = mt
      return never
    }
  }
}

/** A Content-Type header value: the mime plus `; charset=utf-8` except for octet-stream and other types. */
export const contentTypeValue = (mt: MediaType): string =>
  mt.kind === 'octet' || mt.kind === 'other' ? toMime(mt) : `${toMime(mt)}; charset=utf-8`
