/**
 * @module entry/workers: this project's Worker (`main` in wrangler.toml): the package's Worker
 * handler (src/workers.ts) with schema-cache/snapshot.json bundled as the default
 * EDGEREST_SCHEMA_CACHE; an EDGEREST_SCHEMA_CACHE binding replaces it without rebuilding.
 */
import bundledSnapshot from '../../schema-cache/snapshot.json'
import { createWorker } from '../workers.ts'

export default createWorker({ EDGEREST_SCHEMA_CACHE: bundledSnapshot })
