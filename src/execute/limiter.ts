/**
 * @module execute/limiter: at most `max` holders at once, and a bounded wait for a turn — the
 * pool limits (db-pool, db-pool-acquisition-timeout) for executors that open a connection per run
 * instead of keeping a pool (neon-ws: an edge isolate must not keep sockets between requests).
 * Without it a burst of requests opens as many connections as there are requests, and a queue
 * has no end. A wait that runs out fails with PGRST003, as a pool checkout does.
 *
 * One limiter per key (the connection string and limits) per isolate, shared by every executor
 * built for it, so the limit holds per isolate however many times the wiring is built.
 */
import { PgrstError, pgErr } from '../errors/types.ts'

export interface Limiter {
  /** Waits for a turn; resolves with the function that ends it (call it exactly once). */
  acquire(): Promise<() => void>
}

interface Waiter {
  readonly grant: () => void
  readonly timer: ReturnType<typeof setTimeout>
}

const createLimiter = (max: number, timeoutMs: number): Limiter => {
  let active = 0
  const queue: Waiter[] = []
  const release = (): void => {
    const next = queue.shift()
    if (next === undefined) {
      active--
      return
    }
    // The turn passes straight to the next waiter: `active` stays the same.
    clearTimeout(next.timer)
    next.grant()
  }
  const turn = (): (() => void) => {
    let done = false
    return () => {
      if (done) return
      done = true
      release()
    }
  }
  return {
    acquire: () => {
      if (active < max) {
        active++
        return Promise.resolve(turn())
      }
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          grant: () => resolve(turn()),
          timer: setTimeout(() => {
            const at = queue.indexOf(waiter)
            if (at >= 0) queue.splice(at, 1)
            reject(new PgrstError(pgErr({ kind: 'acquisitionTimeout' })))
          }, timeoutMs),
        }
        queue.push(waiter)
      })
    },
  }
}

const limiters = new Map<string, Limiter>()

/** The isolate's limiter for `key` with these limits. */
export const limiterFor = (key: string, max: number, timeoutMs: number): Limiter => {
  const k = `${max} ${timeoutMs} ${key}`
  let l = limiters.get(k)
  if (l === undefined) {
    l = createLimiter(max, timeoutMs)
    limiters.set(k, l)
  }
  return l
}
