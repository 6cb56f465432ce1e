/**
 * The flights corpus: hand-written expected SQL (run on DuckDB) against `runQuery` on DuckDB
 * (read-only), on PostgreSQL and on MySQL/MariaDB; questdb-live.test.ts runs the same cases on QuestDB. Data comes
 * from the vitest globalSetup (`prepareTestData()`); a missing database fails the run, nothing is
 * skipped.
 */
import type { Driver, Filter, LoadResponse } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel, compileQuery, readModelDir, runQuery } from '../src/index.js';
import { expectSameRows, type Row, toResultRow, withBaseTimeKeys } from './corpus/compare.js';
import { ADMIN, type CorpusCase, flightsCorpus } from './corpus/index.js';

type Model = ReturnType<typeof compileModel>;

let model: Model;
let duck: Driver;
let pg: Driver;
let my: Driver;

beforeAll(async () => {
  const { duckdbPath, pgUrl, mysqlUrl } = testDataPaths();
  model = compileModel(await readModelDir(flightsProjectDir));
  duck = createDriver('duckdb', { path: duckdbPath }, { readOnly: true });
  pg = createDriver('postgres', { url: pgUrl }, { readOnly: true });
  my = createDriver('mysql', { url: mysqlUrl }, { readOnly: true });
  await Promise.all([duck.test(), pg.test(), my.test()]);
});

afterAll(async () => {
  await Promise.all([duck?.close(), pg?.close(), my?.close()]);
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

/** Every value a case brings from the query or the security context (never SQL text). */
function userValues(c: CorpusCase): string[] {
  const out: string[] = [];
  const walk = (filters: readonly Filter[] | undefined): void => {
    for (const f of filters ?? []) {
      if ('and' in f) walk(f.and);
      else if ('or' in f) walk(f.or);
      else out.push(...(f.values ?? []).map(String));
    }
  };
  walk(c.query.filters as Filter[] | undefined);
  walk(c.security?.filters);
  for (const td of c.query.timeDimensions ?? []) {
    if (Array.isArray(td.dateRange)) out.push(...td.dateRange);
  }
  if (c.query.timezone) out.push(c.query.timezone);
  for (const v of Object.values(c.security?.securityContext ?? {})) {
    out.push(...(Array.isArray(v) ? v : [v]).map(String));
  }
  // Single characters and pure wildcards ('%') could legitimately appear in SQL text.
  return out.filter((v) => v.length >= 2 && /[A-Za-z0-9]/.test(v));
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

  it('binds every query and security value as a parameter, never as SQL text', () => {
    for (const c of flightsCorpus) {
      for (const dialect of ['duckdb', 'postgres', 'questdb', 'mysql']) {
        const { sql } = compileQuery(model, c.query, {
          dialect,
          security: c.security ?? ADMIN,
          ...(c.now ? { now: new Date(c.now) } : {}),
        });
        for (const value of userValues(c)) {
          expect(sql, `${c.name} (${dialect}) inlines ${value}`).not.toContain(`'${value}`);
        }
      }
    }
  });

  it('usesNow is false only when the SQL is the same at any instant', () => {
    const at = (c: CorpusCase, when: Date) =>
      compileQuery(model, c.query, { dialect: 'duckdb', security: c.security ?? ADMIN, now: when });
    const instants = [new Date('2001-03-15T12:30:00.000Z'), new Date('2002-07-02T01:02:03.456Z')];
    let relative = 0;
    for (const c of flightsCorpus) {
      const [a, b] = instants.map((when) => at(c, when));
      if (a!.usesNow) relative++;
      else
        expect({ sql: b!.sql, params: b!.params, usesNow: b!.usesNow }, c.name).toEqual({
          sql: a!.sql,
          params: a!.params,
          usesNow: false,
        });
      // A relative range that moves with the clock must say so (the other direction).
      if (JSON.stringify([a!.sql, a!.params]) !== JSON.stringify([b!.sql, b!.params]))
        expect(a!.usesNow, c.name).toBe(true);
    }
    // The relative ranges in the corpus, but for "from 2001-02-01 to 2001-02-14" (dates only).
    const movesWithTime = flightsCorpus.filter((c) =>
      (c.query.timeDimensions ?? []).some(
        (td) => typeof td.dateRange === 'string' && !/^from \d/.test(td.dateRange),
      ),
    );
    expect(movesWithTime.length).toBeGreaterThanOrEqual(9);
    expect(relative).toBe(movesWithTime.length);
  });

  for (const c of flightsCorpus) {
    describe(c.name, () => {
      it('duckdb', () => check(c, () => duck));
      it('postgres', () => check(c, () => pg));
      it('mysql', () => check(c, () => my));
    });
  }
});
