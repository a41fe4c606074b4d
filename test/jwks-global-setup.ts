/**
 * @module test/jwks-global-setup: vitest globalSetup that starts the local JWKS endpoint
 * (dev/jwks-server.ts) once and provides its base URL as `jwksUrl` to every project — the workerd
 * tests cannot start servers themselves, and they reach it over loopback HTTP like a real identity
 * provider. Listed by both projects; they share one server (reference-counted on globalThis, as
 * test/global-setup.ts does with the database stack).
 */
import type { TestProject } from 'vitest/node'
import { startJwksServer, type JwksServer } from '../dev/jwks-server.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:P` of the local JWKS endpoint; key sets live under `/<tenant>/jwks.json`. */
    jwksUrl: string
  }
}

interface Shared {
  server: Promise<JwksServer>
  users: number
}
const KEY = Symbol.for('edgerest.test.jwks-server')
const shared = globalThis as { [KEY]?: Shared }

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let entry = shared[KEY]
  if (!entry) {
    entry = { server: startJwksServer(), users: 0 }
    shared[KEY] = entry
  }
  entry.users++
  const current = entry
  const server = await current.server
  project.provide('jwksUrl', server.url)
  return async () => {
    current.users--
    if (current.users > 0) return
    delete shared[KEY]
    await server.stop()
  }
}
