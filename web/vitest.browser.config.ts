import { defineConfig } from 'vitest/config'

/** Real-browser end-to-end tests: one built server for the run, Chromium driven by playwright-core. */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
