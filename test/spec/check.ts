/**
 * @module test/spec/check: compares a fetch `Response` with a case's `SpecExpect`. Runtime-neutral
 * (only the Response API and vitest's `expect`), so the Node runner and the workerd runner share it.
 *
 * Everything the case expects is gathered into one object and compared with one `toEqual`, so a
 * failing case prints a single diff showing status, headers and body side by side.
 */
import { expect } from 'vitest'
import type { SpecCase, SpecExpect, SpecRequest } from './types.ts'

/** What a response looked like, restricted to what a case checks. */
export interface ObservedResponse {
  readonly status: number
  readonly headers: Record<string, string | null>
  readonly body?: unknown
}

/** Parse a body as JSON; unparseable text is returned as is so the diff shows it. */
const parseJsonOrText = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * The observed side and the expected side of a case, shaped alike. Header names are lower-cased;
 * pattern headers become `expect.stringMatching` so `toEqual` accepts any matching value.
 */
export const observeAgainst = async (res: Response, want: SpecExpect): Promise<{ actual: ObservedResponse; expected: ObservedResponse }> => {
  const actualHeaders: Record<string, string | null> = {}
  const expectedHeaders: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    const key = name.toLowerCase()
    actualHeaders[key] = res.headers.get(key)
    expectedHeaders[key] = value
  }
  for (const [name, source] of Object.entries(want.headerPatterns ?? {})) {
    const key = name.toLowerCase()
    actualHeaders[key] = res.headers.get(key)
    expectedHeaders[key] = expect.stringMatching(new RegExp(source))
  }
  const text = await res.text()
  const actual: { status: number; headers: Record<string, string | null>; body?: unknown } = { status: res.status, headers: actualHeaders }
  const expected: { status: number; headers: Record<string, unknown>; body?: unknown } = { status: want.status, headers: expectedHeaders }
  if (want.json !== undefined) {
    actual.body = parseJsonOrText(text)
    expected.body = want.json
  } else if (want.text !== undefined) {
    actual.body = text
    expected.body = want.text
  }
  return { actual, expected: expected as ObservedResponse }
}

/** Assert that `res` satisfies `want` (status, listed headers, JSON or text body). */
export const checkSpecResponse = async (res: Response, want: SpecExpect): Promise<void> => {
  const { actual, expected } = await observeAgainst(res, want)
  expect(actual).toEqual(expected)
}

/** The fetch `Request` for a case's request against `origin` (e.g. `http://localhost`). */
export const specRequest = (origin: string, r: SpecRequest): Request => {
  const init: RequestInit = { method: r.method, headers: r.headers ?? {} }
  if (r.body !== undefined) init.body = r.body
  return new Request(`${origin}${r.path}`, init)
}

/** Case names must be unique across all files (they name the tests). */
export const duplicateCaseNames = (cases: readonly SpecCase[]): string[] => {
  const seen = new Set<string>()
  const dups = new Set<string>()
  for (const c of cases) (seen.has(c.name) ? dups : seen).add(c.name)
  return [...dups]
}
