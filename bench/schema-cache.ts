/**
 * @module bench/schema-cache: how big a snapshot of a large schema is and how fast a Worker can
 * load it. `npx tsx bench/schema-cache.ts [--tables 2000] [--fks 5000] [--views 0] [--functions 0]
 * [--runs 30] [--cold-runs 9] [--db-uri URL] [--fresh]`.
 *
 * Generates the schema of bench/generate-schema.ts in a database (an embedded PostgreSQL started
 * here, or --db-uri), introspects it, and reports: snapshot size in each encoding (packed — what
 * `--compact` writes and a large deployment bundles —, plain one-line, and the pretty layout; raw
 * and gzip), introspection time, and the load time.
 *
 * "Loading" is everything a Worker pays before its first request can be planned: JSON.parse of the
 * snapshot text, validation (the packed encoding is validated while it is decoded) and building
 * the indexes. The cold figure is the honest one: each sample is a fresh Node process
 * (bench/cold-load.ts) timing its very first parse + load, with nothing warmed up, as in a new
 * isolate. Warm medians (many runs in one process) are shown too.
 *
 * The plain snapshot is kept in the OS temp dir (keyed by the generator settings and the snapshot
 * version) so later runs, and other benchmarks, skip the database: `loadBenchSchemaCache()`
 * returns the loaded cache, for instance to time parse + plan + SQL of requests against it.
 */
import { spawnSync } from 'node:child_process'
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
import { SNAPSHOT_VERSION, type SchemaCache, type SchemaCacheSnapshot, type SnapshotCheck } from '../src/schema-cache/types.ts'
import { generateSchema, type GeneratedSchemaOptions } from './generate-schema.ts'

export interface BenchSnapshotOptions extends GeneratedSchemaOptions {
  /** Use this database instead of starting an embedded PostgreSQL. */
  readonly dbUri?: string | undefined
  /** Rebuild even when a snapshot for these settings is cached. */
  readonly fresh?: boolean | undefined
}

export interface BenchSnapshot {
  /** The packed encoding (`formatSnapshot(s, 'compact')`), as a large deployment bundles it. */
  readonly packed: string
  /** The plain encoding on one line. */
  readonly plain: string
  readonly snapshot: SchemaCacheSnapshot
  /** The cached plain snapshot. */
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
  return join(
    tmpdir(),
    'edgerest-bench',
    `schema-cache-v${SNAPSHOT_VERSION}-t${s.tables}-f${s.foreignKeys}-v${s.views}-fn${s.functions}-s${s.seed}.json`,
  )
}

/** The snapshot of the generated schema (from the cache file unless `fresh`). */
export async function benchSnapshot(opts: BenchSnapshotOptions = {}): Promise<BenchSnapshot> {
  const file = cacheFile(opts)
  if (!opts.fresh && existsSync(file)) {
    const plain = readFileSync(file, 'utf8')
    const snapshot = JSON.parse(plain) as SchemaCacheSnapshot
    return { packed: formatSnapshot(snapshot, 'compact'), plain, snapshot, file, timings: null }
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
    const plain = JSON.stringify(snapshot)
    mkdirSync(join(tmpdir(), 'edgerest-bench'), { recursive: true })
    writeFileSync(file, plain)
    return { packed: formatSnapshot(snapshot, 'compact'), plain, snapshot, file, timings: { createSchemaMs, introspectMs } }
  } finally {
    await server?.stop()
  }
}

/** Hook for other benchmarks: the loaded cache of the generated schema. */
export async function loadBenchSchemaCache(opts: BenchSnapshotOptions = {}): Promise<SchemaCache> {
  return loadSchemaCacheOrThrow(JSON.parse((await benchSnapshot(opts)).packed))
}

const median = (xs: readonly number[]): number => {
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

interface ColdSample {
  readonly parseMs: number
  readonly loadMs: number
  readonly totalMs: number
  readonly cpuMs: number
  readonly firstLookupMs: number
  readonly fullDecodeMs: number
}

/** One fresh process timing its first JSON.parse + loadSchemaCache of `file` (bench/cold-load.ts). */
const coldSample = (file: string, check: SnapshotCheck): ColdSample => {
  const script = fileURLToPath(new URL('./cold-load.ts', import.meta.url))
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, file, check], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`cold-load failed: ${r.stderr}`)
  return JSON.parse(r.stdout) as ColdSample
}

const coldSummary = (samples: readonly ColdSample[]): string => {
  const total = samples.map((s) => s.totalMs)
  const m = (f: (s: ColdSample) => number): string => ms(median(samples.map(f)))
  return (
    `median ${ms(median(total))} (JSON.parse ${m((s) => s.parseMs)} + validate/index ${m((s) => s.loadMs)}), min ${ms(Math.min(...total))}, max ${ms(Math.max(...total))}, CPU median ${m((s) => s.cpuMs)};` +
    ` then first table lookup ${m((s) => s.firstLookupMs)}, whole schema decoded ${m((s) => s.fullDecodeMs)}`
  )
}

