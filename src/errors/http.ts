/**
 * @module errors/http: the one table from `AppError` to what the client sees — status, PGRST
 * code, message, details, hint and extra headers — with PostgREST v16.2's texts word for word
 * (clients match on them). Codes: PGRST0xx connection, 1xx request, 2xx schema cache, 3xx JWT;
 * database errors keep their SQLSTATE (see `errors/pg.ts`).
 *
 * Verbosity: with `verbose`, details and hint are always present (null when empty); with
 * `minimal` they are undefined and the body has only `code` and `message`.
 *
 * Fuzzy "Perhaps you meant …" hints are computed by whoever raises the error (they need the
 * schema cache); the `suggestion` fields carry the complete hint text, built with the
 * `*SuggestionHint` helpers below so the wording stays in this file.
 */
import type { Verbosity } from '../config/types.ts'
import type { Relationship, Routine } from '../schema-cache/types.ts'
import { pgErrorResponse } from './pg.ts'
import { toWebResponse } from './response.ts'
import type {
  ApiRequestError,
  AppError,
  ErrorResponse,
  JwtClaimsError,
  JwtDecodeError,
  JwtError,
  RaiseError,
  SchemaCacheError,
} from './types.ts'

type HeaderList = readonly (readonly [string, string])[]

/** The verbose form; `errorResponse` drops details/hint for minimal verbosity. */
interface Entry {
  readonly status: number
  readonly code: string
  readonly message: string
  readonly details?: unknown
  readonly hint?: unknown
  readonly headers?: HeaderList
}

const entry = (e: Entry): ErrorResponse => ({
  status: e.status,
  code: e.code,
  message: e.message,
  details: e.details ?? null,
  hint: e.hint ?? null,
  headers: e.headers ?? [],
})

// ---------------------------------------------------------------------------------------------
// Hint texts for suggestions computed elsewhere.

/** PGRST200: `Perhaps you meant 'films' instead of 'film'.` */
export const relSuggestionHint = (suggested: string, given: string): string =>
  `Perhaps you meant '${suggested}' instead of '${given}'.`

/**
 * PGRST202: `Perhaps you meant to call the function api.test` — `suggestion` is a function name,
 * or the called name followed by a parameter list such as `test(name, param, val)`.
 */
export const rpcSuggestionHint = (schema: string, suggestion: string): string =>
  `Perhaps you meant to call the function ${schema}.${suggestion}`

/** PGRST205: `Perhaps you meant the table 'api.items'`. */
export const tableSuggestionHint = (schema: string, table: string): string =>
  `Perhaps you meant the table '${schema}.${table}'`

/**
 * PGRST205 beyond PostgREST: the table exists in the database, so the schema cache is older than
 * it (see src/stale-snapshot.ts).
 */
export const staleSchemaCacheHint = (generatedAt: string): string =>
  `The table exists in the database but not in the schema cache, built at ${generatedAt}: the schema cache is stale. ` +
  "Rebuild the snapshot (npx edgerest-schema-cache) and deploy it again, or reload the Node server's schema cache (NOTIFY pgrst, 'reload schema')"

// ---------------------------------------------------------------------------------------------
// PGRST1xx

const rangeDetails = (range: Extract<ApiRequestError, { kind: 'invalidRange' }>['range']): string => {
  switch (range.kind) {
    case 'negativeLimit':
      return 'Limit should be greater than or equal to zero.'
    case 'lowerGTUpper':
      return 'The lower boundary must be lower than or equal to the upper boundary in the Range header.'
    case 'outOfBounds':
      return `An offset of ${range.lower} was requested, but there are only ${range.total} rows.`
    default: {
      const never: never = range
      throw new Error(`unhandled RangeError ${JSON.stringify(never)}`)
    }
  }
}

export const raiseParseErrorDetails = (raise: RaiseError): string => {
  switch (raise.kind) {
    case 'msgParse':
      return `Invalid JSON value for MESSAGE: '${raise.message}'`
    case 'detParse':
      return `Invalid JSON value for DETAIL: '${raise.detail}'`
    case 'noDetail':
      return 'DETAIL is missing in the RAISE statement'
    default: {
      const never: never = raise
      throw new Error(`unhandled RaiseError ${JSON.stringify(never)}`)
    }
  }
}

