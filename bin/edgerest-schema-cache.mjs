#!/usr/bin/env node
// Package bin: runs schema-cache/cli.ts (TypeScript) through tsx's loader API. See that file.
import { tsImport } from 'tsx/esm/api'

const { main } = await tsImport('../schema-cache/cli.ts', import.meta.url)
process.exitCode = await main(process.argv.slice(2))
