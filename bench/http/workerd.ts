/**
 * @module bench/http/workerd: the Worker's own CPU time per PK GET under workerd, over neon-http.
 *
 * The Worker is the production bundle (`wrangler deploy --dry-run --minify`, offline), run by
 * Miniflare's workerd directly — no `wrangler dev` proxy — against the project's local Neon
 * SQL-over-HTTP endpoint (dev/neon-http-endpoint.ts) in front of the bench database. workerd's
 * process CPU per request includes the runtime's own HTTP serving, Miniflare's entry worker and the
 * outgoing fetch; to subtract those, a trivial Worker is measured the same way: it makes the same
 * one fetch to the same /sql endpoint with the precomputed request edgerest's driver sends (captured
 * from edgerest's own pipeline in this process) and returns a precomputed body. The difference is
 * what edgerest itself costs per request in the isolate: JWT/parse/plan/sql/respond, the Neon
 * driver, Hono.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { Miniflare } from 'miniflare'
import { createApp } from '../../src/app.ts'
import { buildAuthenticator } from '../../src/auth/index.ts'
import { readConfigOrThrow } from '../../src/config/from-env.ts'
import { createNeonHttpExecutor } from '../../src/execute/neon-http.ts'
import { loadSchemaCacheOrThrow } from '../../src/schema-cache/load.ts'
import { freePort } from '../../dev/embedded-pg.ts'
import { startNeonHttpEndpoint } from '../../dev/neon-http-endpoint.ts'
import { measureCell, type CellResult } from './load.ts'
import { childPids, commandName, PROJECT_ROOT } from './procs.ts'
import { medianCell, spread, type Spread } from './report.ts'
import type { BenchStack } from './stack.ts'
import { concreteRequest, seededInts, type Workload } from './workloads.ts'

/** wrangler and Miniflare stay offline (toolchain.md §6). */
const OFFLINE = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
}

const COMPATIBILITY_DATE = '2026-04-26' // wrangler.toml's
const COMPATIBILITY_FLAGS = ['nodejs_compat']

export interface WorkerdOptions {
  readonly rounds: number
  readonly warmupSeconds: number
  readonly seconds: number
  readonly connections: number
}

export interface WorkerdReport {
  readonly bundleBytes: number
  readonly bundleGzipBytes: number
  readonly connections: number
  readonly real: CellResult
  readonly trivial: CellResult
  /** Per-round (real − trivial) CPU µs per request. */
  readonly ownCpuUs: Spread
  readonly rounds: readonly { readonly real: CellResult; readonly trivial: CellResult }[]
}

/** The production bundle: what `npm run deploy` uploads (dev/build-worker.mjs: wrangler's bundle, then terser). */
const bundleWorker = (outdir: string): string => {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'dev/build-worker.mjs'), '--outdir', outdir], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...OFFLINE },
    stdio: 'pipe',
  })
  return join(outdir, 'workers.js')
}

const TRIVIAL_WORKER = `
let headers
export default {
  async fetch(request, env) {
    headers ??= JSON.parse(env.HEADERS)
    const r = await fetch(env.ENDPOINT, { method: 'POST', headers, body: env.BODY })
    if (r.status !== 200) return new Response(await r.text(), { status: 502 })
    await r.text()
    return new Response(env.RESPONSE, { headers: { 'content-type': 'application/json; charset=utf-8' } })
  },
}
`

interface Captured {
  readonly headers: Record<string, string>
  readonly body: string
  readonly response: string
}

/** The /sql request edgerest's neon-http executor makes for `path`, and the API body it returns. */
const captureNeonRequest = async (env: Record<string, string>, snapshotJson: string, endpoint: string, url: string): Promise<Captured> => {
  const config = readConfigOrThrow(env)
  let seen: { headers: Record<string, string>; body: string } | undefined
  const executor = createNeonHttpExecutor({
    connectionString: config.dbUri,
    fetchEndpoint: endpoint,
    fetchFunction: (input, init) => {
      seen = { headers: Object.fromEntries(new Headers(init?.headers).entries()), body: String(init?.body) }
      return fetch(input, init)
    },
  })
  const auth = buildAuthenticator(config)
  if (!auth.ok) throw new Error(auth.error)
  const deps = { config, cache: loadSchemaCacheOrThrow(JSON.parse(snapshotJson)), authenticate: auth.value, executor, interactiveExecutor: executor }
  const res = await createApp(() => deps).fetch(new Request(url))
  const response = await res.text()
  if (res.status !== 200 || seen === undefined) throw new Error(`capturing the /sql request failed: ${res.status} ${response}`)
  return { ...seen, response }
}

/** Start a Miniflare (one workerd process) and find that process among our children. */
const startWorkerd = async (options: ConstructorParameters<typeof Miniflare>[0]): Promise<{ mf: Miniflare; url: string; pid: number }> => {
  const before = new Set(childPids(process.pid))
  const port = await freePort()
  const mf = new Miniflare({ ...options, host: '127.0.0.1', port, cf: false } as ConstructorParameters<typeof Miniflare>[0])
  const url = (await mf.ready).toString().replace(/\/$/, '')
  const pid = childPids(process.pid).find((p) => !before.has(p) && commandName(p) === 'workerd')
  if (pid === undefined) throw new Error('could not find the workerd process Miniflare started')
  return { mf, url, pid }
}

