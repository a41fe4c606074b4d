/**
 * @module test/pg-in-workerd: how node-postgres loads inside @cloudflare/vitest-pool-workers
 * (0.15.1). The pool evaluates npm packages from node_modules one file at a time, resolving each
 * `require()` with the ROOT Vitest's Vite resolver (not the workers project's), and that resolver
 * picks the wrong file for two of pg's packages:
 * - `pg-protocol`: its exports map lists `import` before `require`, and `import` points at
 *   `esm/index.js`, an ES module with a `.js` extension in a package without `"type": "module"`.
 *   Required from pg's CommonJS it is then evaluated as CommonJS: "SyntaxError: Cannot use
 *   import statement outside a module" (pg/lib/connection.js).
 * - `pg-cloudflare`: the socket over `cloudflare:sockets` sits under the `workerd` condition,
 *   which that resolver lacks, so it gets the `default` export, an empty module:
 *   "CloudflareSocket is not a constructor".
 * Pointing both at their CommonJS builds, which is what wrangler's esbuild picks for a Worker
 * (`require` + `workerd` conditions), makes the pool load the same files a deployment runs. The
 * aliases go on the root config (vitest.config.ts) and on the workers config for standalone runs.
 * Node tests are unaffected: they load pg through Node's own require.
 */
import { fileURLToPath } from 'node:url'

const file = (path: string): string => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url))

export const PG_IN_WORKERD_ALIASES: Readonly<Record<string, string>> = {
  'pg-protocol': file('pg-protocol/dist/index.js'),
  'pg-cloudflare': file('pg-cloudflare/dist/index.js'),
}
