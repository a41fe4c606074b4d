/**
 * @module execute/read-router: the read executor of a deployment with read replicas
 * (EDGEREST_DB_READ_URI). It is an Executor like any other, so the pipeline only chooses between
 * "the read executor" and "the primary's" and nothing below it knows which database answered.
 *
 * - Each run goes to the next replica in turn (round robin per isolate or process, from a random
 *   start so that isolates do not all begin with the same replica).
 * - A replica that cannot be reached (a connection error: refused, reset, authentication, "the
 *   database system is starting up") is left out for `retryAfterMs`, the run goes to the primary
 *   instead, and `onFallback` says so (the deployment logs it). Only reads come here, so running
 *   the statements again elsewhere is safe. Errors of the statements themselves are the
 *   request's answer, as they would be on the primary.
 * - With every replica left out, reads go straight to the primary until one is due again.
 */
import { isPgrstError } from '../errors/types.ts'
import type { CompiledSql } from '../sql/fragment.ts'
import type { Executor, StatementResult, TxOptions } from './types.ts'

export interface Replica {
  /** How the log names it: host, port and database, never the credentials. */
  readonly label: string
  readonly executor: Executor
}

export interface ReadRouterOptions {
  readonly replicas: readonly [Replica, ...Replica[]]
  /** Where reads go when no replica can take them. */
  readonly primary: Executor
  /** Called once per failure: the replica is left out for `retryAfterMs` from now. */
  readonly onFallback: (replica: string, details: string, retryAfterMs: number) => void
  readonly retryAfterMs?: number | undefined
  /** The clock (milliseconds); tests step it instead of waiting. */
  readonly now?: (() => number) | undefined
}

/** How long a replica that could not be reached is left out. */
export const REPLICA_RETRY_MS = 10_000

/** The details of a connection failure, or null for any other error (which is the request's answer). */
const connectionFailure = (e: unknown): string | null =>
  isPgrstError(e) && e.pgrstAppError.origin === 'pg' && e.pgrstAppError.error.kind === 'connection' ? e.pgrstAppError.error.details : null

export const createReadRouter = (options: ReadRouterOptions): Executor => {
  const { replicas, primary, onFallback } = options
  const retryAfterMs = options.retryAfterMs ?? REPLICA_RETRY_MS
  const now = options.now ?? Date.now
  // When each replica may be tried again (0: now).
  const downUntil = replicas.map(() => 0)
  let next = Math.floor(Math.random() * replicas.length)

  /** The index of the next replica that is not left out, or -1. */
  const pick = (): number => {
    const t = now()
    for (let i = 0; i < replicas.length; i++) {
      const idx = (next + i) % replicas.length
      if ((downUntil[idx] as number) <= t) {
        next = idx + 1
        return idx
      }
    }
    return -1
  }

  return {
    kind: primary.kind,
    // A read-only run ends the same whichever way; this only tells the pipeline what `end` it may ask for.
    interactive: primary.interactive && replicas.every((r) => r.executor.interactive),
    run: async (statements: readonly CompiledSql[], tx: TxOptions): Promise<readonly StatementResult[]> => {
      const idx = pick()
      const replica = replicas[idx]
      if (replica === undefined) return primary.run(statements, tx)
      try {
        return await replica.executor.run(statements, tx)
      } catch (e) {
        const details = connectionFailure(e)
        if (details === null) throw e
        downUntil[idx] = now() + retryAfterMs
        onFallback(replica.label, details, retryAfterMs)
        return primary.run(statements, tx)
      }
    },
  }
}
