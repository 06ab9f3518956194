import { defineConfig } from 'vitest/config';
import LastFileSequencer from './test/support/last-file-sequencer.js';

/**
 * Three suites, one runner:
 * - unit:    pure domain logic (src/**\/*.test.ts)
 * - api:     HTTP + database tests (src/**\/*.int.test.ts) on PGlite, or on PostgreSQL when DATABASE_URL is set
 * - browser: journeys in Debian's Chromium driven by playwright-core (test/e2e)
 * The summary reporter prints the closing `N passed, N failed` line CI reads. Files named
 * `*.last.*.test.ts` run after all others (the browser suite's server-log check).
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    env: { TZ: 'UTC' },
    sequence: { sequencer: LastFileSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.int.test.ts', 'node_modules/**', 'dist/**'],
          // A guard against hangs, not a speed goal: property tests of 1,000 runs take 4-5 s alone
          // and more on two cores shared with the API suite, past vitest's default of 5 s.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'api',
          sequence: { groupOrder: 0 },
          include: ['src/**/*.int.test.ts'],
          // One migrated embedded database, copied by every test (test/support/test-database.ts).
          globalSetup: ['test/support/pglite-template.global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/e2e/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          // After the unit and API suites, not beside them: Chromium on two cores shared with
          // PGlite-heavy API tests makes clicks time out.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
