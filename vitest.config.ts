import { defineConfig } from 'vitest/config';

// Unit and integration tests (Node). Browser tests live in test/browser and have their own config.
// In CI a skipped test fails the run (test/support/noSkipsInCi.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    reporters: process.env.CI === 'true' ? ['default', './test/support/noSkipsInCi.ts'] : ['default'],
    exclude: ['test/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