export const raiseParseErrorHint = (raise: RaiseError): string =>
  raise.kind === 'msgParse'
    ? "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'."
    : "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'."

const apiRequestEntry = (e: ApiRequestError): ErrorResponse => {
  switch (e.kind) {
    case 'queryParam':
      return entry({ status: 400, code: 'PGRST100', message: e.message, details: e.details })
    case 'invalidRpcMethod':
      return entry({ status: 405, code: 'PGRST101', message: `Cannot use the ${e.method} method on RPC` })
    case 'invalidBody':
      return entry({ status: 400, code: 'PGRST102', message: e.message })
    case 'invalidRange':
      return entry({ status: 416, code: 'PGRST103', message: 'Requested range not satisfiable', details: rangeDetails(e.range) })
    case 'invalidFilters':
      return entry({
        status: 405,
        code: 'PGRST105',
        message: "Filters must include all and only primary key columns with 'eq' operators",
      })
    case 'unacceptableSchema':
      return entry({
        status: 406,
        code: 'PGRST106',
        message: `Invalid schema: ${e.schema}`,
        hint: `Only the following schemas are exposed: ${e.allowed.join(', ')}`,
      })
    case 'mediaType':
      return entry({ status: 406, code: 'PGRST107', message: `None of these media types are available: ${e.mediaTypes.join(', ')}` })
    case 'notEmbedded':
      return entry({
        status: 400,
        code: 'PGRST108',
        message: `'${e.resource}' is not an embedded resource in this request`,
        ...(e.alias === undefined
          ? { hint: `Verify that '${e.resource}' is included in the 'select' query parameter.` }
          : {
              details: 'Target names are not allowed in filters if they have an alias',
              hint: `Change '${e.alias.name}' to '${e.alias.alias}' in filters, orders or limits.`,
            }),
      })
    case 'gucHeaders':
      return entry({
        status: 500,
        code: 'PGRST111',
        message: 'response.headers guc must be a JSON array composed of objects with a single key and a string value',
      })
    case 'gucStatus':
      return entry({ status: 500, code: 'PGRST112', message: 'response.status guc must be a valid status code' })
    case 'putLimitNotAllowed':
      return entry({ status: 400, code: 'PGRST114', message: 'limit/offset querystring parameters are not allowed for PUT' })
    case 'putMatchingPk':
      return entry({ status: 400, code: 'PGRST115', message: 'Payload values do not match URL in primary key column(s)' })
    case 'singularity':
      return entry({
        status: 406,
        code: 'PGRST116',
        message: 'Cannot coerce the result to a single JSON object',
        details: `The result contains ${e.rows} rows`,
      })
    case 'unsupportedMethod':
      return entry({ status: 405, code: 'PGRST117', message: `Unsupported HTTP method: ${e.method}` })
    case 'relatedOrderNotToOne':
      return entry({
        status: 400,
        code: 'PGRST118',
        message: `A related order on '${e.target}' is not possible`,
        details: `'${e.origin}' and '${e.target}' do not form a many-to-one or one-to-one relationship`,
      })
    case 'unacceptableFilter':
      return entry({
        status: 400,
        code: 'PGRST120',
        message: `Bad operator on the '${e.target}' embedded resource`,
        details: 'Only is null or not is null filters are allowed on embedded resources',
      })
    case 'pgrstParse':
      return entry({
        status: 500,
        code: 'PGRST121',
        message: `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
        details: raiseParseErrorDetails(e.raise),
        hint: raiseParseErrorHint(e.raise),
      })
    case 'invalidPreferences':
      return entry({
        status: 400,
        code: 'PGRST122',
        message: 'Invalid preferences given with handling=strict',
        details: `Invalid preferences: ${e.prefs.join(', ')}`,
      })
    case 'aggregatesNotAllowed':
      return entry({ status: 400, code: 'PGRST123', message: 'Use of aggregate functions is not allowed' })
    case 'maxAffectedViolation':
      return entry({
        status: 400,
        code: 'PGRST124',
        message: 'Query result exceeds max-affected preference constraint',
        details: `The query affects ${e.rows} rows`,
      })
    case 'invalidResourcePath':
      return entry({ status: 404, code: 'PGRST125', message: 'Invalid path specified in request URL' })
    case 'openApiDisabled':
      return entry({ status: 404, code: 'PGRST126', message: 'Root endpoint metadata is disabled' })
    case 'notImplemented':
      return entry({ status: 400, code: 'PGRST127', message: 'Feature not implemented', details: e.details })
    case 'payloadTooLarge':
      // Beyond PostgREST (which reads any body): an edgerest code, PostgREST's shape.
      return entry({
        status: 413,
        code: 'PGRSTX01',
        message: 'Request body too large',
        details:
          e.size === null
            ? `The body is larger than the limit of ${e.limit} bytes`
            : `The body is ${e.size} bytes, larger than the limit of ${e.limit} bytes`,
        hint: 'Send a smaller body (split a bulk insert into several requests); the limit is EDGEREST_MAX_BODY_BYTES',
      })
    case 'maxAffectedRpcViolation':
      return entry({
        status: 400,
        code: 'PGRST128',
        message: 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict',
      })
    default: {
      const never: never = e
      throw new Error(`unhandled ApiRequestError ${JSON.stringify(never)}`)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PGRST2xx

const parenList = (cols: readonly string[]): string => `(${cols.join(', ')})`

/**
 * One candidate of an ambiguous embed, as in PGRST201's details. Keys in aeson's (sorted)
 * order. Computed relationships cannot be ambiguous; PostgREST prints `{}` for them.
 */
export const compressedRel = (rel: Relationship): Record<string, string> => {
  if (rel.kind === 'computed') return {}
  const embedding = `${rel.table.name} with ${rel.foreignTable.name}`
  const card = rel.cardinality
  switch (card.kind) {
    case 'M2M': {
      const j = card.junction
      return {
        cardinality: 'many-to-many',
        embedding,
        relationship:
          `${j.table.name} using ${j.constraint1}${parenList(j.colsSource.map(([, c]) => c))}` +
          ` and ${j.constraint2}${parenList(j.colsTarget.map(([, c]) => c))}`,
      }
    }
    case 'M2O':
    case 'O2O':
    case 'O2M': {
      const cardinality = card.kind === 'M2O' ? 'many-to-one' : card.kind === 'O2O' ? 'one-to-one' : 'one-to-many'
      return {
        cardinality,
        embedding,
        relationship:
          `${card.constraint} using ${rel.table.name}${parenList(card.columns.map(([c]) => c))}` +
          ` and ${rel.foreignTable.name}${parenList(card.columns.map(([, c]) => c))}`,
      }
    }
    default: {
      const never: never = card
      throw new Error(`unhandled Cardinality ${JSON.stringify(never)}`)
    }
  }
}

/** `'target!disambiguator'` for each candidate, joined — the body of PGRST201's hint. */
const relHint = (rels: readonly Relationship[]): string =>
  rels
    .map((rel) => {
      if (rel.kind === 'computed') return ''
      const card = rel.cardinality
      const by = card.kind === 'M2M' ? card.junction.table.name : card.constraint
      return `'${rel.foreignTable.name}!${by}'`
    })
    .join(', ')

const routineSignature = (r: Routine): string =>
  `${r.schema}.${r.name}(${r.params.map((p) => `${p.name} => ${p.type}`).join(', ')})`

const noRpcEntry = (e: Extract<SchemaCacheError, { kind: 'noRpc' }>): ErrorResponse => {
  const func = `${e.schema}.${e.name}`
  const noArgs = e.argumentKeys.length === 0
  // A raw-body POST (text, xml, octet-stream) looks for a single unnamed parameter, so the
  // argument list is meaningless in the message and no hint is given.
  const onlySingleParam = e.isInvPost && (e.contentType === 'text' || e.contentType === 'xml' || e.contentType === 'octet')
  const message = `Could not find the function ${func}${
    onlySingleParam ? '' : noArgs ? ' without parameters' : `(${e.argumentKeys.join(', ')})`
  } in the schema cache`
  const withParams = noArgs
    ? ' without parameters'
    : ` with parameter${e.argumentKeys.length > 1 ? 's' : ''} ${e.argumentKeys.join(', ')}`
  let searched: string
  if (e.isInvPost && e.contentType === 'text') searched = ' with a single unnamed text parameter'
  else if (e.isInvPost && e.contentType === 'xml') searched = ' with a single unnamed xml parameter'
  else if (e.isInvPost && e.contentType === 'octet') searched = ' with a single unnamed bytea parameter'
  else if (e.isInvPost && e.contentType === 'json') searched = `${withParams} or with a single unnamed json/jsonb parameter`
  else searched = withParams
  return entry({
    status: 404,
    code: 'PGRST202',
    message,
    details: `Searched for the function ${func}${searched}, but no matches were found in the schema cache.`,
    hint: onlySingleParam ? null : e.suggestion,
  })
}

const schemaCacheEntry = (e: SchemaCacheError): ErrorResponse => {
  switch (e.kind) {
    case 'noRelBetween':
      return entry({
        status: 400,
        code: 'PGRST200',
        message: `Could not find a relationship between '${e.parent}' and '${e.child}' in the schema cache`,
        details:
          `Searched for a foreign key relationship between '${e.parent}' and '${e.child}` +
          `${e.hint === undefined ? '' : `' using the hint '${e.hint}`}' in the schema '${e.schema}', but no matches were found.`,
        hint: e.suggestion,
      })
    case 'ambiguousRelBetween':
      return entry({
        status: 300,
        code: 'PGRST201',
        message: `Could not embed because more than one relationship was found for '${e.parent}' and '${e.child}'`,
        details: e.rels.map(compressedRel),
        hint: `Try changing '${e.child}' to one of the following: ${relHint(e.rels)}. Find the desired relationship in the 'details' key.`,
      })
    case 'noRpc':
      return noRpcEntry(e)
    case 'ambiguousRpc':
      return entry({
        status: 300,
        code: 'PGRST203',
        message: `Could not choose the best candidate function between: ${e.routines.map(routineSignature).join(', ')}`,
        hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
      })
    case 'columnNotFound':
      return entry({
        status: 400,
        code: 'PGRST204',
        message: `Could not find the '${e.column}' column of '${e.relation}' in the schema cache`,
      })
    case 'tableNotFound':
      return entry({
        status: 404,
        code: 'PGRST205',
        message: `Could not find the table '${e.schema}.${e.name}' in the schema cache`,
        hint: e.suggestion,
      })
    default: {
      const never: never = e
      throw new Error(`unhandled SchemaCacheError ${JSON.stringify(never)}`)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PGRST3xx

const ASCII_CONTROL_NAMES = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'a', 'b', 't', 'n', 'v', 'f', 'r', 'SO', 'SI',
  'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US',
] as const

/**
 * Haskell's `show` of a string: PostgREST writes the JWT error description into the
 * WWW-Authenticate header that way. Quotes and backslashes are escaped, control characters get
 * their ASCII names, anything above `~` becomes a decimal escape; `\&` separates an escape
 * from a following character that would otherwise extend it.
 */
export const haskellShowString = (s: string): string => {
  let out = '"'
  const chars = Array.from(s)
  chars.forEach((ch, i) => {
    const cp = ch.codePointAt(0) ?? 0
    const next = chars[i + 1]
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (cp > 0x7f) {
      out += `\\${cp}`
      if (next !== undefined && /[0-9]/.test(next)) out += '\\&'
    } else if (cp === 0x7f) out += '\\DEL'
    else if (cp >= 0x20) out += ch
    else {
      out += `\\${ASCII_CONTROL_NAMES[cp] ?? ''}`
      if (cp === 0x0e && next === 'H') out += '\\&'
    }
  })
  return `${out}"`
}

const invalidTokenHeader = (message: string): readonly [string, string] => [
  'WWW-Authenticate',
  `Bearer error="invalid_token", error_description=${haskellShowString(message)}`,
]

const decodeMessage = (e: JwtDecodeError): string => {
  switch (e.kind) {
    case 'emptyAuthHeader':
      return 'Empty JWT is sent in Authorization header'
    case 'unexpectedParts':
      return `Expected 3 parts in JWT; got ${e.parts}`
    case 'keyError':
      return 'No suitable key or wrong key type'
    case 'badAlgorithm':
      return 'Wrong or unsupported encoding algorithm'
    case 'badCrypto':
      return 'JWT cryptographic operation failed'
    case 'unsupportedTokenType':
      return 'Unsupported token type'
    case 'unreachable':
      return "JWT couldn't be decoded"
    default: {
      const never: never = e
      throw new Error(`unhandled JwtDecodeError ${JSON.stringify(never)}`)
    }
  }
}

const claimsMessage = (e: JwtClaimsError): string => {
  switch (e) {
    case 'expired':
      return 'JWT expired'
    case 'notYetValid':
      return 'JWT not yet valid'
    case 'issuedAtFuture':
      return 'JWT issued at future'
    case 'notInAudience':
      return 'JWT not in audience'
    case 'parsingClaimsFailed':
      return 'Parsing claims failed'
    case 'expNotNumber':
      return "The JWT 'exp' claim must be a number"
    case 'nbfNotNumber':
      return "The JWT 'nbf' claim must be a number"
    case 'iatNotNumber':
      return "The JWT 'iat' claim must be a number"
    case 'audNotStringOrArray':
      return "The JWT 'aud' claim must be a string or an array of strings"
    default: {
      const never: never = e
      throw new Error(`unhandled JwtClaimsError ${JSON.stringify(never)}`)
    }
  }
}

const jwtEntry = (e: JwtError): ErrorResponse => {
  switch (e.kind) {
    case 'secretMissing':
      return entry({ status: 500, code: 'PGRST300', message: 'Server lacks JWT secret' })
    case 'decode': {
      const message = decodeMessage(e.error)
      const d = e.error
      return entry({
        status: 401,
        code: 'PGRST301',
        message,
        details: d.kind === 'keyError' || d.kind === 'badAlgorithm' ? d.details : null,
        headers: [invalidTokenHeader(message)],
      })
    }
    case 'tokenRequired':
      return entry({
        status: 401,
        code: 'PGRST302',
        message: 'Anonymous access is disabled',
        headers: [['WWW-Authenticate', 'Bearer']],
      })
    case 'claims': {
      const message = claimsMessage(e.error)
      return entry({ status: 401, code: 'PGRST303', message, headers: [invalidTokenHeader(message)] })
    }
    default: {
      const never: never = e
      throw new Error(`unhandled JwtError ${JSON.stringify(never)}`)
    }
  }
}

// ---------------------------------------------------------------------------------------------

const verboseResponse = (error: AppError): ErrorResponse => {
  switch (error.origin) {
    case 'apiRequest':
      return apiRequestEntry(error.error)
    case 'schemaCache':
      return schemaCacheEntry(error.error)
    case 'jwt':
      return jwtEntry(error.error)
    case 'noSchemaCache':
      return entry({ status: 503, code: 'PGRST002', message: 'Could not query the database for the schema cache. Retrying.' })
    case 'pg': {
      const r = pgErrorResponse(error.error)
      // An unparseable RAISE SQLSTATE 'PGRST' is reported as the request error PGRST121.
      return r.ok ? r.value : apiRequestEntry({ kind: 'pgrstParse', raise: r.error })
    }
    default: {
      const never: never = error
      throw new Error(`unhandled AppError ${JSON.stringify(never)}`)
    }
  }
}

/** What `error` becomes on the wire. With `minimal`, details and hint are undefined (left out of the body). */
export const errorResponse = (error: AppError, verbosity: Verbosity): ErrorResponse => {
  const r = verboseResponse(error)
  return verbosity === 'verbose' ? r : { ...r, details: undefined, hint: undefined }
}

/** The complete web `Response` for `error` (JSON body, Content-Type, Proxy-Status, extra headers). */
export const errorToResponse = (error: AppError, verbosity: Verbosity): Response =>
  toWebResponse(errorResponse(error, verbosity))
