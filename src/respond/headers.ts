/**
 * @module respond/headers: Content-Range, Content-Type, Preference-Applied and the
 * `response.headers` / `response.status` GUC overrides (PostgREST's Response.hs, RangeQuery.hs).
 */
import { err, ok, type Result } from '../result.ts'
import { apiErr, type AppError } from '../errors/types.ts'
import type { ApiRequest, MediaType, Preferences, Range } from '../parse/types.ts'
import { toMime } from '../parse/media-type.ts'

export type Header = readonly [string, string]

/** `lower-upper/total`, `*` for an empty range or a zero total (RFC 7233 §4.2). */
export const contentRangeHeader = (lower: number, upper: number, total: number | null): Header => {
  const range = total !== 0 && lower <= upper ? `${lower}-${upper}` : '*'
  return ['Content-Range', `${range}/${total === null ? '*' : String(total)}`]
}

export const rangeStatusHeader = (topLevel: Range, queryTotal: number, tableTotal: number | null): [number, Header] => {
  const lower = topLevel.offset
  const upper = lower + queryTotal - 1
  let status = 200
  if (tableTotal !== null) {
    if (lower > tableTotal) status = 416
    else if (1 + upper - lower < tableTotal) status = 206
  }
  return [status, contentRangeHeader(lower, upper, tableTotal)]
}

export const contentTypeHeader = (m: MediaType): Header => {
  const mime = toMime(m)
  const noCharset = m.kind === 'octet' || m.kind === 'other'
  return ['Content-Type', noCharset ? mime : `${mime}; charset=utf-8`]
}

export const profileHeader = (req: ApiRequest): Header[] => (req.negotiatedByProfile ? [['Content-Profile', req.schema]] : [])

export const contentTypeHeaders = (m: MediaType, req: ApiRequest): Header[] => [contentTypeHeader(m), ...profileHeader(req)]

/** Preference-Applied lists the preferences honoured, in PostgREST's fixed order. */
export const prefAppliedHeader = (p: Partial<Preferences>): Header[] => {
  const vals: string[] = []
  if (p.resolution) vals.push(`resolution=${p.resolution}`)
  if (p.missing) vals.push(`missing=${p.missing}`)
  if (p.representation) vals.push(`return=${p.representation === 'full' ? 'representation' : p.representation === 'none' ? 'minimal' : 'headers-only'}`)
  if (p.count) vals.push(`count=${p.count}`)
  if (p.transaction) vals.push(`tx=${p.transaction}`)
  if (p.handling) vals.push(`handling=${p.handling}`)
  if (p.timezone !== undefined) vals.push(`timezone=${p.timezone}`)
  if (p.handling === 'strict' && p.maxAffected !== undefined) vals.push(`max-affected=${p.maxAffected}`)
  return vals.length === 0 ? [] : [['Preference-Applied', vals.join(', ')]]
}

/**
 * Apply `response.status` and `response.headers` set by SQL. GUC headers are added unless the
 * response's own header of the same name is dropped: SQL overrides ours (addHeadersIfNotIncluded).
 */
export const overrideStatusHeaders = (
  gucStatus: string | null,
  gucHeaders: string | null,
  status: number,
  headers: readonly Header[],
): Result<[number, Header[]], AppError> => {
  let newStatus = status
  if (gucStatus !== null) {
    const m = /^\d+/.exec(gucStatus)
    if (!m) return err(apiErr({ kind: 'gucStatus' }))
    newStatus = Number(m[0])
    if (newStatus < 100 || newStatus > 999) return err(apiErr({ kind: 'gucStatus' }))
  }
  const extra: Header[] = []
  if (gucHeaders !== null) {
    let parsed: unknown
    try {
      parsed = JSON.parse(gucHeaders)
    } catch {
      return err(apiErr({ kind: 'gucHeaders' }))
    }
    if (!Array.isArray(parsed)) return err(apiErr({ kind: 'gucHeaders' }))
    for (const o of parsed) {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) return err(apiErr({ kind: 'gucHeaders' }))
      const entries = Object.entries(o as Record<string, unknown>)
      const first = entries[0]
      if (entries.length !== 1 || !first || typeof first[1] !== 'string') return err(apiErr({ kind: 'gucHeaders' }))
      extra.push([first[0], first[1]])
    }
  }
  const inGuc = (name: string) => extra.some(([k]) => k.toLowerCase() === name.toLowerCase())
  return ok([newStatus, [...headers.filter(([k]) => !inGuc(k)), ...extra]])
}
