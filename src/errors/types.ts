/**
 * @module errors/types: every error a request can end in, grouped by origin as PostgREST's
 * Error/Types.hs does. `errors/http.ts` is the one table that turns these into responses.
 */
import type { Relationship, Routine } from '../schema-cache/types.ts'

export type RangeError =
  | { readonly kind: 'negativeLimit' }
  | { readonly kind: 'lowerGTUpper' }
  | { readonly kind: 'outOfBounds'; readonly lower: string; readonly total: string }

export type RaiseError =
  | { readonly kind: 'msgParse'; readonly message: string }
  | { readonly kind: 'detParse'; readonly detail: string }
  | { readonly kind: 'noDetail' }

/** PGRST1xx: problems with the request itself. */
export type ApiRequestError =
  | { readonly kind: 'aggregatesNotAllowed' }
  | { readonly kind: 'mediaType'; readonly mediaTypes: readonly string[] }
  | { readonly kind: 'invalidBody'; readonly message: string }
  | { readonly kind: 'invalidFilters' }
  | { readonly kind: 'invalidPreferences'; readonly prefs: readonly string[] }
  | { readonly kind: 'invalidRange'; readonly range: RangeError }
  | { readonly kind: 'invalidRpcMethod'; readonly method: string }
  | { readonly kind: 'notEmbedded'; readonly resource: string; readonly alias?: { readonly name: string; readonly alias: string } | undefined }
  | { readonly kind: 'notImplemented'; readonly details: string }
  | { readonly kind: 'putLimitNotAllowed' }
  /** PGRST100: message like `"failed to parse select parameter (…)" (line 1, column 4)` and details. */
  | { readonly kind: 'queryParam'; readonly message: string; readonly details: string }
  | { readonly kind: 'relatedOrderNotToOne'; readonly origin: string; readonly target: string }
  | { readonly kind: 'unacceptableFilter'; readonly target: string }
  | { readonly kind: 'unacceptableSchema'; readonly schema: string; readonly allowed: readonly string[] }
  | { readonly kind: 'unsupportedMethod'; readonly method: string }
  | { readonly kind: 'gucHeaders' }
  | { readonly kind: 'gucStatus' }
  | { readonly kind: 'putMatchingPk' }
  | { readonly kind: 'singularity'; readonly rows: number }
  | { readonly kind: 'pgrstParse'; readonly raise: RaiseError }
  | { readonly kind: 'maxAffectedViolation'; readonly rows: number }
  | { readonly kind: 'invalidResourcePath' }
  | { readonly kind: 'openApiDisabled' }
  | { readonly kind: 'maxAffectedRpcViolation' }
  /**
   * Beyond PostgREST: a body over EDGEREST_MAX_BODY_BYTES, refused before it is read whole.
   * `size` is the declared Content-Length, null for a chunked body stopped at the limit.
   */
  | { readonly kind: 'payloadTooLarge'; readonly limit: number; readonly size: number | null }

/** PGRST2xx: the request names something the schema cache does not have (or has twice). */
export type SchemaCacheError =
  | { readonly kind: 'ambiguousRelBetween'; readonly parent: string; readonly child: string; readonly rels: readonly Relationship[] }
  | { readonly kind: 'ambiguousRpc'; readonly routines: readonly Routine[] }
  | {
      readonly kind: 'noRelBetween'
      readonly parent: string
      readonly child: string
      readonly hint?: string | undefined
      readonly schema: string
      /** Pre-computed fuzzy hint (e.g. "Perhaps you meant 'x' instead of 'y'."), or null. */
      readonly suggestion: string | null
    }
  | {
      readonly kind: 'noRpc'
      readonly schema: string
      readonly name: string
      readonly argumentKeys: readonly string[]
      readonly contentType: 'json' | 'text' | 'xml' | 'octet' | 'other'
      readonly isInvPost: boolean
      readonly suggestion: string | null
    }
  | { readonly kind: 'columnNotFound'; readonly relation: string; readonly column: string }
  | { readonly kind: 'tableNotFound'; readonly schema: string; readonly name: string; readonly suggestion: string | null }

