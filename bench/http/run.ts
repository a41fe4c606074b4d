/**
 * @module bench/http/run: `npm run bench:http` — edgerest's Node entry against a hand-written
 * Hono + node-postgres "floor" that sends exactly the same statements (bench/http/floor.ts), on
 * loopback, over a 100k-book database (bench/http/schema.sql); then the Worker's own CPU per PK GET
 * under workerd (bench/http/workerd.ts). See bench/README.md for what it prints.
 *
 * Both servers are separate processes started the way they run in production (the commands are
 * flags); the driver runs autocannon in this process. Before measuring, every workload's
 * responses are compared: both servers must answer with the same status and byte-identical bodies.
 * Rounds are interleaved — for each round, workload and concurrency both servers run back to back,
 * alternating which goes first — so slow drift of a shared machine hits both alike.
 *
 * `--profile` instead records a CPU profile (`--cpu-prof`) of the edgerest server during a PK GET
 * run at c=10 and prints its top self-time functions and modules.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { AutocannonRequest } from 'autocannon'
import { freePort } from '../../dev/embedded-pg.ts'
import { measureCell, runLoad } from './load.ts'
import { PROJECT_ROOT, startServer, type ServerProcess } from './procs.ts'
import { bundleForProfile, summariseProfile } from './profile.ts'
import { formatTable, summarise, type Sample, type ServerName } from './report.ts'
import { startBenchStack, type BenchStack } from './stack.ts'
import { formatWorkerd, measureWorkerd, type WorkerdReport } from './workerd.ts'
import { concreteRequest, PK_GET, seededInts, WORKLOADS, type Workload } from './workloads.ts'

/**
 * How production runs the Node entry (`npm run serve` without npm in front): the compiled
 * JavaScript in dist/, which main() builds first unless --no-build.
 */
const DEFAULT_EDGEREST_CMD = 'node dist/src/entry/node.js'
/**
 * A server with V8's CPU profiler on (`--cpu-prof` is not allowed in NODE_OPTIONS on Node 20, so it
 * is a command of its own): `{dir}` is the profile directory, `{bundle}` the server's entry bundled
 * for profiling (see profile.ts for why not tsx).
 */
const DEFAULT_PROFILE_CMD = 'node --cpu-prof --cpu-prof-dir={dir} {bundle}'
const PROFILE_ENTRIES: Readonly<Record<ServerName, string>> = { edgerest: 'src/entry/node.ts', floor: 'bench/http/floor.ts' }
/** The floor imports edgerest's stages (TypeScript) for its templates, so it runs under tsx too. */
const DEFAULT_FLOOR_CMD = 'node_modules/.bin/tsx bench/http/floor.ts'

const USAGE = `usage: npm run bench:http -- [options]

  --rounds N          interleaved rounds (default 3)
  --duration S        measured seconds per cell (default 2)
  --warmup S          unmeasured warm-up seconds before each cell (default 0.5)
  --concurrency LIST  connections, comma separated (default 1,10,50)
  --workloads LIST    subset of: ${WORKLOADS.map((w) => w.name).join(', ')}
  --quick             smoke run: 1 round, 1 s cells, 0.3 s warm-up
  --no-workerd        skip the workerd measurement
  --json FILE         also write every sample and the summary as JSON
  --no-build          do not compile dist/ first (tsconfig.build.json)
  --edgerest-cmd CMD  command that starts edgerest's Node entry (default: $BENCH_EDGEREST_CMD or
                      "${DEFAULT_EDGEREST_CMD}")
  --floor-cmd CMD     command that starts the floor (default "${DEFAULT_FLOOR_CMD}")
  --profile           instead: CPU-profile edgerest during a PK GET run at c=10, print the top
                      self-time functions/modules of the measured window. --profile-target floor
                      profiles the floor; --profile-workload NAME (default pk-get);
                      --profile-seconds S (default 10); --cpu-prof-dir DIR
                      (default a new temp dir, kept); --profile-cmd CMD (default
                      "${DEFAULT_PROFILE_CMD}")
`

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '0.5' },
    concurrency: { type: 'string', default: '1,10,50' },
    workloads: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-workerd': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    json: { type: 'string' },
    'edgerest-cmd': { type: 'string' },
    'floor-cmd': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'profile-seconds': { type: 'string', default: '10' },
    'cpu-prof-dir': { type: 'string' },
    'profile-cmd': { type: 'string', default: DEFAULT_PROFILE_CMD },
    'profile-target': { type: 'string', default: 'edgerest' },
    'profile-workload': { type: 'string', default: 'pk-get' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

const usageError = (msg: string): never => {
  console.error(`bench:http: ${msg}\n\n${USAGE}`)
  process.exit(2)
}

const positive = (name: string, v: string): number => {
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) usageError(`--${name} must be a positive number, got ${JSON.stringify(v)}`)
  return n
}

