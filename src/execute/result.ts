/**
 * @module execute/result: decode the main statement's row (all text) into a ResultSet, and the
 * EXPLAIN row into a planned row count.
 */
import type { ResultSet } from '../respond/types.ts'
import type { StatementResult } from './types.ts'

const toInt = (v: string | null | undefined): number | null => (v === null || v === undefined || v === '' ? null : Number(v))

/** Split Location pairs `k=v` (an array literal of text). */
const parseLocation = (v: string | null | undefined): [string, string][] => {
  if (v === null || v === undefined || v === '' || v === '{}') return []
  // Postgres array text output: {"a=eq.1","b=eq.2"} or {a=eq.1}
  const inner = v.slice(1, -1)
  const items: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i] as string
    if (quoted) {
      if (c === '\\') cur += inner[++i] ?? ''
      else if (c === '"') quoted = false
      else cur += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      items.push(cur)
      cur = ''
    } else cur += c
  }
  items.push(cur)
  return items.map((kv) => {
    const i = kv.indexOf('=')
    return [kv.slice(0, i), kv.slice(i + 1)]
  })
}

export const decodeResultSet = (r: StatementResult | undefined): ResultSet => {
  const row = r?.rows[0]
  if (!r || !row) return { tableTotal: null, queryTotal: 0, location: [], body: '', gucHeaders: null, gucStatus: null, inserted: null }
  const col = (name: string): string | null => {
    const i = r.fields.indexOf(name)
    return i < 0 ? null : (row[i] ?? null)
  }
  return {
    tableTotal: toInt(col('total_result_set')),
    queryTotal: toInt(col('page_total')) ?? 0,
    location: parseLocation(col('header')),
    body: col('body') ?? '',
    gucHeaders: col('response_headers'),
    gucStatus: col('response_status'),
    inserted: toInt(col('response_inserted')),
  }
}

/**
 * An EXPLAIN's output as PostgREST sends it: each row's text followed by a line break (JSON, XML
 * and YAML come as one row; TEXT as one row per line of the plan).
 */
export const decodePlanOutput = (r: StatementResult | undefined): string => (r?.rows ?? []).map((row) => `${row[0] ?? ''}\n`).join('')

/** What the OpenAPI statement (sql/openapi) returned: null lists when privileges are ignored. */
export interface OpenApiRow {
  readonly tables: readonly string[] | null
  readonly routines: readonly string[] | null
  readonly description: string | null
}

export const decodeOpenApiRow = (r: StatementResult | undefined): OpenApiRow => {
  const row = r?.rows[0]
  const col = (name: string): string | null => {
    const i = r?.fields.indexOf(name) ?? -1
    return i < 0 || row === undefined ? null : (row[i] ?? null)
  }
  const list = (name: string): string[] | null => {
    const text = col(name)
    return text === null ? null : (JSON.parse(text) as string[])
  }
  return { tables: list('tables'), routines: list('routines'), description: col('description') }
}

/** `Plan Rows` of an EXPLAIN (FORMAT JSON) result. */
export const decodeExplainTotal = (r: StatementResult | undefined): number | null => {
  const text = r?.rows[0]?.[0]
  if (!text) return null
  try {
    const plan = JSON.parse(text) as { Plan?: { 'Plan Rows'?: number } }[]
    const rows = plan[0]?.Plan?.['Plan Rows']
    return typeof rows === 'number' ? rows : null
  } catch {
    return null
  }
}
