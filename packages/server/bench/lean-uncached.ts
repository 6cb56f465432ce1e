/**
 * The lean benchmark's uncached queries, and the pairs its overhead figure is the median of: each
 * distinct query through HTTP, then its SQL (as `/api/v1/sql` shows it, asked after the `/load` so
 * compiling stays in the measured request) on DuckDB directly, twice: raw `@duckdb/node-api` (the
 * database's own time: the figure) and through Inlay's driver (printed). The server's CPU time
 * around each `/load` is read from /proc (ns), steadier than any wall time on these machines.
 */
import { createDriver } from '@inlay/drivers';
import { median } from './harness.js';
import { call } from './lean-start.js';
import { threadCpuNs } from './product-server.js';
import { openRawDuckDB } from './raw-duckdb.js';

/**
 * An uncached query: no result cache entry and no rollup can answer it (distance and
 * count_distinct are in none of the demo's rollups), and each value is asked once. Two shapes in
 * turn; within a shape, (first day, minimum distance) never repeats for i < 68 000.
 */
export function distinctQuery(i: number): string {
  // A week of flights: the database's own time stays small (~7 ms), and with it its jitter, which
  // on a busy 2-core machine otherwise hides a 2 ms overhead.
  const k = i >> 1;
  const day = (d: number) => new Date(Date.UTC(2001, 0, 1 + d)).toISOString().slice(0, 10);
  const dateRange = [day(k % 170), day((k % 170) + 6)];
  const filters = [
    { member: 'flights.distance', operator: 'gt', values: [String(Math.floor(k / 170) * 10)] },
  ];
  const timeDimensions = [{ dimension: 'flights.date', dateRange }];
  const query =
    i % 2 === 0
      ? {
          measures: ['flights.count', 'flights.avg_delay'],
          dimensions: ['airports.state'],
          timeDimensions,
          filters,
        }
      : {
          measures: ['flights.distinct_destinations'],
          dimensions: ['flights.origin'],
          timeDimensions,
          filters,
          order: { 'flights.distinct_destinations': 'desc' },
          limit: 10,
        };
  return JSON.stringify({ query, roles: ['admin'] });
}

/** Queries asked and not counted before each reading. */
export const UNCACHED_WARM = 6;

export interface UncachedPair {
  /** The `/load` through HTTP, ms. */
  http: number;
  /** DuckDB's first run of the same SQL and values, raw, ms: the figure subtracts this. */
  db: number;
  dbRepeat: number;
  viaDriver: number;
  /** Server CPU during the `/load`, ms: its main thread, and all its threads (DuckDB's included). */
  cpuMain: number;
  cpuAll: number;
}

/** The overhead figure of a reading: the median of HTTP time less DuckDB's own first run, ms. */
export function overheadOf(pairs: readonly UncachedPair[]): number {
  return median(pairs.map((p) => p.http - p.db));
}

export async function openUncachedPairs(options: {
  port: number;
  auth: string;
  serverPid: () => number;
  flightsFile: string;
  queries: number;
}) {
  const { port, auth, serverPid, flightsFile, queries } = options;
  const raw = await openRawDuckDB(flightsFile);
  const driver = createDriver('duckdb', { path: flightsFile }, { readOnly: true });
  return {
    /** `queries` pairs (after `UNCACHED_WARM` uncounted), from `distinctQuery(offset)` on. */
    async pairs(offset: number): Promise<UncachedPair[]> {
      const pairs: UncachedPair[] = [];
      for (let i = 0; i < UNCACHED_WARM + queries; i++) {
        const body = distinctQuery(offset + i);
        const cpu0 = threadCpuNs(serverPid());
        const res = await call(port, 'POST', '/api/v1/load', body, auth);
        const cpu1 = threadCpuNs(serverPid());
        if (res.status !== 200)
          throw new Error(`/api/v1/load answered ${res.status}: ${res.body.slice(0, 300)}`);
        const answer = JSON.parse(res.body);
        if (answer.cache?.level !== 'none') {
          throw new Error(
            `query ${i} was answered by the cache level '${answer.cache?.level}', not the database`,
          );
        }
        const { query, roles } = JSON.parse(body);
        const compiled = await call(port, 'POST', '/api/v1/sql', JSON.stringify({ query, roles }), auth);
        if (compiled.status !== 200) {
          throw new Error(`/api/v1/sql answered ${compiled.status}: ${compiled.body.slice(0, 300)}`);
        }
        const { sql, params } = JSON.parse(compiled.body);
        // The request ran this SQL's values for the first time on the server, so the database's own
        // time is a first run of them too: repeats are faster in DuckDB alone, which is not the
        // server's to claim (printed). The driver's run comes after, on values DuckDB has seen.
        const first = await raw.run(sql, params);
        if (first.rows !== answer.data.length) {
          throw new Error(`query ${i}: DuckDB gave ${first.rows} rows, the server ${answer.data.length}`);
        }
        const repeats = [(await raw.run(sql, params)).ms, (await raw.run(sql, params)).ms];
        const t0 = performance.now();
        await driver.query(sql, params);
        const viaDriver = performance.now() - t0;
        if (i < UNCACHED_WARM) continue;
        pairs.push({
          http: res.ms,
          db: first.ms,
          dbRepeat: median(repeats),
          viaDriver,
          cpuMain: (cpu1.main - cpu0.main) / 1e6,
          cpuAll: (cpu1.all - cpu0.all) / 1e6,
        });
      }
      return pairs;
    },
    async close(): Promise<void> {
      raw.close();
      await driver.close();
    },
  };
}
