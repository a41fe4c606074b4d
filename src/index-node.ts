/**
 * @module index-node: the package's main export on Node (the `node` export condition): the same
 * API as index.ts, on the Node platform: EDGEREST_EXECUTOR defaults to `pg` (node-postgres over
 * TCP), EDGEREST_SCHEMA_CACHE may be a file path and PGRST_JWT_SECRET may be `@file`.
 */
import { createEdgerest, type Edgerest } from './edgerest.ts'
import { nodePlatform } from './platform/node.ts'

// Everything index.ts exports; the local `edgerest` below takes the place of its edge one.
export * from './index.ts'

/** See index.ts; on Node the default executor is `pg`. */
export const edgerest: Edgerest = createEdgerest(nodePlatform)
