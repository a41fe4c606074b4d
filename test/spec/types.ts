/**
 * @module test/spec/types: the shape of an HTTP spec case. Cases are data so the same list runs
 * on every runtime/executor: the Node entry over `pg`, and the Worker inside workerd over
 * `neon-http` and `neon-ws` (see test/spec/*.test.ts and test/runtime/workers/*.test.ts).
 */

export interface SpecRequest {
  readonly method: string
  /** Path and query string exactly as sent, e.g. `/items?id=eq.1`. */
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

export interface SpecExpect {
  readonly status: number
  /** Parsed JSON body compared with deep equality (key order ignored, array order significant). */
  readonly json?: unknown
  /** Raw body text compared exactly. */
  readonly text?: string
  /** Header values compared exactly (names case-insensitive); `null` = must be absent. */
  readonly headers?: Readonly<Record<string, string | null>>
  /**
   * Header values that must match a regular expression (source text, anchored by the author), for
   * values the database decides, e.g. `Content-Range` under `Prefer: count=planned`.
   */
  readonly headerPatterns?: Readonly<Record<string, string>>
}

export interface SpecCase {
  readonly name: string
  readonly request: SpecRequest
  readonly expect: SpecExpect
}

/**
 * The PGRST_* settings every spec runtime uses (fixtures: test/fixtures/*.sql). Exposed schemas
 * `test`, `api`, `other`; anonymous role `anonymous`; HS256 secret for authenticated cases.
 */
export const SPEC_SETTINGS: Readonly<Record<string, string>> = {
  PGRST_DB_SCHEMAS: 'test,api,other',
  PGRST_DB_ANON_ROLE: 'anonymous',
  PGRST_DB_EXTRA_SEARCH_PATH: 'public',
  PGRST_JWT_SECRET: 'reallyreallyreallyreallyverysafe',
  PGRST_SERVER_TIMING_ENABLED: 'false',
}

/**
 * What the write tests change on top of SPEC_SETTINGS: only the `writes` schema is exposed (its
 * tables are the ones writes may touch, test/fixtures/60-writes.sql), and transactions commit
 * unless a request says `Prefer: tx=rollback`.
 */
export const WRITES_SETTINGS: Readonly<Record<string, string>> = {
  PGRST_DB_SCHEMAS: 'writes',
  PGRST_DB_TX_END: 'commit-allow-override',
}
