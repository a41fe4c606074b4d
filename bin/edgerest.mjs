#!/usr/bin/env node
// Package bin: the Node server (src/entry/node.ts, compiled to dist/ by `npm run build`), set up
// with PostgREST's PGRST_* environment variables, like `postgrest` itself.
import '../dist/src/entry/node.js'