export type JwtDecodeError =
  | { readonly kind: 'emptyAuthHeader' }
  | { readonly kind: 'unexpectedParts'; readonly parts: number }
  | { readonly kind: 'keyError'; readonly details: string }
  | { readonly kind: 'badAlgorithm'; readonly details: string }
  | { readonly kind: 'badCrypto' }
  | { readonly kind: 'unsupportedTokenType' }
  | { readonly kind: 'unreachable' }

export type JwtClaimsError =
  | 'expired'
  | 'notYetValid'
  | 'issuedAtFuture'
  | 'notInAudience'
  | 'parsingClaimsFailed'
  | 'expNotNumber'
  | 'nbfNotNumber'
  | 'iatNotNumber'
  | 'audNotStringOrArray'

/** PGRST3xx. */
export type JwtError =
  | { readonly kind: 'decode'; readonly error: JwtDecodeError }
  | { readonly kind: 'secretMissing' }
  | { readonly kind: 'tokenRequired' }
  | { readonly kind: 'claims'; readonly error: JwtClaimsError }

/** The fields of a Postgres ErrorResponse we use (as the Neon endpoint / pg report them). */
export interface PgServerError {
  readonly code: string
  readonly message: string
  readonly detail?: string | null | undefined
  readonly hint?: string | null | undefined
}

export type PgError =
  /** An error the server sent. `authenticated` decides 401 vs 403 for 42501. */
  | { readonly kind: 'server'; readonly authenticated: boolean; readonly error: PgServerError }
  /** Could not reach / talk to the database (PGRST000, 503). */
  | { readonly kind: 'connection'; readonly details: string }
  /** Pool acquisition timed out (PGRST003, 504). */
  | { readonly kind: 'acquisitionTimeout' }
  /** Driver-side failure after connecting (PGRST001, 503). */
  | { readonly kind: 'client'; readonly details: string }
  /**
   * Beyond PostgREST: Neon's SQL-over-HTTP endpoint refused the request (413) or the result (507)
   * for its size; `details` is Neon's message, which names the limit.
   */
  | { readonly kind: 'transportLimit'; readonly direction: 'request' | 'response'; readonly details: string }

export type AppError =
  | { readonly origin: 'apiRequest'; readonly error: ApiRequestError }
  | { readonly origin: 'schemaCache'; readonly error: SchemaCacheError }
  | { readonly origin: 'jwt'; readonly error: JwtError }
  | { readonly origin: 'noSchemaCache' }
  | { readonly origin: 'pg'; readonly error: PgError }

export const apiErr = (error: ApiRequestError): AppError => ({ origin: 'apiRequest', error })
export const cacheErr = (error: SchemaCacheError): AppError => ({ origin: 'schemaCache', error })
export const jwtErr = (error: JwtError): AppError => ({ origin: 'jwt', error })
export const pgErr = (error: PgError): AppError => ({ origin: 'pg', error })

/** What an error becomes on the wire. */
export interface ErrorResponse {
  readonly status: number
  /**
   * Custom reason phrase, set only where PostgREST sets one: `PTxyz` (the error message) and
   * `RAISE SQLSTATE 'PGRST'` with `status_text`. Undefined = the runtime's default phrase.
   */
  readonly statusText?: string | undefined
  readonly code: string
  readonly message: string
  readonly details: unknown
  readonly hint: unknown
  readonly headers: readonly (readonly [string, string])[]
}

/**
 * Carrier for an AppError thrown across an async boundary (e.g. out of an executor). Detected by
 * the `pgrstAppError` property, not `instanceof`, so it survives bundling into several copies.
 */
export class PgrstError extends Error {
  override readonly name = 'PgrstError'
  readonly pgrstAppError: AppError
  constructor(appError: AppError) {
    super('PgrstError')
    this.pgrstAppError = appError
  }
}
export const isPgrstError = (e: unknown): e is PgrstError =>
  typeof e === 'object' && e !== null && 'pgrstAppError' in e
