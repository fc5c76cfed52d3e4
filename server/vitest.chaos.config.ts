import { defineConfig } from 'vitest/config'

/** The slow fault tests (`pnpm test:chaos`): real processes, restarts, minutes of load. */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
