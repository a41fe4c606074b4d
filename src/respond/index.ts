/**
 * @module respond: DbResult + plan → PgrstResponse (status, headers, body), PostgREST's
 * actionResponse. No I/O; failures that PostgREST detects after the query (singular responses,
 * bad GUC values) are reported as AppErrors.
 */
import { err, ok, type Result } from '../result.ts'
import { apiErr, type AppError } from '../errors/types.ts'
import type { ApiRequest, MediaType } from '../parse/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { ActionPlan, MediaHandler } from '../plan/types.ts'
import { errorResponse } from '../errors/http.ts'
import { contentRangeHeader, contentTypeHeaders, overrideStatusHeaders, prefAppliedHeader, rangeStatusHeader, type Header } from './headers.ts'
import type { PgrstResponse, ResultSet } from './types.ts'
import { decodeHex } from './binary-body.ts'

const isSingular = (p: { readonly media: ApiRequest['contentMediaType'] }): boolean => p.media.kind === 'singular'

/**
 * The answer to an EXPLAIN request (PostgREST's DbPlanResult): 200 whatever the method, the plan
 * as the body, its media type (with `for` and `options`) and Content-Profile. Nothing else: the
 * GUC headers, ranges and preferences of the explained statement do not apply.
 */
export const planResponse = (media: MediaType & { kind: 'plan' }, req: ApiRequest, body: string): PgrstResponse => ({
  status: 200,
  headers: contentTypeHeaders(media, req),
  body,
})

/** Reads: choose the total (exact, planned from EXPLAIN, or estimated) as PostgREST does. */
export const readTotal = (req: ApiRequest, config: AppConfig, rs: ResultSet, explainTotal: number | null): number | null => {
  switch (req.preferences.count) {
    case 'planned':
      return explainTotal
    case 'estimated':
      // PostgREST compares Maybe values, where Nothing is below every number: without max-rows
      // any counted total exceeds it, and the planner's figure wins when larger.
      if (rs.tableTotal === null) return null
      if (config.dbMaxRows === null || rs.tableTotal > config.dbMaxRows) return explainTotal === null ? null : Math.max(rs.tableTotal, explainTotal)
      return rs.tableTotal
    default:
      return rs.tableTotal
  }
}

/** A relation's path under the API's base path (EDGEREST_BASE_PATH), for Location/Content-Location. */
const relationPath = (config: AppConfig, name: string): string => `${config.basePath}/${name}`

const canonicalLocation = (req: ApiRequest, config: AppConfig, name: string): string =>
  `${relationPath(config, name)}${req.queryParams.canonical === '' ? '' : `?${req.queryParams.canonical}`}`

export const actionResponse = (
  plan: ActionPlan,
  req: ApiRequest,
  config: AppConfig,
  rs: ResultSet,
): Result<PgrstResponse, AppError> => {
  switch (plan.kind) {
    case 'read': {
      if (isSingular(plan) && rs.queryTotal !== 1) return err(apiErr({ kind: 'singularity', rows: rs.queryTotal }))
      const [status, contentRange] = rangeStatusHeader(req.topLevelRange, rs.queryTotal, rs.tableTotal)
      const headers: Header[] = [
        contentRange,
        ['Content-Location', canonicalLocation(req, config, plan.qi.name)],
        ...contentTypeHeaders(plan.media, req),
        ...prefAppliedHeader({ count: req.preferences.count, transaction: req.preferences.transaction, handling: req.preferences.handling, timezone: req.preferences.timezone }),
      ]
      let body = plan.headersOnly ? '' : rs.body
      if (status === 416) {
        const e = errorResponse(
          apiErr({ kind: 'invalidRange', range: { kind: 'outOfBounds', lower: String(req.topLevelRange.offset), total: String(rs.tableTotal ?? 0) } }),
          config.clientErrorVerbosity,
        )
        body = JSON.stringify(errorBodyObject(e, config))
      }
      const o = overrideStatusHeaders(rs.gucStatus, rs.gucHeaders, status, headers)
      if (!o.ok) return o
      return ok({ status: o.value[0], headers: o.value[1], ...withBinary(body, status !== 416 && isBinary(plan)) })
    }
    case 'mutate': {
      const r = mutateResponse(plan, req, config, rs)
      return r.ok && r.value.body !== '' && isBinary(plan) ? ok({ ...r.value, ...withBinary(r.value.body, true) }) : r
    }
    case 'call':
      return callResponse(plan, req, config, rs)
    case 'schemaInfo':
    case 'relationInfo':
    case 'routineInfo':
      return ok({ status: 200, headers: [['Access-Control-Allow-Origin', '*'], ['Allow', plan.allow.join(',')]], body: '' })
    case 'inspect':
      throw new TypeError('the OpenAPI document is answered by respond/openapi')
    default: {
      const never: never = plan
      throw new TypeError(`unknown plan ${String(never)}`)
    }
  }
}

/** A custom handler's value arrives as the hex of its binary form (not for EXPLAIN output). */
const isBinary = (p: { readonly handler: MediaHandler; readonly media: MediaType }): boolean =>
  p.handler.kind === 'customFunc' && p.media.kind !== 'plan'

/** The body, as bytes when it is a custom handler's value. */
const withBinary = (body: string, binary: boolean): { body: string; bodyBytes?: Uint8Array<ArrayBuffer> } =>
  binary ? { body: '', bodyBytes: decodeHex(body) } : { body }

/**
 * PostgREST's actionResponse for a CallReadPlan: a read's status and Content-Range, the
 * preferences a call honours, 204 without Content-Type for a void function, no body for HEAD.
 */
