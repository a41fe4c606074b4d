/**
 * @module bench/ops/run: `npm run bench:ops` — the Node server under load and a database outage,
 * as an operator would run it: the compiled entry (`node dist/src/entry/node.js`) with
 * PGRST_DB_POOL=5 and an admin server, in front of an embedded PostgreSQL this script controls.
 * Loopback only, bounded in time (about two minutes plus the build).
 *
 * 1. 60 s of mixed reads and writes at concurrency 20 (reads by key, pages, inserts, updates).
 * 2. The database is stopped (fast shutdown) while the load goes on, kept down 10 s, started again.
 * 3. The load goes on until the API has answered only 2xx for 10 s in a row (at most 40 s).
 *
 * It reports requests and their statuses per phase, latencies, the time from the database being
 * back to the first success, to /ready and to steady 2xx, the server's RSS and open file
 * descriptors at start and end, and what the database sees of the server's connections at the
 * end (no more than the pool and the listener: nothing leaked).
 *
 * Options: --seconds 60 --down 10 --concurrency 20 --pool 5 --settle 10 --cap 40 --json FILE
 * --no-build (use dist/ as it is).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { freePort, startEmbeddedPg, type EmbeddedPg } from '../../dev/embedded-pg.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const arg = (name: string, dflt: number): number => {
  const at = process.argv.indexOf(`--${name}`)
  return at < 0 ? dflt : Number(process.argv[at + 1])
}
const SECONDS = arg('seconds', 60)
const DOWN = arg('down', 10)
const CONCURRENCY = arg('concurrency', 20)
const POOL = arg('pool', 5)
const SETTLE = arg('settle', 10)
const CAP = arg('cap', 40)
const jsonAt = process.argv.indexOf('--json')
const JSON_OUT = jsonAt < 0 ? null : process.argv[jsonAt + 1]

const log = (msg: string): void => console.error(`[bench:ops] ${msg}`)

const SCHEMA = `
  DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticator') THEN CREATE ROLE authenticator LOGIN NOINHERIT PASSWORD 'authenticator'; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anonymous') THEN CREATE ROLE anonymous NOLOGIN; END IF;
  END $$;
  GRANT anonymous TO authenticator;
  CREATE SCHEMA api;
  CREATE TABLE api.items (id serial PRIMARY KEY, body text NOT NULL, n int NOT NULL DEFAULT 0);
  INSERT INTO api.items (body, n) SELECT 'item ' || i, i FROM generate_series(1, 10000) AS i;
  GRANT USAGE ON SCHEMA api TO anonymous;
  GRANT SELECT, INSERT, UPDATE ON api.items TO anonymous;
  GRANT USAGE ON SEQUENCE api.items_id_seq TO anonymous;
`

/** One request of the mix: 40% read by key, 30% a page, 20% insert, 10% update. */
const nextRequest = (base: string, i: number): [string, RequestInit] => {
  const r = (i * 7919) % 100
  const id = 1 + ((i * 104729) % 10000)
  if (r < 40) return [`${base}/items?id=eq.${id}`, {}]
  if (r < 70) return [`${base}/items?select=id,body&order=id&limit=20&offset=${id % 9980}`, {}]
  const json = { 'Content-Type': 'application/json' }
  if (r < 90) return [`${base}/items`, { method: 'POST', headers: json, body: JSON.stringify({ body: `load ${i}`, n: i }) }]
  return [`${base}/items?id=eq.${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ n: i }) }]
}

interface Sample {
  /** Seconds since the load started. */
  readonly at: number
  /** HTTP status, or 0 for a failed fetch (timeout, refused connection). */
  readonly status: number
  /** The error code of an error answer (its Proxy-Status), e.g. PGRST000. */
  readonly code: string | null
  readonly ms: number
}

const rssOf = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024
}
const fdsOf = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

/** Answers by status, error answers by status and code (`503 PGRST000`). */
const statusCounts = (samples: readonly Sample[]): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const s of samples) {
    const key = s.status === 0 ? 'failed fetch' : s.code === null ? String(s.status) : `${s.status} ${s.code}`
    out[key] = (out[key] ?? 0) + 1
  }
  return out
}

const waitForLine = (child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> =>
  new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), timeoutMs)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = pattern.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m)
      }
    })
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${out}`)))
  })

