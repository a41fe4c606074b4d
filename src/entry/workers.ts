/**
 * @module entry/workers: this project's Worker (`main` in wrangler.toml): the package's Worker
 * handler (edgerest/workers) with schema-cache/snapshot.json bundled as the default
 * EDGEREST_SCHEMA_CACHE; an EDGEREST_SCHEMA_CACHE binding replaces it without rebuilding.
 *
 * Neon only (neon-http by default, neon-ws): node-postgres is not bundled, which keeps the Worker
 * within its size budget (bench/README.md). For any other Postgres, over TCP or Hyperdrive, point
 * `main` at entry/workers-pg.ts instead (README "Any Postgres from a Worker").
 */
import bundledSnapshot from '../../schema-cache/snapshot.json'
import { createWorker } from '../workers.ts'

export default createWorker({ EDGEREST_SCHEMA_CACHE: bundledSnapshot })
