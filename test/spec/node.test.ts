/**
 * @module test/spec/node.test: every HTTP spec case (test/spec/cases/*.ts) against the Node app
 * in-process over the `pg` executor, one test per case, checked with test/spec/check.ts. Also
 * shows that the checker rejects each kind of mismatch, so a passing case means something.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { SPEC_CASE_FILES, ALL_SPEC_CASES } from './cases/index.ts'
import { checkSpecResponse, duplicateCaseNames } from './check.ts'
import { createSpecApp, type SpecApp } from './harness.ts'
import type { SpecExpect } from './types.ts'

let app: SpecApp

beforeAll(async () => {
  app = await createSpecApp()
})

describe('check.ts', () => {
  const response = (): Response =>
    new Response('[{"a":1,"b":[1,2]}]', { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Range': '0-0/*' } })
  const base: SpecExpect = { status: 200, json: [{ b: [1, 2], a: 1 }], headers: { 'content-type': 'application/json', 'Content-Range': '0-0/*' } }

  it('accepts a matching response (key order and header-name case ignored)', async () => {
    await checkSpecResponse(response(), base)
  })
  it.each<[string, SpecExpect]>([
    ['status', { ...base, status: 201 }],
    ['json value', { ...base, json: [{ a: 2, b: [1, 2] }] }],
    ['array order', { ...base, json: [{ a: 1, b: [2, 1] }] }],
    ['extra key', { ...base, json: [{ a: 1, b: [1, 2], c: null }] }],
    ['header value', { ...base, headers: { 'Content-Range': '0-1/*' } }],
    ['header that must be absent', { ...base, headers: { 'Content-Range': null } }],
    ['missing header', { ...base, headers: { Vary: 'Accept' } }],
    ['header pattern', { ...base, headerPatterns: { 'Content-Range': '^1-' } }],
    ['text body', { status: 200, text: '[]' }],
  ])('rejects a mismatched %s', async (_what, want) => {
    await expect(checkSpecResponse(response(), want)).rejects.toThrow()
  })
})

it('case names are unique', () => {
  expect(duplicateCaseNames(ALL_SPEC_CASES)).toEqual([])
})

for (const [file, cases] of Object.entries(SPEC_CASE_FILES)) {
  describe(file, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      await checkSpecResponse(await app.send(c.request), c.expect)
    })
  })
}
