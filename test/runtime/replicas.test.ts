/**
 * Read replicas (EDGEREST_DB_READ_URI) against a real streaming replica: a local primary and a
 * `pg_basebackup -R` copy of it (test/helpers/streaming-replica.ts), loaded with
 * test/fixtures/replica/replica.sql, whose functions and view say which server answered
 * (`pg_is_in_recovery()`, the port, the connection's application_name).
 *
 * On every executor: on Node, the app over `pg` (a pool per database) and over `neon-http`; in
 * workerd, this repository's Worker bundled by wrangler (the production bundle) and run by
 * Miniflare, over `pg` (TCP), `pg` through Hyperdrive bindings (EDGEREST_HYPERDRIVE and
 * EDGEREST_HYPERDRIVE_READ), `neon-http` and `neon-ws`. The Neon targets reach both servers
 * through one local SQL-over-HTTP endpoint and one WebSocket bridge that route by the connection
 * string's host and port, as Neon's proxy routes by endpoint.
 *
 * The replica is listed twice under two application_names, so "one or several URIs, chosen per
 * request" shows as two replicas taking turns. With the replica's WAL replay paused, a write on
 * the primary is invisible to plain reads (they really are answered by the replica) and visible
 * at once with `Prefer: read-your-writes`. Last, with the replica stopped, reads still succeed
 * from the primary and the log says so.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PostgrestClient } from '@supabase/postgrest-js'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startNeonHttpEndpoint, type NeonHttpEndpoint } from '../../dev/neon-http-endpoint.ts'
import { startWsBridge, type WsBridge } from '../../dev/ws-bridge.ts'
import { introspectUrl } from '../../schema-cache/from-url.ts'
import { formatSnapshot } from '../../schema-cache/snapshot-json.ts'
import { endPgPools } from '../../src/execute/pg.ts'
import { edgerest } from '../../src/index-node.ts'
import { endpointStats, withApplicationName } from '../helpers/stack.ts'
import { startStreamingPair, type StreamingPair } from '../helpers/streaming-replica.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

type TargetName = 'node pg' | 'node neon-http' | 'workerd pg' | 'workerd pg via Hyperdrive' | 'workerd neon-http' | 'workerd neon-ws'
const TARGETS: readonly TargetName[] = ['node pg', 'node neon-http', 'workerd pg', 'workerd pg via Hyperdrive', 'workerd neon-http', 'workerd neon-ws']

interface Target {
  send(path: string, init?: RequestInit): Promise<Response>
  /** Everything the deployment has logged so far. */
  logs(): string
  /** The application_names of its primary and replica connections (Hyperdrive's carry none). */
  readonly apps: { readonly primary: string; readonly replicas: readonly string[] } | null
  close(): Promise<void>
}

let pair: StreamingPair
let endpoint: NeonHttpEndpoint
let bridge: WsBridge
let bundleDir: string
const targets = new Map<TargetName, Target>()
const nodeLogs: string[] = []

const authUrl = (port: number): string => `postgres://authenticator:authenticator@127.0.0.1:${port}/postgres`
const appName = (target: TargetName, role: string): string => `${target.replace(/[^a-z]+/g, '_')}_${role}`

/** The production build of this repository's Worker with node-postgres (dev/build-worker.mjs: wrangler's bundle, then terser). */
const bundleWorker = (outdir: string): string => {
  execFileSync(process.execPath, [join(root, 'dev/build-worker.mjs'), 'src/entry/workers-pg.ts', '--outdir', outdir], { cwd: root, stdio: 'pipe' })
  return join(outdir, 'workers-pg.js')
}

const compatibilityDate = (): string => /^compatibility_date = "([0-9-]+)"/m.exec(readFileSync(join(root, 'wrangler.toml'), 'utf8'))?.[1] ?? ''

