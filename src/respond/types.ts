/** @module respond/types: what the respond stage produces and what it reads from the database. */

export interface PgrstResponse {
  readonly status: number
  readonly headers: readonly (readonly [string, string])[]
  readonly body: string
  /** Sent instead of `body` when set: a custom media handler's value in Postgres's binary form. */
  readonly bodyBytes?: Uint8Array<ArrayBuffer> | undefined
}

/** The main statement's row (PostgREST's ResultSet RSStandard), decoded from text. */
export interface ResultSet {
  /** Total rows of the query without range, when counted. */
  readonly tableTotal: number | null
  /** Rows in this page / affected by the write. */
  readonly queryTotal: number
  /** `k=eq.v` pairs for the Location header (inserts). */
  readonly location: readonly (readonly [string, string])[]
  readonly body: string
  readonly gucHeaders: string | null
  readonly gucStatus: string | null
  readonly inserted: number | null
}
