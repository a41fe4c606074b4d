#!/usr/bin/env node
// Package bin: the schema cache CLI (schema-cache/cli.ts, compiled to dist/ by `npm run build`).
// A wrapper rather than the compiled file itself: npm links bins through a symlink, and the CLI
// module only runs its main() when it is the script node was started with.
import { main } from '../dist/schema-cache/cli.js'

process.exitCode = await main(process.argv.slice(2))
