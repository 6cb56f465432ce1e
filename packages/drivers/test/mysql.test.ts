/** The MySQL driver against the MariaDB (or MySQL) server at MYSQL_URL: no mocks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver, MySQLDriver, mysqlPlugin } from '../src/index.js';
import { elapsed, HOSTILE_STRINGS, runningAfter, uniqueName } from './helpers.js';

const MYSQL_URL = process.env.MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';

describe('MySQL driver: values, parameters, introspection', () => {
  const db = uniqueName('inlay_drv');
  const other = `${db}_b`;
  let d: MySQLDriver;
  beforeAll(async () => {
    d = new MySQLDriver({ url: MYSQL_URL });
    await d.execute(`CREATE DATABASE ${db}`);
    await d.execute(`CREATE DATABASE ${other}`);
    await d.execute(`CREATE TABLE ${db}.nums (i INT, b BIGINT, label TEXT)`);
    await d.execute(
      `INSERT INTO ${db}.nums SELECT seq, seq * 1000000000000, CONCAT('n', seq) FROM seq_1_to_10`,
    );
    await d.execute(`CREATE TABLE ${db}.texts (v LONGTEXT)`);
  });
  afterAll(async () => {
    await d.execute(`DROP DATABASE IF EXISTS ${other}`);
    await d.execute(`DROP DATABASE IF EXISTS ${db}`);
    await d.close();
  });

  it('normalizes every type in the contract', async () => {
    const { rows, columns } = await d.query(
      `SELECT CAST(42 AS SIGNED) AS i8, 42 AS i4, CAST(9007199254740993 AS SIGNED) AS big,
        CAST(-9007199254740993 AS SIGNED) AS negbig, CAST(12.34 AS DECIMAL(10,2)) AS dec_,
        CAST(123456789012345678901234 AS DECIMAL(30,0)) AS wide_int, 1.25e0 AS dbl,
        TIMESTAMP '2001-02-03 04:05:06.789123' AS ts, CAST('1960-01-01 00:00:00.0005' AS DATETIME(6)) AS old_ts,
        FROM_UNIXTIME(981173106.5) AS tstamp, DATE '2001-02-03' AS d, TRUE AS b, 'héllo' AS s, NULL AS n,
        JSON_OBJECT('a', 1) AS j, x'00ff' AS bytes`,
      [],
    );
    expect(rows).toEqual([
      {
        i8: 42,
        i4: 42,
        big: 9007199254740993n,
        negbig: -9007199254740993n,
        dec_: 12.34,
        wide_int: 123456789012345678901234n,
        dbl: 1.25,
        ts: '2001-02-03T04:05:06.789',
        old_ts: '1960-01-01T00:00:00.000',
        // The session runs in +00:00, so TIMESTAMP values read as UTC.
        tstamp: '2001-02-03T04:05:06.500',
        d: '2001-02-03',
        b: 1,
        s: 'héllo',
        n: null,
        j: '{"a": 1}',
        bytes: '\\x00ff',
      },
    ]);
    expect(columns.map((c) => c.type).slice(0, 8)).toEqual([
      'int',
      'int',
      'bigint',
      'bigint',
      'decimal',
      'decimal',
      'double',
      'datetime',
    ]);
  });

  it('returns sums, averages and counts as numbers with full precision', async () => {
    const r = await d.query(
      `SELECT sum(b) AS s, count(*) AS n, avg(i) AS a, 1.0 * 2 / 3 AS q FROM ${db}.nums`,
      [],
    );
    expect(r.rows[0]).toEqual({ s: 55_000_000_000_000, n: 10, a: 5.5, q: 2 / 3 });
  });

  it('binds integers for comparisons, LIMIT and OFFSET', async () => {
    const r = await d.query(`SELECT i FROM ${db}.nums WHERE i > ? ORDER BY i LIMIT ? OFFSET ?`, [3, 2, 1]);
    expect(r.rows).toEqual([{ i: 5 }, { i: 6 }]);
    const big = await d.query(`SELECT count(*) AS n FROM ${db}.nums WHERE b >= ?`, [8_000_000_000_000]);
    expect(big.rows[0]?.n).toBe(3);
    const mixed = await d.query(
      'SELECT CAST(? AS SIGNED) + 1 AS v, ? * 2 AS f, ? AS t, ? IS NULL AS isnull',
      [2n ** 62n, 1.25, true, null],
    );
    expect(mixed.rows[0]).toEqual({ v: 2n ** 62n + 1n, f: 2.5, t: 1, isnull: 1 });
  });

  it('binds timestamp parameters as UTC DATETIME text', async () => {
    const ts = { kind: 'timestamp' as const, utc: '2001-01-01T12:00:00.250' };
    const r = await d.query('SELECT CAST(? AS DATETIME(3)) AS t', [ts]);
    expect(r.rows[0]).toEqual({ t: '2001-01-01T12:00:00.250' });
  });

  it('round-trips hostile strings as data', async () => {
    for (const s of [...HOSTILE_STRINGS, 'nul \u0000 inside']) {
      const r = await d.query('SELECT CAST(? AS CHAR) AS v, CHAR_LENGTH(?) AS n', [s, s]);
      expect(r.rows[0]?.v).toBe(s);
      expect(r.rows[0]?.n).toBe([...s].length);
      await d.execute(`INSERT INTO ${db}.texts VALUES (?)`, [s]);
      const back = await d.query(`SELECT count(*) AS n FROM ${db}.texts WHERE v = ?`, [s]);
      expect(back.rows[0]?.n).toBeGreaterThanOrEqual(1);
    }
  });

  it('reports database errors as DRIVER with the code and a hint', async () => {
    await expect(d.query(`SELECT * FROM ${db}.no_such_table`, [])).rejects.toMatchObject({
      code: 'DRIVER',
      message: expect.stringMatching(
        /^MySQL: Table .*no_such_table.* doesn't exist \(ER_NO_SUCH_TABLE, SQLSTATE 42S02\)$/,
      ),
      hint: expect.stringContaining('sql_table'),
    });
    await expect(d.query('SELEC 1', [])).rejects.toMatchObject({ code: 'DRIVER', hint: expect.any(String) });
  });

  it('introspects schemas (databases), tables and columns with keys', async () => {
    await d.execute(`CREATE TABLE ${db}.customers (id INT PRIMARY KEY, name TEXT)`);
    await d.execute(`CREATE TABLE ${db}.orders (id BIGINT PRIMARY KEY, customer_id INT,
      placed_at DATETIME, total DECIMAL(10,2), FOREIGN KEY (customer_id) REFERENCES ${db}.customers(id))`);
    await d.execute(`CREATE VIEW ${db}.big_orders AS SELECT * FROM ${db}.orders WHERE total > 100`);
    await d.execute(`CREATE TABLE ${other}.refunds (order_id BIGINT, amount DOUBLE,
      FOREIGN KEY (order_id) REFERENCES ${db}.orders(id))`);
    const schemas = await d.schemas();
    expect(schemas).toEqual(expect.arrayContaining(['test', db, other]));
    for (const system of ['mysql', 'information_schema', 'performance_schema', 'sys']) {
      expect(schemas).not.toContain(system);
    }
    expect(await d.tables(db)).toEqual(['big_orders', 'customers', 'nums', 'orders', 'texts']);
    const cols = await d.columns([
      { schemaName: db, tableName: 'orders' },
      { schemaName: db, tableName: 'customers' },
      { schemaName: other, tableName: 'refunds' },
    ]);
    const col = (s: string, t: string, c: string, dataType: string) => ({
      schemaName: s,
      tableName: t,
      columnName: c,
      dataType,
      attributes: [] as string[],
      foreignKeys: [] as { targetTable: string; targetColumn: string }[],
    });
    expect(cols).toEqual([
      { ...col(db, 'customers', 'id', 'int(11)'), attributes: ['primaryKey'] },
      col(db, 'customers', 'name', 'text'),
      { ...col(db, 'orders', 'id', 'bigint(20)'), attributes: ['primaryKey'] },
      {
        ...col(db, 'orders', 'customer_id', 'int(11)'),
        foreignKeys: [{ targetTable: 'customers', targetColumn: 'id' }],
      },
      col(db, 'orders', 'placed_at', 'datetime'),
      col(db, 'orders', 'total', 'decimal(10,2)'),
      {
        ...col(other, 'refunds', 'order_id', 'bigint(20)'),
        foreignKeys: [{ targetTable: `${db}.orders`, targetColumn: 'id' }],
      },
      col(other, 'refunds', 'amount', 'double'),
    ]);
    expect(await d.columns([])).toEqual([]);
  });

  it('says whether the login can write', async () => {
    expect(await d.canWrite()).toBe(true);
    const ro = new MySQLDriver({ url: MYSQL_URL }, { readOnly: true });
    try {
      expect(await ro.canWrite()).toBe(false);
    } finally {
      await ro.close();
    }
  });
});

describe('MySQL driver: read-only sessions', () => {
  it('refuses writes on every pooled session and still reads', async () => {
    const table = uniqueName('inlay_ro');
    const rw = new MySQLDriver({ url: MYSQL_URL });
    const ro = createDriver('mariadb', { url: MYSQL_URL }, { readOnly: true, poolSize: 3 });
    try {
      await rw.execute(`CREATE TABLE ${table} (v INT)`);
      // Several at once, so more than one pooled session is checked.
      const attempts = await Promise.allSettled(
        [1, 2, 3, 4].map((v) => ro.execute(`INSERT INTO ${table} VALUES (?)`, [v])),
      );
      for (const a of attempts) {
        expect(a.status).toBe('rejected');
        expect((a as PromiseRejectedResult).reason).toMatchObject({
          code: 'DRIVER',
          message: expect.stringContaining('ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION'),
          hint: expect.stringContaining('read-only'),
        });
      }
      await expect(ro.execute(`DROP TABLE ${table}`)).rejects.toMatchObject({ code: 'DRIVER' });
      expect((await ro.query(`SELECT count(*) AS n FROM ${table}`, [])).rows).toEqual([{ n: 0 }]);
    } finally {
      await rw.execute(`DROP TABLE IF EXISTS ${table}`);
      await Promise.all([rw.close(), ro.close()]);
    }
  });
});

describe('MySQL driver: cancel by KILL QUERY', () => {
  let d: MySQLDriver;
  let watcher: MySQLDriver;
  beforeAll(() => {
    d = new MySQLDriver({ url: MYSQL_URL }, { poolSize: 2 });
    watcher = new MySQLDriver({ url: MYSQL_URL });
  });
  afterAll(async () => {
    await Promise.all([d.close(), watcher.close()]);
  });

  /** Statements of ours still running on the server. */
  async function stillRunning(marker: string): Promise<number> {
    const r = await watcher.query(
      "SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND INFO NOT LIKE '%PROCESSLIST%'",
      [`%${marker}%`],
    );
    return Number(r.rows[0]?.n);
  }

  it('stops the statement on the server within 2 s of the timeout', async () => {
    const marker = uniqueName('sleeper');
    const { ms, error } = await elapsed(() =>
      d.query(`SELECT SLEEP(10) AS s /* ${marker} */`, [], { timeoutMs: 300 }),
    );
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(ms).toBeLessThan(3_000);
    expect(await runningAfter(() => stillRunning(marker))).toBe(0);
    expect((await d.query('SELECT 1 AS one', [])).rows).toEqual([{ one: 1 }]);
  });

  it('stops a heavy cross join when the signal aborts', async () => {
    const marker = uniqueName('join');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const { error } = await elapsed(() =>
      d.query(
        `SELECT count(*) AS n FROM seq_1_to_100000 a, seq_1_to_100000 b WHERE a.seq + b.seq = ? /* ${marker} */`,
        [-1],
        { signal: controller.signal },
      ),
    );
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(await runningAfter(() => stillRunning(marker))).toBe(0);
  });
});

