import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rebuilds dist/ when it is older than src/ (tests that spawn bin/ or the SQLite writer run the build).
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: keep parallelism modest so process-spawning tests are not starved.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
