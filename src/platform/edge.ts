/**
 * @module platform/edge: what Workers and Vercel Edge can run. The Neon driver's two transports:
 * `neon-http` (the default) answers each request with one HTTP round trip, and the requests that
 * must roll back after reading their results go to `neon-ws`, a WebSocket session opened and
 * closed within the request; `neon-ws` runs everything over WebSockets. `pg` needs TCP sockets
 * and node-postgres: Node (platform/node.ts) and Workers (platform/workers.ts) add it, in modules
 * this one never imports, so a Neon-only bundle stays without node-postgres. No file system.
 */
import type { Executors, NeonTransport, Platform } from '../bindings.ts'
import type { AppConfig } from '../config/types.ts'
import { createNeonHttpExecutor } from '../execute/neon-http.ts'
import { createNeonWsExecutor } from '../execute/neon-ws.ts'
import { err, ok, type Result } from '../result.ts'

/** The Neon executors for `kind`; also what Node runs when EDGEREST_EXECUTOR names one of them. */
export const neonExecutors = (config: AppConfig, transport: NeonTransport, kind: 'neon-http' | 'neon-ws', connectionString: string): Executors => {
  const ws = createNeonWsExecutor({
    connectionString,
    wsProxy: transport.wsProxy,
    useSecureWebSocket: transport.wsInsecure ? false : undefined,
    // The driver pipelines a cleartext password with the startup message by default, which only
    // Neon's proxy accepts; a self-hosted proxy in front of Postgres needs the ordinary SCRAM flow.
    pipelineConnect: transport.wsProxy !== undefined ? false : undefined,
    // PostgREST's pool limits, per isolate (a connection lives only as long as its request).
    maxConnections: config.dbPool,
    acquisitionTimeoutMs: config.dbPoolAcquisitionTimeout * 1000,
  })
  if (kind === 'neon-ws') return { executor: ws, interactiveExecutor: ws }
  return { executor: createNeonHttpExecutor({ connectionString, fetchEndpoint: transport.fetchEndpoint }), interactiveExecutor: ws }
}

export const edgeExecutors = (config: AppConfig, transport: NeonTransport, connectionString: string): Result<Executors, string> => {
  const kind = config.executor ?? 'neon-http'
  switch (kind) {
    case 'neon-http':
    case 'neon-ws':
      return ok(neonExecutors(config, transport, kind, connectionString))
    case 'pg':
      return err(
        'EDGEREST_EXECUTOR: "pg" (node-postgres over TCP) needs TCP sockets: on Cloudflare Workers use the edgerest/workers-pg build (with the nodejs_compat flag), on Node the default build; on Vercel Edge use "neon-http" or "neon-ws"',
      )
    default: {
      const never: never = kind
      return err(`EDGEREST_EXECUTOR: unknown executor ${String(never)}`)
    }
  }
}

/** Workers Logs (and Vercel's log drains) index the fields of JSON lines. */
export const edgePlatform: Platform = { executors: edgeExecutors, readFile: null, snapshotCheck: 'on-use', logFormat: 'json' }
