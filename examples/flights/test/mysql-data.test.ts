import { DuckDBDriver, MySQLDriver } from '@inlay/drivers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIRPORT_ROWS, FLIGHT_ROWS, loadFlightsIntoMySQL, testDataPaths } from '../src/index.js';
import { expectEveryFlight } from './loaded.js';

describe('flights in MySQL/MariaDB', () => {
  const { mysqlUrl, duckdbPath } = testDataPaths();
  const database = new URL(mysqlUrl.replace(/^mariadb:/i, 'mysql:')).pathname.slice(1);
  let my: MySQLDriver;
  let duck: DuckDBDriver;
  beforeAll(() => {
    my = new MySQLDriver({ url: mysqlUrl });
    duck = new DuckDBDriver({ path: duckdbPath }, { readOnly: true });
  });
  afterAll(async () => {
    await my.close();
    await duck.close();
  });

  it('holds every flight with ids 1..N and the airports', () => expectEveryFlight(my));

  it('has the PostgreSQL columns and keys, its indexes, and byte-wise text comparison', async () => {
    const cols = await my.columns([
      { schemaName: database, tableName: 'flights' },
      { schemaName: database, tableName: 'airports' },
    ]);
    const shape = cols.map(
      (c) => `${c.tableName}.${c.columnName}:${c.dataType}${c.attributes.length ? ':pk' : ''}`,
    );
    expect(shape).toEqual([
      'airports.iata:varchar(255):pk',
      'airports.name:varchar(255)',
      'airports.city:varchar(255)',
      'airports.state:varchar(255)',
      'airports.country:varchar(255)',
      'airports.latitude:double',
      'airports.longitude:double',
      'flights.id:bigint(20):pk',
      'flights.date:datetime(6)',
      'flights.delay:int(11)',
      'flights.distance:int(11)',
      'flights.origin:varchar(255)',
      'flights.destination:varchar(255)',
    ]);
    const idx = await my.query(
      `SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'flights' ORDER BY 1`,
      [],
    );
    expect(idx.rows.map((r) => r.name)).toEqual([
      'flights_date_idx',
      'flights_destination_idx',
      'flights_origin_idx',
      'PRIMARY',
    ]);
    const cs = await my.query('SELECT count(*) AS n FROM flights WHERE origin = ?', ['sea']);
    expect(cs.rows[0]?.n).toBe(0);
  });

  it('matches the DuckDB store row for row at the edges and in aggregates', async () => {
    const ids = [1, 1_234_567, FLIGHT_ROWS];
    const edges = (p: (i: number) => string) =>
      `SELECT * FROM flights WHERE id IN (${p(1)}, ${p(2)}, ${p(3)}) ORDER BY id`;
    expect(
      (
        await my.query(
          edges(() => '?'),
          ids,
        )
      ).rows,
    ).toEqual(
      (
        await duck.query(
          edges((i) => `$${i}`),
          ids,
        )
      ).rows,
    );

    const from = { kind: 'timestamp' as const, utc: '2001-03-01T00:00:00.000' };
    const to = { kind: 'timestamp' as const, utc: '2001-03-08T00:00:00.000' };
    const agg = (
      p: (i: number) => string,
      ts: string,
    ) => `SELECT origin, count(*) AS n, sum(distance) AS dist,
        avg(delay) AS avg_delay, max(date) AS last
      FROM flights WHERE date >= CAST(${p(1)} AS ${ts}) AND date < CAST(${p(2)} AS ${ts}) AND delay > ${p(3)}
      GROUP BY origin ORDER BY n DESC, origin LIMIT ${p(4)} OFFSET ${p(5)}`;
    const params = [from, to, 15, 5, 2];
    const m = (
      await my.query(
        agg(() => '?', 'DATETIME(3)'),
        params,
      )
    ).rows;
    const q = (
      await duck.query(
        agg((i) => `$${i}`, 'TIMESTAMP'),
        params,
      )
    ).rows;
    expect(m).toHaveLength(5);
    expect(m.map(({ avg_delay, ...rest }) => rest)).toEqual(q.map(({ avg_delay, ...rest }) => rest));
    m.forEach((row, i) => {
      expect(row.avg_delay as number).toBeCloseTo(q[i]?.avg_delay as number, 9);
      expect(typeof row.dist).toBe('number');
    });
  });

  it('skips loading when the data is already there', async () => {
    const created =
      "SELECT CREATE_TIME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'flights'";
    const before = await my.query(created, []);
    const t0 = performance.now();
    await loadFlightsIntoMySQL(mysqlUrl);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect((await my.query(created, [])).rows).toEqual(before.rows);
  });

  it('loads a fresh database correctly when two loaders race', async () => {
    const db = `inlay_flights_${process.pid}_${Date.now()}`;
    await my.execute(`CREATE DATABASE ${db}`);
    const url = new URL(mysqlUrl.replace(/^mariadb:/i, 'mysql:'));
    url.pathname = `/${db}`;
    try {
      await Promise.all([loadFlightsIntoMySQL(url.toString()), loadFlightsIntoMySQL(url.toString())]);
      const { rows } = await my.query(
        `SELECT (SELECT count(*) FROM ${db}.flights) AS f, (SELECT max(id) FROM ${db}.flights) AS hi,
                (SELECT count(*) FROM ${db}.airports) AS a,
                (SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE '%loading') AS left_over`,
        [db],
      );
      expect(rows[0]).toEqual({ f: FLIGHT_ROWS, hi: FLIGHT_ROWS, a: AIRPORT_ROWS, left_over: 0 });
    } finally {
      await my.execute(`DROP DATABASE IF EXISTS ${db}`);
    }
  }, 240_000);
});
