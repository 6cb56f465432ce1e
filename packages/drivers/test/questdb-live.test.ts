/**
 * The QuestDB driver against a real server (../shared/questdb/start): runs when QUESTDB_URL is
 * set, skips with a message otherwise, and fails under CI without it (`questdbTestUrl()`).
 */
import { questdbTestUrl } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuestDBDriver } from '../src/index.js';
import { elapsed, uniqueName } from './helpers.js';

const QUESTDB_URL = questdbTestUrl();

/** Polls until `check` holds (WAL tables apply rows asynchronously). */
async function eventually(check: () => Promise<boolean>, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!QUESTDB_URL)('QuestDB driver on a live server', () => {
  const table = uniqueName('inlay_qdb');
  let d: QuestDBDriver;
  beforeAll(async () => {
    d = new QuestDBDriver({ url: QUESTDB_URL! });
    await d.execute(`CREATE TABLE ${table} (ts TIMESTAMP, sym SYMBOL, n LONG, x DOUBLE, s VARCHAR)
      TIMESTAMP(ts) PARTITION BY DAY WAL`);
    await d.execute(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)`, [
      { kind: 'timestamp', utc: '2001-02-03T04:05:06.789' },
      "O'Reilly",
      9007199254740993n,
      1.25,
      'héllo ✈️',
      { kind: 'timestamp', utc: '2001-02-04T00:00:00.000' },
      'b',
      42,
      null,
      null,
    ]);
    await eventually(async () => (await d.query(`SELECT count() AS n FROM ${table}`, [])).rows[0]?.n === 2);
  });
  afterAll(async () => {
    await d.execute(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
    await d.close();
  });

  it('reads timestamps as UTC and longs per the contract', async () => {
    const { rows } = await d.query(`SELECT ts, sym, n, x, s, count() AS c FROM ${table} ORDER BY ts`, []);
    expect(rows).toEqual([
      { ts: '2001-02-03T04:05:06.789', sym: "O'Reilly", n: 9007199254740993n, x: 1.25, s: 'héllo ✈️', c: 1 },
      { ts: '2001-02-04T00:00:00.000', sym: 'b', n: 42, x: null, s: null, c: 1 },
    ]);
  });

  it('binds timestamp parameters as bare ISO text in range filters', async () => {
    const { rows } = await d.query(`SELECT count() AS c FROM ${table} WHERE ts >= $1 AND ts < $2`, [
      { kind: 'timestamp', utc: '2001-02-03T00:00:00.000' },
      { kind: 'timestamp', utc: '2001-02-04T00:00:00.000' },
    ]);
    expect(rows).toEqual([{ c: 1 }]);
  });

  it('introspects tables() and table_columns(), without a primary key', async () => {
    expect(await d.tables('public')).toContain(table);
    const cols = await d.columns([{ schemaName: 'public', tableName: table }]);
    expect(cols.map((c) => [c.columnName, c.dataType, c.attributes])).toEqual([
      ['ts', 'timestamp', []],
      ['sym', 'symbol', []],
      ['n', 'long', []],
      ['x', 'double', []],
      ['s', 'varchar', []],
    ]);
  });

  it('classifies QuestDB errors by message', async () => {
    await expect(d.query('SELECT * FROM inlay_no_such_table', [])).rejects.toMatchObject({
      code: 'DRIVER',
      hint: expect.stringContaining('sql_table'),
    });
    const e = await d.query(`SELECT nope FROM ${table}`, []).catch((x: unknown) => x);
    expect(String((e as Error).message)).not.toContain('00000');
  });

  it('stops a long query on the client timeout and stays usable', async () => {
    const r = await elapsed(() =>
      d.query('SELECT count() AS c FROM long_sequence(100000000000) WHERE rnd_double() > 2', [], {
        timeoutMs: 500,
      }),
    );
    expect(r.error).toMatchObject({ code: 'TIMEOUT' });
    expect(r.ms).toBeLessThan(3_000);
    expect((await d.query('SELECT 1 AS ok', [])).rows).toEqual([{ ok: 1 }]);
  });

  it('reports whether the login can write', async () => {
    expect(await d.canWrite()).toBe(true);
    expect(await d.tables('public')).not.toContainEqual(expect.stringMatching(/__inlay_write_probe/));
  });
});
