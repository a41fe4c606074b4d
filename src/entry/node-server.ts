/**
 * @module entry/node-server: the Node server, PostgREST's way: settings from the environment
 * (PGRST_*, EDGEREST_*), the `pg` executor, HTTP on PGRST_SERVER_HOST:PGRST_SERVER_PORT through
 * @hono/node-server, and what a long-running process needs beyond the package's app:
 *
 * - the schema cache read from the database at start (unless EDGEREST_SCHEMA_CACHE names a
 *   snapshot) and reloaded while running: NOTIFY on db-channel (server/listener.ts), SIGUSR1 /
 *   SIGUSR2 through `reloadSchemaCache` / `reloadConfig` (the process entry wires the signals),
 *   and after any 503, as PostgREST's connection worker does (server/schema-state.ts);
 * - a database that is down at start: retried with backoff while the API answers 503 PGRST002
 *   with Retry-After, instead of exiting;
 * - the admin server on PGRST_ADMIN_SERVER_PORT (server/admin.ts), the request logs and metrics.
 *
 * How the app is swapped: each load builds the pipeline's dependencies from the bindings with the
 * new snapshot (src/bindings.ts, as `edgerest(bindings)` does) and a new app on them; the server's
 * fetch hands each request to whichever app is current when it arrives, so a reload never drops a
 * request in flight. The pool is shared (execute/pg.ts keys it by its settings), so the new app
 * gets the connections the old one had, flushed.
 */
import type { AddressInfo } from 'node:net'
import { createAdaptorServer, type ServerType } from '@hono/node-server'
import type { Bindings, Platform } from '../bindings.ts'
import { readConfig } from '../config/from-env.ts'
import { EdgerestConfigError } from '../edgerest.ts'
import { errorToResponse } from '../errors/http.ts'
import { endPgPools } from '../execute/pg.ts'
import { createLog } from '../log/log.ts'
import { reportRequest } from '../log/report.ts'
import { nodePlatform } from '../platform/node.ts'
import { isEmptyResponse } from '../respond/empty-body.ts'
import { createAdminApp } from '../server/admin.ts'
import { startListener, type Listener } from '../server/listener.ts'
import { createMetrics } from '../server/metrics.ts'
import { createSchemaState } from '../server/schema-state.ts'
import type { EdgerestBindings } from '../settings.ts'

export interface NodeServer {
  /** `http://host:port` it listens on (the real port when PGRST_SERVER_PORT is 0). */
  readonly url: string
  /** The admin server's `http://host:port`; null without PGRST_ADMIN_SERVER_PORT. */
  readonly adminUrl: string | null
  /** PostgREST's SIGUSR1 and `NOTIFY pgrst, 'reload schema'`: reload the schema cache. */
  reloadSchemaCache(): void
  /** PostgREST's SIGUSR2 and `NOTIFY pgrst, 'reload config'`: re-read the in-database configuration. */
  reloadConfig(): void
  /** Stops accepting connections, waits for open requests, closes the listener and the database pool. */
  close(): Promise<void>
}

export interface NodeServerOptions {
  /**
   * Called when the database fails after startup and db-pool-automatic-recovery is off; PostgREST
   * exits then, and so does the process entry. Default: nothing (the server keeps answering 503).
   */
  readonly onFatal?: ((reason: string) => void) | undefined
}

const hasBody = (status: number): boolean => status >= 200 && status !== 204 && status !== 304

/**
 * PostgREST (warp) sends Content-Length on every response with a body status, 0 for an empty
 * one, while @hono/node-server would send a bodiless Response (a 201 without representation)
 * chunked. HEAD answers keep none: PostgREST omits it for headers-only reads, and Node adds none.
 */
const withContentLength = (request: Request, res: Response): Response => {
  if (isEmptyResponse(res) && request.method !== 'HEAD' && hasBody(res.status) && !res.headers.has('content-length')) {
    res.headers.set('content-length', '0')
  }
  return res
}

/** warp's bind address names the host part of a URL differently. */
const urlHost = (host: string): string => (host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host)

const listen = (server: ServerType, port: number, host: string): Promise<string> =>
  new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(`http://${urlHost(host)}:${(server.address() as AddressInfo).port}`)
    })
  })

