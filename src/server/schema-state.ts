/**
 * @module server/schema-state: the Node server's schema cache and configuration, loaded at start
 * and replaced while it runs, as PostgREST's AppState does.
 *
 * - A load reads the snapshot (introspects the database, or reads the snapshot file again), builds
 *   the pipeline's dependencies and an app from it, and swaps the app in. Requests in flight keep
 *   the app they started with; the next ones get the new one. Then the pool is flushed (connections
 *   opened before the load are replaced), as PostgREST does after each load.
 * - A load that fails is retried with PostgREST's backoff (1, 2, 4, … 32 seconds) while the last
 *   loaded app keeps serving; before the first load the API answers 503 PGRST002. With
 *   db-pool-automatic-recovery off, a failure is fatal instead.
 * - Reloads are debounced: triggers during a load ask for one more load after it, not one each.
 * - `reloadConfig` is PostgREST's config reload: the in-database configuration and role settings
 *   are read again (the rest of the catalog is not) and the app rebuilt with them; if they change
 *   the exposed schemas, the schema cache is reloaded for the new ones.
 * - Settings that cannot make an app (bad in-database configuration, a snapshot for other schemas)
 *   stop the server at its first load; later they are reported and the running app kept.
 */
import type { Hono } from 'hono'
import { introspectUrl, settingsFromUrl } from '../../schema-cache/from-url.ts'
import { createApp } from '../app.ts'
import { buildDeps, type Bindings, type Platform } from '../bindings.ts'
import { readConfig } from '../config/from-env.ts'
import { withInDbConfig } from '../config/in-db.ts'
import type { AppConfig } from '../config/types.ts'
import { EdgerestConfigError } from '../edgerest.ts'
import { flushPgPools } from '../execute/pg.ts'
import type { Log } from '../log/types.ts'
import type { PipelineDeps } from '../pipeline.ts'
import type { SchemaCacheSnapshot } from '../schema-cache/types.ts'
import type { Metrics } from './metrics.ts'

/**
 * Where the snapshot comes from: the database (no EDGEREST_SCHEMA_CACHE), or the binding — a file
 * path, read again by each load, or the snapshot itself.
 */
export type SnapshotSource = 'introspect' | 'binding'

/** What serves requests now. */
export interface Loaded {
  readonly deps: PipelineDeps
  readonly app: Hono<{ Bindings: Bindings }>
}

export interface SchemaStateOptions {
  readonly env: Bindings
  /** The configuration from the environment alone (the in-database part comes with each load). */
  readonly config: AppConfig
  readonly source: SnapshotSource
  readonly platform: Platform
  readonly log: Log
  readonly metrics: Metrics
  /** Called when the database fails and db-pool-automatic-recovery is off (PostgREST exits). */
  readonly onFatal: (reason: string) => void
  /** Called after each successful load (the database is reachable: the listener need not wait out its backoff). */
  readonly onLoaded?: (() => void) | undefined
}

export interface SchemaState {
  current(): Loaded | null
  /** A load failed and is being retried (PostgREST's pending state: /ready answers 503). */
  pending(): boolean
  /** Seconds until the next attempt while retrying, else 0 (the Retry-After of 503 answers). */
  retryAfter(): number
  /**
   * `now`: the database is known to be back (the listener reconnected), so a retry that is
   * waiting out its backoff goes at once. Other triggers (a 503 answer) wait their turn, so a
   * burst of failing requests does not turn into a burst of attempts.
   */
  reloadSchema(now?: boolean): void
  reloadConfig(): void
  /** The first load: resolves once it is loaded, or failing and retrying; rejects when the settings cannot work. */
  start(): Promise<void>
  close(): void
}

const MAX_DELAY_SECONDS = 32

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const introspectionOptions = (config: AppConfig): Parameters<typeof introspectUrl>[1] => ({
  schemas: [...config.dbSchemas],
  extraSearchPath: [...config.dbExtraSearchPath],
  // db-pre-config is part of the in-database configuration: only with db-config.
  preConfig: config.dbConfig ? config.dbPreConfig : null,
})

const sameSchemas = (a: AppConfig, b: AppConfig): boolean =>
  a.dbSchemas.join('\u0000') === b.dbSchemas.join('\u0000') && a.dbExtraSearchPath.join('\u0000') === b.dbExtraSearchPath.join('\u0000')

const summary = (s: SchemaCacheSnapshot): string =>
  `${s.tables.length} Relations, ${s.relationships.length} Relationships, ${s.routines.length} Functions, ${s.representations.length} Domain Representations, ${s.mediaHandlers.length} Media Type Handlers`

/** Why an attempt failed: the database (retried) or the settings (not). */
type Failure = { readonly kind: 'database' | 'settings'; readonly error: unknown }

const failureText = (f: Failure): string => (f.error instanceof EdgerestConfigError ? f.error.problems.join('; ') : errorText(f.error))
type Attempt = { readonly ok: true } | { readonly ok: false; readonly failure: Failure }

