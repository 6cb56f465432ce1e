import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLIGHT_ROWS } from './data.js';

/** Absolute path of examples/flights (models, components, presets live under it). */
export const flightsProjectDir: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The monorepo root (two levels above this project). */
export const repoRoot: string = resolve(flightsProjectDir, '..', '..');

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

/** The source files shipped in the `vega-datasets` npm package. */
export function sourceFiles(): { flightsParquet: string; airportsCsv: string } {
  // vega-datasets' `exports` hides package.json, so resolve its entry (build/index.js) and climb to the root.
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  const root = resolve(dirname(entry), '..');
  return {
    flightsParquet: join(root, 'data', 'flights-3m.parquet'),
    airportsCsv: join(root, 'data', 'airports.csv'),
  };
}

/**
 * Where tests find their data: `INLAY_TEST_DATA_DIR` (default `<repo>/.inlay/test`), `PGURL` and
 * `MYSQL_URL` (MySQL or MariaDB).
 */
export function testDataPaths(): { dataDir: string; duckdbPath: string; pgUrl: string; mysqlUrl: string } {
  const dataDir = resolve(process.env.INLAY_TEST_DATA_DIR || join(repoRoot, '.inlay', 'test'));
  return {
    dataDir,
    duckdbPath: join(dataDir, 'flights.duckdb'),
    pgUrl: process.env.PGURL || DEFAULT_PG_URL,
    mysqlUrl: process.env.MYSQL_URL || DEFAULT_MYSQL_URL,
  };
}

const QUESTDB_SKIPPED =
  'QuestDB live tests skipped: set QUESTDB_URL=postgres://admin:quest@127.0.0.1:8812/qdb to run them (../shared/questdb/start prints it)';

function isCI(): boolean {
  const ci = process.env.CI?.trim().toLowerCase();
  return !!ci && ci !== 'false' && ci !== '0';
}

/**
 * The QuestDB the live tests use: `QUESTDB_URL`, or undefined (after saying how to run them) so
 * they skip on a machine without one. Under CI (`CI` set) a missing URL throws instead: CI must
 * run the live tests, never skip them silently.
 */
export function questdbTestUrl(): string | undefined {
  const url = process.env.QUESTDB_URL?.trim();
  if (url) return url;
  if (isCI()) {
    throw new Error(
      'QUESTDB_URL is not set, and CI is: the QuestDB live tests must run in CI, not skip. ' +
        'Start the server with ../shared/questdb/start and export the QUESTDB_URL it prints (.ci/run does both).',
    );
  }
  console.log(QUESTDB_SKIPPED);
  return undefined;
}

/** Flights the tests load into QuestDB: `QUESTDB_FLIGHT_ROWS` (1..n, a faster sample), default all. */
export function questdbTestFlightRows(): number {
  const n = Math.trunc(Number(process.env.QUESTDB_FLIGHT_ROWS));
  return n >= 1 ? Math.min(n, FLIGHT_ROWS) : FLIGHT_ROWS;
}
