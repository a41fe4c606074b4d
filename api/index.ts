/**
 * @module api/index: this project's Vercel function. `vercel.json` rewrites every path to it
 * (outside Next.js, Vercel's `api/[...path]` files match one path segment only, so a catch-all
 * is an `api/index.ts` plus a rewrite); the request keeps the URL the client asked for. The
 * package's Vercel handler (src/vercel.ts) with schema-cache/snapshot.json bundled as the
 * default EDGEREST_SCHEMA_CACHE; settings are the project's environment variables.
 *
 * Vercel compiles this file and what it imports with the project's tsconfig.json, whose
 * rewriteRelativeImportExtensions turns the `.ts` import specifiers into `.js`. vercel.json
 * skips the project build (`npm run build` is the npm package's) and serves the empty public/
 * as the static output, so every path reaches this function.
 */
import snapshot from '../schema-cache/snapshot.json'
import { createVercelHandler } from '../src/vercel.ts'

// Declared here: Vercel reads it from the function's own file.
export const config = { runtime: 'edge' }

export default createVercelHandler({ EDGEREST_SCHEMA_CACHE: snapshot })
