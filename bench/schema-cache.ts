/**
 * @module bench/schema-cache: how big a snapshot of a large schema is and how fast a Worker can
 * load it. `npx tsx bench/schema-cache.ts [--tables 2000] [--fks 5000] [--views 0] [--functions 0]
 * [--runs 30] [--db-uri URL] [--fresh]`.
 *
 * Generates the schema of bench/generate-schema.ts in a database (an embedded PostgreSQL started
 * here, or --db-uri), introspects it, and reports: snapshot size (pretty and compact, raw and
 * gzip), introspection time, and the time to `loadSchemaCache` (first call, then the median of
 * --runs after a warm-up) from parsed JSON and from text (JSON.parse + load).
 *
 * The snapshot is kept in the OS temp dir (keyed by the generator settings) so later runs, and
 * other benchmarks, skip the database: `loadBenchSchemaCache()` returns the loaded cache, for
 * instance to time parse + plan + SQL of a typical GET against it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { startEmbeddedPg } from '../dev/embedded-pg.ts'
import { introspectUrl } from '../schema-cache/from-url.ts'
import { formatSnapshot } from '../schema-cache/snapshot-json.ts'
import { noRelBetweenHint, tableNotFoundHint } from '../src/schema-cache/fuzzy.ts'
import { loadSchemaCacheOrThrow } from '../src/schema-cache/load.ts'
import type { SchemaCache, SchemaCacheSnapshot } from '../src/schema-cache/types.ts'
import { generateSchema, type GeneratedSchemaOptions } from './generate-schema.ts'

export interface BenchSnapshotOptions extends GeneratedSchemaOptions {
  /** Use this database instead of starting an embedded PostgreSQL. */
  readonly dbUri?: string | undefined
  /** Rebuild even when a snapshot for these settings is cached. */
  readonly fresh?: boolean | undefined
}

export interface BenchSnapshot {
  /** Compact JSON, as a Worker would bundle it. */
  readonly text: string
  readonly snapshot: SchemaCacheSnapshot
  readonly file: string
  /** Null when the snapshot came from the cache file. */
  readonly timings: { readonly createSchemaMs: number; readonly introspectMs: number } | null
}

const settingsOf = (o: GeneratedSchemaOptions) => ({
  tables: o.tables ?? 2000,
  foreignKeys: o.foreignKeys ?? 5000,
  views: o.views ?? 0,
  functions: o.functions ?? 0,
  seed: o.seed ?? 42,
})

const cacheFile = (o: GeneratedSchemaOptions): string => {
  const s = settingsOf(o)
  return join(tmpdir(), 'edgerest-bench', `schema-cache-t${s.tables}-f${s.foreignKeys}-v${s.views}-fn${s.functions}-s${s.seed}.json`)
}

/** The snapshot of the generated schema (from the cache file unless `fresh`). */
export async function benchSnapshot(opts: BenchSnapshotOptions = {}): Promise<BenchSnapshot> {
  const file = cacheFile(opts)
  if (!opts.fresh && existsSync(file)) {
    const text = readFileSync(file, 'utf8')
    return { text, snapshot: JSON.parse(text) as SchemaCacheSnapshot, file, timings: null }
  }
  const server = opts.dbUri === undefined ? await startEmbeddedPg() : null
  const url = opts.dbUri ?? (server as { url: string }).url
  try {
    const generated = generateSchema(settingsOf(opts))
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const t0 = performance.now()
    try {
      for (const sql of generated.statements) await client.query(sql)
    } finally {
      await client.end()
    }
    const createSchemaMs = performance.now() - t0
    const t1 = performance.now()
    const snapshot = await introspectUrl(url, { schemas: [opts.schema ?? 'bench'], extraSearchPath: [] })
    const introspectMs = performance.now() - t1
    const text = formatSnapshot(snapshot, 'compact')
    mkdirSync(join(tmpdir(), 'edgerest-bench'), { recursive: true })
    writeFileSync(file, text)
    return { text, snapshot, file, timings: { createSchemaMs, introspectMs } }
  } finally {
    await server?.stop()
  }
}

