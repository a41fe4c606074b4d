/**
 * @module execute/pipelined: one transaction written to the socket in one go, on a node-postgres
 * client in pipeline mode (`new Client({ pipeline: true })`, pg 8.23): BEGIN, every statement and
 * COMMIT|ROLLBACK go out back to back and their answers are read afterwards, so a run costs one
 * network round trip once connected instead of one per statement. That matters most where the
 * database is far away, as from a Worker.
 *
 * Why this is still a real transaction with the same outcome as the one-at-a-time run
 * (transaction.ts): each statement carries its own Sync, so when one fails the server answers
 * every later one with "current transaction is aborted" (25P02) and the final COMMIT with
 * ROLLBACK; the first error is the run's error and nothing is written. `end: 'rollback'` is
 * known before anything is sent, so the last message is ROLLBACK and the results are still read.
 */
import type { CompiledSql } from '../sql/fragment.ts'
import { toPgrstError } from './errors.ts'
import { beginStatement, RAW_TEXT_TYPES, toStatementResult, type QueryClient } from './transaction.ts'
import type { StatementResult, TxOptions } from './types.ts'

/** What `client.query` resolved with for one statement (array rows, raw text). */
type Answer = Awaited<ReturnType<typeof queryStatement>>

const queryStatement = (client: QueryClient, s: CompiledSql) =>
  client.query({
    text: s.text,
    values: [...s.params],
    rowMode: 'array',
    types: RAW_TEXT_TYPES,
    // One statement per text, as over Neon HTTP: a multi-statement string fails with 42601.
    queryMode: 'extended',
  })

/**
 * Run the statements in one pipelined transaction on a connected client created with
 * `pipeline: true`. Rejects with a PgrstError for the first failure (the server has then rolled
 * the transaction back).
 */
export const runPipelined = async (
  client: QueryClient,
  statements: readonly CompiledSql[],
  options: TxOptions,
): Promise<readonly StatementResult[]> => {
  // Every query is queued before any answer is awaited: that is what puts them on the wire together.
  const begin = client.query(beginStatement(options))
  const answers = statements.map((s) => queryStatement(client, s))
  const end = client.query(options.end === 'commit' ? 'COMMIT' : 'ROLLBACK')
  const settled = await Promise.allSettled([begin, ...answers, end])
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failure !== undefined) throw toPgrstError(failure.reason, 'query')
  return settled.slice(1, -1).map((r) => toStatementResult((r as PromiseFulfilledResult<Answer>).value))
}
