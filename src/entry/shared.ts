/**
 * @module entry/shared: the wiring both edge entries (Workers, Vercel Edge) share. Bindings →
 * config → schema cache → executors → the Hono app, built once per bindings object and kept at
 * module scope: an isolate serves many requests with the same `env`, so the snapshot is parsed,
 * validated and indexed on the first request only.
 *
 * A deployment that cannot work (bad PGRST_* value, corrupt or stale snapshot, an executor the
 * edge cannot run) answers every request with a 500 and logs why, once per request, instead of
 * throwing from module scope (which would make the runtime retry the isolate in a loop).
 *
 * Bindings read here besides PGRST_* (which config/from-env.ts reads):
 * - EDGEREST_SCHEMA_CACHE: a snapshot (JSON text, or the parsed object) that replaces the
 *   bundled one — tests and multi-tenant deploys inject theirs this way;
 * - EDGEREST_NEON_FETCH_ENDPOINT: the `/sql` URL for the neon-http executor (default: Neon's,
 *   derived from the host of PGRST_DB_URI);
 * - EDGEREST_NEON_WS_PROXY: the WebSocket proxy `host:port[/path]` for neon-ws (default: Neon's);
 * - EDGEREST_NEON_WS_INSECURE: `true` for a plain `ws://` proxy (local development).
 * They are transport settings of the Neon driver, not PostgREST settings, so they live with the
 * entries rather than in AppConfig.
 */
import type { ExecutionContext } from 'hono'
import { createApp } from '../app.ts'
import { buildAuthenticator, readAuthOptions } from '../auth/index.ts'
import { parseBool, readConfig } from '../config/from-env.ts'
import { withInDbConfig } from '../config/in-db.ts'
import type { AppConfig } from '../config/types.ts'
import { createNeonHttpExecutor } from '../execute/neon-http.ts'
import { createNeonWsExecutor } from '../execute/neon-ws.ts'
import type { Executor } from '../execute/types.ts'
import type { PipelineDeps } from '../pipeline.ts'
import { err, ok, type Result } from '../result.ts'
import { loadSchemaCache, missingSchemas } from '../schema-cache/load.ts'
import type { SchemaCache } from '../schema-cache/types.ts'

/** Worker bindings or `process.env`: strings mostly, but wrangler vars may be numbers/booleans/objects. */
export type EdgeEnv = Readonly<Record<string, unknown>>

/** Neon driver transport settings for the edge executors. Unset = the driver's Neon defaults. */
export interface NeonTransport {
  readonly fetchEndpoint: string | undefined
  readonly wsProxy: string | undefined
  readonly wsInsecure: boolean
}

/** The executors of one deployment: `executor` for every request, `interactiveExecutor` for rollbacks. */
export interface EdgeExecutors {
  readonly executor: Executor
  readonly interactiveExecutor: Executor
}

const text = (env: EdgeEnv, name: string, problems: string[]): string | undefined => {
  const v = env[name]
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  problems.push(`${name}: expected a string, got a ${typeof v}`)
  return undefined
}

/** The EDGEREST_NEON_* bindings; every problem is reported, one per entry. */
export const readNeonTransport = (env: EdgeEnv): Result<NeonTransport, string[]> => {
  const problems: string[] = []
  const fetchEndpoint = text(env, 'EDGEREST_NEON_FETCH_ENDPOINT', problems)
  if (fetchEndpoint !== undefined && !/^https?:\/\/[^/]/i.test(fetchEndpoint)) {
    problems.push(`EDGEREST_NEON_FETCH_ENDPOINT: expected an http(s) URL such as https://host/sql, got ${JSON.stringify(fetchEndpoint)}`)
  }
  const wsProxy = text(env, 'EDGEREST_NEON_WS_PROXY', problems)
  if (wsProxy !== undefined && /^[a-z]+:\/\//i.test(wsProxy)) {
    problems.push(`EDGEREST_NEON_WS_PROXY: expected host:port[/path] without a scheme, got ${JSON.stringify(wsProxy)}`)
  }
  const insecureText = text(env, 'EDGEREST_NEON_WS_INSECURE', problems)
  const insecure = insecureText === undefined ? false : parseBool(insecureText)
  if (insecure === null) problems.push(`EDGEREST_NEON_WS_INSECURE: expected a boolean (true/false), got ${JSON.stringify(insecureText)}`)
  if (problems.length > 0) return err(problems)
  return ok({ fetchEndpoint, wsProxy, wsInsecure: insecure === true })
}

/**
 * The executors for `config.executor` (EDGEREST_EXECUTOR). `neon-http` (the default) answers each
 * request with one HTTP round trip; the requests that must roll back after reading their results
 * go to `interactiveExecutor`, which is always neon-ws (a WebSocket session opened and closed within
 * the request). `neon-ws` runs everything over WebSockets. `pg` needs TCP sockets and node-postgres:
 * Node only.
 */
