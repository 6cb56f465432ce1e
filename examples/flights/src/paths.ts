import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of examples/flights (models, components, presets live under it). */
export const flightsProjectDir: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The monorepo root (two levels above this project). */
export const repoRoot: string = resolve(flightsProjectDir, '..', '..');

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

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

/** Where tests find their data: `INLAY_TEST_DATA_DIR` (default `<repo>/.inlay/test`) and `PGURL`. */
export function testDataPaths(): { dataDir: string; duckdbPath: string; pgUrl: string } {
  const dataDir = resolve(process.env.INLAY_TEST_DATA_DIR || join(repoRoot, '.inlay', 'test'));
  return {
    dataDir,
    duckdbPath: join(dataDir, 'flights.duckdb'),
    pgUrl: process.env.PGURL || DEFAULT_PG_URL,
  };
}
