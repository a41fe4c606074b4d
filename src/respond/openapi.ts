/**
 * @module respond/openapi: the answer to `GET /` (PostgREST's MaybeDbResult response): the
 * OpenAPI document of the requested schema from the schema cache, narrowed to the relations and
 * functions the database said the role may use (follow-privileges), served as Swagger 2.0
 * (`application/openapi+json`, PostgREST's) or OpenAPI 3.1. HEAD gets the headers only.
 */
import type { AppConfig } from '../config/types.ts'
import type { ApiRequest } from '../parse/types.ts'
import type { ActionPlan } from '../plan/types.ts'
import type { Routine, SchemaCache, Table } from '../schema-cache/types.ts'
import type { OpenApiRow } from '../execute/result.ts'
import { relationshipsFromInSchema, tablesInSchema } from '../schema-cache/lookup.ts'
import type { ApiModel, ServerLocation } from '../openapi/model.ts'
import { swagger2Document } from '../openapi/swagger2.ts'
import { openApi31Document } from '../openapi/openapi31.ts'
import { contentTypeHeaders } from './headers.ts'
import type { PgrstResponse } from './types.ts'

const defaultPort = (scheme: string): number => (scheme === 'https' ? 443 : 80)

/**
 * Where the API is served: PGRST_OPENAPI_SERVER_PROXY_URI when set (as PostgREST), else the
 * request's own scheme, host and port — an edge deployment has no fixed server-host/port, and the
 * URL the client used is the one that reaches it — below the prefix the API is served at (the
 * mount point and EDGEREST_BASE_PATH: config.basePath, see base-path.ts).
 */
export const serverLocation = (config: AppConfig, requestUrl: URL): ServerLocation => {
  const basePath = config.basePath === '' ? '/' : config.basePath
  const proxy = config.openApiServerProxyUri
  const url = proxy === null ? requestUrl : new URL(proxy)
  const scheme = url.protocol.replace(/:$/, '').toLowerCase()
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const port = url.port === '' ? defaultPort(scheme) : Number(url.port)
  const path = proxy === null ? basePath : url.pathname === '' ? '/' : url.pathname
  return { scheme, host, port, basePath: path }
}

/** Functions of the schema in the document: the role's executable ones, by signature. */
const visibleRoutines = (cache: SchemaCache, schema: string, allowed: readonly string[] | null): Routine[] => {
  const set = allowed === null ? null : new Set(allowed)
  const names = allowed === null ? null : new Set(allowed.map((s) => s.slice(0, s.indexOf('('))))
  const out: Routine[] = []
  for (const overloads of cache.routines.values()) {
    for (const r of overloads) {
      if (r.schema !== schema) continue
      // Snapshots older than signatures match by name.
      const visible = set === null || (r.signature !== undefined ? set.has(r.signature) : names?.has(r.name) === true)
      if (visible) out.push(r)
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

const visibleTables = (cache: SchemaCache, schema: string, allowed: readonly string[] | null): Table[] => {
  const set = allowed === null ? null : new Set(allowed)
  return tablesInSchema(cache, schema)
    .filter((t) => set === null || set.has(t.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

export const apiModel = (config: AppConfig, cache: SchemaCache, schema: string, row: OpenApiRow, server: ServerLocation): ApiModel => ({
  schema,
  tables: visibleTables(cache, schema, row.tables),
  routines: visibleRoutines(cache, schema, row.routines),
  relationshipsOf: (t) => relationshipsFromInSchema(cache, t, t.schema),
  description: row.description,
  server,
  securityActive: config.openApiSecurityActive,
  visibleSchemas: [schema, ...config.dbExtraSearchPath, 'public'],
})

/**
 * Rendered documents per schema cache (i.e. per isolate), most recently used last. A document
 * depends only on the snapshot, a few settings, where the API is served and what the role may
 * see, so the same request shape is rendered once: for thousands of tables rendering takes
 * hundreds of milliseconds, far more CPU than an edge request may spend.
 */
const rendered = new WeakMap<SchemaCache, Map<string, string>>()
const MAX_RENDERED = 16

const renderOnce = (cache: SchemaCache, key: string, render: () => string): string => {
  let docs = rendered.get(cache)
  if (docs === undefined) rendered.set(cache, (docs = new Map()))
  const hit = docs.get(key)
  if (hit !== undefined) {
    docs.delete(key)
    docs.set(key, hit)
    return hit
  }
  const body = render()
  docs.set(key, body)
  if (docs.size > MAX_RENDERED) docs.delete(docs.keys().next().value as string)
  return body
}

export const openApiResponse = (
  plan: ActionPlan & { kind: 'inspect' },
  req: ApiRequest,
  config: AppConfig,
  cache: SchemaCache,
  row: OpenApiRow,
  requestUrl: URL,
): PgrstResponse => {
  const headers = contentTypeHeaders(plan.media, req)
  if (plan.headersOnly) return { status: 200, headers, body: '' }
  const server = serverLocation(config, requestUrl)
  const key = JSON.stringify([plan.media.kind, plan.schema, row, server, config.openApiSecurityActive, config.dbExtraSearchPath])
  const body = renderOnce(cache, key, () => {
    const model = apiModel(config, cache, plan.schema, row, server)
    return JSON.stringify(plan.media.kind === 'openapi31' ? openApi31Document(model) : swagger2Document(model))
  })
  return { status: 200, headers, body }
}
