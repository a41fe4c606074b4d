/**
 * @module bench/http/procs: the server processes the HTTP benchmark starts (edgerest's Node entry,
 * the floor) and the CPU time they use. Each server runs in its own process group so stopping it
 * stops whatever its command started (a shell, tsx's child node); CPU time is read from
 * /proc/PID/stat (utime + stime) for the whole process tree, so a launcher plus its child count as
 * one server.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { waitForExit } from '../../dev/wait-for-exit.ts'

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))

const TICKS_PER_SECOND = 100 // USER_HZ; `getconf CLK_TCK` is 100 on Linux

/** utime + stime (+ reaped children) of one process, in clock ticks; 0 when it is gone. */
const ownTicks = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces and parentheses) start at field 3.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])
  } catch {
    return 0
  }
}

/** Direct children of a process (every thread's `children` list). */
export const childPids = (pid: number): number[] => {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
      try {
        return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
      } catch {
        return []
      }
    })
  } catch {
    return []
  }
}

/** CPU time in µs of a process and all its descendants. */
export const treeCpuMicros = (pid: number): number => {
  let ticks = 0
  const stack = [pid]
  while (stack.length > 0) {
    const p = stack.pop() as number
    ticks += ownTicks(p)
    stack.push(...childPids(p))
  }
  return (ticks * 1_000_000) / TICKS_PER_SECOND
}

/** The parent pid of a process (field 4 of /proc/PID/stat). */
export const parentPid = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
}

/** The command name of a process (`comm`), or '' when it is gone. */
export const commandName = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}

export interface ServerProcess {
  readonly name: string
  readonly pid: number
  readonly url: string
  /** The last lines the server printed, for error messages. */
  output(): string
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
// A crash or Ctrl-C of the driver must not leave servers behind: kill our own process groups.
process.once('exit', () => {
  for (const child of running) if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL')
})

const killGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/** Wait until no process of the group is left. */
const groupGone = async (pgid: number, ms: number): Promise<boolean> => {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      process.kill(-pgid, 0)
    } catch {
      return true
    }
    if (Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * Start `command` (a shell command line, run from the project root) with `env`, and wait until
 * `readyUrl` answers with `readyStatus`. Fails with the server's output when it exits or times out.
 */
export const startServer = async (
  name: string,
  command: string,
  env: NodeJS.ProcessEnv,
  url: string,
  ready: { readonly path: string; readonly status: number; readonly headers?: Record<string, string> },
): Promise<ServerProcess> => {
  const child = spawn(command, { shell: true, detached: true, cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  const lines: string[] = []
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
    if (lines.length > 40) lines.splice(0, lines.length - 40)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  child.once('exit', (code, signal) => lines.push(`(${name}'s command exited: code ${String(code)}, signal ${String(signal)})`))
  const pid = child.pid as number
  const output = (): string => lines.join('\n')
  const stop = async (): Promise<void> => {
    if (!running.has(child)) return
    killGroup(pid, 'SIGTERM')
    // The shell may be gone while the server still shuts down (and writes its CPU profile).
    if (!(await waitForExit(child, 10_000)) || !(await groupGone(pid, 10_000))) {
      killGroup(pid, 'SIGKILL')
      await waitForExit(child, 2_000)
    }
    running.delete(child)
  }
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child)
      throw new Error(`${name} exited before it was ready (${command}):\n${output()}`)
    }
    try {
      const r = await fetch(url + ready.path, { headers: ready.headers ?? {}, signal: AbortSignal.timeout(2_000) })
      await r.arrayBuffer()
      if (r.status === ready.status) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${name} was not ready within 60 s (${command}):\n${output()}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { name, pid, url, output, stop }
}
