/**
 * @module test/package/scratch-app: the files of the "new user's project" the package test
 * installs the packed tarball into. Plain JavaScript, run by plain `node` (no tsx, no TypeScript
 * toolchain), plus a TypeScript file the test only typechecks against the shipped `.d.ts` files.
 */

/** Versions the scratch project installs from the registry, next to the tarball. */
export const SCRATCH_DEPENDENCIES = {
  // The newest supabase-js whose engines allow Node 20 (2.110.0 and later need Node 22).
  '@supabase/supabase-js': '2.109.0',
} as const

/**
 * The user's own Hono app on Node: its own route, edgerest mounted under /api. The bindings come
 * as JSON in API_BINDINGS. Prints the port it listens on.
 */
export const SERVER_MJS = `
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { edgerest } from 'edgerest'

const app = new Hono()
app.get('/', (c) => c.text('my own app'))
app.route('/api', edgerest({ ...JSON.parse(process.env.API_BINDINGS), EDGEREST_EXECUTOR: 'pg' }))

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log('listening ' + info.port))
`

/** The same app as a Worker: edgerest() takes the Worker's bindings from each request. */
export const WORKER_MJS = `
import { Hono } from 'hono'
import { edgerest } from 'edgerest'

const app = new Hono()
app.get('/', (c) => c.text('my own worker'))
app.route('/api', edgerest())

export default app
`

/** The package's ready-made handlers, bundled on their own to see what they pull in. */
export const HANDLER_ENTRIES = {
  'workers-handler.mjs': `export { default } from 'edgerest/workers'\n`,
  'vercel-handler.mjs': `export { default, config } from 'edgerest/vercel'\n`,
} as const

/** The Workers build with node-postgres over TCP, as a user's Worker deploys it. */
export const WORKERS_PG_MJS = `export { default } from 'edgerest/workers-pg'\n`

/** wrangler.toml of the scratch Worker on edgerest/workers-pg (node-postgres needs nodejs_compat). */
export const workersPgWranglerToml = (compatibilityDate: string): string => `name = "scratch-pg"
main = "workers-pg.mjs"
compatibility_date = "${compatibilityDate}"
compatibility_flags = ["nodejs_compat"]
`

/**
 * Typechecked with the shipped declarations, under both module resolutions users have. The
 * `@ts-expect-error` lines fail the check if the types degrade to `any`.
 */
export const CHECK_TS = `
import { Hono } from 'hono'
import { edgerest, EdgerestConfigError, type EdgerestApp, type EdgerestBindings, type SchemaCacheSnapshot } from 'edgerest'
import worker, { createWorker } from 'edgerest/workers'
import workerPg, { createWorker as createPgWorker, edgerest as edgerestPg } from 'edgerest/workers-pg'
import vercelHandler, { config, createVercelHandler } from 'edgerest/vercel'

type Env = { PGRST_DB_URI: string; EDGEREST_SCHEMA_CACHE: string }
const app = new Hono<{ Bindings: Env }>()
app.route('/api', edgerest())
const bindings: EdgerestBindings = { PGRST_DB_URI: 'postgres://u@h/db', EDGEREST_BASE_PATH: '/rest/v1', EDGEREST_EXECUTOR: 'neon-http' }
const mounted: EdgerestApp = edgerest(bindings)
app.route('/v1', mounted)
app.route('/derived', edgerest((env) => ({ ...env, PGRST_DB_SCHEMAS: 'api' })))
declare const snapshot: SchemaCacheSnapshot
export const custom = createWorker({ EDGEREST_SCHEMA_CACHE: snapshot })
export const fromVercel = createVercelHandler({ EDGEREST_SCHEMA_CACHE: JSON.stringify(snapshot) })
export const problems: readonly string[] = new EdgerestConfigError(['x']).problems
export const handlers = [worker.fetch, vercelHandler, config.runtime] as const
export const pgWorker = createPgWorker({ EDGEREST_SCHEMA_CACHE: snapshot, EDGEREST_EXECUTOR: 'pg', EDGEREST_HYPERDRIVE: 'HYPERDRIVE' })
app.route('/pg', edgerestPg())
export const pgHandlers = [workerPg.fetch, pgWorker.fetch] as const

// @ts-expect-error: edgerest is a function, not a number
export const wrong: number = edgerest
// @ts-expect-error: a setting's value is text (or a number or boolean), not a date
export const wrongSetting: EdgerestBindings = { PGRST_DB_URI: new Date() }
`

/** tsconfig for CHECK_TS; `moduleResolution` is filled in per run. */
export const checkTsconfig = (moduleResolution: 'bundler' | 'nodenext'): string =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: moduleResolution === 'bundler' ? 'ESNext' : 'NodeNext',
      moduleResolution,
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: [],
      strict: true,
      noEmit: true,
      // The shipped declarations are checked too: an import in them that does not resolve is an error.
      skipLibCheck: false,
    },
    files: ['check.ts'],
  })
