/**
 * @module respond: DbResult + plan → PgrstResponse (status, headers, body), PostgREST's
 * actionResponse. No I/O; failures that PostgREST detects after the query (singular responses,
 * bad GUC values) are reported as AppErrors.
 */
import { err, ok, type Result } from '../result.ts'
import { apiErr, type AppError } from '../errors/types.ts'
import type { ApiRequest } from '../parse/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { ActionPlan } from '../plan/types.ts'
import { errorResponse } from '../errors/http.ts'
import { contentTypeHeaders, overrideStatusHeaders, prefAppliedHeader, rangeStatusHeader, type Header } from './headers.ts'
import type { PgrstResponse, ResultSet } from './types.ts'

const isSingular = (p: { readonly media: ApiRequest['contentMediaType'] }): boolean =>
  p.media.kind === 'singular' || (p.media.kind === 'plan' && p.media.for.kind === 'singular')

/** Reads: choose the total (exact, planned from EXPLAIN, or estimated) as PostgREST does. */
export const readTotal = (req: ApiRequest, config: AppConfig, rs: ResultSet, explainTotal: number | null): number | null => {
  switch (req.preferences.count) {
    case 'planned':
      return explainTotal
    case 'estimated':
      return config.dbMaxRows !== null && rs.tableTotal !== null && rs.tableTotal > config.dbMaxRows && explainTotal !== null
        ? Math.max(rs.tableTotal, explainTotal)
        : rs.tableTotal
    default:
      return rs.tableTotal
  }
}

const canonicalLocation = (req: ApiRequest, name: string): string =>
  `/${name}${req.queryParams.canonical === '' ? '' : `?${req.queryParams.canonical}`}`

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
        ['Content-Location', canonicalLocation(req, plan.qi.name)],
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
      return ok({ status: o.value[0], headers: o.value[1], body })
    }
    case 'relationInfo':
      return ok({ status: 200, headers: [['Access-Control-Allow-Origin', '*'], ['Allow', plan.allow.join(',')]], body: '' })
    default: {
      const never: never = plan
      throw new TypeError(`unknown plan ${String(never)}`)
    }
  }
}

/** The JSON error body object for an ErrorResponse (used where an error is a body, e.g. 416 reads). */
export const errorBodyObject = (
  e: { readonly code: string; readonly message: string; readonly details: unknown; readonly hint: unknown },
  config: AppConfig,
): Record<string, unknown> =>
  config.clientErrorVerbosity === 'minimal'
    ? { code: e.code, message: e.message }
    : { code: e.code, details: e.details ?? null, hint: e.hint ?? null, message: e.message }
