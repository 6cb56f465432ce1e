import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBDriver } from '../src/index.js';
import { elapsed, HOSTILE_STRINGS } from './helpers.js';

// A read-only file's driver keeps each connection's prepared statements and binds new values to
// them: every value must still be this query's, whatever ran on the connection before.
describe('DuckDB driver (read-only file, prepared statements kept)', () => {
  let dir: string;
  let d: DuckDBDriver;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inlay-duckdb-prepared-'));
    const path = join(dir, 'kept.duckdb');
    const w = new DuckDBDriver({ path });
    await w.execute(`
      CREATE TABLE nums (i INTEGER, b BIGINT, label VARCHAR, ts TIMESTAMP);
      INSERT INTO nums SELECT x, x * 1000000000000, 'n' || x, TIMESTAMP '2001-01-01' + INTERVAL (x) DAY
        FROM range(1, 11) t(x);`);
    await w.close();
    // One connection: every query below reuses what the one before it prepared.
    d = new DuckDBDriver({ path }, { readOnly: true, poolSize: 1 });
  });
  afterAll(async () => {
    await d.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('binds each query its own values on a statement prepared before', async () => {
    const sql = 'SELECT count(*) AS n, min(i) AS lo FROM nums WHERE i > $1 AND ts < CAST($2 AS TIMESTAMP)';
    const cases: [number, string, { n: number; lo: number | null }][] = [
      [0, '2001-01-05T00:00:00.000', { n: 3, lo: 1 }],
      [5, '2001-01-20T00:00:00.000', { n: 5, lo: 6 }],
      [9, '2001-01-03T00:00:00.000', { n: 0, lo: null }],
      [2, '2001-01-08T12:00:00.000', { n: 5, lo: 3 }],
    ];
    for (const [above, before, expected] of cases) {
      const r = await d.query(sql, [above, { kind: 'timestamp', utc: before }]);
      expect(r.rows).toEqual([expected]);
    }
    // The same placeholder as INTEGER, BIGINT, DOUBLE and NULL in turn.
    const typed = 'SELECT count(*) AS n FROM nums WHERE b >= $1 OR $1 IS NULL';
    const counts = [];
    for (const v of [3, 8_000_000_000_000, 9.5e12, null, 1])
      counts.push((await d.query(typed, [v])).rows[0]?.n);
    expect(counts).toEqual([10, 3, 1, 10, 10]);
  });

  it('reads results of several chunks whole and in order, and empty ones with their columns', async () => {
    // DuckDB hands results over in chunks of 2 048 rows: 5 000 rows are three chunks.
    const sql = 'SELECT x AS n, $1 || x AS label FROM range($2) t(x) ORDER BY x';
    for (const count of [5_000, 2_048, 1, 0]) {
      const r = await d.query(sql, ['v', count]);
      expect(r.rows.length).toBe(count);
      expect(r.rows.every((row, i) => row.n === i && row.label === `v${i}`)).toBe(true);
      expect(r.columns.map((c) => c.name)).toEqual(['n', 'label']);
    }
    // Without parameters (no kept statement): the same.
    const plain = await d.query('SELECT x AS n FROM range(4100) t(x) ORDER BY x', []);
    expect(plain.rows.map((row) => row.n)).toEqual(Array.from({ length: 4100 }, (_, i) => i));
  });

  it('round-trips hostile strings on one kept statement', async () => {
    for (const s of [...HOSTILE_STRINGS, 'nul\u0000inside']) {
      const r = await d.query(
        'SELECT $1 AS v, length($1) AS n, (SELECT count(*) FROM nums WHERE label = $1) AS hits',
        [s],
      );
      expect(r.rows[0]).toEqual({ v: s, n: [...s].length, hits: 0 });
    }
    expect((await d.query('SELECT count(*) AS n FROM nums', [])).rows).toEqual([{ n: 10 }]);
  });

  it('refuses too few values instead of using the previous query’s', async () => {
    const sql = 'SELECT $1 AS a, $2 AS b';
    expect((await d.query(sql, ['first', 'second'])).rows).toEqual([{ a: 'first', b: 'second' }]);
    await expect(d.query(sql, ['only'])).rejects.toMatchObject({ code: 'DRIVER' });
    expect((await d.query(sql, ['x', 'y'])).rows).toEqual([{ a: 'x', b: 'y' }]);
  });

  it('runs SQL with several statements as before', async () => {
    const r = await d.query('SELECT 1; SELECT $1 + 1 AS v', [41]);
    expect(r.rows).toEqual([{ v: 42 }]);
    await expect(d.query('SELEC $1', [1])).rejects.toMatchObject({ code: 'DRIVER' });
  });

  it('stays right past the statements a connection keeps', async () => {
    for (let k = 0; k < 80; k++) {
      const r = await d.query(`SELECT $1 + ${k} AS v`, [k]);
      expect(r.rows).toEqual([{ v: 2 * k }]);
    }
    expect((await d.query('SELECT $1 + 0 AS v', [7])).rows).toEqual([{ v: 7 }]);
  });

  it('interrupts a kept statement on timeout, then keeps working', async () => {
    const sql = 'SELECT count(*) AS n FROM range($1) a, range(100000) b';
    expect((await d.query(sql, [2])).rows).toEqual([{ n: 200000 }]);
    const r = await elapsed(() => d.query(sql, [100_000_000], { timeoutMs: 200 }));
    expect(r.error).toMatchObject({ code: 'TIMEOUT' });
    expect(r.ms).toBeLessThan(1500);
    expect((await d.query(sql, [3])).rows).toEqual([{ n: 300000 }]);
  });
});
