/**
 * @module bench/http/load: one benchmark cell — a server, a workload, a concurrency — driven by
 * autocannon from this process: an unmeasured warm-up, then the measured window, with the CPU time
 * of the server's process tree (and of PostgreSQL's) read before and after it.
 *
 * Latencies are taken from autocannon's per-response event (fractional milliseconds) rather than
 * its histogram, which records whole milliseconds — too coarse for loopback at concurrency 1.
 */
import autocannon, { type AutocannonRequest } from 'autocannon'
import { treeCpuMicros } from './procs.ts'

export interface LoadRun {
  /** 2xx responses in the window. */
  readonly ok: number
  readonly failed: number
  readonly seconds: number
  /** Milliseconds, sorted ascending. */
  readonly latencies: Float64Array
  /** The first failure (a status, or a socket error's message), for the error message. */
  readonly firstFailure: string | null
}

export const runLoad = async (url: string, requests: readonly AutocannonRequest[], connections: number, seconds: number): Promise<LoadRun> => {
  const latencies: number[] = []
  let failed = 0
  let firstFailure: string | null = null
  const t0 = performance.now()
  // sampleInt: the run ends at the first sample after `duration`; 100 ms keeps that tight.
  const instance = autocannon({ url, connections, duration: seconds, pipelining: 1, timeout: 30, sampleInt: 100, requests })
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms)
    else {
      failed++
      firstFailure ??= `HTTP ${status}`
    }
  })
  instance.on('reqError', (e) => {
    firstFailure ??= e instanceof Error ? e.message : String(e)
  })
  const result = await instance
  const wall = (performance.now() - t0) / 1000
  failed += result.errors + result.timeouts
  return { ok: latencies.length, failed, seconds: wall, latencies: Float64Array.from(latencies).sort(), firstFailure }
}

export const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number)

export interface CellResult {
  readonly requests: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  /** Server process tree CPU time per completed request, µs. */
  readonly cpuUs: number
  /** PostgreSQL (postmaster and backends) CPU time per completed request, µs. */
  readonly pgCpuUs: number
}

export interface CellSpec {
  readonly label: string
  readonly url: string
  readonly serverPid: number
  readonly pgPid: number
  readonly requests: readonly AutocannonRequest[]
  readonly connections: number
  readonly warmupSeconds: number
  readonly seconds: number
}

/** Warm up, then measure; any non-2xx response or socket error fails the run loudly. */
export const measureCell = async (spec: CellSpec): Promise<CellResult> => {
  if (spec.warmupSeconds > 0) {
    const warm = await runLoad(spec.url, spec.requests, spec.connections, spec.warmupSeconds)
    if (warm.failed > 0) throw new Error(`${spec.label}: ${warm.failed} failed requests during warm-up (first: ${String(warm.firstFailure)})`)
  }
  const cpu0 = treeCpuMicros(spec.serverPid)
  const pg0 = treeCpuMicros(spec.pgPid)
  const run = await runLoad(spec.url, spec.requests, spec.connections, spec.seconds)
  const cpu = treeCpuMicros(spec.serverPid) - cpu0
  const pgCpu = treeCpuMicros(spec.pgPid) - pg0
  if (run.failed > 0) throw new Error(`${spec.label}: ${run.failed} failed requests (first: ${String(run.firstFailure)})`)
  if (run.ok === 0) throw new Error(`${spec.label}: no request completed`)
  return {
    requests: run.ok,
    rps: run.ok / run.seconds,
    p50: percentile(run.latencies, 50),
    p99: percentile(run.latencies, 99),
    cpuUs: cpu / run.ok,
    pgCpuUs: pgCpu / run.ok,
  }
}
