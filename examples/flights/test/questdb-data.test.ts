/**
 * The flights demo as the global setup loaded it into the real QuestDB (QUESTDB_URL; skipped
 * without it, failing under CI): the table layout the README promises and the same data as the
 * DuckDB store. And the machine-wide lock that keeps loaders from racing.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDriver, QuestDBDriver } from '@inlay/drivers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIRPORT_ROWS, questdbTestFlightRows, questdbTestUrl, testDataPaths } from '../src/index.js';
import { withMachineLock } from '../src/machine-lock.js';

const QUESTDB_URL = questdbTestUrl();

/** A busy server fails the test in time instead of leaving a statement running. */
const LIMIT = { timeoutMs: 30_000 };

describe.skipIf(!QUESTDB_URL)('flights in QuestDB', () => {
  const flightRows = questdbTestFlightRows();
  let quest: QuestDBDriver;
  let duck: DuckDBDriver;
  beforeAll(() => {
    quest = new QuestDBDriver({ url: QUESTDB_URL! });
    duck = new DuckDBDriver({ path: testDataPaths().duckdbPath }, { readOnly: true });
  });
  afterAll(async () => {
    await Promise.all([quest?.close(), duck?.close()]);
  });

  it('has flights with the designated timestamp date, by month, on WAL; airports plain', async () => {
    const { rows } = await quest.query(
      `SELECT table_name, designatedTimestamp, partitionBy, walEnabled FROM tables()
       WHERE table_name IN ('flights', 'airports') ORDER BY table_name`,
      [],
      LIMIT,
    );
    expect(rows).toEqual([
      { table_name: 'airports', designatedTimestamp: null, partitionBy: 'NONE', walEnabled: false },
      { table_name: 'flights', designatedTimestamp: 'date', partitionBy: 'MONTH', walEnabled: true },
    ]);
  });

  it('holds the DuckDB store’s flights and airports, in aggregate and by month', async () => {
    const sums =
      'count(*) AS n, min(id) AS lo, max(id) AS hi, sum(delay) AS delay, sum(distance) AS distance';
    const [q, d, qa] = await Promise.all([
      quest.query(`SELECT ${sums} FROM flights`, [], LIMIT),
      duck.query(`SELECT ${sums} FROM flights WHERE id <= $1`, [flightRows]),
      quest.query('SELECT count(*) AS n FROM airports', [], LIMIT),
    ]);
    expect(q.rows[0]).toEqual(d.rows[0]);
    expect(q.rows[0]).toMatchObject({ n: flightRows });
    expect(qa.rows).toEqual([{ n: AIRPORT_ROWS }]);
    const byMonth =
      "SELECT date_trunc('month', date) AS m, count(*) AS n, count(DISTINCT origin) AS o FROM flights";
    const [qm, dm] = await Promise.all([
      quest.query(`${byMonth} GROUP BY 1 ORDER BY 1`, [], LIMIT),
      duck.query(`${byMonth} WHERE id <= $1 GROUP BY 1 ORDER BY 1`, [flightRows]),
    ]);
    expect(qm.rows).toEqual(dm.rows);
  });
});

describe('withMachineLock', () => {
  it('lets one holder in at a time, in one process or several', async () => {
    const name = `test-${process.pid}-${Date.now()}`;
    const spans: [number, number][] = [];
    const hold = () =>
      withMachineLock(name, async () => {
        const start = performance.now();
        await new Promise((r) => setTimeout(r, 30));
        spans.push([start, performance.now()]);
      });
    await Promise.all([hold(), hold(), hold()]);
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it('is free again as soon as its holder dies, even by SIGKILL', async () => {
    const name = `test-kill-${process.pid}-${Date.now()}`;
    const dir = await mkdtemp(join(tmpdir(), 'inlay-lock-'));
    try {
      const script = join(dir, 'holder.mts'); // an ES module wherever the temp dir is
      const lock = join(import.meta.dirname, '..', 'src', 'machine-lock.ts');
      writeFileSync(
        script,
        `import { withMachineLock } from ${JSON.stringify(lock)};
         await withMachineLock(${JSON.stringify(name)}, async () => {
           process.send?.('held');
           await new Promise(() => setInterval(() => {}, 1000));
         });`,
      );
      const child = fork(script, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      await new Promise<void>((held, failed) => {
        child.once('message', () => held());
        child.once('exit', (code) => failed(new Error(`holder exited (${code}) before taking the lock`)));
      });
      let waited = false;
      const taken = withMachineLock(name, async () => 'mine', { onWait: () => (waited = true) });
      await new Promise((r) => setTimeout(r, 200));
      expect(waited).toBe(true);
      child.kill('SIGKILL');
      await expect(taken).resolves.toBe('mine');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
