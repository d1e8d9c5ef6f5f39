import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: keep parallelism modest so process-spawning tests are not starved.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