describe('MySQL driver: connection errors and credentials', () => {
  const password = 'S3cret-pässword!';
  const user = uniqueName('inlay_u').slice(0, 32);
  let admin: MySQLDriver;
  const url = new URL(MYSQL_URL);
  beforeAll(async () => {
    admin = new MySQLDriver({ url: MYSQL_URL });
    await admin.execute(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    await admin.execute(`GRANT SELECT ON ${url.pathname.slice(1)}.* TO '${user}'@'%'`);
  });
  afterAll(async () => {
    await admin.execute(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin.close();
  });
  const parts = { host: url.hostname, port: Number(url.port || 3306), database: url.pathname.slice(1), user };

  it('a select-only user cannot write', async () => {
    const d = new MySQLDriver({ ...parts, password });
    try {
      expect((await d.query('SELECT 1 AS one', [])).rows).toEqual([{ one: 1 }]);
      expect(await d.canWrite()).toBe(false);
    } finally {
      await d.close();
    }
  });

  it('classifies a refused login as CONNECTION_AUTH, never showing the password', async () => {
    const wrong = `${password}-wrong`;
    for (const creds of [
      { ...parts, password: wrong },
      { url: `mysql://${user}:${encodeURIComponent(wrong)}@${url.host}/${parts.database}` },
    ]) {
      const d = new MySQLDriver(creds);
      const { error } = await elapsed(() => d.test());
      await d.close();
      expect(error).toMatchObject({ code: 'CONNECTION_AUTH', hint: expect.stringContaining('password') });
      const text = JSON.stringify({ m: (error as Error).message, h: (error as { hint?: string }).hint });
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(encodeURIComponent(wrong));
    }
  });

  it('classifies unknown databases, refused ports and unknown hosts', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: MYSQL_URL.replace(/\/[^/?]*(\?|$)/, '/inlay_no_such_db$1') }, 'CONNECTION_DATABASE'],
      [{ ...parts, password, port: 1 }, 'CONNECTION_UNREACHABLE'],
      [{ ...parts, password, host: 'no-such-host.invalid' }, 'CONNECTION_UNREACHABLE'],
    ];
    for (const [creds, code] of cases) {
      const d = createDriver('mysql', creds, { connectTimeoutMs: 3_000 });
      const { error } = await elapsed(() => d.test());
      await d.close();
      expect(error, JSON.stringify(creds)).toMatchObject({ code });
      expect((error as Error).message).not.toContain(password);
    }
  });

  it('checks credentials before connecting', () => {
    expect(() => new MySQLDriver({ host: 'h', database: '', user: 'u' })).toThrow(/missing database/);
    expect(() => new MySQLDriver({ url: 'postgres://u@h/db' })).toThrow(/mysql:\/\/ or mariadb:\/\//);
    expect(() => new MySQLDriver({ host: 'h', database: 'd', user: 'u', port: 70_000 })).toThrow(/port/);
    expect(mysqlPlugin.credentialsFromUrl?.('mariadb://u:p%40ss@db.example:3307/sales?ssl=true')).toEqual({
      host: 'db.example',
      port: 3307,
      database: 'sales',
      user: 'u',
      password: 'p@ss',
      ssl: true,
    });
    expect(mysqlPlugin.normalizeCredentials?.({ host: 'h', port: '3307', database: 'd', user: 'u' })).toEqual(
      {
        host: 'h',
        port: 3307,
        database: 'd',
        user: 'u',
      },
    );
  });
});
