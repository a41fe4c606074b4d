/**
 * @module test/unit/parse/conformance: the parse stage against PostgREST's own expectations (the
 * conformance corpus). Every case whose expected error is raised while parsing (PGRST100/101/
 * 102/103/106/114/117/125/126) must fail here with the same status and body; every case that
 * PostgREST answered successfully, or with an error from a later stage, must parse.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readConfig } from '../../../src/config/from-env.ts'
import type { AppConfig } from '../../../src/config/types.ts'
import { errorResponse } from '../../../src/errors/http.ts'
import { parseApiRequest } from '../../../src/parse/index.ts'

/** The corpus lives next to the repository (`../shared/conformance`); without it these tests are skipped. */
const CASES_DIR = fileURLToPath(new URL('../../../../shared/conformance/cases', import.meta.url))
const available = existsSync(CASES_DIR)

interface Case {
  readonly id: string
  readonly config: { readonly name: string; readonly settings: Record<string, string> }
  readonly request: {
    readonly method: string
    readonly path: string | null
    readonly headers: readonly (readonly [string, string])[]
    readonly body: string | null
  }
  readonly expect: { readonly status: number; readonly body: unknown } | null
}

const cases: Case[] = (available ? readdirSync(CASES_DIR) : [])
  .filter((f) => f.endsWith('.jsonl'))
  .flatMap((f) =>
    readFileSync(join(CASES_DIR, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Case),
  )

const configs = new Map<string, AppConfig>()
const configFor = (c: Case): AppConfig => {
  const cached = configs.get(c.config.name)
  if (cached !== undefined) return cached
  const r = readConfig({ ...c.config.settings, PGRST_DB_URI: 'postgresql://localhost/postgrest_test' })
  if (!r.ok) throw new Error(`config ${c.config.name}: ${r.error}`)
  configs.set(c.config.name, r.value)
  return r.value
}

/** As the corpus runner sends it: characters that cannot travel raw in a request target are percent-encoded. */
const encodeTarget = (path: string): string => {
  const allowed = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?%[\]]/
  let out = ''
  for (const ch of path) {
    if (allowed.test(ch)) out += ch
    else for (const b of new TextEncoder().encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

const requestOf = (c: Case) => {
  const target = encodeTarget(c.request.path ?? '/')
  const q = target.indexOf('?')
  return {
    method: c.request.method,
    url: { pathname: q === -1 ? target : target.slice(0, q), search: q === -1 ? '' : target.slice(q) },
    headers: c.request.headers,
    body: c.request.body === null ? null : new TextEncoder().encode(c.request.body),
  }
}

const PARSE_CODES = new Set(['PGRST100', 'PGRST101', 'PGRST102', 'PGRST106', 'PGRST114', 'PGRST117', 'PGRST125', 'PGRST126'])

const codeOf = (body: unknown): string | undefined =>
  typeof body === 'object' && body !== null && 'code' in body ? String((body as { code: unknown }).code) : undefined

const detailsOf = (body: unknown): unknown =>
  typeof body === 'object' && body !== null && 'details' in body ? (body as { details: unknown }).details : undefined

/** Raised by parse: the codes above, and PGRST103 except "An offset of …" (decided after the query). */
const isParseError = (c: Case): boolean => {
  const code = codeOf(c.expect?.body)
  if (code === undefined) return false
  if (code === 'PGRST103') return !String(detailsOf(c.expect?.body)).startsWith('An offset of')
  return PARSE_CODES.has(code)
}

/** Errors raised before parsing (JWT, connection) say nothing about the parse stage. */
const isBeforeParse = (c: Case): boolean => {
  const code = codeOf(c.expect?.body)
  return code !== undefined && /^PGRST(0|3)\d\d$/.test(code)
}

const checked = cases.filter((c) => c.request.path !== null && c.expect !== null)
const failing = checked.filter(isParseError)
/** Successes, and errors with a code from a later stage (schema cache, planner, database, response). */
const passing = checked.filter(
  (c) => !isParseError(c) && !isBeforeParse(c) && ((c.expect?.status ?? 0) < 400 || codeOf(c.expect?.body) !== undefined),
)

describe.skipIf(!available)('conformance: requests PostgREST rejects while parsing', () => {
  it('has cases to check', () => {
    expect(failing.length).toBeGreaterThan(15)
  })
  it.each(failing.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const r = parseApiRequest(requestOf(c), configFor(c))
    expect(r.ok).toBe(false)
    if (r.ok) return
    const resp = errorResponse(r.error, 'verbose')
    expect({ status: resp.status, body: { code: resp.code, message: resp.message, details: resp.details, hint: resp.hint } }).toEqual({
      status: c.expect?.status,
      body: c.expect?.body,
    })
  })
})

describe.skipIf(!available)('conformance: requests PostgREST parses', () => {
  it('has cases to check', () => {
    expect(passing.length).toBeGreaterThan(1000)
  })
  it.each(passing.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const r = parseApiRequest(requestOf(c), configFor(c))
    if (!r.ok) expect(errorResponse(r.error, 'verbose')).toBeUndefined()
    expect(r.ok).toBe(true)
  })
})
