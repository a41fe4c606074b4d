/**
 * @module bench/cold-load: one cold schema cache load, for bench/schema-cache.ts. Reads the
 * snapshot file given as the first argument (not timed), then times, in a process where nothing
 * has run yet (as in a new Worker isolate):
 * - `parseMs` + `loadMs` = `totalMs`: the first `JSON.parse` and `loadSchemaCache` (checks and
 *   indexes; the second argument is the `SnapshotCheck`: `on-use`, as the Worker and Vercel
 *   entries load, the default, or `full`, as the Node entry does), wall time; `cpuMs`: the CPU
 *   time the process spent on them;
 * - `firstLookupMs`: what the first request then adds — the table, its columns by name and its
 *   relationships, for the table named by the second argument (objects of the packed encoding
 *   are built on first use);
 * - `fullDecodeMs`: building every table and relationship (`snapshot.tables`,
 *   `snapshot.relationships`), which only error hints and whole-schema listings do.
 * Prints them as JSON.
 */
import { readFileSync } from 'node:fs'
import { loadSchemaCacheOrThrow } from '../src/schema-cache/load.ts'

const [file, check = 'on-use', table = 'bench\u0000t0001'] = process.argv.slice(2)
if (file === undefined || (check !== 'on-use' && check !== 'full')) throw new Error('usage: cold-load.ts SNAPSHOT_FILE [on-use|full] [SCHEMA\\0TABLE]')
const text = readFileSync(file, 'utf8')
const c0 = process.cpuUsage()
const t0 = performance.now()
const parsed: unknown = JSON.parse(text)
const t1 = performance.now()
const cache = loadSchemaCacheOrThrow(parsed, { check })
const t2 = performance.now()
// CPU time of the process over parse + load (all threads: the main one and GC helpers), which a
// busy machine inflates less than wall time.
const cpu = process.cpuUsage(c0)
const found = cache.tables.get(table)
const columns = cache.columns.get(table)
const rels = cache.relationships.get(table)
const t3 = performance.now()
const all = cache.snapshot.tables.length + cache.snapshot.relationships.length
const t4 = performance.now()
if (found === undefined || columns === undefined || rels === undefined || all === 0) throw new Error(`no table ${table} in the snapshot`)
process.stdout.write(
  JSON.stringify({ parseMs: t1 - t0, loadMs: t2 - t1, totalMs: t2 - t0, cpuMs: (cpu.user + cpu.system) / 1000, firstLookupMs: t3 - t2, fullDecodeMs: t4 - t3 }),
)
