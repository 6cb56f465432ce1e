import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureFlightsDuckDB } from './duckdb.js';
import { flightsProjectDir } from './paths.js';

/**
 * The flights demo's `setup` (its inlay.config.json names this file; `inlay init` projects name
 * `@inlay/example-flights/setup`): the server and the CLI call `prepare` before opening
 * connections. It builds `<dataDir>/flights.duckdb` on first use and offers it as the project's
 * connection, so the demo runs with no database set up.
 */
export async function prepare(options: {
  dataDir: string;
  log?: (line: string) => void;
}): Promise<{ connection: { type: 'duckdb'; credentials: { path: string } } }> {
  const dataDir = resolve(options.dataDir);
  if (!existsSync(join(dataDir, 'flights.duckdb'))) {
    options.log?.(`Preparing the flights demo data in ${dataDir} (first run only, ~10 s)…`);
  }
  const path = await ensureFlightsDuckDB(dataDir);
  return { connection: { type: 'duckdb', credentials: { path } } };
}

/**
 * The demo as `npm start` serves it, for `startServer` in tests: its folder and the `setup` its
 * inlay.config.json names.
 */
export const flightsProject: { projectDir: string; setup: string } = {
  projectDir: flightsProjectDir,
  setup: (JSON.parse(readFileSync(join(flightsProjectDir, 'inlay.config.json'), 'utf8')) as { setup: string })
    .setup,
};
