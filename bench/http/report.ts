/**
 * @module bench/http/report: per-round cell results → one row per workload × concurrency with
 * each server's median over the rounds, and the edgerest/floor ratios (median of the per-round
 * ratios, with their range: rounds run interleaved, so a round's two numbers saw the same machine).
 */
import type { CellResult } from './load.ts'

export type ServerName = 'edgerest' | 'floor'

export interface Sample {
  readonly round: number
  readonly workload: string
  readonly connections: number
  readonly server: ServerName
  readonly result: CellResult
}

export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
}

export interface SummaryRow {
  readonly workload: string
  readonly connections: number
  readonly edgerest: CellResult
  readonly floor: CellResult
  /** edgerest req/s ÷ floor req/s. */
  readonly rpsRatio: Spread
  /** edgerest CPU µs/request ÷ floor CPU µs/request. */
  readonly cpuRatio: Spread
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

export const spread = (xs: readonly number[]): Spread => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) })

/** Each measure's median over rounds (requests: the total). */
export const medianCell = (cells: readonly CellResult[]): CellResult => ({
  requests: cells.reduce((a, c) => a + c.requests, 0),
  rps: median(cells.map((c) => c.rps)),
  p50: median(cells.map((c) => c.p50)),
  p99: median(cells.map((c) => c.p99)),
  cpuUs: median(cells.map((c) => c.cpuUs)),
  pgCpuUs: median(cells.map((c) => c.pgCpuUs)),
})

export const summarise = (samples: readonly Sample[]): SummaryRow[] => {
  const rows: SummaryRow[] = []
  const keys = [...new Set(samples.map((s) => `${s.workload}\u0000${s.connections}`))]
  for (const key of keys) {
    const [workload, c] = key.split('\u0000') as [string, string]
    const of = (server: ServerName): Sample[] => samples.filter((s) => s.workload === workload && s.connections === Number(c) && s.server === server)
    const e = of('edgerest')
    const f = of('floor')
    const rounds = e.map((s) => s.round).filter((r) => f.some((x) => x.round === r))
    const pair = (r: number): [CellResult, CellResult] => [
      (e.find((s) => s.round === r) as Sample).result,
      (f.find((s) => s.round === r) as Sample).result,
    ]
    rows.push({
      workload,
      connections: Number(c),
      edgerest: medianCell(e.map((s) => s.result)),
      floor: medianCell(f.map((s) => s.result)),
      rpsRatio: spread(rounds.map((r) => pair(r)[0].rps / pair(r)[1].rps)),
      cpuRatio: spread(rounds.map((r) => pair(r)[0].cpuUs / pair(r)[1].cpuUs)),
    })
  }
  return rows
}

const num = (v: number, digits: number, width: number): string => v.toFixed(digits).padStart(width)
const ratio = (s: Spread): string => `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`.padEnd(19)

const cellText = (c: CellResult): string =>
  `${num(c.rps, 0, 7)} ${num(c.p50, 2, 6)} ${num(c.p99, 2, 7)} ${num(c.cpuUs, 0, 6)} ${num(c.pgCpuUs, 0, 6)}`

/** The table: one line per workload × concurrency. */
export const formatTable = (rows: readonly SummaryRow[]): string => {
  const head1 = `${''.padEnd(17)}│ ${'edgerest'.padEnd(36)}│ ${'floor'.padEnd(36)}│ edgerest / floor`
  const cols = `${'req/s'.padStart(7)} ${'p50'.padStart(6)} ${'p99'.padStart(7)} ${'CPU'.padStart(6)} ${'PG'.padStart(6)} `
  const head2 = `${'workload'.padEnd(13)}${'c'.padStart(3)} │ ${cols}│ ${cols}│ ${'req/s'.padEnd(19)} CPU/request`
  const lines = [head1, head2, '─'.repeat(head2.length + 8)]
  let last = ''
  for (const r of rows) {
    if (last !== '' && r.workload !== last) lines.push('')
    last = r.workload
    lines.push(`${r.workload.padEnd(13)}${String(r.connections).padStart(3)} │ ${cellText(r.edgerest)} │ ${cellText(r.floor)} │ ${ratio(r.rpsRatio)} ${ratio(r.cpuRatio)}`)
  }
  lines.push('', 'req/s: completed requests per second; p50/p99: latency in ms; CPU: µs of the server process tree per')
  lines.push('request (utime+stime); PG: µs of PostgreSQL (all backends) per request. Median over rounds; ratios are')
  lines.push('the median of the per-round ratios, with their range.')
  return lines.join('\n')
}
