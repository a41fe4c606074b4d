/**
 * @module connections: where a deployment's statements go, read from the bindings, and the
 * executors for it (built by the platform).
 *
 * The database: PGRST_DB_URI, or the connection string of the Hyperdrive binding named by
 * EDGEREST_HYPERDRIVE (a Worker reaching its database through Cloudflare's pool). Hyperdrive
 * speaks the Postgres protocol over TCP, so naming one means the `pg` executor.
 *
 * Problems are reported without the URIs themselves: they carry passwords, and the messages end
 * up in logs.
 */
import type { Bindings, Executors, NeonTransport, Platform } from './bindings.ts'
import type { AppConfig, ExecutorKind } from './config/types.ts'
import { err, ok, type Result } from './result.ts'

export interface DbTargets {
  /** The executor kind after EDGEREST_HYPERDRIVE is taken into account (null: the platform's default). */
  readonly executor: ExecutorKind | null
  readonly primary: string
}

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

/** The database the bindings name; every problem is reported, one per entry. */
export const readDbTargets = (env: Bindings, config: AppConfig): Result<DbTargets, string[]> => {
  const problems: string[] = []
  const hyperdriveName = setting(env, 'EDGEREST_HYPERDRIVE', problems)
  const primary = hyperdriveName === undefined ? config.dbUri : hyperdrive(env, 'EDGEREST_HYPERDRIVE', hyperdriveName, problems)
  if (hyperdriveName !== undefined && config.executor !== null && config.executor !== 'pg') {
    problems.push(`EDGEREST_HYPERDRIVE: Hyperdrive is reached over TCP by the pg executor; EDGEREST_EXECUTOR is ${JSON.stringify(config.executor)} (set it to "pg" or leave it unset)`)
  }
  if (problems.length > 0 || primary === undefined) return err(problems)
  return ok({ executor: hyperdriveName !== undefined ? 'pg' : config.executor, primary })
}

/** The executors for the bindings' database, built by the platform. */
export const buildExecutors = (
  env: Bindings,
  config: AppConfig,
  transport: NeonTransport,
  platform: Platform,
): Result<Executors & { readonly config: AppConfig }, string[]> => {
  const targets = readDbTargets(env, config)
  if (!targets.ok) return targets
  const { primary, executor: kind } = targets.value
  // EDGEREST_HYPERDRIVE implies pg: the deployment's config says so from here on.
  const effective = kind === config.executor ? config : { ...config, executor: kind }
  const main = platform.executors(effective, transport, primary)
  if (!main.ok) return err([main.error])
  return ok({ ...main.value, config: effective })
}