/** Hook for other benchmarks: the loaded cache of the generated schema. */
export async function loadBenchSchemaCache(opts: BenchSnapshotOptions = {}): Promise<SchemaCache> {
  return loadSchemaCacheOrThrow(JSON.parse((await benchSnapshot(opts)).text))
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

const time = (f: () => unknown): number => {
  const t = performance.now()
  f()
  return performance.now() - t
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`
const ms = (x: number): string => `${x.toFixed(2)} ms`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tables: { type: 'string', default: '2000' },
      fks: { type: 'string', default: '5000' },
      views: { type: 'string', default: '0' },
      functions: { type: 'string', default: '0' },
      runs: { type: 'string', default: '30' },
      'db-uri': { type: 'string' },
      fresh: { type: 'boolean', default: false },
    },
  })
  const opts: BenchSnapshotOptions = {
    tables: Number(values.tables),
    foreignKeys: Number(values.fks),
    views: Number(values.views),
    functions: Number(values.functions),
    dbUri: values['db-uri'],
    fresh: values.fresh,
  }
  const runs = Number(values.runs)
  const { text, snapshot, file, timings } = await benchSnapshot(opts)
  const pretty = formatSnapshot(snapshot, 'pretty')

  // The very first load in a fresh isolate is what a Worker pays on a cold start.
  const parsedOnce = JSON.parse(text) as unknown
  const firstLoad = time(() => loadSchemaCacheOrThrow(parsedOnce))
  const parse: number[] = []
  const load: number[] = []
  const parseAndLoad: number[] = []
  for (let i = 0; i < runs + 3; i++) {
    let parsed: unknown
    const p = time(() => {
      parsed = JSON.parse(text)
    })
    const l = time(() => loadSchemaCacheOrThrow(parsed))
    const pl = time(() => loadSchemaCacheOrThrow(JSON.parse(text)))
    if (i < 3) continue // warm-up
    parse.push(p)
    load.push(l)
    parseAndLoad.push(pl)
  }
  const cache = loadSchemaCacheOrThrow(JSON.parse(text))
  const firstRelHint = time(() => noRelBetweenHint(cache, 't00x1', 't0002', 'bench'))
  const tableHint = time(() => tableNotFoundHint(cache, 'bench', 't00x1'))

  const rels = snapshot.relationships
  const count = (k: string) => rels.filter((r) => (r.kind === 'fk' ? r.cardinality.kind : 'computed') === k).length
  const lines = [
    `schema cache bench (${snapshot.pgVersion.full.split(' on ')[0]}, node ${process.version})`,
    `  generated: ${opts.tables} tables, ${opts.foreignKeys} foreign keys, ${opts.views} views, ${opts.functions} functions`,
    `  snapshot: ${snapshot.tables.length} relations, ${rels.length} relationships (M2O ${count('M2O')}, O2M ${count('O2M')}, O2O ${count('O2O')}, M2M ${count('M2M')}), ${snapshot.routines.length} routines`,
    timings === null
      ? `  database: skipped (cached snapshot ${file}; --fresh to rebuild)`
      : `  database: create schema ${ms(timings.createSchemaMs)}, introspect ${ms(timings.introspectMs)}`,
    `  size compact: ${text.length} bytes (${kb(text.length)}), gzip ${gzipSync(text).length} bytes (${kb(gzipSync(text).length)})`,
    `  size pretty:  ${pretty.length} bytes (${kb(pretty.length)}), gzip ${gzipSync(pretty).length} bytes (${kb(gzipSync(pretty).length)})`,
    `  loadSchemaCache, first call (cold): ${ms(firstLoad)}`,
    `  JSON.parse:              median ${ms(median(parse))} of ${runs}`,
    `  loadSchemaCache:         median ${ms(median(load))} of ${runs} (min ${ms(Math.min(...load))}, max ${ms(Math.max(...load))})`,
    `  JSON.parse + load:       median ${ms(median(parseAndLoad))} of ${runs}`,
    `  first PGRST200 hint (builds the parent index): ${ms(firstRelHint)}; first PGRST205 hint: ${ms(tableHint)}${snapshot.tables.length >= 500 ? ' (no table index at 500 tables or more, as PostgREST)' : ' (builds the table index)'}`,
  ]
  console.log(lines.join('\n'))
}

const isEntry = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isEntry) await main()
