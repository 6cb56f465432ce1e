/**
 * Loads the flights demo tables into PostgreSQL.
 *   npx tsx examples/flights/scripts/load-postgres.ts [postgres://user@host:port/db]
 * The URL defaults to $PGURL, then postgres://postgres@127.0.0.1:5432/test.
 */

import { DEFAULT_PG_URL } from '../src/paths.js';
import { loadFlightsIntoPostgres } from '../src/postgres.js';

const url = process.argv[2] || process.env.PGURL || DEFAULT_PG_URL;
const shown = url.replace(/\/\/[^@/]*@/, '//***@');
const started = Date.now();
try {
  await loadFlightsIntoPostgres(url);
  console.log(`flights demo data ready in ${shown} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (e) {
  const message = (e instanceof Error ? e.message : String(e)).replace(/\/\/[^@/\s]*@/g, '//***@');
  console.error(`loading flights into ${shown} failed: ${message}`);
  process.exitCode = 1;
}
