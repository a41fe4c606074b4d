/**
 * The production build (`npm run build:worker`, what `npm run deploy` uploads: wrangler's bundle
 * minified again by terser) stays within its size budget — 120 KB gzip, the figure issue 13 set
 * — and, run by workerd (Miniflare) as it is, answers over neon-http like the source the other
 * workerd tests run.
 *
 * Built here from the package's Worker handler (src/workers.ts), which is this repository's
 * Worker without the bundled schema-cache/snapshot.json: the budget is the code's, so a deployment
 * that bundles a larger schema of its own does not fail it. (With the demo snapshot the Worker is
 * about 700 bytes gzip more; `npm run bench:http` reports that one.)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { SPEC_SETTINGS } from '../spec/types.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const GZIP_BUDGET = 120_000

let outdir: string
let built: { file: string; bytes: number; gzipBytes: number }
let mf: Miniflare

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'edgerest-worker-build-'))
  built = JSON.parse(execFileSync(process.execPath, [join(root, 'dev/build-worker.mjs'), 'src/workers.ts', '--outdir', outdir], { cwd: root, encoding: 'utf8' })) as typeof built
  const compatibilityDate = /^compatibility_date = "([0-9-]+)"/m.exec(readFileSync(join(root, 'wrangler.toml'), 'utf8'))?.[1] ?? ''
  mf = new Miniflare({
    modules: true,
    scriptPath: built.file,
    modulesRoot: outdir,
    compatibilityDate,
    compatibilityFlags: ['nodejs_compat'],
    bindings: {
      ...SPEC_SETTINGS,
      PGRST_DB_URI: inject('authUrl'),
      EDGEREST_SCHEMA_CACHE: inject('schemaCacheJson'),
      EDGEREST_NEON_FETCH_ENDPOINT: inject('neonHttpUrl'),
      EDGEREST_NEON_WS_PROXY: inject('wsProxy'),
      EDGEREST_NEON_WS_INSECURE: 'true',
    },
  })
  await mf.ready
}, 120_000)

afterAll(async () => {
  await mf?.dispose()
  rmSync(outdir, { recursive: true, force: true })
})

describe('the production Worker build', () => {
  it(`is one module within ${GZIP_BUDGET.toLocaleString('en-US')} bytes gzip`, () => {
    expect(built.gzipBytes).toBeGreaterThan(0)
    expect(built.gzipBytes).toBeLessThanOrEqual(GZIP_BUDGET)
  })

  it('answers reads, embeds and errors over neon-http', async () => {
    const get = async (path: string, init?: RequestInit) => {
      const res = (await mf.dispatchFetch(`http://localhost${path}`, init as never)) as unknown as Response
      return { status: res.status, body: await res.json() }
    }
    expect(await get('/items?id=eq.1&select=id,name')).toEqual({ status: 200, body: [{ id: 1, name: 'apple' }] })
    expect(await get('/items?id=eq.2&select=id,name')).toEqual({ status: 200, body: [{ id: 2, name: 'banana' }] })
    const embed = await get('/projects?select=id,clients(name)&order=id&limit=1')
    expect(embed.status).toBe(200)
    expect(embed.body).toHaveLength(1)
    expect(await get('/itemz')).toMatchObject({ status: 404, body: { code: 'PGRST205' } })
    expect(await get('/items?id=eq.1', { headers: { Authorization: 'Bearer not-a-token' } })).toMatchObject({ status: 401, body: { code: 'PGRST301' } })
  })
})
