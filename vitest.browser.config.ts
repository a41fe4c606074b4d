import { defineConfig } from 'vitest/config'

// `npm run test:browser`: checks that need a real browser (Debian's headless Chromium, driven by
// playwright-core), apart from `npm test` because a fresh machine has no Chromium; .ci/run installs
// it and runs both. Same global setup (one real PostgreSQL and the local stack).
export default defineConfig({
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
