/**
 * @module execute/pipelined: one transaction written to the socket in one go, on a node-postgres
 * client in pipeline mode (`pipeline: true`, pg 8.23): BEGIN, every statement and
 * COMMIT|ROLLBACK go out back to back and their answers are read afterwards, so a run costs one
 * network round trip once connected instead of one per statement. The Node `pg` executor (a pool
 * of pipelined clients) and the Workers `pg` executor (a client per request) both run this way.
 *
 * Why this is still a real transaction with the same outcome as the one-at-a-time run
 * (transaction.ts): each statement carries its own Sync, so when one fails the server answers
 * every later one with "current transaction is aborted" (25P02) and the final COMMIT with
 * ROLLBACK; the first error is the run's error and nothing is written. `end: 'rollback'` is
 * known before anything is sent, so the last message is ROLLBACK and the results are still read.
 */
import type { CompiledSql } from '../sql/fragment.ts'
import { toPgrstError } from './errors.ts'
import { beginStatement, statementQuery, toStatementResult, type ArrayResult, type QueryClient } from './transaction.ts'
import type { StatementResult, TxOptions } from './types.ts'

/** A stream that can hold writes back (a Node socket); pg-cloudflare's stream cannot. */
interface Corkable {
  cork?: () => void
  uncork?: () => void
}

/** The socket under a node-postgres client: pg keeps it at `client.connection.stream`. */
const streamOf = (client: QueryClient): Corkable | undefined =>
  (client as unknown as { connection?: { stream?: Corkable } }).connection?.stream

/**
 * Run the statements in one pipelined transaction on a connected client created with
 * `pipeline: true`. Rejects with a PgrstError for the first failure (the server has then rolled
 * the transaction back). `statementName` names a statement text (prepared once per connection by
 * node-postgres) or returns undefined for the unnamed statement.
 */
export const runPipelined = async (
  client: QueryClient,
  statements: readonly CompiledSql[],
  options: TxOptions,
  statementName: (text: string) => string | undefined = () => undefined,
): Promise<readonly StatementResult[]> => {
  // Every query is queued before any answer is awaited: that is what puts them on the wire
  // together. node-postgres writes each message separately (it corks only within one query), so
  // holding the socket's writes back until the last query makes the whole transaction one write.
  const stream = streamOf(client)
  stream?.cork?.()
  let pending: Promise<unknown>[]
  try {
    pending = [
      client.query(beginStatement(options)),
      ...statements.map((s) => client.query(statementQuery(s, statementName(s.text)))),
      client.query(options.end === 'commit' ? 'COMMIT' : 'ROLLBACK'),
    ]
  } finally {
    stream?.uncork?.()
  }
  const settled = await Promise.allSettled(pending)
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failure !== undefined) throw toPgrstError(failure.reason, 'query')
  const results: StatementResult[] = []
  for (let i = 1; i < settled.length - 1; i++) results.push(toStatementResult((settled[i] as PromiseFulfilledResult<ArrayResult>).value))
  return results
}
