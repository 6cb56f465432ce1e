import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureFlightsDuckDB, flightsDuckDBComplete, flightsDuckDBPath } from './duckdb.js';
import { flightsProjectDir } from './paths.js';

/**
 * The flights demo's `setup` (its inlay.config.json names this file; `inlay init` projects name
 * `@inlay/example-flights/setup`): the server and the CLI call `prepare` before opening
 * connections. It offers `<dataDir>/flights.duckdb` as the project's connection, so the demo runs
 * with no database set up. When the file is not complete yet (a first start) it builds it in the
 * background and returns `ready`: the server answers meanwhile and its queries wait for the file
 * (the build takes 1–2 s, longer than the rest of a start).
 */
export async function prepare(options: { dataDir: string; log?: (line: string) => void }): Promise<{
  connection: { type: 'duckdb'; credentials: { path: string } };
  ready?: Promise<void>;
}> {
  const dataDir = resolve(options.dataDir);
  const connection = { type: 'duckdb' as const, credentials: { path: flightsDuckDBPath(dataDir) } };
  if (await flightsDuckDBComplete(dataDir)) return { connection };
  options.log?.(
    `Preparing the flights demo data in ${dataDir} (first run only, a few seconds; queries wait for it)…`,
  );
  const started = performance.now();
  const ready = ensureFlightsDuckDB(dataDir).then(() => {
    options.log?.(`The flights demo data is ready (${((performance.now() - started) / 1000).toFixed(1)} s).`);
  });
  return { connection, ready };
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
