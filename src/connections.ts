/**
 * @module connections: where a deployment's statements go, read from the bindings, and the
 * executors for it (built by the platform, one set per database).
 *
 * - The primary: PGRST_DB_URI, or the connection string of the Hyperdrive binding named by
 *   EDGEREST_HYPERDRIVE (a Worker reaching its database through Cloudflare's pool). Hyperdrive
 *   speaks the Postgres protocol over TCP, so naming one means the `pg` executor.
 * - Read replicas: EDGEREST_DB_READ_URI (one or several URIs, comma-separated) and the
 *   Hyperdrive bindings named by EDGEREST_HYPERDRIVE_READ. With any, the pipeline sends reads to
 *   a read router over them (execute/read-router.ts) that falls back to the primary when a
 *   replica cannot be reached, and logs it.
 *
 * Problems are reported without the URIs themselves: they carry passwords, and the messages end
 * up in logs.
 */
import type { Log } from './log/types.ts'
import type { Bindings, Executors, NeonTransport, Platform } from './bindings.ts'
import type { AppConfig, ExecutorKind } from './config/types.ts'
import { createReadRouter, type Replica } from './execute/read-router.ts'
import type { Executor } from './execute/types.ts'
import { err, ok, type Result } from './result.ts'

export interface DbTargets {
  /** The executor kind after EDGEREST_HYPERDRIVE is taken into account (null: the platform's default). */
  readonly executor: ExecutorKind | null
  readonly primary: string
  readonly replicas: readonly { readonly label: string; readonly uri: string }[]
}

/** The executors of a deployment: the primary's, and the read router when there are replicas. */
export interface DeploymentExecutors extends Executors {
  readonly readExecutor: Executor | undefined
}

const POSTGRES_URI = /^postgres(ql)?:\/\//i

/**
 * `host:port/database` of a connection URI, for logs (never the credentials); `replica N` when it
 * has none. Read with a pattern rather than URL: a libpq multi-host list is no URL host.
 */
export const uriLabel = (uri: string, n: number): string => {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]+)(\/[^?#]*)?/i.exec(uri)
  return m ? `${m[1]}${m[2] === undefined || m[2] === '/' ? '' : m[2]}` : `replica ${n}`
}

const names = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')

const setting = (env: Bindings, name: string, problems: string[]): string | undefined => {
  const v = env[name]
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v === 'string') return v
  problems.push(`${name}: expected a string, got a ${typeof v}`)
  return undefined
}

/** The connection string of the Hyperdrive binding `name`, as the runtime gives it. */
const hyperdrive = (env: Bindings, setting: string, name: string, problems: string[]): string | undefined => {
  const binding = env[name]
  const connectionString = typeof binding === 'object' && binding !== null ? (binding as { connectionString?: unknown }).connectionString : undefined
  if (typeof connectionString === 'string' && connectionString !== '') return connectionString
  problems.push(
    `${setting}: ${JSON.stringify(name)} is not a Hyperdrive binding of this Worker (declare it in wrangler.toml under [[hyperdrive]] with binding = ${JSON.stringify(name)})`,
  )
  return undefined
}

/**
 * The URIs of EDGEREST_DB_READ_URI. Entries are split at a comma followed by the next URI's
 * `scheme://`, so a libpq multi-host URI (`postgresql://h1:5432,h2:5432/db`) stays one entry.
 */
const readUris = (value: string, problems: string[]): string[] => {
  const entries = value
    .split(/,(?=\s*[a-z][a-z0-9+.-]*:\/\/)/i)
    .map((s) => s.trim())
    .filter((s) => s !== '')
  entries.forEach((uri, i) => {
    if (!POSTGRES_URI.test(uri)) problems.push(`EDGEREST_DB_READ_URI: entry ${i + 1} of ${entries.length} is not a postgres:// or postgresql:// URI`)
  })
  return entries
}

/** The primary and the replicas the bindings name; every problem is reported, one per entry. */
export const readDbTargets = (env: Bindings, config: AppConfig): Result<DbTargets, string[]> => {
  const problems: string[] = []
  const hyperdriveName = setting(env, 'EDGEREST_HYPERDRIVE', problems)
  const primary = hyperdriveName === undefined ? config.dbUri : hyperdrive(env, 'EDGEREST_HYPERDRIVE', hyperdriveName, problems)
  if (hyperdriveName !== undefined && config.executor !== null && config.executor !== 'pg') {
    problems.push(`EDGEREST_HYPERDRIVE: Hyperdrive is reached over TCP by the pg executor; EDGEREST_EXECUTOR is ${JSON.stringify(config.executor)} (set it to "pg" or leave it unset)`)
  }
  const uris = [
    ...readUris(setting(env, 'EDGEREST_DB_READ_URI', problems) ?? '', problems),
    ...names(setting(env, 'EDGEREST_HYPERDRIVE_READ', problems) ?? '').map((name) => hyperdrive(env, 'EDGEREST_HYPERDRIVE_READ', name, problems) ?? ''),
  ]
  if (problems.length > 0 || primary === undefined) return err(problems)
  return ok({
    executor: hyperdriveName !== undefined ? 'pg' : config.executor,
    primary,
    replicas: uris.map((uri, i) => ({ label: uriLabel(uri, i + 1), uri })),
  })
}

/**
 * The log line for a read that went to the primary because a replica could not be reached: a
 * notice of the deployment's log (log/), written whatever the level, as PostgREST writes what
 * happens to its connections; the Node server's metrics see it too.
 */
const logFallback =
  (log: Log) =>
  (replica: string, details: string, retryAfterMs: number): void =>
    log.observe({
      kind: 'notice',
      level: 'warn',
      message: `read replica ${replica} is unreachable (${details}); reads go to the primary, and to it again in ${retryAfterMs / 1000} s`,
    })

/** The executors for the bindings' databases, built by the platform. */
export const buildExecutors = (
  env: Bindings,
  config: AppConfig,
  transport: NeonTransport,
  platform: Platform,
  log: Log,
): Result<DeploymentExecutors & { readonly config: AppConfig }, string[]> => {
  const targets = readDbTargets(env, config)
  if (!targets.ok) return targets
  const { primary, replicas, executor: kind } = targets.value
  // EDGEREST_HYPERDRIVE implies pg: the deployment's config says so from here on.
  const effective = kind === config.executor ? config : { ...config, executor: kind }
  const main = platform.executors(effective, transport, primary)
  if (!main.ok) return err([main.error])
  const replicaExecutors: Replica[] = []
  for (const r of replicas) {
    const built = platform.executors(effective, transport, r.uri)
    if (!built.ok) return err([built.error])
    // Reads never roll back after reading results, so a replica's own `executor` is all they need.
    replicaExecutors.push({ label: r.label, executor: built.value.executor })
  }
  const [first, ...rest] = replicaExecutors
  const readExecutor =
    first === undefined ? undefined : createReadRouter({ replicas: [first, ...rest], primary: main.value.executor, onFallback: logFallback(log) })
  return ok({ ...main.value, readExecutor, config: effective })
}
