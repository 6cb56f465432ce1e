import type { Driver, ParamValue, QueryInput, SecurityOptions } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { ensureFlightsDuckDB } from '@inlay/example-flights';
import { compileQuery, type SemanticModel } from '../src/index.js';
import { ADMIN, flightsCorpus } from '../test/corpus/index.js';
import { type Figure, figure, median, nowNs, sum } from './stats.js';

export interface CaseTiming {
  name: string;
  engineNs: number;
  duckdbNs: number;
  ratio: number;
  rows: number;
}

export interface FlightsResult {
  figures: Figure[];
  duckdbPath: string;
  setupMs: number;
  cases: CaseTiming[];
  /** Cases whose own ratio is above the target. */
  over: number;
  baseline: { sql: string; engineNs: number; duckdbNs: number; ratio: number };
}

export const TARGET_RATIO = 0.02;
const ENGINE_RUNS = 25;
const ENGINE_WARMUP = 100;
const DUCKDB_RUNS = 3;

interface EngineJob {
  query: QueryInput;
  security: SecurityOptions;
  now?: Date;
}

/**
 * Per job, the median `compileQuery` time over `ENGINE_RUNS` interleaved passes, after
 * `ENGINE_WARMUP` untimed passes so the engine runs optimised code, as in a long-lived server.
 */
function engineTimes(model: SemanticModel, jobs: EngineJob[]): number[] {
  const opts = jobs.map((j) => ({
    dialect: 'duckdb',
    security: j.security,
    ...(j.now ? { now: j.now } : {}),
  }));
  for (let pass = 0; pass < ENGINE_WARMUP; pass++)
    jobs.forEach((j, i) => {
      compileQuery(model, j.query, opts[i]!);
    });
  const runs = jobs.map(() => [] as number[]);
  for (let pass = 0; pass < ENGINE_RUNS; pass++) {
    jobs.forEach((j, i) => {
      const t0 = nowNs();
      compileQuery(model, j.query, opts[i]!);
      runs[i]!.push(nowNs() - t0);
    });
  }
  return runs.map((r) => median(r));
}

/** Reads every column of both tables once, so no timed run pays for loading the file. */
const WARM_UP = `SELECT count(*), sum(id), sum(delay), sum(distance), min(date), count(DISTINCT origin),
  count(DISTINCT destination), (SELECT count(DISTINCT name || city || state || country || latitude || longitude)
  FROM airports) FROM flights`;

/** The median of `DUCKDB_RUNS` runs of the statements, one after the other, through the driver. */
async function duckdbTime(
  driver: Driver,
  statements: { sql: string; params: ParamValue[] }[],
): Promise<{ ns: number; rows: number }> {
  let rows = 0;
  const runs: number[] = [];
  for (let i = 0; i < DUCKDB_RUNS; i++) {
    const t0 = nowNs();
    for (const s of statements) rows = (await driver.query(s.sql, s.params)).rows.length;
    runs.push(nowNs() - t0);
  }
  return { ns: median(runs), rows };
}

/**
 * Figure 3: on the flights corpus, `compileQuery` time against DuckDB running the SQL it printed
 * (and the `total` statement when asked for) on the 3M-row file through the driver.
 */
export async function benchFlights(model: SemanticModel, dataDir: string): Promise<FlightsResult> {
  const t0 = Date.now();
  const duckdbPath = await ensureFlightsDuckDB(dataDir);
  const setupMs = Date.now() - t0;
  const driver = createDriver('duckdb', { path: duckdbPath }, { readOnly: true });
  try {
    await driver.test();
    await driver.query(WARM_UP, []);
    const jobs: EngineJob[] = flightsCorpus.map((c) => ({
      query: c.query,
      security: c.security ?? ADMIN,
      ...(c.now ? { now: new Date(c.now) } : {}),
    }));
    // The baseline's engine side: the semantic twin of `SELECT count(*) FROM flights`.
    jobs.push({ query: { measures: ['flights.count'] }, security: ADMIN });
    const engine = engineTimes(model, jobs);
    const cases: CaseTiming[] = [];
    for (const [i, c] of flightsCorpus.entries()) {
      const job = jobs[i]!;
      const compiled = compileQuery(model, job.query, {
        dialect: driver.dialect,
        security: job.security,
        ...(job.now ? { now: job.now } : {}),
      });
      const statements = [compiled, ...(compiled.total ? [compiled.total] : [])];
      const duck = await duckdbTime(driver, statements);
      cases.push({
        name: c.name,
        engineNs: engine[i]!,
        duckdbNs: duck.ns,
        ratio: engine[i]! / duck.ns,
        rows: duck.rows,
      });
    }
    const baselineSql = 'SELECT count(*) AS "flights.count" FROM flights';
    const baseEngine = engine[jobs.length - 1]!;
    const baseDuck = await duckdbTime(driver, [{ sql: baselineSql, params: [] }]);
    const engineSum = sum(cases.map((c) => c.engineNs));
    const duckSum = sum(cases.map((c) => c.duckdbNs));
    return {
      figures: [
        figure(
          'flights.ratio',
          `engine / DuckDB, flights corpus (${cases.length} queries)`,
          engineSum / duckSum,
          TARGET_RATIO,
          'ratio',
        ),
      ],
      duckdbPath,
      setupMs,
      cases,
      over: cases.filter((c) => c.ratio > TARGET_RATIO).length,
      baseline: {
        sql: baselineSql,
        engineNs: baseEngine,
        duckdbNs: baseDuck.ns,
        ratio: baseEngine / baseDuck.ns,
      },
    };
  } finally {
    await driver.close();
  }
}
