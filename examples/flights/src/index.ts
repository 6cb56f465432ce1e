import { ensureFlightsDuckDB } from './duckdb.js';
import { loadFlightsIntoMySQL } from './mysql.js';
import { questdbTestFlightRows, questdbTestUrl, testDataPaths } from './paths.js';
import { loadFlightsIntoPostgres } from './postgres.js';
import { loadFlightsIntoQuestDB, type QuestDBLoadResult } from './questdb.js';

export { AIRPORT_ROWS, DATA_VERSION, FLIGHT_ROWS } from './data.js';
export { ensureFlightsDuckDB, flightsDuckDBComplete, flightsDuckDBPath } from './duckdb.js';
export { loadFlightsIntoMySQL } from './mysql.js';
export {
  flightsProjectDir,
  questdbTestFlightRows,
  questdbTestUrl,
  sourceFiles,
  testDataPaths,
} from './paths.js';
export { loadFlightsIntoPostgres } from './postgres.js';
export { loadFlightsIntoQuestDB, type QuestDBLoadOptions, type QuestDBLoadResult } from './questdb.js';

/**
 * Makes sure the test data exists: the DuckDB store in `INLAY_TEST_DATA_DIR` (default
 * `<repo>/.inlay/test`), the tables in the PostgreSQL database at `PGURL`, in the MySQL/MariaDB
 * database at `MYSQL_URL` and, when
 * `QUESTDB_URL` is set, in that QuestDB (`questdbTestFlightRows()` flights). Idempotent, and safe
 * when several processes prepare at once. Under CI a missing `QUESTDB_URL` is an error.
 */
export async function prepareTestData(): Promise<{
  duckdbPath: string;
  pgUrl: string;
  mysqlUrl: string;
  questdb?: QuestDBLoadResult & { url: string };
}> {
  const { dataDir, pgUrl, mysqlUrl } = testDataPaths();
  const questdbUrl = questdbTestUrl();
  const duckdbPath = await ensureFlightsDuckDB(dataDir);
  const [, , questdb] = await Promise.all([
    loadFlightsIntoPostgres(pgUrl),
    loadFlightsIntoMySQL(mysqlUrl),
    questdbUrl
      ? loadFlightsIntoQuestDB(questdbUrl, { duckdbPath, flightRows: questdbTestFlightRows() })
      : undefined,
  ]);
  return {
    duckdbPath,
    pgUrl,
    mysqlUrl,
    ...(questdb && questdbUrl ? { questdb: { ...questdb, url: questdbUrl } } : {}),
  };
}
