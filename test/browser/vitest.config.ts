import { defineConfig } from 'vitest/config';

// Browser tests: Chromium renders WebGL in software here, so everything is slow; they run one
// file at a time and wait on what the page reports, never on fixed frame counts.
// Each file starts its own `citytwin serve`: give it --no-simulator unless the file reads live
// device data (the simulator's status changes make the scene redraw in software all the time,
// about half a core even on an idle page), and --sim-speedup 1 where it does; load the twin at
// resolutionScale=0.5 or lower unless a check depends on the pixels.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    // In CI a skipped test fails the run, as in the Node tests.
    reporters: process.env.CI === 'true' ? ['default', './test/support/noSkipsInCi.ts'] : ['default'],
    pool: 'forks',
  },
});
