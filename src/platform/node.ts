/**
 * @module platform/node: what Node adds to the edge platform: the `pg` executor (node-postgres
 * over TCP, a pool per process; the default here, as for PostgREST) and the file system
 * (EDGEREST_SCHEMA_CACHE as a snapshot file's path, PGRST_JWT_SECRET=@file). Reached only from
 * the package's `node` export condition and the Node entry, never from an edge bundle.
 */
import { readFileSync } from 'node:fs'
import type { Executors, NeonTransport, Platform } from '../bindings.ts'
import type { AppConfig } from '../config/types.ts'
import { createPgExecutor } from '../execute/pg.ts'
import { err, ok, type Result } from '../result.ts'
import { neonExecutors } from './edge.ts'

const nodeExecutors = (config: AppConfig, transport: NeonTransport, connectionString: string): Result<Executors, string> => {
  const kind = config.executor ?? 'pg'
  switch (kind) {
    case 'pg': {
      // One pool per connection string: a read replica gets a pool of its own.
      const executor = createPgExecutor({
        connectionString,
        preparedStatements: config.dbPreparedStatements,
        poolSize: config.dbPool,
        acquisitionTimeoutMs: config.dbPoolAcquisitionTimeout * 1000,
        maxLifetimeSeconds: config.dbPoolMaxLifetime,
        maxIdleSeconds: config.dbPoolMaxIdletime,
      })
      return ok({ executor, interactiveExecutor: executor })
    }
    case 'neon-http':
    case 'neon-ws':
      return ok(neonExecutors(config, transport, kind, connectionString))
    default: {
      const never: never = kind
      return err(`EDGEREST_EXECUTOR: unknown executor ${String(never)}`)
    }
  }
}

/** PostgREST's log lines, as operators of a Node process expect them. */
export const nodePlatform: Platform = { executors: nodeExecutors, readFile: (path) => readFileSync(path, 'utf8'), snapshotCheck: 'full', logFormat: 'text' }
