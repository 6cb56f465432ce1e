import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBDriver } from '../src/index.js';
import { elapsed, HOSTILE_STRINGS } from './helpers.js';

describe('DuckDB driver (in memory)', () => {
  let d: DuckDBDriver;
  beforeAll(async () => {
    d = new DuckDBDriver({});
    await d.execute(`
      CREATE TABLE nums (i INTEGER, b BIGINT, label VARCHAR);
      INSERT INTO nums SELECT x, x * 1000000000000, 'n' || x FROM range(1, 11) t(x);
      CREATE TABLE texts (v VARCHAR);
      CREATE TABLE events (ts TIMESTAMP, tz TIMESTAMPTZ);
      INSERT INTO events VALUES ('2001-01-01 10:00:00', '2001-01-01 10:00:00+00'),
                                ('2001-01-02 10:00:00', '2001-01-02 10:00:00+00');`);
  });
  afterAll(() => d.close());

  it('normalizes every type in the contract', async () => {
    const { rows, columns } = await d.query(
      `SELECT 42::TINYINT AS ti, 42::SMALLINT AS si, 42::INTEGER AS i, 42::BIGINT AS bi,
        9007199254740993::BIGINT AS big, -9007199254740993::BIGINT AS negbig,
        170141183460469231731687303715884105727::HUGEINT AS huge, 7::UBIGINT AS ubig,
        12.34::DECIMAL(10,2) AS dec, 12345678.5678::DECIMAL(38,4) AS wide_dec, 1.25::DOUBLE AS dbl, 1.5::FLOAT AS flt,
        TIMESTAMP '2001-02-03 04:05:06.789123' AS ts, TIMESTAMPTZ '2001-02-03 04:05:06.789+02:00' AS tstz,
        TIMESTAMP_MS '2001-02-03 04:05:06.789' AS ts_ms, TIMESTAMP_NS '2001-02-03 04:05:06.789123456' AS ts_ns,
        TIMESTAMP_S '2001-02-03 04:05:06' AS ts_s, TIMESTAMP '1960-01-01 00:00:00.0005' AS old_ts,
        DATE '2001-02-03' AS d, DATE '1969-12-31' AS old_d, TRUE AS b, 'héllo' AS s, NULL::INTEGER AS n`,
      [],
    );
    expect(rows).toEqual([
      {
        ti: 42,
        si: 42,
        i: 42,
        bi: 42,
        big: 9007199254740993n,
        negbig: -9007199254740993n,
        huge: 170141183460469231731687303715884105727n,
        ubig: 7,
        dec: 12.34,
        wide_dec: 12345678.5678,
        dbl: 1.25,
        flt: 1.5,
        ts: '2001-02-03T04:05:06.789',
        tstz: '2001-02-03T02:05:06.789',
        ts_ms: '2001-02-03T04:05:06.789',
        ts_ns: '2001-02-03T04:05:06.789',
        ts_s: '2001-02-03T04:05:06.000',
        old_ts: '1960-01-01T00:00:00.000',
        d: '2001-02-03',
        old_d: '1969-12-31',
        b: true,
        s: 'héllo',
        n: null,
      },
    ]);
    expect(columns.find((c) => c.name === 'dec')?.type).toBe('DECIMAL(10,2)');
    expect(columns.find((c) => c.name === 'tstz')?.type).toBe('TIMESTAMP WITH TIME ZONE');
  });

  it('returns HUGEINT sums as numbers when safe and bigint when not', async () => {
    const small = await d.query('SELECT sum(b) AS s FROM nums', []);
    expect(small.columns[0]?.type).toBe('HUGEINT');
    expect(small.rows[0]?.s).toBe(55_000_000_000_000);
    const huge = await d.query(
      'SELECT sum(x) AS s FROM (VALUES (9007199254740991::BIGINT), (10::BIGINT)) t(x)',
      [],
    );
    expect(huge.rows[0]?.s).toBe(9007199254741001n);
  });

  it('binds integers for comparisons, LIMIT and OFFSET', async () => {
    const r = await d.query('SELECT i FROM nums WHERE i > $1 ORDER BY i LIMIT $2 OFFSET $3', [3, 2, 1]);
    expect(r.rows).toEqual([{ i: 5 }, { i: 6 }]);
    const big = await d.query('SELECT count(*) AS n FROM nums WHERE b >= $1', [8_000_000_000_000]);
    expect(big.rows[0]?.n).toBe(3);
    const bigint = await d.query(
      'SELECT $1::BIGINT + 1 AS v, $2 * 2 AS f, $3 AS t, $4::INTEGER IS NULL AS isnull',
      [2n ** 62n, 1.25, true, null],
    );
    expect(bigint.rows[0]).toEqual({ v: 2n ** 62n + 1n, f: 2.5, t: true, isnull: true });
  });

  it('binds timestamp parameters as UTC text', async () => {
    const ts = { kind: 'timestamp' as const, utc: '2001-01-01T12:00:00.000' };
    const r = await d.query(
      `SELECT CAST($1 AS TIMESTAMP) AS t,
        (SELECT count(*) FROM events WHERE ts >= CAST($1 AS TIMESTAMP)) AS naive,
        (SELECT count(*) FROM events WHERE tz >= CAST($1 AS TIMESTAMPTZ)) AS zoned`,
      [ts],
    );
    expect(r.rows[0]).toEqual({ t: '2001-01-01T12:00:00.000', naive: 1, zoned: 1 });
  });

  it('round-trips hostile strings as data, including NUL', async () => {
    for (const s of [...HOSTILE_STRINGS, 'nul\u0000inside']) {
      const r = await d.query('SELECT $1 AS v, length($1) AS n', [s]);
      expect(r.rows[0]?.v).toBe(s);
      expect(r.rows[0]?.n).toBe([...s].length);
      await d.execute('INSERT INTO texts VALUES ($1)', [s]);
      const back = await d.query('SELECT count(*) AS n FROM texts WHERE v = $1', [s]);
      expect(back.rows[0]?.n).toBe(1);
    }
    const tables = await d.query(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'flights'",
      [],
    );
    expect(tables.rows[0]?.n).toBe(0);
  });

  it('reports database errors as DRIVER with the database message', async () => {
    await expect(d.query('SELECT * FROM no_such_table', [])).rejects.toMatchObject({
      code: 'DRIVER',
      message: expect.stringMatching(/^DuckDB: .*no_such_table/),
    });
    await expect(d.query('SELEC 1', [])).rejects.toMatchObject({ code: 'DRIVER' });
    // The pool is still usable afterwards.
    expect((await d.query('SELECT 1 AS one', [])).rows).toEqual([{ one: 1 }]);
  });

  it('interrupts a long query on timeout, then keeps working', async () => {
    const long = 'SELECT count(*) FROM range(100000000) a, range(100000) b';
    const r = await elapsed(() => d.query(long, [], { timeoutMs: 200 }));
    expect(r.error).toMatchObject({ code: 'TIMEOUT' });
    // The driver waits for the statement to stop before rejecting: a quick rejection means it stopped.
    expect(r.ms).toBeLessThan(1500);
    expect((await d.query('SELECT 2 AS two', [])).rows).toEqual([{ two: 2 }]);
  });

  it('stops a query when the signal aborts, and refuses an already aborted one', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const r = await elapsed(() =>
      d.query('SELECT count(*) FROM range(100000000) a, range(100000) b', [], { signal: controller.signal }),
    );
    expect(r.error).toMatchObject({ code: 'CANCELLED' });
    expect(r.ms).toBeLessThan(1500);
    await expect(d.query('SELECT 1', [], { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('leaves nothing running after a timeout or an abort: the process goes idle at once', async () => {
    const long = 'SELECT count(*) FROM range(100000000) a, range(100000) b';
    const aborted = new AbortController();
    setTimeout(() => aborted.abort(), 300);
    for (const options of [{ timeoutMs: 300 }, { signal: aborted.signal }]) {
      const r = await elapsed(() => d.query(long, [], options));
      expect(r.error).toMatchObject({ code: 'timeoutMs' in options ? 'TIMEOUT' : 'CANCELLED' });
      // A query still running would keep DuckDB's threads busy (about a core per thread).
      const before = process.cpuUsage();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const used = process.cpuUsage(before);
      expect((used.user + used.system) / 1000).toBeLessThan(150);
      expect((await elapsed(() => d.query('SELECT 2 AS two', []))).ms).toBeLessThan(200);
    }
  });

  it('applies defaultTimeoutMs when the call gives none', async () => {
    const t = new DuckDBDriver({}, { defaultTimeoutMs: 150 });
    await expect(
      t.query('SELECT count(*) FROM range(100000000) a, range(100000) b', []),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    await t.close();
  });

  it('runs queries concurrently on separate connections', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, k) => d.query('SELECT $1 + 0 AS k', [k]).then((r) => r.rows[0]?.k)),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('introspects schemas, tables and columns with keys', async () => {
    const m = new DuckDBDriver({});
    await m.execute(`
      CREATE SCHEMA shop;
      CREATE TABLE shop.customers (id INTEGER PRIMARY KEY, name VARCHAR);
      CREATE TABLE shop.orders (id BIGINT PRIMARY KEY, customer_id INTEGER REFERENCES shop.customers(id),
        placed_at TIMESTAMP, total DECIMAL(10,2));
      CREATE VIEW shop.big_orders AS SELECT * FROM shop.orders WHERE total > 100;`);
    expect(await m.schemas()).toEqual(expect.arrayContaining(['main', 'shop']));
    expect(await m.schemas()).not.toContain('information_schema');
    expect(await m.tables('shop')).toEqual(['big_orders', 'customers', 'orders']);
    expect(await m.tables('nope')).toEqual([]);
    const cols = await m.columns([
      { schemaName: 'shop', tableName: 'orders' },
      { schemaName: 'shop', tableName: 'customers' },
    ]);
    const col = (t: string, c: string) => ({ schemaName: 'shop', tableName: t, columnName: c });
    expect(cols).toEqual([
      { ...col('customers', 'id'), dataType: 'INTEGER', attributes: ['primaryKey'], foreignKeys: [] },
      { ...col('customers', 'name'), dataType: 'VARCHAR', attributes: [], foreignKeys: [] },
      { ...col('orders', 'id'), dataType: 'BIGINT', attributes: ['primaryKey'], foreignKeys: [] },
      {
        ...col('orders', 'customer_id'),
        dataType: 'INTEGER',
        attributes: [],
        foreignKeys: [{ targetTable: 'customers', targetColumn: 'id' }],
      },
      { ...col('orders', 'placed_at'), dataType: 'TIMESTAMP', attributes: [], foreignKeys: [] },
      { ...col('orders', 'total'), dataType: 'DECIMAL(10,2)', attributes: [], foreignKeys: [] },
    ]);
    expect(await m.columns([])).toEqual([]);
    expect(await m.canWrite()).toBe(true);
    await m.close();
    await expect(m.query('SELECT 1', [])).rejects.toMatchObject({ code: 'DRIVER' });
  });
});

describe('DuckDB driver (files)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inlay-duckdb-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('persists to a file and reopens it read-only, where writes fail', async () => {
    const path = join(dir, 'rw.duckdb');
    const w = new DuckDBDriver({ path });
    await w.execute('CREATE TABLE t (i INTEGER); INSERT INTO t VALUES (1), (2)');
    expect(await w.canWrite()).toBe(true);
    await w.close();

    const r1 = new DuckDBDriver({ path }, { readOnly: true });
    const r2 = new DuckDBDriver({ path }, { readOnly: true });
    expect((await r1.query('SELECT sum(i) AS s FROM t', [])).rows).toEqual([{ s: 3 }]);
    expect((await r2.query('SELECT count(*) AS n FROM t', [])).rows).toEqual([{ n: 2 }]);
    expect(await r1.canWrite()).toBe(false);
    await expect(r1.execute('INSERT INTO t VALUES (3)')).rejects.toMatchObject({
      code: 'DRIVER',
      message: expect.stringContaining('read-only'),
    });
    await expect(r1.execute('CREATE TABLE u (i INTEGER)')).rejects.toMatchObject({ code: 'DRIVER' });
    // One instance per file per process: a read-write open while it is open read-only is refused…
    const rw = new DuckDBDriver({ path });
    await expect(rw.test()).rejects.toMatchObject({ code: 'CONFIG' });
    // …and closing one reader leaves the other working.
    await r1.close();
    expect((await r2.query('SELECT max(i) AS m FROM t', [])).rows).toEqual([{ m: 2 }]);
    await r2.close();
    // Once every reader closed, the file can be opened for writing again.
    await rw.execute('INSERT INTO t VALUES (3)');
    expect((await rw.query('SELECT count(*) AS n FROM t', [])).rows).toEqual([{ n: 3 }]);
    await rw.close();
  });

  it('fails with CONNECTION_DATABASE (400) when the file is missing or not a DuckDB database', async () => {
    const d = new DuckDBDriver({ path: join(dir, 'missing.duckdb') }, { readOnly: true });
    await expect(d.test()).rejects.toMatchObject({
      code: 'CONNECTION_DATABASE',
      status: 400,
      message: expect.stringContaining('does not exist'),
      hint: expect.stringContaining('path'),
    });
    await d.close();
    const notDuck = join(dir, 'not-a-database.txt');
    writeFileSync(notDuck, 'hello');
    const n = new DuckDBDriver({ path: notDuck }, { readOnly: true });
    await expect(n.test()).rejects.toMatchObject({ code: 'CONNECTION_DATABASE' });
    await n.close();
  });
});
