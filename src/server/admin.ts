/**
 * @module server/admin: PostgREST's admin server (PGRST_ADMIN_SERVER_PORT), for orchestrators and
 * monitoring, on a port of its own:
 * - `/live`: 200 while the API server is listening, 500 otherwise;
 * - `/ready`: 200 when the schema cache is loaded and the database reachable (the NOTIFY listener
 *   is connected, or without one a `SELECT 1` through the pool answers), 503 while loading or
 *   reconnecting, 500 when the API server is not listening;
 * - `/metrics`: Prometheus text (server/metrics.ts);
 * - `/config`: the configuration in effect, as PostgREST printed it (server/config-text.ts);
 * - `/schema_cache`: the schema cache in use, as JSON (edgerest's snapshot format, not PostgREST's
 *   internal one); empty before the first load;
 * - anything else: 404. Bodies other than these are empty, as PostgREST's.
 */
import { Hono } from 'hono'
import type { AppConfig } from '../config/types.ts'
import { pgPoolStats } from '../execute/pg.ts'
import { PING } from '../sql/catalog.ts'
import { configText } from './config-text.ts'
import type { Listener } from './listener.ts'
import type { Metrics } from './metrics.ts'
import type { SchemaState } from './schema-state.ts'

export interface AdminOptions {
  readonly state: SchemaState
  /** Null when db-channel-enabled is off: readiness then asks the database itself. */
  readonly listener: Listener | null
  readonly metrics: Metrics
  /** The configuration from the environment, shown until a load adds the in-database part. */
  readonly config: AppConfig
  /** Whether the API server is listening. */
  readonly live: () => boolean
}

const empty = (status: number): Response => new Response(null, { status })

export const createAdminApp = (options: AdminOptions): Hono => {
  const { state, listener, metrics } = options

  const reachable = async (): Promise<boolean> => {
    if (listener !== null) return listener.connected()
    const current = state.current()
    if (current === null) return false
    try {
      await current.deps.executor.run([PING], { readOnly: true, end: 'commit' })
      return true
    } catch {
      return false
    }
  }

  const app = new Hono()
  app.all('/live', () => empty(options.live() ? 200 : 500))
  app.all('/ready', async () => {
    const pending = state.current() === null || state.pending() || !(await reachable())
    return empty(pending ? 503 : options.live() ? 200 : 500)
  })
  app.all('/metrics', () => {
    const { rss, heapUsed } = process.memoryUsage()
    return new Response(metrics.render(pgPoolStats(), { rss, heapUsed }), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  })
  app.all('/config', () => new Response(configText(state.current()?.deps.config ?? options.config)))
  app.all('/schema_cache', () => {
    const current = state.current()
    return current === null ? new Response(null) : new Response(JSON.stringify(current.deps.cache.snapshot), { headers: { 'Content-Type': 'application/json' } })
  })
  app.all('*', () => empty(404))
  return app
}
