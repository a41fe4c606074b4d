import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { PG_IN_WORKERD_ALIASES } from './test/pg-in-workerd.ts'
import { SPEC_SETTINGS } from './test/spec/types.ts'

// Keep wrangler/miniflare offline (toolchain.md §6): no telemetry, no update banner, no cf.json fetch,
// no error-report prompt. Set here too so a bare `npx vitest run` behaves like CI.
const OFFLINE = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
}
for (const [k, v] of Object.entries(OFFLINE)) process.env[k] ??= v

// Tests inside workerd, against the real Worker entry (`main`, what `wrangler deploy` ships) with
// the bindings a deployment would have, pointed at the local stack of test/global-setup.ts:
// - the spec settings (SPEC_SETTINGS), PGRST_DB_URI = the `authenticator` login role;
// - EDGEREST_SCHEMA_CACHE = the fixtures' snapshot, introspected by the global setup;
// - the Neon driver's transports: the local /sql endpoint and the plain-ws WebSocket bridge.
// EDGEREST_EXECUTOR is unset, so `exports.default.fetch` runs the edge default (neon-http); the
// tests call the same handler with EDGEREST_EXECUTOR=neon-ws for the second bindings set.
// DB_URL/AUTH_URL/NEON_HTTP_URL/WS_PROXY are for tests that talk to the stack directly.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: './src/entry/workers.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          ...SPEC_SETTINGS,
          PGRST_DB_URI: inject('authUrl'),
          EDGEREST_SCHEMA_CACHE: inject('schemaCacheJson'),
          // The write tests swap this in as EDGEREST_SCHEMA_CACHE with WRITES_SETTINGS.
          WRITES_SCHEMA_CACHE: inject('writesSchemaCacheJson'),
          // The parity tests (test/runtime/workers/parity.test.ts): their login role and snapshot.
          PARITY_AUTH_URL: inject('parityAuthUrl'),
          PARITY_SCHEMA_CACHE: inject('paritySchemaCacheJson'),
          // The operations tests (test/runtime/workers/ops.test.ts): schema `ops`.
          OPS_SCHEMA_CACHE: inject('opsSchemaCacheJson'),
          EDGEREST_NEON_FETCH_ENDPOINT: inject('neonHttpUrl'),
          EDGEREST_NEON_WS_PROXY: inject('wsProxy'),
          EDGEREST_NEON_WS_INSECURE: 'true',
          DB_URL: inject('dbUrl'),
          AUTH_URL: inject('authUrl'),
          NEON_HTTP_URL: inject('neonHttpUrl'),
          WS_PROXY: inject('wsProxy'),
          // The local JWKS endpoint (test/jwks-global-setup.ts), for the auth tests' PGRST_JWT_JWKS_URL.
          JWKS_BASE: inject('jwksUrl'),
        },
        // A real Hyperdrive binding (workerd's, through Miniflare's local proxy) in front of the
        // test database as the login role: the pg executor's EDGEREST_HYPERDRIVE=HYPERDRIVE.
        hyperdrives: { HYPERDRIVE: inject('authUrl') },
      },
    })),
  ],
  // For `vitest run -c vitest.workers.config.ts` (then this is the root config): see test/pg-in-workerd.ts.
  resolve: { alias: PG_IN_WORKERD_ALIASES },
  test: {
    name: 'workers',
    include: ['test/runtime/workers/**/*.test.ts'],
    // Shared with the root config's setup when run as a project (one stack, reference-counted).
    globalSetup: ['./test/global-setup.ts', './test/jwks-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
