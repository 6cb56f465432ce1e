import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBDriver, PostgresDriver } from '@inlay/drivers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AIRPORT_ROWS,
  FLIGHT_ROWS,
  flightsProjectDir,
  loadFlightsIntoPostgres,
  testDataPaths,
} from '../src/index.js';
import { expectEveryFlight } from './loaded.js';

describe('flights in PostgreSQL', () => {
  const { pgUrl, duckdbPath } = testDataPaths();
  let pg: PostgresDriver;
  let duck: DuckDBDriver;
  beforeAll(() => {
    pg = new PostgresDriver({ url: pgUrl });
    duck = new DuckDBDriver({ path: duckdbPath }, { readOnly: true });
  });
  afterAll(async () => {
    await pg.close();
    await duck.close();
  });

  it('holds every flight with ids 1..N and the airports', () => expectEveryFlight(pg, 'public.'));

  it('has the same column types, keys and test indexes', async () => {
    const cols = await pg.columns([
      { schemaName: 'public', tableName: 'flights' },
      { schemaName: 'public', tableName: 'airports' },
    ]);
    const shape = cols.map(
      (c) => `${c.tableName}.${c.columnName}:${c.dataType}${c.attributes.length ? ':pk' : ''}`,
    );
    expect(shape).toEqual([
      'airports.iata:text:pk',
      'airports.name:text',
      'airports.city:text',
      'airports.state:text',
      'airports.country:text',
      'airports.latitude:double precision',
      'airports.longitude:double precision',
      'flights.id:bigint:pk',
      'flights.date:timestamp without time zone',
      'flights.delay:integer',
      'flights.distance:integer',
      'flights.origin:text',
      'flights.destination:text',
    ]);
    const idx = await pg.query(
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'flights' ORDER BY 1",
      [],
    );
    expect(idx.rows.map((r) => r.indexname)).toEqual([
      'flights_date_idx',
      'flights_origin_idx',
      'flights_pkey',
    ]);
  });

  it('matches the DuckDB store row for row at the edges and in aggregates', async () => {
    const edges = 'SELECT * FROM flights WHERE id IN ($1, $2, $3) ORDER BY id';
    const ids = [1, 1_234_567, FLIGHT_ROWS];
    expect((await pg.query(edges, ids)).rows).toEqual((await duck.query(edges, ids)).rows);

    const from = { kind: 'timestamp' as const, utc: '2001-03-01T00:00:00.000' };
    const to = { kind: 'timestamp' as const, utc: '2001-03-08T00:00:00.000' };
    const agg = `SELECT origin, count(*) AS n, sum(distance) AS dist, avg(delay) AS avg_delay, max(date) AS last
      FROM flights WHERE date >= CAST($1 AS TIMESTAMP) AND date < CAST($2 AS TIMESTAMP) AND delay > $3
      GROUP BY origin ORDER BY n DESC, origin LIMIT $4 OFFSET $5`;
    const params = [from, to, 15, 5, 2];
    const p = (await pg.query(agg, params)).rows;
    const q = (await duck.query(agg, params)).rows;
    expect(p).toHaveLength(5);
    expect(p.map(({ avg_delay, ...rest }) => rest)).toEqual(q.map(({ avg_delay, ...rest }) => rest));
    p.forEach((row, i) => {
      expect(row.avg_delay as number).toBeCloseTo(q[i]?.avg_delay as number, 9);
      expect(typeof row.dist).toBe('number');
      expect(String(row.last) >= from.utc && String(row.last) < to.utc).toBe(true);
    });
  });

  it('skips loading when the data is already there', async () => {
    const before = await pg.query("SELECT 'public.flights'::regclass::oid::int8 AS oid", []);
    const t0 = performance.now();
    await loadFlightsIntoPostgres(pgUrl);
    expect(performance.now() - t0).toBeLessThan(5000);
    const after = await pg.query("SELECT 'public.flights'::regclass::oid::int8 AS oid", []);
    expect(after.rows).toEqual(before.rows);
  });

  it('loads a fresh database correctly when two loaders race, and the CLI reports it ready', async () => {
    const db = `inlay_flights_${process.pid}_${Date.now()}`;
    await pg.execute(`CREATE DATABASE ${db}`);
    const url = new URL(pgUrl);
    url.pathname = `/${db}`;
    try {
      await Promise.all([loadFlightsIntoPostgres(url.toString()), loadFlightsIntoPostgres(url.toString())]);
      const fresh = new PostgresDriver({ url: url.toString() });
      try {
        const { rows } = await fresh.query(
          `SELECT (SELECT count(*) FROM flights) AS f, (SELECT max(id) FROM flights) AS hi,
                  (SELECT count(*) FROM airports) AS a, to_regclass('flights_loading') IS NULL AS cleaned`,
          [],
        );
        expect(rows[0]).toEqual({ f: FLIGHT_ROWS, hi: FLIGHT_ROWS, a: AIRPORT_ROWS, cleaned: true });
      } finally {
        await fresh.close();
      }
      const script = join(flightsProjectDir, 'scripts', 'load-postgres.ts');
      const tsx = join(flightsProjectDir, '..', '..', 'node_modules', '.bin', 'tsx');
      const { stdout } = await promisify(execFile)(tsx, [script, url.toString()]);
      expect(stdout).toContain('flights demo data ready');
    } finally {
      await pg.execute(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    }
  }, 180_000);
});