const settings = (() => {
  if (args.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const names = args.workloads?.split(',').map((s) => s.trim()) ?? WORKLOADS.map((w) => w.name)
  const workloads = names.map((n) => WORKLOADS.find((w) => w.name === n) ?? usageError(`unknown workload ${JSON.stringify(n)}`))
  return {
    rounds: args.quick ? 1 : Math.round(positive('rounds', args.rounds)),
    seconds: args.quick ? 1 : positive('duration', args.duration),
    warmupSeconds: args.quick ? 0.3 : positive('warmup', args.warmup),
    connections: args.concurrency.split(',').map((c) => Math.round(positive('concurrency', c.trim()))),
    workloads,
    edgerestCmd: args['edgerest-cmd'] ?? process.env['BENCH_EDGEREST_CMD'] ?? DEFAULT_EDGEREST_CMD,
    floorCmd: args['floor-cmd'] ?? DEFAULT_FLOOR_CMD,
  }
})()

const log = (msg: string): void => console.error(`[bench:http] ${msg}`)

/** Every request of a workload the load generator cycles through: the same set for both servers. */
const requestSet = (w: Workload, tokens: readonly string[]): AutocannonRequest[] => {
  const n = seededInts([...w.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 17))
  return Array.from({ length: 200 }, () => concreteRequest(w, n, tokens))
}

const startServers = async (stack: BenchStack, cmds: Partial<Record<ServerName, string>> = {}): Promise<Record<ServerName, ServerProcess>> => {
  const pk = concreteRequest(PK_GET, seededInts(1), stack.tokens)
  const start = async (name: ServerName, cmd: string): Promise<ServerProcess> => {
    const port = await freePort()
    const env = { ...process.env, ...stack.serverEnv, PGRST_SERVER_PORT: String(port) }
    return startServer(name, cmd, env, `http://127.0.0.1:${port}`, { path: pk.path, status: 200 })
  }
  const edgerest = await start('edgerest', cmds.edgerest ?? settings.edgerestCmd)
  try {
    return { edgerest, floor: await start('floor', cmds.floor ?? settings.floorCmd) }
  } catch (e) {
    await edgerest.stop()
    throw e
  }
}

const truncateReviews = (stack: BenchStack): Promise<unknown> => stack.query('TRUNCATE api.reviews RESTART IDENTITY')

/** Both servers must answer every sample request of every workload with the same status and body. */
const verifyIdentical = async (stack: BenchStack, servers: Record<ServerName, ServerProcess>, workloads: readonly Workload[]): Promise<void> => {
  for (const w of workloads) {
    for (const req of requestSet(w, stack.tokens).slice(0, 3)) {
      const answers: { status: number; body: string }[] = []
      for (const s of [servers.edgerest, servers.floor]) {
        if (w.writes) await truncateReviews(stack)
        const r = await fetch(s.url + req.path, { method: req.method, headers: req.headers, body: req.body ?? null })
        answers.push({ status: r.status, body: await r.text() })
      }
      const [e, f] = answers as [{ status: number; body: string }, { status: number; body: string }]
      if (e.status !== w.status || f.status !== w.status || e.body !== f.body) {
        throw new Error(
          `${w.name}: the servers disagree on ${req.method} ${req.path}\n  edgerest ${e.status}: ${e.body.slice(0, 500)}\n  floor    ${f.status}: ${f.body.slice(0, 500)}`,
        )
      }
    }
  }
  if (workloads.some((w) => w.writes)) await truncateReviews(stack)
  log(`identical status and bodies from both servers: ${workloads.map((w) => w.name).join(', ')}`)
}

const measureNode = async (stack: BenchStack): Promise<Sample[]> => {
  const servers = await startServers(stack)
  try {
    await verifyIdentical(stack, servers, settings.workloads)
    const samples: Sample[] = []
    const sets = new Map(settings.workloads.map((w) => [w.name, requestSet(w, stack.tokens)]))
    // Before the first cell, every code path of both servers gets hot (JIT, pools at full size,
    // prepared statements): otherwise the first cells of round 1 measure compilation.
    for (const w of settings.workloads) {
      for (const server of ['edgerest', 'floor'] as const) {
        if (w.writes) await truncateReviews(stack)
        const warm = await runLoad(servers[server].url, sets.get(w.name) as AutocannonRequest[], 10, settings.warmupSeconds * 2)
        if (warm.failed > 0) throw new Error(`${server} ${w.name}: ${warm.failed} failed requests during the warm-up`)
      }
    }
    log(`servers warmed up on every workload`)
    for (let round = 1; round <= settings.rounds; round++) {
      let cell = 0
      for (const w of settings.workloads) {
        for (const connections of settings.connections) {
          // Who goes first alternates from cell to cell, and flips for the same cell each round.
          const order: ServerName[] = (round + cell++) % 2 === 1 ? ['edgerest', 'floor'] : ['floor', 'edgerest']
          const line: string[] = []
          for (const server of order) {
            if (w.writes) await truncateReviews(stack)
            const s = servers[server]
            const result = await measureCell({
              label: `${server} ${w.name} c=${connections}`,
              url: s.url,
              serverPid: s.pid,
              pgPid: stack.pgPid,
              requests: sets.get(w.name) as AutocannonRequest[],
              connections,
              warmupSeconds: settings.warmupSeconds,
              seconds: settings.seconds,
            }).catch((e: unknown) => {
              throw new Error(`${e instanceof Error ? e.message : String(e)}\n${server} output:\n${s.output()}`)
            })
            samples.push({ round, workload: w.name, connections, server, result })
            line.push(`${server} ${result.rps.toFixed(0)} req/s ${result.cpuUs.toFixed(0)} µs/req`)
          }
          log(`round ${round} ${w.name} c=${connections}: ${line.join(', ')}`)
        }
      }
    }
    return samples
  } finally {
    await servers.edgerest.stop()
    await servers.floor.stop()
  }
}

/** The largest .cpuprofile in dir (a launcher such as tsx writes its own, nearly empty, one). */
const largestProfile = (dir: string): string => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
  if (files.length === 0) throw new Error(`no .cpuprofile was written to ${dir}`)
  return join(dir, files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0] as string)
}

