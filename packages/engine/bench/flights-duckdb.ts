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
const DUCKDB_RUNS = 3;

function engineTime(
  model: SemanticModel,
  query: QueryInput,
  security: SecurityOptions,
  now: Date | undefined,
): number {
  const opts = { dialect: 'duckdb', security, ...(now ? { now } : {}) };
  for (let i = 0; i < 5; i++) compileQuery(model, query, opts);
  const runs: number[] = [];
  for (let i = 0; i < ENGINE_RUNS; i++) {
    const t0 = nowNs();
    compileQuery(model, query, opts);
    runs.push(nowNs() - t0);
  }
  return median(runs);
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
    const cases: CaseTiming[] = [];
    for (const c of flightsCorpus) {
      const security = c.security ?? ADMIN;
      const now = c.now ? new Date(c.now) : undefined;
      const compiled = compileQuery(model, c.query, {
        dialect: driver.dialect,
        security,
        ...(now ? { now } : {}),
      });
      const statements = [compiled, ...(compiled.total ? [compiled.total] : [])];
      const engineNs = engineTime(model, c.query, security, now);
      const duck = await duckdbTime(driver, statements);
      cases.push({
        name: c.name,
        engineNs,
        duckdbNs: duck.ns,
        ratio: engineNs / duck.ns,
        rows: duck.rows,
      });
    }
    const baselineSql = 'SELECT count(*) AS "flights.count" FROM flights';
    const baseEngine = engineTime(model, { measures: ['flights.count'] }, ADMIN, undefined);
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
