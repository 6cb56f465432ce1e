import { join } from 'node:path';
import { DuckDBDriver } from '@inlay/drivers';
import { airportsSelect, flightsSelect } from './data.js';
import { sourceFiles } from './paths.js';

/**
 * Writes both tables as headerless CSV files with DuckDB (fast, multi-threaded) for a server's
 * bulk load: PostgreSQL's COPY reads NULL as an empty field, MySQL's LOAD DATA as `\N`.
 */
export async function exportCsv(dir: string, nullText = ''): Promise<{ flights: string; airports: string }> {
  const { flightsParquet, airportsCsv } = sourceFiles();
  const out = { flights: join(dir, 'flights.csv'), airports: join(dir, 'airports.csv') };
  const options = `FORMAT csv, HEADER false, NULLSTR '${nullText.replace(/'/g, "''")}'`;
  const d = new DuckDBDriver({});
  try {
    await d.execute(`COPY (${flightsSelect(flightsParquet)}) TO '${out.flights}' (${options})`);
    await d.execute(`COPY (${airportsSelect(airportsCsv)}) TO '${out.airports}' (${options})`);
  } finally {
    await d.close();
  }
  return out;
}