/** CPU-profile one server (the other is stopped) during a run of one workload (PK GET unless --profile-workload) at c=10. */
const profileServer = async (stack: BenchStack): Promise<void> => {
  const target = args['profile-target']
  const workloadName = args['profile-workload']
  const workload = WORKLOADS.find((w) => w.name === workloadName) ?? usageError(`unknown --profile-workload ${JSON.stringify(workloadName)}`)
  if (target !== 'edgerest' && target !== 'floor') return usageError(`--profile-target must be edgerest or floor, got ${JSON.stringify(target)}`)
  const seconds = positive('profile-seconds', args['profile-seconds'])
  const dir = args['cpu-prof-dir'] ?? mkdtempSync(join(tmpdir(), 'edgerest-cpu-prof-'))
  const cmd = args['profile-cmd'].replaceAll('{dir}', dir).replaceAll('{bundle}', await bundleForProfile(PROFILE_ENTRIES[target]))
  const servers = await startServers(stack, target === 'edgerest' ? { edgerest: cmd } : { floor: cmd })
  const requests = requestSet(workload, stack.tokens)
  const server = servers[target]
  let window: { fromUs: number; toUs: number }
  try {
    await servers[target === 'edgerest' ? 'floor' : 'edgerest'].stop()
    await runLoad(server.url, requests, 10, 2)
    const nowUs = (): number => Number(process.hrtime.bigint() / 1000n)
    const fromUs = nowUs()
    const r = await measureCell({ label: `${target} ${workload.name} c=10 (profiled)`, url: server.url, serverPid: server.pid, pgPid: stack.pgPid, requests, connections: 10, warmupSeconds: 0, seconds })
    window = { fromUs, toUs: nowUs() }
    log(`profiled run: ${r.rps.toFixed(0)} req/s, ${r.cpuUs.toFixed(0)} µs CPU/request (the profiler adds overhead)`)
  } finally {
    await servers.edgerest.stop()
    await servers.floor.stop()
  }
  console.log(summariseProfile(largestProfile(dir), window))
}

const main = async (): Promise<void> => {
  const cellSeconds = settings.warmupSeconds + settings.seconds + 0.2
  const cells = settings.rounds * settings.workloads.length * settings.connections.length * 2
  if (!args.profile) {
    log(
      `${settings.rounds} round(s) × ${settings.workloads.length} workloads × c=${settings.connections.join('/')} × 2 servers, ` +
        `${settings.warmupSeconds} s warm-up + ${settings.seconds} s per cell: about ${Math.ceil((cells * cellSeconds) / 60)} min, plus setup and workerd`,
    )
  }
  log(`node ${process.version}; edgerest: ${settings.edgerestCmd}; floor: ${settings.floorCmd}`)
  if (!args['no-build']) {
    log('compiling (tsconfig.build.json → dist/)')
    execFileSync(join(PROJECT_ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'inherit' })
  }
  const stack = await startBenchStack(log)
  try {
    if (args.profile) return await profileServer(stack)
    const samples = await measureNode(stack)
    const rows = summarise(samples)
    let workerd: WorkerdReport | null = null
    if (!args['no-workerd']) {
      workerd = await measureWorkerd(stack, PK_GET, { rounds: settings.rounds, warmupSeconds: settings.warmupSeconds, seconds: settings.seconds, connections: 10 }, log)
    }
    console.log('')
    console.log(`edgerest (${settings.edgerestCmd}) vs floor (Hono + pg, same statements); node ${process.version}, loopback`)
    console.log(formatTable(rows))
    if (workerd) console.log(`\n${formatWorkerd(workerd)}`)
    if (args.json) {
      writeFileSync(args.json, JSON.stringify({ settings: { ...settings, workloads: settings.workloads.map((w) => w.name) }, samples, summary: rows, workerd }, null, 2))
      log(`wrote ${args.json}`)
    }
  } finally {
    await stack.stop()
  }
  log(`done in ${(performance.now() / 60_000).toFixed(1)} min`)
}

// Ctrl-C / SIGTERM: exit through 'exit' handlers, which stop the servers and PostgreSQL.
process.once('SIGINT', () => process.exit(130))
process.once('SIGTERM', () => process.exit(143))

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:http failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
    process.exit(1)
  },
)
