/**
 * @module entry/workers: this project's Worker (`main` in wrangler.toml): the package's Worker
 * handler with schema-cache/snapshot.json bundled as the default EDGEREST_SCHEMA_CACHE; an
 * EDGEREST_SCHEMA_CACHE binding replaces it without rebuilding. It is the workers-pg build
 * (src/workers-pg.ts), so every executor is one setting away: neon-http (the default), neon-ws,
 * and pg over TCP or Hyperdrive (wrangler.toml has nodejs_compat). node-postgres is evaluated
 * only by an isolate that uses it.
 */
import bundledSnapshot from '../../schema-cache/snapshot.json'
import { createWorker } from '../workers-pg.ts'

export default createWorker({ EDGEREST_SCHEMA_CACHE: bundledSnapshot })
