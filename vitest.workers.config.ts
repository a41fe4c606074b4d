import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

// Keep wrangler/miniflare offline (toolchain.md §6): no telemetry, no update banner, no cf.json fetch,
// no error-report prompt. Set here too so a bare `npx vitest run` behaves like CI.
const OFFLINE = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
}
for (const [k, v] of Object.entries(OFFLINE)) process.env[k] ??= v

// Tests inside workerd. The addresses of the local stack (test/global-setup.ts) reach the Worker as
// bindings; `main` is the Worker that `exports.default` from `cloudflare:workers` calls.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: './test/runtime/workers/worker.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          DB_URL: inject('dbUrl'),
          AUTH_URL: inject('authUrl'),
          NEON_HTTP_URL: inject('neonHttpUrl'),
          WS_PROXY: inject('wsProxy'),
        },
      },
    })),
  ],
  test: {
    name: 'workers',
    include: ['test/runtime/workers/**/*.test.ts'],
    // Shared with the root config's setup when run as a project (one stack, reference-counted).
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