/** Warm: many parse + load rounds in this process after a warm-up. */
const warm = (text: string, runs: number, check: SnapshotCheck = 'full'): { parse: number[]; load: number[]; both: number[] } => {
  const parse: number[] = []
  const load: number[] = []
  const both: number[] = []
  for (let i = 0; i < runs + 3; i++) {
    let parsed: unknown
    const p = time(() => {
      parsed = JSON.parse(text)
    })
    const l = time(() => loadSchemaCacheOrThrow(parsed, { check }))
    const pl = time(() => loadSchemaCacheOrThrow(JSON.parse(text), { check }))
    if (i < 3) continue // warm-up
    parse.push(p)
    load.push(l)
    both.push(pl)
  }
  return { parse, load, both }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tables: { type: 'string', default: '2000' },
      fks: { type: 'string', default: '5000' },
      views: { type: 'string', default: '0' },
      functions: { type: 'string', default: '0' },
      runs: { type: 'string', default: '30' },
      'cold-runs': { type: 'string', default: '9' },
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
  const coldRuns = Number(values['cold-runs'])
  const { packed, plain, snapshot, file, timings } = await benchSnapshot(opts)
  const pretty = formatSnapshot(snapshot, 'pretty')
  const packedFile = file.replace(/\.json$/, '.packed.json')
  writeFileSync(packedFile, packed)

  // The decoded packed snapshot must be the snapshot itself, or the timings mean nothing.
  for (const check of ['full', 'on-use'] as const) {
    const roundTrip = loadSchemaCacheOrThrow(JSON.parse(packed), { check }).snapshot
    if (JSON.stringify(roundTrip) !== JSON.stringify(snapshot)) throw new Error(`the packed snapshot does not decode to the original (${check})`)
  }

  // Interleaved, so that a busy spell of the machine does not land on one mode only.
  const coldOnUse: ColdSample[] = []
  const coldFull: ColdSample[] = []
  const coldPlain: ColdSample[] = []
  for (let i = 0; i < coldRuns; i++) {
    coldOnUse.push(coldSample(packedFile, 'on-use'))
    coldFull.push(coldSample(packedFile, 'full'))
    coldPlain.push(coldSample(file, 'full'))
  }
  const warmOnUse = warm(packed, runs, 'on-use')
  const warmPacked = warm(packed, runs)
  const warmPlain = warm(plain, runs)

  const cache = loadSchemaCacheOrThrow(JSON.parse(packed))
  const firstRelHint = time(() => noRelBetweenHint(cache, 't00x1', 't0002', 'bench'))
  const tableHint = time(() => tableNotFoundHint(cache, 'bench', 't00x1'))

  const rels = snapshot.relationships
  const count = (k: string) => rels.filter((r) => (r.kind === 'fk' ? r.cardinality.kind : 'computed') === k).length
  const size = (label: string, text: string): string => {
    const gz = gzipSync(text).length
    return `  size ${label.padEnd(22)} ${String(text.length).padStart(8)} bytes (${kb(text.length)}), gzip ${gz} bytes (${kb(gz)})`
  }
  const lines = [
    `schema cache bench (${snapshot.pgVersion.full.split(' on ')[0]}, node ${process.version})`,
    `  generated: ${opts.tables} tables, ${opts.foreignKeys} foreign keys, ${opts.views} views, ${opts.functions} functions`,
    `  snapshot: ${snapshot.tables.length} relations, ${rels.length} relationships (M2O ${count('M2O')}, O2M ${count('O2M')}, O2O ${count('O2O')}, M2M ${count('M2M')}), ${snapshot.routines.length} routines`,
    timings === null
      ? `  database: skipped (cached snapshot ${file}; --fresh to rebuild)`
      : `  database: create schema ${ms(timings.createSchemaMs)}, introspect ${ms(timings.introspectMs)}`,
    size('packed (--compact):', packed),
    size('plain, one line:', plain),
    size('plain, pretty:', pretty),
    `  load = JSON.parse + validation + indexes, cold (first load in a fresh process, ${coldRuns} processes each):`,
    `    packed, on-use check (edge entries): ${coldSummary(coldOnUse)}`,
    `    packed, full check (Node entry):     ${coldSummary(coldFull)}`,
    `    plain (full check):                  ${coldSummary(coldPlain)}`,
    `  load, warm (median of ${runs} in one process):`,
    `    packed, on-use: JSON.parse ${ms(median(warmOnUse.parse))}, load ${ms(median(warmOnUse.load))}, together ${ms(median(warmOnUse.both))}`,
    `    packed, full: JSON.parse ${ms(median(warmPacked.parse))}, load ${ms(median(warmPacked.load))}, together ${ms(median(warmPacked.both))}`,
    `    plain:  JSON.parse ${ms(median(warmPlain.parse))}, load ${ms(median(warmPlain.load))}, together ${ms(median(warmPlain.both))}`,
    `  first PGRST200 hint (decodes every relationship, builds the parent index): ${ms(firstRelHint)}; first PGRST205 hint: ${ms(tableHint)}${snapshot.tables.length >= 500 ? ' (no table index at 500 tables or more, as PostgREST)' : ' (builds the table index)'}`,
  ]
  console.log(lines.join('\n'))
}

const isEntry = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isEntry) await main()
