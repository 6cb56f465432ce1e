/**
 * The flights corpus: hand-written expected SQL (run on DuckDB) against `runQuery` on DuckDB
 * (read-only) and on PostgreSQL. Data comes from the vitest globalSetup (`prepareTestData()`);
 * a missing database fails the run, nothing is skipped.
 */
import type { Driver, LoadResponse } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel, readModelDir, runQuery } from '../src/index.js';
import { expectSameRows, type Row, toResultRow, withBaseTimeKeys } from './corpus/compare.js';
import { ADMIN, type CorpusCase, flightsCorpus } from './corpus/index.js';

type Model = ReturnType<typeof compileModel>;

let model: Model;
let duck: Driver;
let pg: Driver;

beforeAll(async () => {
  const { duckdbPath, pgUrl } = testDataPaths();
  model = compileModel(await readModelDir(flightsProjectDir));
  duck = createDriver('duckdb', { path: duckdbPath }, { readOnly: true });
  pg = createDriver('postgres', { url: pgUrl }, { readOnly: true });
  await Promise.all([duck.test(), pg.test()]);
});

afterAll(async () => {
  await Promise.all([duck?.close(), pg?.close()]);
});

const expectedCache = new Map<CorpusCase, Promise<{ rows: Row[]; total?: number }>>();

/** Runs the hand-written SQL once per case (on DuckDB) and shapes it like a response. */
function expected(c: CorpusCase): Promise<{ rows: Row[]; total?: number }> {
  let p = expectedCache.get(c);
  if (!p) {
    p = (async () => {
      const { rows } = await duck.query(c.expectedSql, []);
      const result: { rows: Row[]; total?: number } = {
        rows: withBaseTimeKeys(rows.map(toResultRow), c.query),
      };
      if (c.expectedTotalSql) {
        const t = await duck.query(c.expectedTotalSql, []);
        result.total = Number(t.rows[0]?.total);
      }
      return result;
    })();
    expectedCache.set(c, p);
  }
  return p;
}

async function check(c: CorpusCase, driver: () => Driver): Promise<void> {
  const want = await expected(c);
  const response: LoadResponse = await runQuery(model, driver(), c.query, {
    security: c.security ?? ADMIN,
    ...(c.now ? { now: new Date(c.now) } : {}),
  });
  expectSameRows(response.data, want.rows, { name: c.name, ordered: c.ordered, measures: c.query.measures });
  if (want.total !== undefined) expect(response.total).toBe(want.total);
}

describe('flights corpus', () => {
  it('has enough cases and unique names', () => {
    expect(flightsCorpus.length).toBeGreaterThanOrEqual(65);
    expect(new Set(flightsCorpus.map((c) => c.name)).size).toBe(flightsCorpus.length);
  });

  it('rls: role default without securityContext.states is refused, not unfiltered', async () => {
    for (const security of [{ roles: ['default'] }, { roles: ['default'], securityContext: {} }]) {
      await expect(
        runQuery(model, duck, { measures: ['flights.count'] }, { security }),
        JSON.stringify(security),
      ).rejects.toThrow();
    }
  });

  for (const c of flightsCorpus) {
    describe(c.name, () => {
      it('duckdb', () => check(c, () => duck));
      it('postgres', () => check(c, () => pg));
    });
  }
});
