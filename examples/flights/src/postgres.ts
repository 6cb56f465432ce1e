import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { exportCsv } from './csv.js';
import { AIRPORT_ROWS, AIRPORTS_COLUMNS, DATA_VERSION, FLIGHT_ROWS, FLIGHTS_COLUMNS } from './data.js';

/** Serialises loaders across processes (vitest workers, CLI runs) on one database. */
const LOCK_KEY = 7_316_401;

async function isLoaded(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{
    meta: string | null;
    flights: string | null;
    airports: string | null;
  }>(
    `SELECT to_regclass('public.inlay_demo_meta')::text AS meta, to_regclass('public.flights')::text AS flights,
            to_regclass('public.airports')::text AS airports`,
  );
  const r = rows[0];
  if (!r?.meta || !r.flights || !r.airports) return false;
  const check = await client.query<{ ok: boolean }>(
    `SELECT (SELECT max(version) FROM public.inlay_demo_meta) = $1
        AND (SELECT count(*) FROM public.flights) = $2
        AND (SELECT count(*) FROM public.airports) = $3 AS ok`,
    [DATA_VERSION, FLIGHT_ROWS, AIRPORT_ROWS],
  );
  return check.rows[0]?.ok === true;
}

async function copyFile(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  file: string,
): Promise<void> {
  const sql = `COPY public.${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv, FREEZE)`;
  await pipeline(createReadStream(file), client.query(copyStreams.from(sql)));
}

/**
 * Loads `flights` and `airports` into the database's public schema (same types as the DuckDB
 * store), unless the current version is already there. Loads into `*_loading` tables, then swaps
 * them in with one transaction, so readers see the old tables or the new ones, never a half load.
 */
export async function loadFlightsIntoPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'inlay-demo-loader' });
  client.on('error', () => {});
  await client.connect();
  let dir: string | null = null;
  try {
    await client.query("SET TimeZone = 'UTC'");
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    if (await isLoaded(client)) return;
    dir = await mkdtemp(join(tmpdir(), 'inlay-flights-'));
    const files = await exportCsv(dir);

    // Created and filled in one transaction, so COPY can write frozen rows (no later vacuum rewrite).
    await client.query('BEGIN');
    await client.query(`
      DROP TABLE IF EXISTS public.flights_loading, public.airports_loading;
      CREATE TABLE public.flights_loading (id BIGINT NOT NULL, date TIMESTAMP WITHOUT TIME ZONE,
        delay INTEGER, distance INTEGER, origin TEXT, destination TEXT);
      CREATE TABLE public.airports_loading (iata TEXT NOT NULL, name TEXT, city TEXT, state TEXT,
        country TEXT, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION);`);
    await copyFile(client, 'flights_loading', FLIGHTS_COLUMNS, files.flights);
    await copyFile(client, 'airports_loading', AIRPORTS_COLUMNS, files.airports);
    await client.query('COMMIT');

    await client.query(`
      ALTER TABLE public.flights_loading ADD CONSTRAINT flights_loading_pkey PRIMARY KEY (id);
      ALTER TABLE public.airports_loading ADD CONSTRAINT airports_loading_pkey PRIMARY KEY (iata);
      CREATE INDEX flights_loading_origin_idx ON public.flights_loading (origin);
      CREATE INDEX flights_loading_date_idx ON public.flights_loading (date);
      ANALYZE public.flights_loading;
      ANALYZE public.airports_loading;`);

    await client.query(`
      BEGIN;
      DROP TABLE IF EXISTS public.flights, public.airports CASCADE;
      ALTER TABLE public.flights_loading RENAME TO flights;
      ALTER TABLE public.flights RENAME CONSTRAINT flights_loading_pkey TO flights_pkey;
      ALTER INDEX public.flights_loading_origin_idx RENAME TO flights_origin_idx;
      ALTER INDEX public.flights_loading_date_idx RENAME TO flights_date_idx;
      ALTER TABLE public.airports_loading RENAME TO airports;
      ALTER TABLE public.airports RENAME CONSTRAINT airports_loading_pkey TO airports_pkey;
      CREATE TABLE IF NOT EXISTS public.inlay_demo_meta (version INTEGER NOT NULL);
      DELETE FROM public.inlay_demo_meta;
      INSERT INTO public.inlay_demo_meta (version) VALUES (${DATA_VERSION});
      COMMIT;`);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
    await client.end().catch(() => {});
  }
}
