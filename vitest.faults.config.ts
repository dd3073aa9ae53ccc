import { defineConfig } from 'vitest/config';

// `pnpm test:faults`: the real services under injected database and process
// faults. One file at a time: each fault needs the machine to itself.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    reporters: ['default', './test/faults/support/fault-report-reporter.ts', './vitest.summary-reporter.ts'],
    globalSetup: ['packages/storage/test/support/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
