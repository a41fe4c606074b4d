/**
 * @module entry/node-server: the Node server, PostgREST's way: settings from the environment
 * (PGRST_*, EDGEREST_*), the schema cache read from the database at start unless
 * EDGEREST_SCHEMA_CACHE names a snapshot (a file path on Node), the `pg` executor, and HTTP on
 * PGRST_SERVER_HOST:PGRST_SERVER_PORT through @hono/node-server. The app is the package's own
 * `edgerest()` (index-node.ts); this file only adds what a long-running process needs.
 */
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { introspectUrl } from '../../schema-cache/from-url.ts'
import { readConfig } from '../config/from-env.ts'
import type { AppConfig } from '../config/types.ts'
import { EdgerestConfigError } from '../edgerest.ts'
import { endPgPools } from '../execute/pg.ts'
import { edgerest } from '../index-node.ts'
import type { EdgerestBindings } from '../settings.ts'
import { withInDbConfig } from '../config/in-db.ts'
import type { SchemaCacheSnapshot } from '../schema-cache/types.ts'

export interface NodeServer {
  /** `http://host:port` it listens on (the real port when PGRST_SERVER_PORT is 0). */
  readonly url: string
  /** Stops accepting connections, waits for open requests, closes the database pool. */
  close(): Promise<void>
}

const introspectFor = (config: AppConfig): Promise<SchemaCacheSnapshot> =>
  introspectUrl(config.dbUri, {
    schemas: [...config.dbSchemas],
    extraSearchPath: [...config.dbExtraSearchPath],
    // db-pre-config is part of the in-database configuration: only with db-config.
    preConfig: config.dbConfig ? config.dbPreConfig : null,
  })

const sameSchemas = (a: AppConfig, b: AppConfig): boolean =>
  a.dbSchemas.join('\u0000') === b.dbSchemas.join('\u0000') && a.dbExtraSearchPath.join('\u0000') === b.dbExtraSearchPath.join('\u0000')

/**
 * PostgREST introspects at startup; so does this server when no snapshot is given. The snapshot
 * carries the in-database configuration, which overrides the environment (see config/in-db.ts);
 * when it changes the exposed schemas, the catalog is read again for them, as PostgREST reads
 * its configuration before its schema cache.
 */
const schemaCache = async (env: EdgerestBindings, config: AppConfig): Promise<EdgerestBindings['EDGEREST_SCHEMA_CACHE']> => {
  const given = env.EDGEREST_SCHEMA_CACHE
  if (given !== undefined && given !== '') return given
  try {
    const snapshot = await introspectFor(config)
    const withDb = readConfig(withInDbConfig(env, snapshot.settings?.config))
    return withDb.ok && !sameSchemas(withDb.value, config) ? await introspectFor(withDb.value) : snapshot
  } catch (e) {
    throw new Error(`could not load the schema cache: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
}

const hasBody = (status: number): boolean => status >= 200 && status !== 204 && status !== 304

/**
 * PostgREST (warp) sends Content-Length on every response with a body status, 0 for an empty
 * one, while @hono/node-server would send a bodiless Response (a 201 without representation)
 * chunked. HEAD answers keep none: PostgREST omits it for headers-only reads, and Node adds none.
 */
const withContentLength =
  (fetch: (request: Request) => Response | Promise<Response>) =>
  async (request: Request): Promise<Response> => {
    const res = await fetch(request)
    if (res.body === null && request.method !== 'HEAD' && hasBody(res.status) && !res.headers.has('content-length')) {
      res.headers.set('content-length', '0')
    }
    return res
  }

/** warp's bind address names the host part of a URL differently. */
const urlHost = (host: string): string => (host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host)

/**
 * Starts the server. Throws an EdgerestConfigError for bad settings and an Error when the
 * schema cache cannot be loaded or the port cannot be bound.
 */
export const startNodeServer = async (env: EdgerestBindings): Promise<NodeServer> => {
  const cfg = readConfig(env)
  if (!cfg.ok) throw new EdgerestConfigError(cfg.error.split('\n'))
  const config = cfg.value
  const app = edgerest({ ...env, EDGEREST_SCHEMA_CACHE: await schemaCache(env, config) })
  const server = createAdaptorServer({ fetch: withContentLength((request) => app.fetch(request)) })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.serverPort, config.serverHost, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${urlHost(config.serverHost)}:${port}`,
    close: async () => {
      // In-flight requests finish; idle keep-alive connections are closed now rather than left to
      // time out, so nobody reusing one is answered by a server that is going away.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      if ('closeIdleConnections' in server) server.closeIdleConnections()
      await closed
      await endPgPools()
    },
  }
}