const makeTarget = async (name: TargetName, snapshot: string, scriptPath: string): Promise<Target> => {
  const primary = withApplicationName(authUrl(pair.primaryPort), appName(name, 'primary'))
  const replicas = ['r1', 'r2'].map((r) => withApplicationName(authUrl(pair.replicaPort), appName(name, r)))
  const apps = { primary: appName(name, 'primary'), replicas: ['r1', 'r2'].map((r) => appName(name, r)) }
  const settings: Record<string, string> = {
    PGRST_DB_SCHEMAS: 'replica',
    PGRST_DB_ANON_ROLE: 'anonymous',
    PGRST_DB_URI: primary,
    EDGEREST_DB_READ_URI: replicas.join(', '),
    EDGEREST_SCHEMA_CACHE: snapshot,
    EDGEREST_NEON_FETCH_ENDPOINT: endpoint.url,
    EDGEREST_NEON_WS_PROXY: `127.0.0.1:${bridge.port}`,
    EDGEREST_NEON_WS_INSECURE: 'true',
  }
  if (name === 'node pg' || name === 'node neon-http') {
    const app = edgerest({ ...settings, EDGEREST_EXECUTOR: name === 'node pg' ? 'pg' : 'neon-http' })
    return {
      send: async (path, init) => app.fetch(new Request(`http://localhost${path}`, init)),
      logs: () => nodeLogs.join('\n'),
      apps,
      close: async () => undefined,
    }
  }
  const hyperdrive = name === 'workerd pg via Hyperdrive'
  const bindings: Record<string, string> = hyperdrive
    ? { ...settings, EDGEREST_DB_READ_URI: '', EDGEREST_HYPERDRIVE: 'PRIMARY_DB', EDGEREST_HYPERDRIVE_READ: 'REPLICA_DB' }
    : { ...settings, EDGEREST_EXECUTOR: name.replace('workerd ', '') }
  let output = ''
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: bundleDir,
    compatibilityDate: compatibilityDate(),
    compatibilityFlags: ['nodejs_compat'],
    bindings,
    // Real Hyperdrive bindings: workerd's, through Miniflare's local proxy to each server.
    ...(hyperdrive ? { hyperdrives: { PRIMARY_DB: authUrl(pair.primaryPort), REPLICA_DB: authUrl(pair.replicaPort) } } : {}),
    handleRuntimeStdio: (stdout, stderr) => {
      stdout.on('data', (d: Buffer) => (output += d.toString()))
      stderr.on('data', (d: Buffer) => (output += d.toString()))
    },
  })
  await mf.ready
  return {
    send: async (path, init) => (await mf.dispatchFetch(`http://localhost${path}`, init as never)) as unknown as Response,
    logs: () => output,
    apps: hyperdrive ? null : apps,
    close: () => mf.dispose(),
  }
}

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    nodeLogs.push(args.map(String).join(' '))
  })
  pair = await startStreamingPair([fileURLToPath(new URL('../fixtures/replica/replica.sql', import.meta.url))])
  endpoint = await startNeonHttpEndpoint({ pgHost: '127.0.0.1', pgPort: pair.primaryPort, routeByHost: true })
  bridge = await startWsBridge({ pgHost: '127.0.0.1', pgPort: pair.primaryPort, routeByAddress: true })
  const snapshot = formatSnapshot(await introspectUrl(authUrl(pair.primaryPort), { schemas: ['replica'], extraSearchPath: ['public'], preConfig: null }), 'compact')
  bundleDir = mkdtempSync(join(tmpdir(), 'edgerest-replica-worker-'))
  const scriptPath = bundleWorker(bundleDir)
  for (const name of TARGETS) targets.set(name, await makeTarget(name, snapshot, scriptPath))
}, 120_000)

afterAll(async () => {
  vi.restoreAllMocks()
  for (const t of targets.values()) await t.close()
  await endPgPools()
  await bridge?.stop()
  await endpoint?.stop()
  pair?.stop()
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true })
}, 60_000)

const target = (name: TargetName): Target => {
  const t = targets.get(name)
  if (t === undefined) throw new Error(`no target ${name}`)
  return t
}

const json = async (res: Response): Promise<unknown> => {
  const text = await res.text()
  expect(res.status, text).toBeLessThan(300)
  return JSON.parse(text) as unknown
}

const post = (body: unknown, prefer?: string): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...(prefer ? { Prefer: prefer } : {}) },
  body: JSON.stringify(body),
})

const RYW = { headers: { Prefer: 'read-your-writes' } }

const unique = (prefix: string): string => `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`

