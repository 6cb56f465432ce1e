/**
 * The QuestDB driver against a real server (../shared/questdb/start): runs when QUESTDB_URL is
 * set, skips with a message otherwise, and fails under CI without it (`questdbTestUrl()`).
 */
import { questdbTestUrl } from '@inlay/example-flights';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuestDBDriver } from '../src/index.js';
import { cancelByMarker, markerComment, newStatementMarker } from '../src/questdb/cancel.js';
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

  /**
   * Rows of `query_activity()` (any state) whose text holds `tag`. A cancelled query QuestDB has
   * not stopped yet still shows, as `cancelled`, so an empty answer means it is gone.
   */
  async function activityWith(tag: string): Promise<{ query_id: unknown; state: string; query: string }[]> {
    const { rows } = await d.query(
      'SELECT query_id, state, query FROM query_activity() WHERE query LIKE $1',
      [`%${tag}%`],
    );
    return rows as { query_id: unknown; state: string; query: string }[];
  }

  /** Polls until `query_activity()` shows nothing with `tag`; how long that took. */
  async function goneWithin(tag: string, ms: number): Promise<number> {
    const t0 = performance.now();
    while ((await activityWith(tag)).length > 0) {
      if (performance.now() - t0 > ms) throw new Error(`still running after ${ms} ms: ${tag}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now() - t0;
  }

  /**
   * A query that keeps a core busy for about a minute unless stopped. A cross join checks for
   * cancellation on every row; some plans never do (`count()` over a filtered
   * `long_sequence()` runs to its end whatever a client does), so tests must not use those.
   */
  const longQuery = (tag: string) =>
    `SELECT count() AS ${tag}, sum(a.x + b.x) AS s FROM long_sequence(40000) a CROSS JOIN long_sequence(40000) b`;

  it('stops a long query on the server at the client timeout, and stays usable', async () => {
    const tag = uniqueName('timeout');
    const r = await elapsed(() => d.query(longQuery(tag), [], { timeoutMs: 500 }));
    expect(r.error).toMatchObject({ code: 'TIMEOUT' });
    expect(r.ms).toBeLessThan(3_000);
    expect(await goneWithin(tag, 2_000)).toBeLessThan(2_000);
    expect((await d.query('SELECT 1 AS ok', [])).rows).toEqual([{ ok: 1 }]);
  });

  it('stops a long query on the server when the signal aborts', async () => {
    const tag = uniqueName('abort');
    const controller = new AbortController();
    const running = elapsed(() => d.query(longQuery(tag), [], { signal: controller.signal }));
    await eventually(async () => (await activityWith(tag)).length > 0, 5_000);
    // QuestDB lists it with the connection's marker, which is how it can be found to cancel.
    expect((await activityWith(tag))[0]?.query).toMatch(/\n\/\* inlay:[0-9a-f]{16} \*\/$/);
    controller.abort();
    const r = await running;
    expect(r.error).toMatchObject({ code: 'CANCELLED' });
    expect(await goneWithin(tag, 2_000)).toBeLessThan(2_000);
  });

  it('finds a statement by its marker and stops it with CANCEL QUERY', async () => {
    const tag = uniqueName('marker');
    const marker = newStatementMarker();
    const other = new pg.Client({ connectionString: QUESTDB_URL });
    other.on('error', () => {});
    await other.connect();
    try {
      const running = other.query(longQuery(tag) + markerComment(marker)).catch((e: Error) => e);
      await eventually(async () => (await activityWith(tag)).length > 0, 5_000);
      const ids = await cancelByMarker({ connectionString: QUESTDB_URL! }, marker, 2_000);
      expect(ids).toHaveLength(1);
      expect(await running).toMatchObject({ message: expect.stringMatching(/cancelled by user/) });
      expect(await goneWithin(tag, 2_000)).toBeLessThan(2_000);
    } finally {
      await other.end();
    }
  });

  it('reports whether the login can write', async () => {
    expect(await d.canWrite()).toBe(true);
    expect(await d.tables('public')).not.toContainEqual(expect.stringMatching(/__inlay_write_probe/));
  });
});