const closeServer = async (server: ServerType): Promise<void> => {
  // In-flight requests finish; idle keep-alive connections are closed now rather than left to
  // time out, so nobody reusing one is answered by a server that is going away.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  if ('closeIdleConnections' in server) server.closeIdleConnections()
  await closed
}

/**
 * Starts the server. Throws an EdgerestConfigError for bad settings (the environment's, or the
 * in-database ones of the first load) and an Error when a port cannot be bound, or when the
 * database is unreachable and db-pool-automatic-recovery is off.
 */
export const startNodeServer = async (env: EdgerestBindings, options: NodeServerOptions = {}): Promise<NodeServer> => {
  const cfg = readConfig(env)
  if (!cfg.ok) throw new EdgerestConfigError(cfg.error.split('\n'))
  const config = cfg.value
  const metrics = createMetrics()
  // The metrics see every request only when there is an admin server to show them.
  const observer = config.adminServerPort === null ? undefined : metrics.observe
  const log = createLog({ level: config.logLevel, logQuery: config.logQuery, format: config.logFormat ?? 'text', observer })
  const notice = (message: string): void => log.observe({ kind: 'notice', level: 'info', message })
  const platform: Platform = { ...nodePlatform, observer }
  const given = env.EDGEREST_SCHEMA_CACHE
  const state = createSchemaState({
    env,
    config,
    source: given === undefined || given === '' ? 'introspect' : 'binding',
    platform,
    log,
    metrics,
    onFatal: options.onFatal ?? (() => undefined),
    onLoaded: () => listener?.retryNow(),
  })

  let live = false
  const stops: (() => Promise<void>)[] = []
  const stopAll = async (): Promise<void> => {
    state.close()
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined)
    await endPgPools()
  }

  let listener: Listener | null = null
  try {
    if (config.dbChannelEnabled) {
      const started = startListener({
        dbUri: config.dbUri,
        channel: config.dbChannel,
        log,
        // A notification, or the listener back after losing the database: reload at once.
        onReloadSchema: () => state.reloadSchema(true),
        onReloadConfig: () => state.reloadConfig(),
        connectTimeoutMs: config.dbPoolAcquisitionTimeout * 1000,
      })
      listener = started
      stops.push(() => started.close())
    }
    let adminUrl: string | null = null
    if (config.adminServerPort !== null) {
      const admin = createAdaptorServer({ fetch: createAdminApp({ state, listener, metrics, config, live: () => live }).fetch })
      adminUrl = await listen(admin, config.adminServerPort, config.adminServerHost)
      stops.push(() => closeServer(admin))
      notice(`Admin server listening on ${adminUrl.replace(/^http:\/\//, '')}`)
    }
    await state.start()

    const fetch = async (request: Request, runtime: Bindings): Promise<Response> => {
      const current = state.current()
      let res: Response
      if (current === null) {
        // No schema cache yet (the database is down since start): PostgREST's 503 PGRST002.
        const started = performance.now()
        res = errorToResponse({ origin: 'noSchemaCache' }, config.clientErrorVerbosity)
        if (log.requests) await reportRequest(log, request, runtime, res, { role: null, statements: null }, performance.now() - started)
      } else {
        res = await current.app.fetch(request, runtime)
        // The database may be gone: reconnect and reload in the background, as PostgREST does.
        if (res.status === 503) state.reloadSchema()
        // A reload waiting out its backoff while requests succeed again: the database is back.
        else if (res.status < 300 && state.pending() && request.method !== 'OPTIONS') state.reloadSchema(true)
      }
      if (res.status === 503) res.headers.set('Retry-After', String(state.retryAfter()))
      return withContentLength(request, res)
    }
    const server = createAdaptorServer({ fetch })
    const url = await listen(server, config.serverPort, config.serverHost)
    live = true
    stops.push(async () => {
      live = false
      await closeServer(server)
    })
    notice(`API server listening on ${url.replace(/^http:\/\//, '')}`)
    return {
      url,
      adminUrl,
      reloadSchemaCache: () => state.reloadSchema(),
      reloadConfig: () => state.reloadConfig(),
      close: stopAll,
    }
  } catch (e) {
    await stopAll()
    throw e
  }
}