export const measureWorkerd = async (
  stack: BenchStack,
  pk: Workload,
  opts: WorkerdOptions,
  log: (msg: string) => void,
): Promise<WorkerdReport> => {
  for (const [k, v] of Object.entries(OFFLINE)) process.env[k] ??= v
  const outdir = mkdtempSync(join(tmpdir(), 'edgerest-bench-worker-'))
  const endpoint = await startNeonHttpEndpoint({ pgHost: '127.0.0.1', pgPort: stack.db.port })
  const started: Miniflare[] = []
  try {
    const bundle = bundleWorker(outdir)
    const code = readFileSync(bundle)
    const bundleBytes = code.length
    const bundleGzipBytes = gzipSync(code, { level: 9 }).length
    log(`worker bundle ${bundleBytes} bytes minified, ${bundleGzipBytes} gzip`)
    const env = { ...stack.serverEnv, EDGEREST_SCHEMA_CACHE: stack.snapshotJson, EDGEREST_NEON_FETCH_ENDPOINT: endpoint.url }
    const real = await startWorkerd({
      modules: true,
      scriptPath: bundle,
      // Module names are relative to this root; the default (cwd) would need `..` to reach tmp.
      modulesRoot: outdir,
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: COMPATIBILITY_FLAGS,
      bindings: env,
    })
    started.push(real.mf)
    const sample = concreteRequest(pk, seededInts(7), stack.tokens)
    const captured = await captureNeonRequest(env, stack.snapshotJson, endpoint.url, real.url + sample.path)
    const trivial = await startWorkerd({
      modules: true,
      script: TRIVIAL_WORKER,
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: COMPATIBILITY_FLAGS,
      bindings: { ENDPOINT: endpoint.url, HEADERS: JSON.stringify(captured.headers), BODY: captured.body, RESPONSE: captured.response },
    })
    started.push(trivial.mf)
    // The Worker must answer like edgerest on Node (the captured body came from the same pipeline).
    for (const url of [real.url, trivial.url]) {
      const r = await fetch(url + sample.path)
      const text = await r.text()
      if (r.status !== 200 || text !== captured.response) {
        throw new Error(`workerd at ${url} answered ${r.status} ${text.slice(0, 300)}; expected ${captured.response.slice(0, 300)}`)
      }
    }
    const n = seededInts(11)
    const realRequests = Array.from({ length: 200 }, () => concreteRequest(pk, n, stack.tokens))
    const rounds: { real: CellResult; trivial: CellResult }[] = []
    for (let round = 0; round < opts.rounds; round++) {
      const cell = (label: string, w: { url: string; pid: number }, requests: typeof realRequests): Promise<CellResult> =>
        measureCell({ label, url: w.url, serverPid: w.pid, pgPid: stack.pgPid, requests, connections: opts.connections, warmupSeconds: opts.warmupSeconds, seconds: opts.seconds })
      const order = round % 2 === 0 ? (['real', 'trivial'] as const) : (['trivial', 'real'] as const)
      const result: Partial<Record<'real' | 'trivial', CellResult>> = {}
      for (const which of order) {
        result[which] = which === 'real' ? await cell('workerd edgerest', real, realRequests) : await cell('workerd trivial', trivial, [{ method: 'GET', path: sample.path, headers: {} }])
      }
      const r = { real: result.real as CellResult, trivial: result.trivial as CellResult }
      rounds.push(r)
      log(`workerd round ${round + 1}: edgerest ${r.real.cpuUs.toFixed(0)} µs/req, trivial ${r.trivial.cpuUs.toFixed(0)} µs/req`)
    }
    return {
      bundleBytes,
      bundleGzipBytes,
      connections: opts.connections,
      real: medianCell(rounds.map((r) => r.real)),
      trivial: medianCell(rounds.map((r) => r.trivial)),
      ownCpuUs: spread(rounds.map((r) => r.real.cpuUs - r.trivial.cpuUs)),
      rounds,
    }
  } finally {
    for (const mf of started) await mf.dispose().catch(() => undefined)
    await endpoint.stop()
    rmSync(outdir, { recursive: true, force: true })
  }
}

export const formatWorkerd = (w: WorkerdReport): string =>
  [
    `workerd (Miniflare, no wrangler dev), PK GET over neon-http to the local /sql endpoint, c=${w.connections}:`,
    `  edgerest Worker   ${w.real.rps.toFixed(0).padStart(6)} req/s  p50 ${w.real.p50.toFixed(2)} ms  workerd CPU ${w.real.cpuUs.toFixed(0)} µs/request`,
    `  trivial Worker    ${w.trivial.rps.toFixed(0).padStart(6)} req/s  p50 ${w.trivial.p50.toFixed(2)} ms  workerd CPU ${w.trivial.cpuUs.toFixed(0)} µs/request  (same one /sql fetch, precomputed body)`,
    `  → the Worker's own CPU: ${w.ownCpuUs.median.toFixed(0)} µs per PK GET (range over rounds ${w.ownCpuUs.min.toFixed(0)}–${w.ownCpuUs.max.toFixed(0)})`,
    `  bundle (npm run build:worker, what npm run deploy uploads): ${w.bundleBytes.toLocaleString('en-US')} bytes, gzip -9 ${w.bundleGzipBytes.toLocaleString('en-US')} bytes`,
  ].join('\n')
