/**
 * @module server/metrics: the Node server's /metrics in Prometheus's text format: PostgREST's pool
 * and schema cache metrics under their names (pgrst_db_pool_*, pgrst_schema_cache_*), plus
 * request counts and a latency histogram (edgerest_http_*) and the process's memory.
 *
 * Requests arrive as observations (log/types.ts) from the app, the same events the logger reads;
 * pool numbers are read from the pool when scraped.
 */
import type { PgPoolStats } from '../execute/pg.ts'
import type { Observation } from '../log/types.ts'

/** Latency buckets in seconds: a PK read takes about a millisecond, a slow call seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const

export interface Metrics {
  /** Feed with every observation (requests are counted; the rest is ignored). */
  observe(o: Observation): void
  schemaCacheLoaded(querySeconds: number): void
  schemaCacheFailed(): void
  /** The exposition text. */
  render(pool: PgPoolStats, memory: { readonly rss: number; readonly heapUsed: number }): string
}

type Sample = readonly [labels: string, value: number]

const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string, samples: readonly Sample[]): string =>
  [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map(([labels, v]) => `${name}${labels} ${v}`)].join('\n')

/** A label value as the exposition format escapes it. */
const label = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

export const createMetrics = (): Metrics => {
  const requests = new Map<string, number>()
  const buckets = BUCKETS.map(() => 0)
  let count = 0
  let sum = 0
  const loads = { SUCCESS: 0, FAIL: 0 }
  let queryTime = 0

  return {
    observe: (o) => {
      if (o.kind !== 'request') return
      const key = `{method="${label(o.method)}",status="${o.status}"}`
      requests.set(key, (requests.get(key) ?? 0) + 1)
      const seconds = o.durationMs / 1000
      count++
      sum += seconds
      for (let i = 0; i < BUCKETS.length; i++) if (seconds <= (BUCKETS[i] as number)) buckets[i] = (buckets[i] as number) + 1
    },
    schemaCacheLoaded: (seconds) => {
      loads.SUCCESS++
      queryTime = seconds
    },
    schemaCacheFailed: () => {
      loads.FAIL++
    },
    render: (pool, memory) =>
      [
        family('pgrst_db_pool_timeouts_total', 'counter', 'The total number of pool connection timeouts', [['', pool.timeouts]]),
        family('pgrst_db_pool_available', 'gauge', 'Available connections in the pool', [['', pool.idle]]),
        family('pgrst_db_pool_waiting', 'gauge', 'Requests waiting to acquire a pool connection', [['', pool.waiting]]),
        family('pgrst_db_pool_max', 'gauge', 'Max pool connections', [['', pool.max]]),
        family('pgrst_schema_cache_loads_total', 'counter', 'The total number of times the schema cache was loaded', [
          ['{status="FAIL"}', loads.FAIL],
          ['{status="SUCCESS"}', loads.SUCCESS],
        ]),
        family('pgrst_schema_cache_query_time_seconds', 'gauge', 'The query time in seconds of the last schema cache load', [['', queryTime]]),
        family('edgerest_db_pool_connections', 'gauge', 'Open connections of the pool, idle or in use', [['', pool.total]]),
        family('edgerest_http_requests_total', 'counter', 'Requests answered, by method and status', [...requests.entries()].sort()),
        family('edgerest_http_request_duration_seconds', 'histogram', 'Time from receiving a request to its response', [
          ...BUCKETS.map((le, i): Sample => [`_bucket{le="${le}"}`, buckets[i] as number]),
          ['_bucket{le="+Inf"}', count],
          ['_sum', sum],
          ['_count', count],
        ]),
        family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes', [['', memory.rss]]),
        family('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, in bytes', [['', memory.heapUsed]]),
      ].join('\n') + '\n',
  }
}