describe.each(TARGETS)('%s', (name) => {
  it('a GET of a STABLE function is answered by a replica', async () => {
    expect(await json(await target(name).send('/rpc/server'))).toMatchObject({ in_recovery: true, port: pair.replicaPort })
  })

  it('a POST call of a STABLE function too: it runs read-only', async () => {
    expect(await json(await target(name).send('/rpc/server', post({})))).toMatchObject({ in_recovery: true, port: pair.replicaPort })
  })

  it('a GET on a view too', async () => {
    expect(await json(await target(name).send('/server_view'))).toEqual([{ in_recovery: true, port: pair.replicaPort }])
  })

  it('writes go to the primary; reads see them once replayed, or at once with Prefer: read-your-writes', async () => {
    const t = target(name)
    const [a, b] = [unique('a'), unique('b')]
    const both = `/notes?id=in.(${a},${b})&order=id`
    await pair.pauseReplay()
    try {
      // A volatile function (a POST) and an insert: both need the primary (a hot standby refuses writes).
      expect(await json(await t.send('/rpc/add_note', post({ id: a, body: 'by rpc' })))).toMatchObject({ in_recovery: false, port: pair.primaryPort })
      expect((await t.send('/notes', post({ id: b, body: 'by insert' }))).status).toBe(201)
      // The replica replays nothing now: a plain read cannot see the writes...
      expect(await json(await t.send(both))).toEqual([])
      // ...and a read that asks for its own writes goes to the primary.
      const rows = [
        { id: a, body: 'by rpc' },
        { id: b, body: 'by insert' },
      ].sort((x, y) => x.id.localeCompare(y.id))
      expect(await json(await t.send(both, RYW))).toEqual(rows)
      expect(await json(await t.send('/rpc/server', RYW))).toMatchObject({ in_recovery: false, port: pair.primaryPort })
      // A known preference: handling=strict accepts it.
      expect(await json(await t.send(both, { headers: { Prefer: 'handling=strict, read-your-writes' } }))).toEqual(rows)
      // postgrest-js, unchanged: setHeader replaces the Prefer header its select() wrote, so the count goes in too.
      const client = new PostgrestClient('http://localhost', {
        fetch: (input: RequestInfo | URL, init?: RequestInit) => {
          const url = new URL(input instanceof Request ? input.url : input.toString())
          return t.send(`${url.pathname}${url.search}`, init)
        },
      })
      const viaClient = await client.from('notes').select('id,body', { count: 'exact' }).in('id', [a, b]).order('id').setHeader('Prefer', 'count=exact, read-your-writes')
      expect([viaClient.error, viaClient.data, viaClient.count]).toEqual([null, rows, 2])
      await pair.resumeReplay()
      await pair.caughtUp()
      expect(await json(await t.send(both))).toEqual(rows)
    } finally {
      await pair.resumeReplay()
    }
  })

  it('a STABLE function that runs SERIALIZABLE goes to the primary (a hot standby refuses that level)', async () => {
    expect(await json(await target(name).send('/rpc/serializable_server'))).toEqual({ in_recovery: false, isolation: 'serializable' })
  })

  it('the replicas take turns', async () => {
    const t = target(name)
    if (t.apps === null) return // Hyperdrive: one replica binding, and its connections carry no application_name.
    const { replicas } = t.apps
    if (name.endsWith('neon-http')) {
      // The endpoint pools per user and database, as Neon does, so the server-side application_name
      // is the pooled connection's; the endpoint counts each request under the one it was sent with.
      const counted = async (): Promise<number[]> => {
        const stats = await endpointStats(endpoint.url)
        return replicas.map((a) => stats.byApplicationName[a] ?? 0)
      }
      const before = await counted()
      for (let i = 0; i < 2; i++) await json(await t.send('/rpc/server'))
      expect(await counted()).toEqual(before.map((n) => n + 1))
      return
    }
    const seen = new Set<unknown>()
    for (let i = 0; i < 2; i++) seen.add(((await json(await t.send('/rpc/server'))) as { app: unknown }).app)
    expect([...seen].sort()).toEqual([...replicas].sort())
  })
})

describe.each(['node neon-http', 'workerd neon-http'] as const)('%s: still one HTTP request', (name) => {
  const counts = async (): Promise<{ primary: number; replicas: number }> => {
    const apps = target(name).apps
    if (apps === null) throw new Error('no application names')
    const stats = await endpointStats(endpoint.url)
    return { primary: stats.byApplicationName[apps.primary] ?? 0, replicas: apps.replicas.reduce((n, a) => n + (stats.byApplicationName[a] ?? 0), 0) }
  }

  it('a read is one request, to a replica; a write one request, to the primary', async () => {
    const before = await counts()
    await json(await target(name).send('/notes?limit=1'))
    expect(await counts()).toEqual({ primary: before.primary, replicas: before.replicas + 1 })
    expect((await target(name).send('/notes', post({ id: unique('c'), body: 'x' }))).status).toBe(201)
    expect(await counts()).toEqual({ primary: before.primary + 1, replicas: before.replicas + 1 })
  })
})

describe('with the replica stopped', () => {
  beforeAll(() => {
    pair.stopReplica()
  })

  // Not through Hyperdrive: Miniflare's local Hyperdrive proxy (4.20260426) lets a refused
  // connection to its target escape as an uncaught ECONNREFUSED in the host process and never
  // answers the Worker. The same executor meets a refused connection in `workerd pg`.
  it.each(TARGETS.filter((t) => t !== 'workerd pg via Hyperdrive'))('%s: reads still succeed, from the primary, and the log says so', async (name) => {
    const t = target(name)
    const logged = t.logs().length
    expect(await json(await t.send('/rpc/server'))).toMatchObject({ in_recovery: false, port: pair.primaryPort })
    // Workerd's output reaches the test through a pipe: wait for the line rather than race it.
    await vi.waitFor(() => expect(t.logs().slice(logged)).toMatch(/read replica \S+:\d+\/postgres is unreachable \(.*\); reads go to the primary/))
    // Every replica entry fails the same way (the two entries are one server): reads keep succeeding.
    expect(await json(await t.send('/server_view'))).toEqual([{ in_recovery: false, port: pair.primaryPort }])
  })
})
