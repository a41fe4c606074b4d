/**
 * @module execute/types: the Executor contract. An executor runs a request's statements as ONE
 * transaction and reports the rows of each statement as raw text (Postgres's text output), so
 * JSON bodies built by Postgres pass through untouched.
 */
import type { CompiledSql } from '../sql/fragment.ts'

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable'

export interface TxOptions {
  readonly readOnly: boolean
  readonly isolation?: IsolationLevel | undefined
  /** `rollback` undoes the transaction after all statements ran and their results were read. */
  readonly end: 'commit' | 'rollback'
}

/** Rows of one statement, as arrays of text values (null = SQL NULL), in column order. */
export interface StatementResult {
  readonly fields: readonly string[]
  readonly rows: readonly (readonly (string | null)[])[]
  readonly rowCount: number | null
}

export interface Executor {
  readonly kind: 'neon-http' | 'neon-ws' | 'pg'
  /**
   * Run all statements in one transaction. Resolves with one result per statement.
   * Rejects with a PgrstError carrying a PgError (server/connection/client) on failure;
   * the transaction is then rolled back and nothing is written.
   */
  run(statements: readonly CompiledSql[], options: TxOptions): Promise<readonly StatementResult[]>
  /** Whether `end: 'rollback'` is honoured after reading results (false for neon-http). */
  readonly interactive: boolean
}
