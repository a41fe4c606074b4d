/**
 * The operations scenarios (test/spec/ops/) against the Worker inside workerd, over neon-http (the
 * edge default) and neon-ws: body limits, Neon's HTTP size limits, neon-ws's pool limits per
 * isolate, request logs as JSON lines, the stale-snapshot hint. Setup and checks go through the
 * local Neon endpoint as superuser.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { cachedBindings, callWorker } from './worker-call.ts'
import type { Bindings as EdgeEnv } from '../../../src/bindings.ts'
import { createNeonHttpExecutor } from '../../../src/execute/neon-http.ts'
import { OPS_SCENARIOS } from '../../spec/ops/index.ts'
import { OPS_SETTINGS } from '../../spec/ops/settings.ts'
import type { OpsTarget, Runtime, Settings } from '../../spec/ops/target.ts'

const superuser = createNeonHttpExecutor({ connectionString: env.DB_URL, fetchEndpoint: env.NEON_HTTP_URL })

/** One bindings object per (executor, settings). */
const bindingsFor = cachedBindings(
  (executor: 'neon-http' | 'neon-ws', settings: Settings = {}): EdgeEnv => ({
    ...env,
    ...OPS_SETTINGS,
    PGRST_DB_URI: env.AUTH_URL,
    EDGEREST_SCHEMA_CACHE: env.OPS_SCHEMA_CACHE,
    EDGEREST_EXECUTOR: executor,
    ...settings,
  }),
)

const targetFor = (runtime: 'neon-http' | 'neon-ws'): OpsTarget => ({
  runtime,
  authUrl: env.AUTH_URL,
  snapshotJson: env.OPS_SCHEMA_CACHE,
  send: (request, settings) => callWorker(request, bindingsFor(runtime, settings)),
  admin: async (text, params = []) => {
    // The endpoint runs one statement per query: split a script on its top-level semicolons.
    const statements = text.split(';').map((s) => s.trim()).filter((s) => s !== '')
    const results = await superuser.run(
      statements.map((s, i) => ({ text: s, params: i === statements.length - 1 ? [...params] : [] })),
      { readOnly: false, end: 'commit' },
    )
    return results.at(-1)?.rows ?? []
  },
})

describe.each(['neon-http', 'neon-ws'] as const)('ops scenarios on workerd over %s', (runtime: Runtime & ('neon-http' | 'neon-ws')) => {
  const target = targetFor(runtime)
  for (const [file, scenarios] of Object.entries(OPS_SCENARIOS)) {
    const here = scenarios.filter((s) => s.runtimes === undefined || s.runtimes.includes(runtime))
    // neon-http holds no connections: the pool scenarios do not apply to it.
    if (here.length > 0) describe(file, () => here.forEach((s) => it(s.name, () => s.run(target))))
  }
})
