/**
 * The wiring every entry shares (src/bindings.ts, src/platform/*) without a runtime: which
 * executors a deployment gets on the edge and on Node, how the EDGEREST_NEON_* bindings are read
 * and refused, and where the snapshot and the JWT secret come from. The same wiring is exercised
 * end to end inside workerd (test/runtime/workers), the edge runtime (test/runtime/vercel) and
 * Node (test/runtime/node, test/package).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { buildDeps, readNeonTransport } from '../../src/bindings.ts'
import { readDbTargets } from '../../src/connections.ts'
import { withDefaults } from '../../src/edgerest.ts'
import { edgeExecutors, edgePlatform } from '../../src/platform/edge.ts'
import { nodePlatform } from '../../src/platform/node.ts'
import { workersPlatform } from '../../src/platform/workers.ts'
import { readConfig } from '../../src/config/from-env.ts'
import { qiKey } from '../../src/schema-cache/types.ts'
import { SPEC_SETTINGS } from '../spec/types.ts'

const config = (extra: Record<string, string> = {}) => {
  const c = readConfig({ ...SPEC_SETTINGS, PGRST_DB_URI: 'postgres://u:p@db.example/neondb', ...extra })
  if (!c.ok) throw new Error(c.error)
  return c.value
}
const noTransport = { fetchEndpoint: undefined, wsProxy: undefined, wsInsecure: false }

const URI = 'postgres://u:p@db.example/neondb'

describe('edgeExecutors', () => {
  it('neon-http by default, with neon-ws for the requests that roll back after reading', () => {
    const r = edgeExecutors(config(), noTransport, URI)
    expect(r.ok && [r.value.executor.kind, r.value.executor.interactive, r.value.interactiveExecutor.kind]).toEqual(['neon-http', false, 'neon-ws'])
  })

  it('EDGEREST_EXECUTOR=neon-ws runs everything over WebSockets', () => {
    const r = edgeExecutors(config({ EDGEREST_EXECUTOR: 'neon-ws' }), noTransport, URI)
    expect(r.ok && [r.value.executor.kind, r.value.interactiveExecutor.kind]).toEqual(['neon-ws', 'neon-ws'])
  })

  it('EDGEREST_EXECUTOR=pg is refused by the Neon-only edge build, which says where pg is', () => {
    expect(edgeExecutors(config({ EDGEREST_EXECUTOR: 'pg' }), noTransport, URI)).toEqual({
      ok: false,
      error:
        'EDGEREST_EXECUTOR: "pg" (node-postgres over TCP) needs TCP sockets: on Cloudflare Workers use the edgerest/workers-pg build (with the nodejs_compat flag), on Node the default build; on Vercel Edge use "neon-http" or "neon-ws"',
    })
  })
})

describe('the Workers platform (edgerest/workers-pg)', () => {
  it('neon-http stays the default; EDGEREST_EXECUTOR=pg is one interactive executor', () => {
    const neon = workersPlatform.executors(config(), noTransport, URI)
    expect(neon.ok && [neon.value.executor.kind, neon.value.interactiveExecutor.kind]).toEqual(['neon-http', 'neon-ws'])
    const pg = workersPlatform.executors(config({ EDGEREST_EXECUTOR: 'pg' }), noTransport, URI)
    expect(pg.ok && [pg.value.executor.kind, pg.value.executor.interactive, pg.value.interactiveExecutor === pg.value.executor]).toEqual(['pg', true, true])
  })
})

describe('readDbTargets', () => {
  const targets = (env: Record<string, unknown>, extra: Record<string, string> = {}) => readDbTargets(env, config(extra))

  it('the primary is PGRST_DB_URI; no replicas by default', () => {
    expect(targets({})).toEqual({ ok: true, value: { executor: null, primary: 'postgres://u:p@db.example/neondb', replicas: [] } })
  })

  it('EDGEREST_DB_READ_URI: one or several URIs; a libpq multi-host URI stays one; logs name host and database only', () => {
    const r = targets({
      EDGEREST_DB_READ_URI: 'postgres://u:p@ep-read-1.example/neondb,postgresql://u:p@h1:5432,h2:5433/app?target_session_attrs=any, postgres://u:p@ep-read-2.example:6543/neondb',
    })
    expect(r.ok && r.value.replicas).toEqual([
      { label: 'ep-read-1.example/neondb', uri: 'postgres://u:p@ep-read-1.example/neondb' },
      { label: 'h1:5432,h2:5433/app', uri: 'postgresql://u:p@h1:5432,h2:5433/app?target_session_attrs=any' },
      { label: 'ep-read-2.example:6543/neondb', uri: 'postgres://u:p@ep-read-2.example:6543/neondb' },
    ])
  })

  it('a bad entry is reported without its text (it may hold a password)', () => {
    expect(targets({ EDGEREST_DB_READ_URI: 'postgres://u:p@ok/db, mysql://u:secret@h/db' })).toEqual({
      ok: false,
      error: ['EDGEREST_DB_READ_URI: entry 2 of 2 is not a postgres:// or postgresql:// URI'],
    })
  })

  it('Hyperdrive bindings: the primary and the replicas are their connection strings, and pg is implied', () => {
    const hd = (host: string) => ({ connectionString: `postgres://u:p@${host}.hyperdrive.local:5432/db`, host: `${host}.hyperdrive.local` })
    const r = targets({ EDGEREST_HYPERDRIVE: 'DB', EDGEREST_HYPERDRIVE_READ: 'READ_A, READ_B', DB: hd('main'), READ_A: hd('a'), READ_B: hd('b') })
    expect(r.ok && [r.value.executor, r.value.primary, r.value.replicas.map((x) => x.label)]).toEqual([
      'pg',
      'postgres://u:p@main.hyperdrive.local:5432/db',
      ['a.hyperdrive.local:5432/db', 'b.hyperdrive.local:5432/db'],
    ])
  })

  it('names that are not Hyperdrive bindings, and a Neon executor with Hyperdrive, are refused', () => {
    expect(targets({ EDGEREST_HYPERDRIVE: 'DB', EDGEREST_HYPERDRIVE_READ: 'NOPE', DB: 'postgres://x' }, { EDGEREST_EXECUTOR: 'neon-http' })).toEqual({
      ok: false,
      error: [
        'EDGEREST_HYPERDRIVE: "DB" is not a Hyperdrive binding of this Worker (declare it in wrangler.toml under [[hyperdrive]] with binding = "DB")',
        'EDGEREST_HYPERDRIVE: Hyperdrive is reached over TCP by the pg executor; EDGEREST_EXECUTOR is "neon-http" (set it to "pg" or leave it unset)',
        'EDGEREST_HYPERDRIVE_READ: "NOPE" is not a Hyperdrive binding of this Worker (declare it in wrangler.toml under [[hyperdrive]] with binding = "NOPE")',
      ],
    })
  })
})

describe('read replicas in the wiring', () => {
  it('no EDGEREST_DB_READ_URI: no read executor; with it, a read router of the platform kind', () => {
    const none = buildDeps(specBindings(), nodePlatform)
    expect(none.ok && none.value.readExecutor).toBe(undefined)
    const edge = buildDeps(specBindings({ EDGEREST_DB_READ_URI: 'postgres://u:p@ep-read.example/neondb' }), edgePlatform)
    expect(edge.ok && [edge.value.executor.kind, edge.value.readExecutor?.kind, edge.value.readExecutor?.interactive]).toEqual(['neon-http', 'neon-http', false])
    const node = buildDeps(specBindings({ EDGEREST_DB_READ_URI: 'postgres://u:p@replica.example/db' }), nodePlatform)
    expect(node.ok && [node.value.readExecutor?.kind, node.value.readExecutor?.interactive]).toEqual(['pg', true])
  })
})

describe('readNeonTransport', () => {
  it('unset bindings keep the driver defaults (Neon)', () => {
    expect(readNeonTransport({})).toEqual({ ok: true, value: noTransport })
  })

  it('reads the local-development bindings; wrangler booleans are accepted', () => {
    expect(
      readNeonTransport({ EDGEREST_NEON_FETCH_ENDPOINT: 'http://127.0.0.1:4444/sql', EDGEREST_NEON_WS_PROXY: '127.0.0.1:5555', EDGEREST_NEON_WS_INSECURE: true }),
    ).toEqual({ ok: true, value: { fetchEndpoint: 'http://127.0.0.1:4444/sql', wsProxy: '127.0.0.1:5555', wsInsecure: true } })
  })

  it('reports every bad binding', () => {
    expect(readNeonTransport({ EDGEREST_NEON_FETCH_ENDPOINT: '127.0.0.1/sql', EDGEREST_NEON_WS_PROXY: 'ws://x:1', EDGEREST_NEON_WS_INSECURE: 'sometimes' })).toEqual({
      ok: false,
      error: [
        'EDGEREST_NEON_FETCH_ENDPOINT: expected an http(s) URL such as https://host/sql, got "127.0.0.1/sql"',
        'EDGEREST_NEON_WS_PROXY: expected host:port[/path] without a scheme, got "ws://x:1"',
        'EDGEREST_NEON_WS_INSECURE: expected a boolean (true/false), got "sometimes"',
      ],
    })
  })
})

const specBindings = (extra: Record<string, unknown> = {}) => ({
  ...SPEC_SETTINGS,
  PGRST_DB_URI: inject('authUrl'),
  EDGEREST_SCHEMA_CACHE: inject('schemaCacheJson'),
  ...extra,
})
const problems = (r: { ok: true } | { ok: false; error: string }): string => (r.ok ? '' : r.error)

describe('buildDeps', () => {
  it('wires config, the injected snapshot and the executors', () => {
    const deps = buildDeps(specBindings(), edgePlatform)
    expect(deps.ok && [deps.value.config.dbSchemas, deps.value.cache.tables.has(qiKey({ schema: 'test', name: 'items' })), deps.value.executor.kind]).toEqual([
      ['test', 'api', 'other'],
      true,
      'neon-http',
    ])
  })

  it('takes the snapshot as the parsed object too', () => {
    const deps = buildDeps(specBindings({ EDGEREST_SCHEMA_CACHE: JSON.parse(inject('schemaCacheJson')) as unknown }), edgePlatform)
    expect(deps.ok && deps.value.cache.tables.has(qiKey({ schema: 'test', name: 'items' }))).toBe(true)
  })

  it('names the source of a bad snapshot', () => {
    const deps = buildDeps(specBindings({ EDGEREST_SCHEMA_CACHE: { format: 'edgerest-schema-cache', version: 0 } }), edgePlatform)
    expect(problems(deps)).toMatch(/^the EDGEREST_SCHEMA_CACHE binding: schema cache snapshot version 0 is not supported/)
  })

  it('says how to build a snapshot when there is none', () => {
    expect(problems(buildDeps(specBindings({ EDGEREST_SCHEMA_CACHE: undefined }), edgePlatform))).toBe(
      'EDGEREST_SCHEMA_CACHE: not set; build one with `npx edgerest-schema-cache --db-uri URL --schemas LIST --out snapshot.json`, and pass the snapshot (the object or its JSON)',
    )
    expect(problems(buildDeps(specBindings({ EDGEREST_SCHEMA_CACHE: '' }), nodePlatform))).toMatch(/its JSON, or the file path\)$/)
  })

  it('refuses a PGRST_JWT_SECRET=@file on the edge, which has no files', () => {
    expect(problems(buildDeps(specBindings({ PGRST_JWT_SECRET: '@/run/secrets/jwt' }), edgePlatform))).toBe(
      'PGRST_JWT_SECRET: @/run/secrets/jwt names a file, and this runtime has no file system; give the secret itself',
    )
  })
})

describe('the Node platform', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgerest-bindings-'))

  it('runs pg by default, and the Neon executors when asked', () => {
    const pg = buildDeps(specBindings(), nodePlatform)
    expect(pg.ok && [pg.value.executor.kind, pg.value.interactiveExecutor?.kind]).toEqual(['pg', 'pg'])
    const http = buildDeps(specBindings({ EDGEREST_EXECUTOR: 'neon-http' }), nodePlatform)
    expect(http.ok && [http.value.executor.kind, http.value.interactiveExecutor?.kind]).toEqual(['neon-http', 'neon-ws'])
  })

  it('reads EDGEREST_SCHEMA_CACHE as a file path', () => {
    const file = join(dir, 'snapshot.json')
    writeFileSync(file, inject('schemaCacheJson'))
    const deps = buildDeps(specBindings({ EDGEREST_SCHEMA_CACHE: file }), nodePlatform)
    expect(deps.ok && deps.value.cache.tables.has(qiKey({ schema: 'test', name: 'items' }))).toBe(true)
    expect(problems(buildDeps(specBindings({ EDGEREST_SCHEMA_CACHE: join(dir, 'missing.json') }), nodePlatform))).toMatch(
      /^EDGEREST_SCHEMA_CACHE: cannot read the snapshot file .*missing\.json: ENOENT/,
    )
  })

  it('reads PGRST_JWT_SECRET=@file without its final line break', async () => {
    const secret = 'a-secret-of-at-least-thirty-two-characters'
    const file = join(dir, 'jwt-secret')
    writeFileSync(file, `${secret}\n`)
    const deps = buildDeps(specBindings({ PGRST_JWT_SECRET: `@${file}` }), nodePlatform)
    expect(deps.ok && deps.value.config.jwtSecret).toBe(secret)
    expect(problems(buildDeps(specBindings({ PGRST_JWT_SECRET: `@${dir}/none` }), nodePlatform))).toMatch(/^PGRST_JWT_SECRET: cannot read .*\/none: ENOENT/)
  })
})

describe('withDefaults', () => {
  it('puts defaults under the bindings; an unset, null or empty binding keeps the default', () => {
    expect(withDefaults({ A: 'default', B: 'default', C: 'default', D: 'default' }, { A: 'set', B: '', C: undefined, E: 0 })).toEqual({
      A: 'set',
      B: 'default',
      C: 'default',
      D: 'default',
      E: 0,
    })
  })
})
