/**
 * @module entry/workers-pg: this project's Worker with node-postgres (the edgerest/workers-pg
 * build): everything entry/workers.ts serves, plus EDGEREST_EXECUTOR=pg over TCP or a Hyperdrive
 * binding (needs wrangler.toml's nodejs_compat flag). node-postgres is evaluated only by an isolate
 * that uses it, but it is in the bundle (about 28 KiB gzip more). Deploy it by setting
 * `main = "src/entry/workers-pg.ts"` in wrangler.toml.
 */
import bundledSnapshot from '../../schema-cache/snapshot.json'
import { createWorker } from '../workers-pg.ts'

export default createWorker({ EDGEREST_SCHEMA_CACHE: bundledSnapshot })
