import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDriver } from '../src/index.js';
import { HOSTILE_STRINGS, PGURL, uniqueName } from './helpers.js';

describe('PostgreSQL driver: values, parameters, introspection', () => {
  const schema = uniqueName('inlay_drv');
  let d: PostgresDriver;
  beforeAll(async () => {
    d = new PostgresDriver({ url: PGURL });
    await d.execute(`
      CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.nums (i INTEGER, b BIGINT, label TEXT);
      INSERT INTO ${schema}.nums SELECT x, x * 1000000000000, 'n' || x FROM generate_series(1, 10) x;
      CREATE TABLE ${schema}.texts (v TEXT);
      CREATE TABLE ${schema}.events (ts TIMESTAMP, tz TIMESTAMPTZ);
      INSERT INTO ${schema}.events VALUES ('2001-01-01 10:00:00', '2001-01-01 10:00:00+00'),
                                          ('2001-01-02 10:00:00', '2001-01-02 10:00:00+00');`);
  });
  afterAll(async () => {
    await d.execute(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await d.close();
  });

  it('normalizes every type in the contract', async () => {
    const { rows, columns } = await d.query(
      `SELECT 42::int2 AS i2, 42::int4 AS i4, 42::int8 AS i8, 9007199254740993::int8 AS big,
        -9007199254740993::int8 AS negbig, 12.34::numeric(10,2) AS dec, 12345678.5678::numeric AS wide_dec,
        1.25::float8 AS dbl, 1.5::float4 AS flt,
        TIMESTAMP '2001-02-03 04:05:06.789123' AS ts, TIMESTAMPTZ '2001-02-03 04:05:06.789+02:00' AS tstz,
        TIMESTAMP '1960-01-01 00:00:00.0005' AS old_ts,
        DATE '2001-02-03' AS d, DATE '1969-12-31' AS old_d, TRUE AS b, 'héllo'::text AS s, NULL::int AS n,
        '{"a": 1}'::jsonb AS j, ARRAY[1, 2] AS arr, interval '1 day' AS iv`,
      [],
    );
    expect(rows).toEqual([
      {
        i2: 42,
        i4: 42,
        i8: 42,
        big: 9007199254740993n,
        negbig: -9007199254740993n,
        dec: 12.34,
        wide_dec: 12345678.5678,
        dbl: 1.25,
        flt: 1.5,
        ts: '2001-02-03T04:05:06.789',
        tstz: '2001-02-03T02:05:06.789',
        old_ts: '1960-01-01T00:00:00.000',
        d: '2001-02-03',
        old_d: '1969-12-31',
        b: true,
        s: 'héllo',
        n: null,
        // Types outside the contract stay text rather than becoming objects.
        j: '{"a": 1}',
        arr: '{1,2}',
        iv: '1 day',
      },
    ]);
    expect(columns.map((c) => c.type)).toEqual([
      'int2',
      'int4',
      'int8',
      'int8',
      'int8',
      'numeric',
      'numeric',
      'float8',
      'float4',
      'timestamp',
      'timestamptz',
      'timestamp',
      'date',
      'date',
      'bool',
      'text',
      'int4',
      'jsonb',
      '_int4',
      'interval',
    ]);
  });

  it('returns sums (numeric) and counts (int8) as numbers', async () => {
    const r = await d.query(`SELECT sum(b) AS s, count(*) AS n FROM ${schema}.nums`, []);
    expect(r.rows[0]).toEqual({ s: 55_000_000_000_000, n: 10 });
  });

  it("leaves pg's global type parsers alone", async () => {
    const plain = new pg.Client({ connectionString: PGURL });
    await plain.connect();
    const r = await plain.query("SELECT DATE '2001-02-03' AS d, 5::int8 AS i");
    await plain.end();
    expect(r.rows[0].d).toBeInstanceOf(Date);
    expect(r.rows[0].i).toBe('5');
  });

  it('binds integers for comparisons, LIMIT and OFFSET', async () => {
    const r = await d.query(
      `SELECT i FROM ${schema}.nums WHERE i > $1 ORDER BY i LIMIT $2 OFFSET $3`,
      [3, 2, 1],
    );
    expect(r.rows).toEqual([{ i: 5 }, { i: 6 }]);
    const big = await d.query(`SELECT count(*) AS n FROM ${schema}.nums WHERE b >= $1`, [8_000_000_000_000]);
    expect(big.rows[0]?.n).toBe(3);
    const mixed = await d.query(
      'SELECT $1::int8 + 1 AS v, $2::float8 * 2 AS f, $3::boolean AS t, $4::int IS NULL AS isnull',
      [2n ** 62n, 1.25, true, null],
    );
    expect(mixed.rows[0]).toEqual({ v: 2n ** 62n + 1n, f: 2.5, t: true, isnull: true });
  });

  it('binds timestamp parameters as UTC text', async () => {
    const ts = { kind: 'timestamp' as const, utc: '2001-01-01T12:00:00.000' };
    const r = await d.query(
      `SELECT CAST($1 AS TIMESTAMP) AS t,
        (SELECT count(*) FROM ${schema}.events WHERE ts >= $1) AS naive,
        (SELECT count(*) FROM ${schema}.events WHERE tz >= $1) AS zoned`,
      [ts],
    );
    expect(r.rows[0]).toEqual({ t: '2001-01-01T12:00:00.000', naive: 1, zoned: 1 });
  });

  it('round-trips hostile strings as data', async () => {
    for (const s of HOSTILE_STRINGS) {
      const r = await d.query('SELECT $1::text AS v, char_length($1) AS n', [s]);
      expect(r.rows[0]?.v).toBe(s);
      expect(r.rows[0]?.n).toBe([...s].length);
      await d.execute(`INSERT INTO ${schema}.texts VALUES ($1)`, [s]);
      const back = await d.query(`SELECT count(*) AS n FROM ${schema}.texts WHERE v = $1`, [s]);
      expect(back.rows[0]?.n).toBe(1);
    }
    const untyped = await d.query('SELECT $1 AS v', ["it's"]);
    expect(untyped.rows[0]?.v).toBe("it's");
  });

  it('refuses NUL characters with a clear DRIVER error, and keeps working', async () => {
    await expect(d.query('SELECT $1::text AS v', ['a\u0000b'])).rejects.toMatchObject({
      code: 'DRIVER',
      message: expect.stringContaining('NUL'),
    });
    await expect(
      d.execute(`INSERT INTO ${schema}.texts VALUES ($1)`, [{ kind: 'timestamp', utc: '\u0000' }]),
    ).rejects.toMatchObject({ code: 'DRIVER' });
    await expect(d.query('SELECT 1 /* \u0000 */', [])).rejects.toMatchObject({ code: 'DRIVER' });
    expect((await d.query('SELECT 1 AS one', [])).rows).toEqual([{ one: 1 }]);
  });

  it('reports database errors as DRIVER with the database message and SQLSTATE', async () => {
    await expect(d.query(`SELECT * FROM ${schema}.no_such_table`, [])).rejects.toMatchObject({
      code: 'DRIVER',
      message: expect.stringMatching(
        /^PostgreSQL: relation .*no_such_table.* does not exist \(SQLSTATE 42P01\)$/,
      ),
    });
    await expect(d.query('SELECT 1/0', [])).rejects.toMatchObject({
      message: expect.stringContaining('22012'),
    });
  });

  it('introspects schemas, tables and columns with keys', async () => {
    const other = `${schema}_b`;
    await d.execute(`
      CREATE TABLE ${schema}.customers (id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE ${schema}.orders (id BIGINT PRIMARY KEY, customer_id INTEGER REFERENCES ${schema}.customers(id),
        placed_at TIMESTAMP, total NUMERIC(10,2));
      CREATE VIEW ${schema}.big_orders AS SELECT * FROM ${schema}.orders WHERE total > 100;
      CREATE SCHEMA ${other};
      CREATE TABLE ${other}.refunds (order_id BIGINT REFERENCES ${schema}.orders(id), amount DOUBLE PRECISION);`);
    try {
      const schemas = await d.schemas();
      expect(schemas).toEqual(expect.arrayContaining(['public', schema, other]));
      expect(schemas).not.toContain('pg_catalog');
      expect(schemas).not.toContain('information_schema');
      expect(await d.tables(schema)).toEqual([
        'big_orders',
        'customers',
        'events',
        'nums',
        'orders',
        'texts',
      ]);
      const cols = await d.columns([
        { schemaName: schema, tableName: 'orders' },
        { schemaName: schema, tableName: 'customers' },
        { schemaName: other, tableName: 'refunds' },
      ]);
      const col = (s: string, t: string, c: string) => ({ schemaName: s, tableName: t, columnName: c });
      const expected = [
        {
          ...col(schema, 'customers', 'id'),
          dataType: 'integer',
          attributes: ['primaryKey'],
          foreignKeys: [],
        },
        { ...col(schema, 'customers', 'name'), dataType: 'text', attributes: [], foreignKeys: [] },
        { ...col(schema, 'orders', 'id'), dataType: 'bigint', attributes: ['primaryKey'], foreignKeys: [] },
        {
          ...col(schema, 'orders', 'customer_id'),
          dataType: 'integer',
          attributes: [],
          foreignKeys: [{ targetTable: 'customers', targetColumn: 'id' }],
        },
        {
          ...col(schema, 'orders', 'placed_at'),
          dataType: 'timestamp without time zone',
          attributes: [],
          foreignKeys: [],
        },
        { ...col(schema, 'orders', 'total'), dataType: 'numeric(10,2)', attributes: [], foreignKeys: [] },
        {
          ...col(other, 'refunds', 'order_id'),
          dataType: 'bigint',
          attributes: [],
          foreignKeys: [{ targetTable: `${schema}.orders`, targetColumn: 'id' }],
        },
        { ...col(other, 'refunds', 'amount'), dataType: 'double precision', attributes: [], foreignKeys: [] },
      ];
      // Sorted by schema, then table, then column position.
      expect(cols).toEqual(
        expected.sort((a, b) => (a.schemaName < b.schemaName ? -1 : a.schemaName > b.schemaName ? 1 : 0)),
      );
      expect(await d.columns([])).toEqual([]);
    } finally {
      await d.execute(`DROP SCHEMA ${other} CASCADE`);
    }
  });
});
