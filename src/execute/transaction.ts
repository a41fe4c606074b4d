/**
 * @module execute/transaction: the pieces the executors share — identity type parsers (every value
 * stays Postgres's text output), the transaction opening statement, and the interactive
 * BEGIN → statements → COMMIT|ROLLBACK run used by both node-postgres clients (`pg` over TCP and
 * the Neon driver's `Client` over WebSocket, which is node-postgres underneath).
 */
import type { CompiledSql } from '../sql/fragment.ts'
import { toPgrstError } from './errors.ts'
import type { IsolationLevel, StatementResult, TxOptions } from './types.ts'

/** Custom type parsers for node-postgres style drivers: never parse, keep the text. */
export const RAW_TEXT_TYPES = { getTypeParser: () => (value: string): string => value }

/** `BEGIN ISOLATION LEVEL … READ ONLY|READ WRITE`. Without an isolation the role's default applies. */
export const beginStatement = (options: Pick<TxOptions, 'readOnly' | 'isolation'>): string =>
  `BEGIN${options.isolation ? ` ISOLATION LEVEL ${isolationSql(options.isolation)}` : ''} ${options.readOnly ? 'READ ONLY' : 'READ WRITE'}`

const isolationSql = (level: IsolationLevel): string => {
  switch (level) {
    case 'read committed':
      return 'READ COMMITTED'
    case 'repeatable read':
      return 'REPEATABLE READ'
    case 'serializable':
      return 'SERIALIZABLE'
    default: {
      const never: never = level
      throw new TypeError(`unknown isolation level ${String(never)}`)
    }
  }
}

/** The result shape node-postgres returns with `rowMode: 'array'` and raw text parsers. */
export interface ArrayResult {
  readonly fields: readonly { readonly name: string }[]
  readonly rows: readonly (readonly unknown[])[]
  readonly rowCount: number | null
}

/** The part of a node-postgres `Client`/`PoolClient` the run needs. */
export interface QueryClient {
  query(config: {
    text: string
    values: (string | null)[]
    rowMode: 'array'
    types: typeof RAW_TEXT_TYPES
    queryMode: 'extended'
    name?: string
  }): Promise<ArrayResult>
  query(text: string): Promise<unknown>
}

/**
 * A stable prepared-statement name for a statement text (FNV-1a, 64 bits as two 32-bit halves):
 * the same text always maps to the same name on a connection, so node-postgres parses it once per
 * connection and reuses it, as PostgREST does with db-prepared-statements.
 */
const hashName = (text: string): string => {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0
  }
  return `edgerest_${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}_${text.length}`
}

/** Names already computed, by statement text: most requests repeat a few shapes. Bounded. */
const names = new Map<string, string>()
const MAX_NAMES = 2000

/** The prepared-statement name of a statement text (see hashName). */
export const preparedName = (text: string): string => {
  let name = names.get(text)
  if (name === undefined) {
    name = hashName(text)
    if (names.size >= MAX_NAMES) names.clear()
    names.set(text, name)
  }
  return name
}

/** Postgres's own error for several commands in one extended-protocol statement. */
const MULTIPLE_COMMANDS = (): Error =>
  Object.assign(new Error('cannot insert multiple commands into a prepared statement'), { code: '42601', severity: 'ERROR' })

const asText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))

export const toStatementResult = (r: ArrayResult): StatementResult => ({
  fields: r.fields.map((f) => f.name),
  rows: r.rows.map((row) => row.map(asText)),
  rowCount: r.rowCount ?? null,
})

/**
 * The query config of one statement, for both runs (one at a time below, pipelined in
 * pipelined.ts): array rows of raw text, the extended protocol, and a prepared-statement name when
 * one is given. node-postgres (8.23) uses the simple protocol for parameterless statements unless
 * told otherwise; the extended protocol keeps behaviour equal to Neon HTTP (one statement per
 * text: a multi-statement string fails with 42601). The node-postgres 8.8 bundled in
 * @neondatabase/serverless ignores the option.
 */
export const statementQuery = (s: CompiledSql, name?: string) => ({
  text: s.text,
  values: s.params as (string | null)[],
  rowMode: 'array' as const,
  types: RAW_TEXT_TYPES,
  queryMode: 'extended' as const,
  ...(name === undefined ? {} : { name }),
})

/**
 * Run the statements in one transaction on an already connected client, one statement at a time
 * (the Neon WebSocket client, whose node-postgres cannot pipeline; it is closed after the run).
 * Errors are rethrown as PgrstError after a ROLLBACK attempt. `end: 'rollback'` undoes everything
 * after the results were read.
 */
export const runInTransaction = async (
  client: QueryClient,
  statements: readonly CompiledSql[],
  options: TxOptions,
): Promise<readonly StatementResult[]> => {
  try {
    await client.query(beginStatement(options))
    const results: StatementResult[] = []
    for (const s of statements) {
      const r = await client.query(statementQuery(s))
      // Only the Neon WebSocket client gets here with several results (simple protocol, several
      // statements in one text). Fail the way the extended protocol fails for the other executors,
      // so a request behaves the same whichever executor runs it.
      if (Array.isArray(r)) throw MULTIPLE_COMMANDS()
      results.push(toStatementResult(r))
    }
    // COMMIT itself can fail (deferred constraints, serialization): that is the run's error.
    await client.query(options.end === 'commit' ? 'COMMIT' : 'ROLLBACK')
    return results
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw toPgrstError(e, 'query')
  }
}