const callResponse = (plan: ActionPlan & { kind: 'call' }, req: ApiRequest, config: AppConfig, rs: ResultSet): Result<PgrstResponse, AppError> => {
  const p = req.preferences
  const [status, contentRange] = rangeStatusHeader(req.topLevelRange, rs.queryTotal, rs.tableTotal)
  const isHead = plan.invMethod.kind === 'invRead' && plan.invMethod.headersOnly
  let body = rs.body
  let binary = isBinary(plan)
  if (status === 416) {
    const e = errorResponse(
      apiErr({ kind: 'invalidRange', range: { kind: 'outOfBounds', lower: String(req.topLevelRange.offset), total: String(rs.tableTotal ?? 0) } }),
      config.clientErrorVerbosity,
    )
    body = JSON.stringify(errorBodyObject(e, config))
    binary = false
  }
  const headers: Header[] = [
    contentRange,
    ...prefAppliedHeader({ count: p.count, transaction: p.transaction, handling: p.handling, timezone: p.timezone, maxAffected: p.maxAffected }),
  ]
  const ret = plan.routine.returnType
  const isVoid = ret.kind === 'single' && ret.type.kind === 'scalar' && ret.type.qi.schema === 'pg_catalog' && ret.type.qi.name === 'void'
  const o = isVoid
    ? overrideStatusHeaders(rs.gucStatus, rs.gucHeaders, 204, headers)
    : overrideStatusHeaders(rs.gucStatus, rs.gucHeaders, status, [...headers, ...contentTypeHeaders(plan.media, req)])
  if (!o.ok) return o
  if (isVoid || isHead) return ok({ status: o.value[0], headers: o.value[1], body: '' })
  return ok({ status: o.value[0], headers: o.value[1], ...withBinary(body, binary) })
}

/** The JSON error body object for an ErrorResponse (used where an error is a body, e.g. 416 reads). */
export const errorBodyObject = (
  e: { readonly code: string; readonly message: string; readonly details: unknown; readonly hint: unknown },
  config: AppConfig,
): Record<string, unknown> =>
  config.clientErrorVerbosity === 'minimal'
    ? { code: e.code, message: e.message }
    : { code: e.code, details: e.details ?? null, hint: e.hint ?? null, message: e.message }

/**
 * Percent-encoding of a query-string component as http-types' `renderSimpleQuery True` does it:
 * ASCII letters, digits and `-_.~` stay, every other UTF-8 byte becomes `%XX`.
 */
export const encodeQueryComponent = (s: string): string => {
  let out = ''
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b)
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** The Preference-Applied header of a write: only what that kind of write honours (responsePreferences). */
const mutatePrefApplied = (plan: ActionPlan & { kind: 'mutate' }, req: ApiRequest): Header[] => {
  const p = req.preferences
  const m = plan.mutation
  const mp = plan.mutatePlan
  // A resolution is only applied by inserts into something with a key to conflict on.
  const resolution = m === 'create' && mp.kind === 'insert' && (mp.pkCols.length > 0 || req.queryParams.onConflict !== undefined) ? p.resolution : undefined
  return prefAppliedHeader({
    resolution,
    missing: m === 'create' || m === 'update' ? p.missing : undefined,
    representation: p.representation,
    count: p.count,
    transaction: p.transaction,
    handling: p.handling,
    timezone: p.timezone,
    maxAffected: m === 'update' || m === 'delete' ? p.maxAffected : undefined,
  })
}

/** PostgREST's actionResponse for MutateReadPlan: status, headers and body per kind of write. */
const mutateResponse = (plan: ActionPlan & { kind: 'mutate' }, req: ApiRequest, config: AppConfig, rs: ResultSet): Result<PgrstResponse, AppError> => {
  const prefs = req.preferences
  // count=exact|estimated report the affected rows as the total.
  const total = prefs.count === 'exact' || prefs.count === 'estimated' ? rs.queryTotal : null
  const full = prefs.representation === 'full'
  const prefHeader = mutatePrefApplied(plan, req)
  const ctHeaders = contentTypeHeaders(plan.media, req)
  let status: number
  let headers: Header[]
  switch (plan.mutation) {
    case 'create': {
      const location: Header[] =
        rs.location.length === 0
          ? []
          : [['Location', `${relationPath(config, plan.qi.name)}?${rs.location.map(([k, v]) => `${encodeQueryComponent(k)}=${encodeQueryComponent(v)}`).join('&')}`]]
      headers = [...location, contentRangeHeader(1, 0, total), ...prefHeader, ...(full ? ctHeaders : [])]
      // Upserts that only updated rows are 200; every other insert is 201.
      status = prefs.resolution === 'merge-duplicates' && (rs.inserted ?? 0) <= 0 ? 200 : 201
      break
    }
    case 'update':
      headers = [contentRangeHeader(0, rs.queryTotal - 1, total), ...prefHeader, ...(full ? ctHeaders : [])]
      status = full ? 200 : 204
      break
    case 'singleUpsert':
      headers = full ? [...ctHeaders, ...prefHeader] : prefHeader
      status = full ? ((rs.inserted ?? 0) > 0 ? 201 : 200) : 204
      break
    case 'delete':
      headers = [contentRangeHeader(1, 0, total), ...prefHeader, ...(full ? ctHeaders : [])]
      status = full ? 200 : 204
      break
    default: {
      const never: never = plan.mutation
      throw new TypeError(`unknown mutation ${String(never)}`)
    }
  }
  const o = overrideStatusHeaders(rs.gucStatus, rs.gucHeaders, status, headers)
  if (!o.ok) return o
  return ok({ status: o.value[0], headers: o.value[1], body: full ? rs.body : '' })
}
