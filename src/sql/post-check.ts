/**
 * @module sql/post-check: checks on the number of rows a write produced, made by the main
 * statement itself so that a failed check aborts the transaction on every executor.
 *
 * PostgREST reads the row count and then rolls back (singular responses, `max-affected`, PUT's key
 * check). Neon's HTTP batch cannot roll back after its results were read, so instead the statement
 * computes its row count as
 *   CASE WHEN <check fails> THEN ('edgerest:PGRST116:' || count)::bigint ELSE count END
 * — a failing check makes that cast raise `invalid_text_representation` (22P02) carrying the code
 * and the count, the batch aborts (nothing is written), and `postCheckFailure` turns the error back
 * into PostgREST's PGRST116 / PGRST124 / PGRST115. Only requests that asked for a check are decoded
 * this way, and the code must be one that request's checks can produce.
 */
import type { ApiRequestError, PgServerError } from '../errors/types.ts'
import type { PostCheck } from '../plan/types.ts'
import { concat, param, raw, type SqlFragment } from './fragment.ts'

const MARK = 'edgerest:'

const codeOf = (c: PostCheck): 'PGRST116' | 'PGRST124' | 'PGRST115' => {
  switch (c.kind) {
    case 'singular':
      return 'PGRST116'
    case 'maxAffected':
      return 'PGRST124'
    case 'putMatchingPk':
      return 'PGRST115'
    default: {
      const never: never = c
      throw new TypeError(`unknown post-check ${String(never)}`)
    }
  }
}

const violated = (c: PostCheck, count: SqlFragment): SqlFragment => {
  switch (c.kind) {
    case 'singular':
    case 'putMatchingPk':
      return concat(count, raw(' <> 1'))
    case 'maxAffected':
      return concat(count, raw(' > '), param(String(c.max)), raw('::bigint'))
    default: {
      const never: never = c
      throw new TypeError(`unknown post-check ${String(never)}`)
    }
  }
}

/** `count` itself, or a CASE that raises when one of `checks` fails (the first failing one wins). */
export const checkedCount = (checks: readonly PostCheck[], count: SqlFragment): SqlFragment => {
  if (checks.length === 0) return count
  return concat(
    raw('CASE'),
    ...checks.map((c) => concat(raw(' WHEN '), violated(c, count), raw(` THEN ('${MARK}${codeOf(c)}:' || `), count, raw(')::bigint'))),
    raw(' ELSE '),
    count,
    raw(' END'),
  )
}

const FAILURE = /edgerest:(PGRST11[56]|PGRST124):(\d+)/

/**
 * The request error a failed post-check stands for, or null when `e` is any other error. The
 * message is searched rather than matched whole: Postgres may translate the text around the value.
 */
export const postCheckFailure = (e: PgServerError, checks: readonly PostCheck[]): ApiRequestError | null => {
  if (e.code !== '22P02' || checks.length === 0) return null
  const m = FAILURE.exec(e.message)
  if (!m) return null
  const code = m[1]
  const rows = Number(m[2])
  if (!checks.some((c) => codeOf(c) === code)) return null
  switch (code) {
    case 'PGRST116':
      return { kind: 'singularity', rows }
    case 'PGRST124':
      return { kind: 'maxAffectedViolation', rows }
    default:
      return { kind: 'putMatchingPk' }
  }
}
