import { availableParallelism } from 'node:os';
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
    // Vitest's default is cores - 1 workers: one on CI's two cores. Most files here wait on
    // servers, brokers, databases and child processes rather than compute, so two files at a time
    // finish the suite far sooner there; each file still runs alone in its own process.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
