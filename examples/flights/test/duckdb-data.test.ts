import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDriver } from '@inlay/drivers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureFlightsDuckDB,
  FLIGHT_ROWS,
  flightsProjectDir,
  sourceFiles,
  testDataPaths,
} from '../src/index.js';

/** The first rows of the parquet file, read straight from the source. */
async function parquetHead(n: number) {
  const mem = new DuckDBDriver({});
  try {
    const { flightsParquet } = sourceFiles();
    const r = await mem.query(
      `SELECT date, delay, distance, origin, destination FROM read_parquet('${flightsParquet}') LIMIT ${n}`,
      [],
    );
    return r.rows;
  } finally {
    await mem.close();
  }
}

describe('flights DuckDB store', () => {
  const { duckdbPath, dataDir } = testDataPaths();
  let d: DuckDBDriver;
  beforeAll(() => {
    d = new DuckDBDriver({ path: duckdbPath }, { readOnly: true });
  });
  afterAll(() => d.close());

  it('exists where testDataPaths() says, built by the global setup', () => {
    expect(duckdbPath).toBe(join(dataDir, 'flights.duckdb'));
    expect(existsSync(duckdbPath)).toBe(true);
    expect(existsSync(join(flightsProjectDir, 'models', 'flights.cube.yml'))).toBe(true);
  });

  it('holds 3,000,000 flights with ids 1..N in file order', async () => {
    const { rows } = await d.query(
      'SELECT count(*) AS n, min(id) AS lo, max(id) AS hi, count(DISTINCT id) AS ids FROM flights',
      [],
    );
    expect(rows[0]).toEqual({ n: FLIGHT_ROWS, lo: 1, hi: FLIGHT_ROWS, ids: FLIGHT_ROWS });
    const head = await d.query(
      'SELECT date, delay, distance, origin, destination FROM flights WHERE id <= 3 ORDER BY id',
      [],
    );
    expect(head.rows).toEqual(await parquetHead(3));
    expect(head.rows[0]).toEqual({
      date: '2001-01-01T00:01:00.000',
      delay: 33,
      distance: 2176,
      origin: 'LAS',
      destination: 'PHL',
    });
  });

  it('has the agreed column types and keys', async () => {
    const cols = await d.columns([
      { schemaName: 'main', tableName: 'flights' },
      { schemaName: 'main', tableName: 'airports' },
    ]);
    const shape = cols.map(
      (c) => `${c.tableName}.${c.columnName}:${c.dataType}${c.attributes.length ? ':pk' : ''}`,
    );
    expect(shape).toEqual([
      'airports.iata:VARCHAR:pk',
      'airports.name:VARCHAR',
      'airports.city:VARCHAR',
      'airports.state:VARCHAR',
      'airports.country:VARCHAR',
      'airports.latitude:DOUBLE',
      'airports.longitude:DOUBLE',
      'flights.id:BIGINT:pk',
      'flights.date:TIMESTAMP',
      'flights.delay:INTEGER',
      'flights.distance:INTEGER',
      'flights.origin:VARCHAR',
      'flights.destination:VARCHAR',
    ]);
    const las = await d.query('SELECT * FROM airports WHERE iata = $1', ['LAS']);
    expect(las.rows).toEqual([
      {
        iata: 'LAS',
        name: 'McCarran International',
        city: 'Las Vegas',
        state: 'NV',
        country: 'USA',
        latitude: 36.08036111,
        longitude: -115.1523333,
      },
    ]);
    const orphans = await d.query(
      'SELECT count(*) AS n FROM flights f LEFT JOIN airports a ON a.iata = f.origin WHERE a.iata IS NULL',
      [],
    );
    expect(orphans.rows[0]?.n).toBe(0);
  });

  it('is not rebuilt when complete', async () => {
    const before = await stat(duckdbPath);
    const t0 = performance.now();
    expect(await ensureFlightsDuckDB(dataDir)).toBe(duckdbPath);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect((await stat(duckdbPath)).mtimeMs).toBe(before.mtimeMs);
  });

  it('trusts its completion stamp only while it matches the file, and counts again otherwise', async () => {
    const stamp = `${duckdbPath}.complete`;
    await ensureFlightsDuckDB(dataDir);
    const good = await readFile(stamp, 'utf8');
    expect(JSON.parse(good)).toMatchObject({ size: (await stat(duckdbPath)).size });
    await writeFile(stamp, good.replace(/"size":\d+/, '"size":1'));
    const before = await stat(duckdbPath);
    expect(await ensureFlightsDuckDB(dataDir)).toBe(duckdbPath);
    // Counted, found complete (not rebuilt), and stamped again.
    expect((await stat(duckdbPath)).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(stamp, 'utf8')).toBe(good);
  });

  it('ends with one valid file when two builds race, leaving no temporary files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inlay-flights-race-'));
    try {
      const [a, b] = await Promise.all([ensureFlightsDuckDB(dir), ensureFlightsDuckDB(dir)]);
      expect(a).toBe(join(dir, 'flights.duckdb'));
      expect(b).toBe(a);
      expect((await readdir(dir)).sort()).toEqual(['flights.duckdb', 'flights.duckdb.complete']);
      const check = new DuckDBDriver({ path: a }, { readOnly: true });
      const { rows } = await check.query(
        'SELECT (SELECT count(*) FROM flights) AS f, (SELECT version FROM inlay_demo_meta) AS v',
        [],
      );
      await check.close();
      expect(rows[0]).toEqual({ f: FLIGHT_ROWS, v: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
