import { ensureFlightsDuckDB } from './duckdb.js';
import { testDataPaths } from './paths.js';
import { loadFlightsIntoPostgres } from './postgres.js';

export { AIRPORT_ROWS, DATA_VERSION, FLIGHT_ROWS } from './data.js';
export { ensureFlightsDuckDB } from './duckdb.js';
export { flightsProjectDir, sourceFiles, testDataPaths } from './paths.js';
export { loadFlightsIntoPostgres } from './postgres.js';
export { loadFlightsIntoQuestDB, type QuestDBLoadOptions, type QuestDBLoadResult } from './questdb.js';

/**
 * Makes sure the test data exists: the DuckDB store in `INLAY_TEST_DATA_DIR` (default
 * `<repo>/.inlay/test`) and the tables in the PostgreSQL database at `PGURL`. Idempotent.
 */
export async function prepareTestData(): Promise<{ duckdbPath: string; pgUrl: string }> {
  const { dataDir, pgUrl } = testDataPaths();
  const duckdbPath = await ensureFlightsDuckDB(dataDir);
  await loadFlightsIntoPostgres(pgUrl);
  return { duckdbPath, pgUrl };
}
