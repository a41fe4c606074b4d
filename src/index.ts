/**
 * @module index: the package's main export for Workers, Vercel Edge and other edge runtimes
 * (`import { edgerest } from 'edgerest'`). Node resolves the same import to index-node.ts, which
 * adds the `pg` executor and file reading; the two export the same API.
 */
import { createEdgerest, type Edgerest } from './edgerest.ts'
import { edgePlatform } from './platform/edge.ts'

/**
 * The PostgREST API as a Hono app. `edgerest(bindings)` uses those settings (PGRST_*, EDGEREST_*);
 * `edgerest()` reads the runtime's own (a Worker's `env`, else `process.env`) on each request.
 * Mount it with `app.route('/api', edgerest(…))`, or serve its `fetch`.
 */
export const edgerest: Edgerest = createEdgerest(edgePlatform)

export { EdgerestConfigError, type BindingsSource, type Edgerest, type EdgerestApp } from './edgerest.ts'
export type { EdgerestBindings, EdgerestSettings, SettingValue } from './settings.ts'
export type { AppConfig } from './config/types.ts'
export type { SchemaCacheSnapshot } from './schema-cache/types.ts'
