/**
 * @module dev/wait-for-exit: wait, with a time limit, for a child process to exit — the step of
 * stopping a server the dev tooling (npm start) and the benchmarks share: signal, wait, escalate.
 */
import type { ChildProcess } from 'node:child_process'

/** Resolves true once `child` has exited (at once if it already has), false after `ms`. */
export const waitForExit = (child: ChildProcess, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true)
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
