/**
 * @module bindings: Worker bindings, Vercel environment variables or `process.env` → the
 * pipeline's dependencies (config, schema cache, authenticator, executors). Built once per
 * bindings object by src/edgerest.ts; every entry goes through here.
 *
 * Bindings read here besides PGRST_* (which config/from-env.ts reads):
 * - EDGEREST_SCHEMA_CACHE: the snapshot, as the parsed object or its JSON text; on Node also the
 *   path of a snapshot file;
 * - EDGEREST_NEON_FETCH_ENDPOINT: the `/sql` URL for the neon-http executor (default: Neon's,
 *   derived from the host of PGRST_DB_URI);
 * - EDGEREST_NEON_WS_PROXY: the WebSocket proxy `host:port[/path]` for neon-ws (default: Neon's);
 * - EDGEREST_NEON_WS_INSECURE: `true` for a plain `ws://` proxy (local development);
 * - EDGEREST_HYPERDRIVE, EDGEREST_DB_READ_URI, EDGEREST_HYPERDRIVE_READ: which databases the
 *   executors reach (connections.ts).
 * They are transport settings of the Neon driver or the snapshot's source, not PostgREST
 * settings, so they live here rather than in AppConfig.
 *
 * What differs between runtimes is a `Platform`: which executors it can run and whether it can
 * read files. The edge platform (platform/edge.ts) cannot import node-postgres or the file
 * system, so the Node one (platform/node.ts) lives in a module an edge bundle never reaches.
 */
import { createShapeCache } from './shape-cache.ts'
import { buildAuthenticator, readAuthOptions } from './auth/index.ts'
import { parseBool, readConfig } from './config/from-env.ts'
import { withInDbConfig } from './config/in-db.ts'
import type { AppConfig, LogFormat } from './config/types.ts'
import { buildExecutors } from './connections.ts'
import type { Executor } from './execute/types.ts'
import { createLog } from './log/log.ts'
import type { Observer } from './log/types.ts'
import type { PipelineDeps } from './pipeline.ts'
import { err, ok, type Result } from './result.ts'
import { loadSchemaCache, missingSchemas } from './schema-cache/load.ts'
import type { SchemaCache, SnapshotCheck } from './schema-cache/types.ts'

/** Worker bindings or `process.env`: strings mostly, but wrangler vars may be numbers/booleans/objects. */
export type Bindings = Readonly<Record<string, unknown>>

/** Neon driver transport settings for the edge executors. Unset = the driver's Neon defaults. */
export interface NeonTransport {
  readonly fetchEndpoint: string | undefined
  readonly wsProxy: string | undefined
  readonly wsInsecure: boolean
}

/** The executors of one database: `executor` for every request, `interactiveExecutor` for rollbacks. */
export interface Executors {
  readonly executor: Executor
  readonly interactiveExecutor: Executor
}

/** What a runtime can do that another cannot. */
export interface Platform {
  /**
   * The executors for `config.executor` (EDGEREST_EXECUTOR; null = this runtime's default) on the
   * database at `connectionString` (the primary, or a read replica: see connections.ts).
   */
  readonly executors: (config: AppConfig, transport: NeonTransport, connectionString: string) => Result<Executors, string>
  /** Reads a text file (EDGEREST_SCHEMA_CACHE as a path, PGRST_JWT_SECRET=@file); null where there are no files. */
  readonly readFile: ((path: string) => string) | null
  /**
   * How much of EDGEREST_SCHEMA_CACHE is checked at load: `on-use` on the edge, where every new
   * isolate loads it before its first request (a packed snapshot's records are then checked as
   * lookups decode them); `full` on Node, a long-lived server whose startup and reloads should
   * reject a corrupt snapshot outright.
   */
  readonly snapshotCheck: SnapshotCheck
  /** How log lines are written unless EDGEREST_LOG_FORMAT says: `json` on the edge, `text` on Node. */
  readonly logFormat: LogFormat
  /** Another consumer of the app's observations (the Node server's metrics). */
  readonly observer?: Observer | undefined
}

const text = (env: Bindings, name: string, problems: string[]): string | undefined => {
  const v = env[name]
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  problems.push(`${name}: expected a string, got a ${typeof v}`)
  return undefined
}

