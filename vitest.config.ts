import { configDefaults, defineConfig } from 'vitest/config'
import { PG_IN_WORKERD_ALIASES } from './test/pg-in-workerd.ts'

// One `vitest run` runs two projects and prints one summary:
// - node: unit, golden SQL, HTTP specs on the Node entry, dev tooling, executors;
// - workers: tests inside workerd (@cloudflare/vitest-pool-workers), configured in
//   vitest.workers.config.ts (also runnable alone: `vitest run -c vitest.workers.config.ts`).
// The global setup (one real PostgreSQL + the local Neon HTTP endpoint + the WebSocket bridge) is
// declared here, on the root, so it runs once; both projects inherit what it provides.
export default defineConfig({
  // The workers pool resolves npm packages with this (the root) config: see test/pg-in-workerd.ts.
  resolve: { alias: PG_IN_WORKERD_ALIASES },
  test: {
    globalSetup: ['./test/global-setup.ts', './test/jwks-global-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          include: [
            'test/unit/**/*.test.ts',
            'test/sql/**/*.test.ts',
            'test/spec/**/*.test.ts',
            'test/dev/**/*.test.ts',
            'test/schema-cache/**/*.test.ts',
            'test/execute/**/*.test.ts',
            'test/runtime/**/*.test.ts',
            'test/package/**/*.test.ts',
          ],
          exclude: [...configDefaults.exclude, 'test/runtime/workers/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      './vitest.workers.config.ts',
    ],
  },
})