export const edgeExecutors = (config: AppConfig, transport: NeonTransport): Result<EdgeExecutors, string> => {
  const ws = createNeonWsExecutor({
    connectionString: config.dbUri,
    wsProxy: transport.wsProxy,
    useSecureWebSocket: transport.wsInsecure ? false : undefined,
    // The driver pipelines a cleartext password with the startup message by default, which only
    // Neon's proxy accepts; a self-hosted proxy in front of Postgres needs the ordinary SCRAM flow.
    pipelineConnect: transport.wsProxy !== undefined ? false : undefined,
  })
  const kind = config.executor ?? 'neon-http'
  switch (kind) {
    case 'neon-http':
      return ok({
        executor: createNeonHttpExecutor({ connectionString: config.dbUri, fetchEndpoint: transport.fetchEndpoint }),
        interactiveExecutor: ws,
      })
    case 'neon-ws':
      return ok({ executor: ws, interactiveExecutor: ws })
    case 'pg':
      return err('EDGEREST_EXECUTOR: "pg" (node-postgres over TCP) runs on the Node entry only; use "neon-http" or "neon-ws" on the edge')
    default: {
      const never: never = kind
      return err(`EDGEREST_EXECUTOR: unknown executor ${String(never)}`)
    }
  }
}

/** The EDGEREST_SCHEMA_CACHE binding when set, else the snapshot bundled with the code. */
export const loadEdgeSchemaCache = (
  env: EdgeEnv,
  bundled: unknown,
  config: AppConfig | null,
  already?: SchemaCache,
): Result<SchemaCache, string> => {
  const injected = env['EDGEREST_SCHEMA_CACHE']
  const fromBinding = injected !== undefined && injected !== null && injected !== ''
  const source = fromBinding ? 'the EDGEREST_SCHEMA_CACHE binding' : 'the bundled schema-cache/snapshot.json'
  const loaded = already !== undefined ? ok(already) : loadSchemaCache(fromBinding ? injected : bundled)
  if (!loaded.ok) return err(`${source}: ${loaded.error}`)
  const missing = config === null ? null : missingSchemas(loaded.value, config.dbSchemas)
  return missing === null ? loaded : err(`${source}: ${missing}`)
}

/** Builds the pipeline's dependencies from the bindings, or says (every problem, one per line) why it cannot. */
export const buildEdgeDeps = (env: EdgeEnv, bundledSnapshot: unknown): Result<PipelineDeps, string> => {
  const problems: string[] = []
  // The snapshot first: it carries the in-database configuration, which overrides the bindings.
  const loaded = loadEdgeSchemaCache(env, bundledSnapshot, null)
  const cfg = readConfig(withInDbConfig(env, loaded.ok ? loaded.value.snapshot.settings?.config : undefined))
  if (!cfg.ok) problems.push(...cfg.error.split('\n'))
  const config = cfg.ok ? cfg.value : null
  const transport = readNeonTransport(env)
  if (!transport.ok) problems.push(...transport.error)
  const cache = loaded.ok && config !== null ? loadEdgeSchemaCache(env, bundledSnapshot, config, loaded.value) : loaded
  if (!cache.ok) problems.push(cache.error)
  const authOptions = readAuthOptions(env)
  if (!authOptions.ok) problems.push(...authOptions.error)
  // Built once per bindings object, so the key cache and the verified-token cache live per isolate.
  const authenticate = config === null || !authOptions.ok ? null : buildAuthenticator(config, authOptions.value)
  if (authenticate !== null && !authenticate.ok) problems.push(...authenticate.error.split('\n'))
  if (config === null || !transport.ok || !cache.ok || authenticate === null || !authenticate.ok) return err(problems.join('\n'))
  const executors = edgeExecutors(config, transport.value)
  if (!executors.ok) return err(executors.error)
  return ok({
    config,
    cache: cache.value,
    authenticate: authenticate.value,
    executor: executors.value.executor,
    interactiveExecutor: executors.value.interactiveExecutor,
  })
}

/** A request answered while the deployment is misconfigured: no details for the client, all in the log. */
const misconfigured = (problems: string): Response => {
  console.error(`edgerest: cannot serve requests until the configuration is fixed:\n${problems}`)
  return new Response(
    JSON.stringify({ code: 'PGRSTX00', details: null, hint: 'The server log says what is wrong.', message: 'Server misconfigured' }),
    { status: 500, headers: { 'Content-Type': 'application/json; charset=utf-8' } },
  )
}

export type EdgeFetch = (request: Request, env: EdgeEnv, ctx?: ExecutionContext) => Promise<Response>

/**
 * The fetch handler of an edge entry. Dependencies are cached per bindings object: one entry per
 * isolate in production (the runtime passes the same `env` to every request), one per distinct
 * `env` in tests that call the handler with other bindings.
 */
export const createEdgeFetch = (bundledSnapshot: unknown): EdgeFetch => {
  const built = new WeakMap<object, Result<PipelineDeps, string>>()
  const depsFor = (env: EdgeEnv): Result<PipelineDeps, string> => {
    let deps = built.get(env)
    if (deps === undefined) {
      deps = buildEdgeDeps(env, bundledSnapshot)
      built.set(env, deps)
    }
    return deps
  }
  const app = createApp<EdgeEnv>((env) => {
    const deps = depsFor(env)
    // Checked by the handler below before the app is called.
    if (!deps.ok) throw new Error(deps.error)
    return deps.value
  })
  return async (request, env, ctx) => {
    const deps = depsFor(env)
    if (!deps.ok) return misconfigured(deps.error)
    return app.fetch(request, env, ctx)
  }
}