export const createSchemaState = (options: SchemaStateOptions): SchemaState => {
  const { env, config, source, platform, log, metrics } = options
  const connect = { connectionTimeoutMillis: config.dbPoolAcquisitionTimeout * 1000 }
  let loaded: Loaded | null = null
  let failing = false
  let retryAt = 0
  let closed = false
  let wake: (() => void) | null = null

  const notice = (level: 'info' | 'warn' | 'error', message: string): void => log.observe({ kind: 'notice', level, message })

  /** PostgREST introspects with its configuration's schemas; the in-database part may name others, read again then. */
  const introspected = async (): Promise<SchemaCacheSnapshot> => {
    const snapshot = await introspectUrl(config.dbUri, introspectionOptions(config), connect)
    const withDb = readConfig(withInDbConfig(env, snapshot.settings?.config))
    return withDb.ok && !sameSchemas(withDb.value, config) ? introspectUrl(config.dbUri, introspectionOptions(withDb.value), connect) : snapshot
  }

  const build = (snapshot: unknown): Loaded => {
    // A new bindings object each time: a snapshot file is read again.
    const deps = buildDeps({ ...env, EDGEREST_SCHEMA_CACHE: snapshot }, platform)
    if (!deps.ok) throw new EdgerestConfigError(deps.error.split('\n'))
    const value = deps.value
    return { deps: value, app: createApp<Bindings>(() => value) }
  }

  const swapIn = (next: Loaded, queryMs: number | null): void => {
    loaded = next
    failing = false
    flushPgPools()
    if (queryMs !== null) {
      metrics.schemaCacheLoaded(queryMs / 1000)
      notice('info', `Schema cache queried in ${queryMs.toFixed(1)} milliseconds`)
    }
    notice('info', `Schema cache loaded ${summary(next.deps.cache.snapshot)}`)
    options.onLoaded?.()
  }

  /** One load of the schema cache (or, for `config`, of the in-database configuration). */
  const attempt = async (what: 'schema' | 'config'): Promise<Attempt> => {
    const started = performance.now()
    let snapshot: unknown = env['EDGEREST_SCHEMA_CACHE']
    if (source === 'introspect') {
      try {
        const current = loaded?.deps.cache.snapshot
        if (what === 'config' && current !== undefined) {
          const settings = await settingsFromUrl(config.dbUri, introspectionOptions(config), connect)
          const next = readConfig(withInDbConfig(env, settings.config))
          // New exposed schemas need their catalog: a schema reload reads it.
          if (next.ok && !sameSchemas(next.value, loaded?.deps.config ?? config)) return attempt('schema')
          snapshot = { ...current, settings }
        } else {
          snapshot = await introspected()
        }
      } catch (e) {
        return { ok: false, failure: { kind: 'database', error: e } }
      }
    }
    const queryMs = source === 'introspect' && what === 'schema' ? performance.now() - started : null
    try {
      swapIn(build(snapshot), queryMs)
    } catch (e) {
      return { ok: false, failure: { kind: 'settings', error: e } }
    }
    if (what === 'config') notice('info', 'Config reloaded')
    return { ok: true }
  }

  const sleep = (seconds: number): Promise<void> =>
    new Promise((resolve) => {
      retryAt = Date.now() + seconds * 1000
      const timer = setTimeout(done, seconds * 1000)
      function done(): void {
        clearTimeout(timer)
        wake = null
        retryAt = 0
        resolve()
      }
      wake = done
    })

  let running = false
  let again: 'schema' | 'config' | null = null

  /** Loads until one succeeds (or cannot); `first` hears how the first attempt went. */
  const run = async (what: 'schema' | 'config', first?: (a: Attempt) => void): Promise<void> => {
    running = true
    try {
      for (let delay = 1; !closed; delay = Math.min(delay * 2, MAX_DELAY_SECONDS)) {
        // A trigger that came before this attempt started is answered by it.
        if (again !== null && (what === 'schema' || again === 'config')) again = null
        const result = await attempt(what)
        const isFirst = first !== undefined
        first?.(result)
        first = undefined
        if (result.ok) return
        const { failure } = result
        if (failure.kind === 'settings') {
          notice('error', what === 'config' ? `Failed reloading config: ${failureText(failure)}` : `Failed to load the schema cache: ${failureText(failure)}`)
          return
        }
        failing = true
        metrics.schemaCacheFailed()
        notice(
          'error',
          `Failed to load the schema cache using db-schemas=${config.dbSchemas.join(',')} and db-extra-search-path=${config.dbExtraSearchPath.join(',')}. ${failureText(failure)}`,
        )
        if (!config.dbPoolAutomaticRecovery) {
          // At the first load, start() fails instead.
          if (!isFirst) {
            notice('error', 'Automatic recovery disabled, exiting.')
            options.onFatal(failureText(failure))
          }
          return
        }
        notice('info', `Attempting to reconnect to the database in ${delay} seconds...`)
        await sleep(delay)
        // A retry reloads everything: whatever the trigger was, the schema cache may be stale too.
        what = 'schema'
      }
    } finally {
      running = false
      const next = again
      again = null
      if (next !== null && !closed) void run(next)
    }
  }

  const trigger = (what: 'schema' | 'config', now: boolean): void => {
    if (closed) return
    if (running) {
      // Retrying after a failure: the next attempt loads the schema anyway.
      if (wake !== null) {
        if (now) wake()
        return
      }
      // A schema load covers a config load, not the other way round.
      again = again === 'schema' || what === 'schema' ? 'schema' : 'config'
      return
    }
    void run(what)
  }

  return {
    current: () => loaded,
    pending: () => failing,
    retryAfter: () => (retryAt === 0 ? 0 : Math.max(0, Math.ceil((retryAt - Date.now()) / 1000))),
    reloadSchema: (now = false) => trigger('schema', now),
    reloadConfig: () => trigger('config', false),
    start: () =>
      new Promise<void>((resolve, reject) => {
        void run('schema', (a) => {
          if (a.ok || (a.failure.kind === 'database' && config.dbPoolAutomaticRecovery)) resolve()
          else reject(a.failure.kind === 'settings' ? a.failure.error : new Error(`could not load the schema cache: ${failureText(a.failure)}`, { cause: a.failure.error }))
        })
      }),
    close: () => {
      closed = true
      wake?.()
    },
  }
}