const main = async (): Promise<void> => {
  if (!process.argv.includes('--no-build')) {
    log('compiling (tsconfig.build.json → dist/)')
    const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' })
    if (build.status !== 0) throw new Error('the build failed')
  }
  const scratch = mkdtempSync(join(tmpdir(), 'edgerest-bench-ops-'))
  chmodSync(scratch, 0o755)
  const dataDir = join(scratch, 'data')
  const port = await freePort()
  let db: EmbeddedPg | null = await startEmbeddedPg({ port, dataDir, persistent: true })
  let server: ChildProcess | null = null
  try {
    const admin = new pg.Client({ connectionString: db.url })
    await admin.connect()
    try {
      await admin.query(SCHEMA)
      await admin.query('VACUUM ANALYZE api.items')
    } finally {
      await admin.end()
    }
    const apiPort = await freePort()
    const adminPort = await freePort()
    server = spawn(process.execPath, [join(ROOT, 'dist/src/entry/node.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PGRST_DB_URI: `postgres://authenticator:authenticator@127.0.0.1:${port}/postgres?application_name=bench-ops`,
        PGRST_DB_SCHEMAS: 'api',
        PGRST_DB_ANON_ROLE: 'anonymous',
        PGRST_DB_POOL: String(POOL),
        PGRST_SERVER_HOST: '127.0.0.1',
        PGRST_SERVER_PORT: String(apiPort),
        PGRST_ADMIN_SERVER_PORT: String(adminPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const serverLog: string[] = []
    server.stderr?.on('data', (d: Buffer) => serverLog.push(...d.toString().split('\n').filter(Boolean)))
    const [, base = ''] = await waitForLine(server, /edgerest listening on (\S+)/, 30_000)
    const pid = server.pid as number
    const adminBase = `http://127.0.0.1:${adminPort}`
    log(`server pid ${pid} on ${base}, admin on ${adminBase}, pool ${POOL}; PostgreSQL on port ${port}`)

    const rssStart = rssOf(pid)
    const fdsStart = fdsOf(pid)
    let rssMax = rssStart
    const samples: Sample[] = []
    const t0 = performance.now()
    const now = (): number => (performance.now() - t0) / 1000
    let stopAt = SECONDS + DOWN + CAP
    let i = 0
    const worker = async (): Promise<void> => {
      while (now() < stopAt) {
        const [url, init] = nextRequest(base, i++)
        const started = performance.now()
        let status = 0
        let code: string | null = null
        try {
          const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) })
          await res.arrayBuffer()
          status = res.status
          code = res.headers.get('proxy-status')?.split('error=')[1] ?? null
        } catch {
          status = 0
        }
        samples.push({ at: now(), status, code, ms: performance.now() - started })
        // A refused or failed fetch returns at once: do not spin.
        if (status === 0) await new Promise((r) => setTimeout(r, 50))
      }
    }
    /** RSS every 10 s: whether memory levels off under steady load or keeps growing. */
    const rssSeries: number[] = [rssStart]
    let ticks = 0
    const rssTimer = setInterval(() => {
      const rss = rssOf(pid)
      rssMax = Math.max(rssMax, rss)
      if (++ticks % 20 === 0) rssSeries.push(rss)
    }, 500)
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker))

    // The outage.
    await new Promise((r) => setTimeout(r, SECONDS * 1000))
    const downAt = now()
    log(`t=${downAt.toFixed(1)} s: stopping PostgreSQL`)
    await db.stop()
    db = null
    const stoppedAt = now()
    await new Promise((r) => setTimeout(r, DOWN * 1000))
    log(`t=${now().toFixed(1)} s: starting PostgreSQL`)
    db = await startEmbeddedPg({ port, dataDir, persistent: true })
    const upAt = now()
    log(`t=${upAt.toFixed(1)} s: PostgreSQL is up`)

    // Until only 2xx for SETTLE seconds, or the cap.
    let readyAt: number | null = null
    while (now() < stopAt) {
      if (readyAt === null) {
        const ready = await fetch(`${adminBase}/ready`).then((r) => r.status, () => 0)
        if (ready === 200) readyAt = now()
      }
      const since = now() - SETTLE
      const recent = samples.filter((s) => s.at >= since)
      if (since > upAt && recent.length > 0 && recent.every((s) => s.status >= 200 && s.status < 300)) stopAt = now()
      await new Promise((r) => setTimeout(r, 250))
    }
    await load
    clearInterval(rssTimer)
    const end = now()
    // Let the client's keep-alive sockets close (the server's keep-alive timeout is 5 s) before
    // counting file descriptors; the pool keeps its idle connections.
    await new Promise((r) => setTimeout(r, 6000))
    const rssEnd = rssOf(pid)
    const fdsEnd = fdsOf(pid)
    const metrics = await (await fetch(`${adminBase}/metrics`)).text()
    const check = new pg.Client({ connectionString: db.url })
    await check.connect()
    const conns = (await check.query<{ application_name: string; n: string }>("SELECT application_name, count(*) AS n FROM pg_stat_activity WHERE usename = 'authenticator' GROUP BY 1 ORDER BY 1")).rows
    await check.end()

    const ok = (s: Sample): boolean => s.status >= 200 && s.status < 300
    const steady = samples.filter((s) => s.at < downAt)
    const outage = samples.filter((s) => s.at >= downAt && s.at < upAt)
    const after = samples.filter((s) => s.at >= upAt)
    const firstOk = after.find(ok)
    // Steady again: the start of the last run of 2xx-only seconds.
    const lastBad = [...after].reverse().find((s) => !ok(s))
    const steadyLat = steady.filter(ok).map((s) => s.ms).sort((a, b) => a - b)
    const metric = (name: string): string => metrics.split('\n').find((l) => l.startsWith(`${name} `))?.slice(name.length + 1) ?? '?'
    const report = {
      settings: { seconds: SECONDS, down: DOWN, concurrency: CONCURRENCY, pool: POOL },
      requests: samples.length,
      duration: Number(end.toFixed(1)),
      phases: {
        steady: { seconds: Number(downAt.toFixed(1)), requests: steady.length, rps: Math.round(steady.length / downAt), statuses: statusCounts(steady), p50ms: Number(pct(steadyLat, 50).toFixed(1)), p99ms: Number(pct(steadyLat, 99).toFixed(1)) },
        outage: { seconds: Number((upAt - downAt).toFixed(1)), requests: outage.length, statuses: statusCounts(outage), stopTookSeconds: Number((stoppedAt - downAt).toFixed(1)) },
        recovery: { seconds: Number((end - upAt).toFixed(1)), requests: after.length, statuses: statusCounts(after) },
      },
      errorsByStatus: statusCounts(samples.filter((s) => !ok(s))),
      recovery: {
        firstSuccessAfterUpSeconds: firstOk === undefined ? null : Number((firstOk.at - upAt).toFixed(2)),
        readyAfterUpSeconds: readyAt === null ? null : Number((readyAt - upAt).toFixed(2)),
        onlySuccessAfterUpSeconds: lastBad === undefined ? 0 : Number(Math.max(0, lastBad.at - upAt).toFixed(2)),
      },
      server: {
        rssStart: rssStart,
        rssEnd: rssEnd,
        rssMax: rssMax,
        rssEvery10s: rssSeries,
        heapUsedEnd: Number(metric('nodejs_heap_used_bytes')),
        fdsStart,
        fdsEnd,
        poolTimeouts: metric('pgrst_db_pool_timeouts_total'),
        schemaCacheLoads: { success: metric('pgrst_schema_cache_loads_total{status="SUCCESS"}'), fail: metric('pgrst_schema_cache_loads_total{status="FAIL"}') },
        connectionsAtEnd: Object.fromEntries(conns.map((c) => [c.application_name, Number(c.n)])),
      },
    }
    const r = report
    console.log(`bench:ops — edgerest's Node server (compiled), pool ${POOL}, concurrency ${CONCURRENCY}, ${SECONDS} s of load, then PostgreSQL down ${DOWN} s`)
    console.log(`requests          ${r.requests} in ${r.duration} s`)
    console.log(`steady (${r.phases.steady.seconds} s)    ${r.phases.steady.requests} requests, ${r.phases.steady.rps} req/s, p50 ${r.phases.steady.p50ms} ms, p99 ${r.phases.steady.p99ms} ms, statuses ${JSON.stringify(r.phases.steady.statuses)}`)
    console.log(`outage (${r.phases.outage.seconds} s)    ${r.phases.outage.requests} requests, statuses ${JSON.stringify(r.phases.outage.statuses)} (stop took ${r.phases.outage.stopTookSeconds} s)`)
    console.log(`recovery (${r.phases.recovery.seconds} s)  ${r.phases.recovery.requests} requests, statuses ${JSON.stringify(r.phases.recovery.statuses)}`)
    console.log(`errors by status  ${JSON.stringify(r.errorsByStatus)}`)
    console.log(
      `time to recover   first 2xx ${r.recovery.firstSuccessAfterUpSeconds} s after PostgreSQL was up; /ready 200 after ${r.recovery.readyAfterUpSeconds} s; only 2xx from ${r.recovery.onlySuccessAfterUpSeconds} s on`,
    )
    console.log(`server RSS        start ${mib(rssStart)}, end ${mib(rssEnd)}, max ${mib(rssMax)}; V8 heap in use at the end ${mib(r.server.heapUsedEnd)}; open fds ${fdsStart} → ${fdsEnd}`)
    console.log(`RSS every 10 s    ${rssSeries.map((b) => (b / 1024 / 1024).toFixed(0)).join(' ')} MiB`)
    console.log(`pool              timeouts ${r.server.poolTimeouts}; schema cache loads ${r.server.schemaCacheLoads.success} ok / ${r.server.schemaCacheLoads.fail} failed`)
    console.log(`connections left  ${JSON.stringify(r.server.connectionsAtEnd)} (pool ${POOL} + listener)`)
    if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ ...report, serverLog: serverLog.slice(-200) }, null, 2))
  } finally {
    if (server !== null && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r))
      server.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (server.exitCode === null) server.kill('SIGKILL')
    }
    await db?.stop()
    rmSync(scratch, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
