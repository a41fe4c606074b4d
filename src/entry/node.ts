/**
 * @module entry/node: `npm run serve`. Reads PGRST_* from the environment, runs over `pg` (TCP),
 * introspects the schema cache at start unless EDGEREST_SCHEMA_CACHE names a snapshot file, and
 * listens on PGRST_SERVER_HOST:PGRST_SERVER_PORT. This is the contract the conformance gauntlet
 * uses. No logic beyond wiring.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFileSync } from 'node:fs'
import { readConfig } from '../config/from-env.ts'
import { createApp } from '../app.ts'
import { buildAuthenticator, readAuthOptions } from '../auth/index.ts'
import { createPgExecutor } from '../execute/pg.ts'
import { loadSchemaCache } from '../schema-cache/load.ts'
import { introspectUrl } from '../../schema-cache/from-url.ts'
import type { PipelineDeps } from '../pipeline.ts'
import type { AppConfig } from '../config/types.ts'
import type { SchemaCacheSnapshot } from '../schema-cache/types.ts'
import { withInDbConfig } from '../config/in-db.ts'

const fatal = (msg: string): never => {
  console.error(`edgerest: ${msg}`)
  process.exit(1)
}

const introspectFor = (config: AppConfig): Promise<SchemaCacheSnapshot> =>
  introspectUrl(config.dbUri, {
    schemas: [...config.dbSchemas],
    extraSearchPath: [...config.dbExtraSearchPath],
    // db-pre-config is part of the in-database configuration: only with db-config.
    preConfig: config.dbConfig ? config.dbPreConfig : null,
  })

/**
 * The snapshot and the configuration it implies: the in-database configuration it carries
 * overrides the environment (PGRST_DB_CONFIG), and when that changes the exposed schemas the
 * catalog is read again for them, as PostgREST reads its config before its schema cache.
 */
const snapshotFor = async (envConfig: AppConfig): Promise<{ snapshot: unknown; config: AppConfig }> => {
  const file = process.env['EDGEREST_SCHEMA_CACHE']
  const snapshot: unknown = file ? JSON.parse(readFileSync(file, 'utf8')) : await introspectFor(envConfig)
  const inDb = (snapshot as Partial<SchemaCacheSnapshot> | null)?.settings?.config
  const cfg = readConfig(withInDbConfig(process.env, inDb))
  if (!cfg.ok) return fatal(cfg.error)
  const config = withSecretFile(cfg.value)
  const sameSchemas =
    config.dbSchemas.join(',') === envConfig.dbSchemas.join(',') && config.dbExtraSearchPath.join(',') === envConfig.dbExtraSearchPath.join(',')
  return { snapshot: file || sameSchemas ? snapshot : await introspectFor(config), config }
}

/** PostgREST's `jwt-secret = "@filename"`: the secret is the file's content, less a final line break. */
const withSecretFile = (config: AppConfig): AppConfig => {
  const secret = config.jwtSecret
  if (secret === null || !secret.startsWith('@')) return config
  try {
    return { ...config, jwtSecret: readFileSync(secret.slice(1), 'utf8').replace(/\r?\n$/, '') }
  } catch (e) {
    return fatal(`PGRST_JWT_SECRET: cannot read ${secret.slice(1)}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** node:http ⇄ fetch Request/Response. */
const toRequest = async (req: IncomingMessage, base: string): Promise<Request> => {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks)
  return new Request(new URL(req.url ?? '/', base), { method, headers, body })
}

const writeResponse = async (res: ServerResponse, r: Response, head: boolean): Promise<void> => {
  const headers: Record<string, string | string[]> = {}
  r.headers.forEach((v, k) => {
    if (k === 'set-cookie') return
    headers[k] = v
  })
  const cookies = r.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  const buf = Buffer.from(await r.arrayBuffer())
  // HEAD answers carry no Content-Length of their own (PostgREST omits it for headers-only reads).
  if (r.status !== 204 && r.status !== 304 && !head) headers['content-length'] = String(buf.length)
  res.writeHead(r.status, headers)
  res.end(head ? undefined : buf)
}

const main = async (): Promise<void> => {
  const cfg = readConfig(process.env)
  if (!cfg.ok) return fatal(cfg.error)
  let snapshot: unknown
  let config: AppConfig
  try {
    ;({ snapshot, config } = await snapshotFor(withSecretFile(cfg.value)))
  } catch (e) {
    return fatal(`could not load the schema cache: ${e instanceof Error ? e.message : String(e)}`)
  }
  const authOptions = readAuthOptions(process.env)
  if (!authOptions.ok) return fatal(authOptions.error.join('\n'))
  const authenticate = buildAuthenticator(config, authOptions.value)
  if (!authenticate.ok) return fatal(authenticate.error)
  const cache = loadSchemaCache(snapshot)
  if (!cache.ok) return fatal(cache.error)
  const executor = createPgExecutor({ connectionString: config.dbUri, preparedStatements: config.dbPreparedStatements })
  const deps: PipelineDeps = { config, cache: cache.value, authenticate: authenticate.value, executor, interactiveExecutor: executor }
  const app = createApp(() => deps)
  const host = config.serverHost === '!4' || config.serverHost === '*4' ? '0.0.0.0' : config.serverHost
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${config.serverPort}`
  const server = createServer((req, res) => {
    toRequest(req, base)
      .then((r) => app.fetch(r))
      .then((r) => writeResponse(res, r, req.method === 'HEAD'))
      .catch((e: unknown) => {
        console.error('edgerest: request failed', e)
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
        res.end('{"code":"PGRSTX00","details":null,"hint":null,"message":"Internal server error"}')
      })
  })
  server.listen(config.serverPort, host, () => console.log(`edgerest listening on ${base}`))
  // Stop at once: in-flight requests finish, idle keep-alive connections are closed instead of
  // holding the port (and answering a client that reuses them) until they time out.
  const stop = (): void => {
    server.close(() => process.exit(0))
    server.closeIdleConnections()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

void main()