/** The EDGEREST_NEON_* bindings; every problem is reported, one per entry. */
export const readNeonTransport = (env: Bindings): Result<NeonTransport, string[]> => {
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

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const SNAPSHOT = 'EDGEREST_SCHEMA_CACHE'
const HOW_TO_BUILD = 'build one with `npx edgerest-schema-cache --db-uri URL --schemas LIST --out snapshot.json`'

/**
 * The snapshot EDGEREST_SCHEMA_CACHE holds: the object itself, JSON text (anything starting with
 * `{`), or, where files can be read, the path of a snapshot file.
 */
const snapshotValue = (value: unknown, platform: Platform): Result<unknown, string> => {
  if (value === undefined || value === null || value === '') {
    return err(`${SNAPSHOT}: not set; ${HOW_TO_BUILD}, and pass the snapshot (the object or its JSON${platform.readFile ? ', or the file path' : ''})`)
  }
  if (typeof value !== 'string' || value.trimStart().startsWith('{') || platform.readFile === null) return ok(value)
  try {
    return ok(platform.readFile(value))
  } catch (e) {
    return err(`${SNAPSHOT}: cannot read the snapshot file ${value}: ${errorText(e)}`)
  }
}

/** EDGEREST_SCHEMA_CACHE, loaded and validated. */
const readSchemaCacheBinding = (env: Bindings, platform: Platform): Result<SchemaCache, string> => {
  const value = snapshotValue(env[SNAPSHOT], platform)
  if (!value.ok) return value
  const loaded = loadSchemaCache(value.value, { check: platform.snapshotCheck })
  return loaded.ok ? loaded : err(`the ${SNAPSHOT} binding: ${loaded.error}`)
}

/** The loaded snapshot, if it covers db-schemas (a snapshot for other schemas would answer 404 to everything). */
const coveringSchemas = (cache: SchemaCache, config: AppConfig): Result<SchemaCache, string> => {
  const missing = missingSchemas(cache, config.dbSchemas)
  return missing === null ? ok(cache) : err(`the ${SNAPSHOT} binding: ${missing}`)
}

/** EDGEREST_SCHEMA_CACHE, loaded, validated and checked against db-schemas. */
export const loadSchemaCacheBinding = (env: Bindings, platform: Platform, config: AppConfig | null): Result<SchemaCache, string> => {
  const loaded = readSchemaCacheBinding(env, platform)
  return !loaded.ok || config === null ? loaded : coveringSchemas(loaded.value, config)
}

/**
 * PostgREST's `jwt-secret = "@filename"`: the secret is the file's content, less a final line
 * break. Without a file system (the edge) such a value is refused rather than used as the secret.
 */
const withSecretFile = (config: AppConfig, platform: Platform): Result<AppConfig, string> => {
  const secret = config.jwtSecret
  if (secret === null || !secret.startsWith('@')) return ok(config)
  const file = secret.slice(1)
  if (platform.readFile === null) return err(`PGRST_JWT_SECRET: @${file} names a file, and this runtime has no file system; give the secret itself`)
  try {
    return ok({ ...config, jwtSecret: platform.readFile(file).replace(/\r?\n$/, '') })
  } catch (e) {
    return err(`PGRST_JWT_SECRET: cannot read ${file}: ${errorText(e)}`)
  }
}

/** Builds the pipeline's dependencies from the bindings, or says (every problem, one per line) why it cannot. */
export const buildDeps = (env: Bindings, platform: Platform): Result<PipelineDeps, string> => {
  const problems: string[] = []
  // The snapshot first: it carries the in-database configuration (db-config), which overrides the bindings.
  const loaded = readSchemaCacheBinding(env, platform)
  const cfg = readConfig(withInDbConfig(env, loaded.ok ? loaded.value.snapshot.settings?.config : undefined))
  if (!cfg.ok) problems.push(...cfg.error.split('\n'))
  const withSecret = cfg.ok ? withSecretFile(cfg.value, platform) : null
  if (withSecret !== null && !withSecret.ok) problems.push(withSecret.error)
  const config = withSecret?.ok ? withSecret.value : null
  const transport = readNeonTransport(env)
  if (!transport.ok) problems.push(...transport.error)
  const cache = loaded.ok && config !== null ? coveringSchemas(loaded.value, config) : loaded
  if (!cache.ok) problems.push(cache.error)
  const authOptions = readAuthOptions(env)
  if (!authOptions.ok) problems.push(...authOptions.error)
  // Built once per bindings object, so the key cache and the verified-token cache live per isolate.
  const authenticate = config === null || !authOptions.ok ? null : buildAuthenticator(config, authOptions.value)
  if (authenticate !== null && !authenticate.ok) problems.push(...authenticate.error.split('\n'))
  if (config === null || !transport.ok || !cache.ok || authenticate === null || !authenticate.ok) return err(problems.join('\n'))
  const log = createLog({ level: config.logLevel, logQuery: config.logQuery, format: config.logFormat ?? platform.logFormat, observer: platform.observer })
  const executors = buildExecutors(env, config, transport.value, platform, log)
  if (!executors.ok) return err(executors.error.join('\n'))
  return ok({
    config: executors.value.config,
    cache: cache.value,
    authenticate: authenticate.value,
    executor: executors.value.executor,
    interactiveExecutor: executors.value.interactiveExecutor,
    readExecutor: executors.value.readExecutor,
    log,
    // Per deps, so a schema cache reload (new deps) starts with no shapes.
    shapes: createShapeCache(),
  })
}
