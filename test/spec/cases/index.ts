/**
 * @module test/spec/cases: every spec case list, for the runners of each runtime (Node over `pg`:
 * test/spec/node.test.ts; the Worker in workerd over neon-http and neon-ws:
 * test/runtime/workers/spec.test.ts). Each file in this folder exports
 * `cases: readonly SpecCase[]` (common.ts holds shared helpers); add new files here.
 */
import type { SpecCase } from '../types.ts'
import { cases as auth } from './auth.ts'
import { cases as context } from './context.ts'
import { cases as embed } from './embed.ts'
import { cases as errors } from './errors.ts'
import { cases as filters } from './filters.ts'
import { cases as logic } from './logic.ts'
import { cases as media } from './media.ts'
import { cases as orderRange } from './order-range.ts'
import { cases as profiles } from './profiles.ts'
import { cases as read } from './read.ts'
import { cases as smoke } from './smoke.ts'

/** The case lists by file name, so runners can group their tests by file. */
export const SPEC_CASE_FILES: Readonly<Record<string, readonly SpecCase[]>> = {
  'smoke.ts': smoke,
  'read.ts': read,
  'filters.ts': filters,
  'logic.ts': logic,
  'order-range.ts': orderRange,
  'media.ts': media,
  'errors.ts': errors,
  'profiles.ts': profiles,
  'context.ts': context,
  'embed.ts': embed,
  'auth.ts': auth,
}

export const ALL_SPEC_CASES: readonly SpecCase[] = Object.values(SPEC_CASE_FILES).flat()

/** Alias of ALL_SPEC_CASES. */
export const allCases: readonly SpecCase[] = ALL_SPEC_CASES
