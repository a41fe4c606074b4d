/**
 * @module bench/openapi: the cost of `GET /` on a large schema — the generated 2,000-table schema
 * of bench/generate-schema.ts — rendering the Swagger 2.0 and OpenAPI 3.1 documents from the schema
 * cache (the first request of a shape), and answering a repeated request of the same shape from the
 * per-isolate cache (respond/openapi.ts). CPU time per render, document sizes. `npm run bench`.
 */
import { loadBenchSchemaCache } from './schema-cache.ts'
import { apiModel, openApiResponse } from '../src/respond/openapi.ts'
import { swagger2Document } from '../src/openapi/swagger2.ts'
import { openApi31Document } from '../src/openapi/openapi31.ts'
import { readConfig } from '../src/config/from-env.ts'
import type { ApiRequest } from '../src/parse/types.ts'

const cache = await loadBenchSchemaCache()
const schema = cache.snapshot.schemas[0] as string
const cfg = readConfig({ PGRST_DB_SCHEMAS: schema })
if (!cfg.ok) throw new Error(cfg.error)
const config = cfg.value
const row = { tables: null, routines: null, description: null }
const server = { scheme: 'https', host: 'api.example.com', port: 443, basePath: '/' }

const cpuMs = (f: () => void): number => {
  const t0 = process.cpuUsage()
  f()
  const d = process.cpuUsage(t0)
  return (d.user + d.system) / 1000
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

const model = apiModel(config, cache, schema, row, server)
for (const [name, render] of [
  ['Swagger 2.0', () => JSON.stringify(swagger2Document(model))],
  ['OpenAPI 3.1', () => JSON.stringify(openApi31Document(model))],
] as const) {
  let size = 0
  const times = Array.from({ length: 7 }, () => cpuMs(() => (size = render().length)))
  console.log(`${name}: ${model.tables.length} tables, ${(size / 1e6).toFixed(1)} MB, render ${median(times).toFixed(0)} ms CPU (median of 7)`)
}

// A repeated request of the same shape: served from the per-isolate cache.
const req = { negotiatedByProfile: false, schema } as unknown as ApiRequest
const plan = { kind: 'inspect', schema, headersOnly: false, media: { kind: 'openapi' } } as const
const url = new URL('https://api.example.com/')
openApiResponse(plan, req, config, cache, row, url)
const cached = Array.from({ length: 101 }, () => cpuMs(() => openApiResponse(plan, req, config, cache, row, url)))
console.log(`GET / again (cached render): ${(median(cached) * 1000).toFixed(0)} µs CPU (median of 101)`)
