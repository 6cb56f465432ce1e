import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    reporters: ['default', './scripts/summary-reporter.ts'],
    // Builds the flights DuckDB file and loads PostgreSQL once per run (see @inlay/example-flights).
    globalSetup: ['./scripts/test-global-setup.ts'],
    // Integration tests share one PostgreSQL and one DuckDB file; two cores.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
