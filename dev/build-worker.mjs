#!/usr/bin/env node
/**
 * The production build of this repository's Worker: wrangler bundles and minifies it exactly as
 * `wrangler deploy` would (wrangler.toml: esbuild, minify on, keep_names off), then terser
 * minifies the bundle once more. terser's compressor removes what esbuild's minifier keeps
 * (about 4% of the gzip size here), and that is the margin that keeps the Worker within its 120 KB
 * gzip budget (bench/README.md). `npm run deploy` uploads the result as it is
 * (`wrangler deploy --no-bundle --no-minify`: it is minified already).
 *
 *   node dev/build-worker.mjs [ENTRY] [--outdir DIR]
 *
 * ENTRY defaults to wrangler.toml's `main` (src/entry/workers.ts); src/entry/workers-pg.ts is the
 * build with node-postgres. Prints the module's path and its size, raw and gzip -9.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { minify } from 'terser'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const outFlag = args.indexOf('--outdir')
const outdir = outFlag >= 0 ? (args[outFlag + 1] ?? 'dist-worker') : join(root, 'dist-worker')
const entry = args.find((a, i) => !a.startsWith('--') && i !== outFlag + 1)

// Offline, as everywhere in this project (toolchain.md §6).
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
}
rmSync(outdir, { recursive: true, force: true })
execFileSync(join(root, 'node_modules/.bin/wrangler'), ['deploy', ...(entry ? [entry] : []), '--dry-run', '--outdir', outdir], { cwd: root, env, stdio: 'pipe' })

const file = join(outdir, `${basename(entry ?? 'workers.ts').replace(/\.[cm]?[jt]s$/, '')}.js`)
const bundled = readFileSync(file, 'utf8')
const out = await minify(bundled, { module: true, ecma: 2022, compress: { passes: 2 }, mangle: true, format: { comments: false } })
if (out.code === undefined) throw new Error('terser produced no output')
writeFileSync(file, out.code)
// wrangler's source map describes its own output, not terser's: do not ship a wrong one.
rmSync(`${file}.map`, { force: true })
const raw = Buffer.byteLength(out.code)
const gzip = gzipSync(out.code, { level: 9 }).length
process.stdout.write(`${JSON.stringify({ file, bytes: raw, gzipBytes: gzip, wranglerBytes: Buffer.byteLength(bundled) })}\n`)
