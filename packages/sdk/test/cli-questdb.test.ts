/**
 * The `inlay` CLI on the real QuestDB (QUESTDB_URL; skips with a message without it, fails under
 * CI): the flights demo through `--connection questdb://…` (the global setup loaded it), and a
 * project whose inlay.config.json names a QuestDB connection, over a table of its own with a
 * designated timestamp. Answers are compared with DuckDB or with the rows the test wrote.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDriver, QuestDBDriver } from '@inlay/drivers';
import { questdbTestFlightRows, questdbTestUrl, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runDemo } from './run-cli.js';

const QUESTDB_URL = questdbTestUrl();

/** The same server as QUESTDB_URL, spelt the way a user names a QuestDB: questdb://… */
const questdbScheme = (url: string) => url.replace(/^postgres(ql)?:/i, 'questdb:');

describe('inlay query without a database', () => {
  it('refuses an unknown connection type in inlay.config.json, naming the supported ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inlay-qdb-config-'));
    try {
      mkdirSync(join(dir, 'models'));
      writeFileSync(join(dir, 'inlay.config.json'), JSON.stringify({ connection: { type: 'questdbx' } }));
      const r = await runCli(['query', '{"measures":[]}', '--project', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('connection.type must be one of duckdb, postgres, questdb, mysql');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--sql with a questdb:// connection prints the QuestDB dialect', async () => {
    const query =
      '{"measures":["flights.count"],"timeDimensions":[{"dimension":"flights.date","granularity":"month"}]}';
    const sql = (...flags: string[]) => runDemo(['query', query, '--roles', 'admin', '--sql', ...flags]);
    const [viaConnection, questdb, postgres] = await Promise.all([
      sql('--connection', 'questdb://admin:quest@127.0.0.1:1/qdb'), // never contacted
      sql('--dialect', 'questdb'),
      sql('--dialect', 'postgres'),
    ]);
    expect(viaConnection.stderr).toBe('');
    expect(viaConnection.stdout).toContain('-- SQL (questdb)');
    expect(viaConnection.stdout).toBe(questdb.stdout);
    expect(viaConnection.stdout).not.toBe(postgres.stdout.replace('(postgres)', '(questdb)'));
  });
});

