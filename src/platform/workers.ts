/**
 * @module platform/workers: what Cloudflare Workers add to the edge platform: the `pg` executor,
 * node-postgres over the Workers TCP socket API (execute/pg-socket.ts), to any Postgres the
 * Worker can reach, directly or through Hyperdrive (connections.ts). Needs the `nodejs_compat`
 * compatibility flag (node-postgres is a Node library); Neon's executors need nothing.
 *
 * The executor module is imported on the first run that needs it: an isolate serving neon-http
 * never evaluates node-postgres, and bundlers that split code (Vite, Rollup) make it a chunk of
 * its own. Only the edgerest/workers-pg build (src/workers-pg.ts) and this repository's Worker
 * use this platform; `edgerest` and `edgerest/workers` stay without node-postgres.
 */
import type { Executors, NeonTransport, Platform } from '../bindings.ts'
import type { AppConfig } from '../config/types.ts'
import type { Executor } from '../execute/types.ts'
import { ok, type Result } from '../result.ts'
import { edgeExecutors } from './edge.ts'

/** The pg executor for `connectionString`, loaded on its first run. */
const lazyPgSocketExecutor = (connectionString: string): Executor => {
  let loaded: Promise<Executor> | undefined
  return {
    kind: 'pg',
    interactive: true,
    run: async (statements, tx) => {
      loaded ??= import('../execute/pg-socket.ts').then((m) => m.createPgSocketExecutor({ connectionString }))
      return (await loaded).run(statements, tx)
    },
  }
}

const workersExecutors = (config: AppConfig, transport: NeonTransport, connectionString: string): Result<Executors, string> => {
  if (config.executor !== 'pg') return edgeExecutors(config, transport, connectionString)
  // Interactive itself: rollbacks after reading results need no second executor.
  const executor = lazyPgSocketExecutor(connectionString)
  return ok({ executor, interactiveExecutor: executor })
}

/** Workers Logs index the fields of JSON lines. */
export const workersPlatform: Platform = { executors: workersExecutors, readFile: null, snapshotCheck: 'on-use', logFormat: 'json' }
