import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // The fault tests restart clusters and kill processes: `pnpm test:faults` runs them on their own.
    exclude: ['**/node_modules/**', 'test/faults/**'],
    reporters: ['default', './vitest.summary-reporter.ts'],
    globalSetup: ['packages/storage/test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only queue on the database.
    maxWorkers: 4,
  },
});
