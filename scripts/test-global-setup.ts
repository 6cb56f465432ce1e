import { prepareTestData } from '@inlay/example-flights';

/**
 * vitest globalSetup: builds the flights DuckDB store and loads PostgreSQL once per run (both
 * idempotent, so later runs only check). Tests find the same places with `testDataPaths()`.
 */
export default async function setup(): Promise<void> {
  const started = Date.now();
  const { duckdbPath } = await prepareTestData();
  process.env.INLAY_TEST_DUCKDB = duckdbPath;
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 1) console.log(`test data ready in ${seconds.toFixed(1)} s`);
}