describe.skipIf(!QUESTDB_URL).concurrent('inlay query on QuestDB', () => {
  const url = questdbScheme(QUESTDB_URL ?? '');
  const flightRows = questdbTestFlightRows();
  /** From the DuckDB file, over the flights QuestDB holds (1..flightRows). */
  const truth = { ca: 0, topStates: [] as { state: string; n: number }[] };

  beforeAll(async () => {
    const d = new DuckDBDriver({ path: testDataPaths().duckdbPath }, { readOnly: true });
    try {
      const q = async (sql: string) => (await d.query(sql, [flightRows])).rows;
      const from = 'FROM flights f LEFT JOIN airports a ON f.origin = a.iata WHERE f.id <= $1';
      truth.ca = Number((await q(`SELECT count(*) AS n ${from} AND a.state = 'CA'`))[0]!.n);
      truth.topStates = (
        await q(`SELECT a.state AS s, count(*) AS n ${from} GROUP BY 1 ORDER BY 2 DESC LIMIT 3`)
      ).map((r) => ({ state: String(r.s), n: Number(r.n) }));
    } finally {
      await d.close();
    }
  });

  it('runs the flights demo through --connection questdb://… with row-level security', async () => {
    const r = await runDemo([
      'query',
      '{"measures":["flights.count"]}',
      '--security-context',
      '{"states":["CA"]}',
      '--connection',
      url,
    ]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).data).toEqual([{ 'flights.count': truth.ca }]);
    expect(truth.ca).toBeGreaterThan(0);
  });

  it('joins airports and orders on QuestDB, as CSV', async () => {
    const query = {
      measures: ['flights.count'],
      dimensions: ['airports.state'],
      order: { 'flights.count': 'desc' },
      limit: 3,
    };
    const r = await runDemo([
      'query',
      JSON.stringify(query),
      '--roles',
      'admin',
      '-f',
      'csv',
      '--connection',
      url,
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'airports.state,flights.count',
      ...truth.topStates.map((t) => `${t.state},${t.n}`),
    ]);
  });

  it('says why a wrong password fails, without the password', async () => {
    const wrong = url.replace(/\/\/([^:/@]+)(:[^@]*)?@/, '//$1:not-the-password@');
    const r = await runDemo([
      'query',
      '{"measures":["flights.count"]}',
      '--roles',
      'admin',
      '--connection',
      wrong,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/QuestDB: .*password/i);
    expect(r.stderr).not.toContain('not-the-password');
  });

  describe.sequential('a project whose inlay.config.json is a QuestDB connection', () => {
    const table = `inlay_cli_readings_${process.pid}_${Date.now().toString(36)}`;
    const rows = [
      { ts: '2024-03-01T08:00:00.000', sensor: 'a', value: 10 },
      { ts: '2024-03-01T09:30:00.000', sensor: 'b', value: 4 },
      { ts: '2024-03-02T10:00:00.000', sensor: 'a', value: 6 },
      { ts: '2024-03-02T23:59:59.999', sensor: 'b', value: 1 },
      { ts: '2024-03-03T00:00:00.000', sensor: 'a', value: 100 },
    ];
    let dir: string;
    let quest: QuestDBDriver;

    beforeAll(async () => {
      quest = new QuestDBDriver({ url: QUESTDB_URL! });
      await quest.execute(
        `CREATE TABLE ${table} (ts TIMESTAMP, sensor SYMBOL, value DOUBLE) TIMESTAMP(ts) PARTITION BY DAY WAL`,
      );
      await quest.execute(
        `INSERT INTO ${table} VALUES ${rows.map((_, i) => `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`).join(', ')}`,
        rows.flatMap((r) => [{ kind: 'timestamp' as const, utc: r.ts }, r.sensor, r.value]),
      );
      // WAL tables apply committed rows asynchronously.
      for (let i = 0; i < 300; i++) {
        const n = (await quest.query(`SELECT count() AS n FROM ${table}`, [])).rows[0]?.n;
        if (n === rows.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      dir = mkdtempSync(join(tmpdir(), 'inlay-qdb-project-'));
      mkdirSync(join(dir, 'models'));
      writeFileSync(
        join(dir, 'models', 'readings.cube.yml'),
        `cubes:
  - name: readings
    sql_table: ${table}
    data_source: questdb
    dimensions:
      - { name: ts, sql: ts, type: time }
      - { name: sensor, sql: sensor, type: string }
    measures:
      - { name: count, type: count }
      - { name: total, sql: value, type: sum }
    access_policy:
      - role: default
        row_level:
          filters:
            - { member: readings.sensor, operator: equals, values: ["{ securityContext.sensors }"] }
`,
      );
      const u = new URL(QUESTDB_URL!);
      const credentials = {
        host: u.hostname,
        port: u.port || '8812',
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        database: u.pathname.slice(1) || 'qdb',
      };
      writeFileSync(
        join(dir, 'inlay.config.json'),
        JSON.stringify({ connection: { type: 'questdb', credentials } }),
      );
    });

    afterAll(async () => {
      await quest?.execute(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
      await quest?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('buckets by day on the designated timestamp, with the tenant’s rows only', async () => {
      const query = {
        measures: ['readings.count', 'readings.total'],
        timeDimensions: [
          { dimension: 'readings.ts', granularity: 'day', dateRange: ['2024-03-01', '2024-03-02'] },
        ],
        order: { 'readings.ts': 'asc' },
      };
      const r = await runCli(['query', JSON.stringify(query), '--security-context', '{"sensors":["a"]}'], {
        cwd: dir,
      });
      expect(r.stderr).toBe('');
      // What the rows above give for sensor a, by day, within the range.
      const want = new Map<string, { n: number; total: number }>();
      for (const row of rows.filter((x) => x.sensor === 'a' && x.ts < '2024-03-03')) {
        const day = `${row.ts.slice(0, 10)}T00:00:00.000`;
        const w = want.get(day) ?? { n: 0, total: 0 };
        want.set(day, { n: w.n + 1, total: w.total + row.value });
      }
      expect(JSON.parse(r.stdout).data).toEqual(
        [...want].map(([day, w]) => ({
          'readings.ts.day': day,
          'readings.ts': day,
          'readings.count': w.n,
          'readings.total': w.total,
        })),
      );
    });
  });
});
