/**
 * @module schema-cache/executor-query: runs the introspection queries through an `Executor`
 * (neon-http, neon-ws, pg), e.g. for the Node entry, which already has one. Executors take text
 * parameters and return Postgres's text output; the catalog queries return their rows as JSON in
 * column `r`, which `introspect` parses, and their array parameters are sent as array literals.
 */
import type { Executor } from '../src/execute/types.ts'
import type { QueryFn } from './rows.ts'

const arrayLiteral = (items: readonly unknown[]): string =>
  `{${items.map((i) => (i === null ? 'NULL' : `"${String(i).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`

const asText = (v: unknown): string | null =>
  v === null || v === undefined ? null : Array.isArray(v) ? arrayLiteral(v) : typeof v === 'string' ? v : String(v)

/** A `QueryFn` over an executor: each query is its own read-only transaction. */
export const executorQuery =
  (executor: Executor): QueryFn =>
  async (text, params) => {
    const [result] = await executor.run([{ text, params: params.map(asText) }], { readOnly: true, end: 'commit' })
    if (result === undefined) return []
    return result.rows.map((row) => {
      const record: Record<string, unknown> = {}
      result.fields.forEach((field, i) => {
        record[field] = row[i] ?? null
      })
      return record
    })
  }
