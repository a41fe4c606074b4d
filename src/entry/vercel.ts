/**
 * @module entry/vercel: the Vercel Edge Functions entry. The same app and wiring as the Worker
 * (entry/shared.ts): settings from `process.env` (Vercel's environment variables; `globalThis` in
 * an edge runtime without `process`), the bundled schema-cache/snapshot.json unless
 * EDGEREST_SCHEMA_CACHE holds a snapshot's JSON, neon-http for requests and neon-ws for the ones
 * that must roll back after reading results.
 *
 * Use from a Vercel project as `api/[[...path]].ts` (see README "Deploying"):
 *   export { default } from '../src/entry/vercel.ts'
 *   export const config = { runtime: 'edge' }
 */
import bundledSnapshot from '../../schema-cache/snapshot.json'
import { createEdgeFetch, type EdgeEnv } from './shared.ts'

export const config = { runtime: 'edge' }

const handle = createEdgeFetch(bundledSnapshot)

/** The environment variables object: the same object on every call, so the wiring is built once. */
const runtimeEnv = (): EdgeEnv => {
  const proc = (globalThis as { process?: { env?: EdgeEnv } }).process
  return proc?.env ?? (globalThis as unknown as EdgeEnv)
}

export default function handler(request: Request): Promise<Response> {
  return handle(request, runtimeEnv())
}
