import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH } from '../helpers.js';
import { type StoreTestApp, storeTestApp } from '../store-app.js';

type Row = Record<string, unknown>;

/** Rows in a fixed order, numbers rounded: rollups re-add floating sums in another order. */
function normalise(rows: Row[]): Row[] {
  return rows
    .map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(10)) : v]),
      ),
    )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe('L2 through HTTP: the demo rollups build on start and answer what they provably can', () => {
  let t: StoreTestApp;
  const dir = mkdtempSync(join(os.tmpdir(), 'inlay-l2-http-'));

  beforeAll(async () => {
    t = await storeTestApp('sqlite', { preaggsDir: dir, config: { cacheMaxBytes: 16 * 1024 * 1024 } });
    // Nobody asks for a build: the scheduler starts one when the app is ready.
    const until = Date.now() + 120_000;
    for (;;) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/caching/pre-aggregations',
        headers: AUTH,
      });
      const all = res.json().preAggregations as { state: string; served?: boolean }[];
      // Built (in the manifest) and loaded by this process's reader.
      if (all.length > 0 && all.every((p) => p.state === 'built' && p.served)) break;
      if (Date.now() > until) throw new Error(`rollups not built: ${res.body}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 150_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const load = async (query: object, security: object) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: AUTH,
      payload: { query: { ...query, renewQuery: true }, ...security },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { data: Row[]; cache: { level: string; age_ms: number } };
  };
  /** The same query straight from the database: a filter on a member no rollup keeps. */
  const fromDatabase = (query: Record<string, unknown> & { filters?: object[] }, security: object) =>
    load(
      {
        ...query,
        filters: [...(query.filters ?? []), { member: 'flights.delay', operator: 'set' }],
      },
      security,
    );

  const byMonthAndOrigin = {
    measures: ['flights.avg_delay', 'flights.count', 'flights.max_delay', 'flights.delayed_count'],
    dimensions: ['flights.origin'],
    timeDimensions: [{ dimension: 'flights.date', granularity: 'month' }],
    limit: 5000,
  };

  for (const [who, security] of [
    ['tenant CA', { securityContext: { states: ['CA'] } }],
    ['tenant NY+NJ', { securityContext: { states: ['NY', 'NJ'] } }],
    ['admin', { securityContext: {}, roles: ['admin'] }],
  ] as const) {
    it(`delay by month and origin for ${who}: marked l2 and equal to the database's answer`, async () => {
      const l2 = await load(byMonthAndOrigin, security);
      expect(l2.cache.level).toBe('l2');
      const db = await fromDatabase(byMonthAndOrigin, security);
      expect(db.cache.level).toBe('none');
      // `delay` is set on every flight in the demo data, so the extra filter keeps every row.
      expect(normalise(l2.data)).toEqual(normalise(db.data));
      expect(l2.data.length).toBeGreaterThan(0);
    });
  }

  it('a whole-month date range is served too, and tenants never see each other’s rows', async () => {
    const q = {
      ...byMonthAndOrigin,
      dimensions: ['airports.state'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'month', dateRange: ['2001-02-01', '2001-03-31'] },
      ],
    };
    const ca = await load(q, { securityContext: { states: ['CA'] } });
    expect(ca.cache.level).toBe('l2');
    expect(new Set(ca.data.map((r) => r['airports.state']))).toEqual(new Set(['CA']));
  });

  it('a query needing a member no rollup keeps goes to the database, and /sql says why', async () => {
    const q = { measures: ['flights.count'], dimensions: ['airports.city'], limit: 10 };
    const security = { securityContext: { states: ['CA'] } };
    expect((await load(q, security)).cache.level).toBe('none');
    const dry = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sql',
      headers: AUTH,
      payload: { query: q, ...security },
    });
    expect(dry.json().rollup.reason).toMatch(/dimension airports\.city is not in the rollup/);
    const served = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sql',
      headers: AUTH,
      payload: { query: byMonthAndOrigin, ...security },
    });
    expect(served.json().rollup).toMatchObject({
      id: expect.stringMatching(/^flights\./),
      sql: expect.stringContaining('$1'),
    });
  });

  it('an L1 hit on an answer a rollup computed says l1, with the rollup’s age', async () => {
    const q = { ...byMonthAndOrigin, limit: 4999 };
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: AUTH,
      payload: { query: q, securityContext: { states: ['TX'] } },
    });
    expect(first.json().cache.level).toBe('l2');
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: AUTH,
      payload: { query: q, securityContext: { states: ['TX'] } },
    });
    expect(second.json().cache.level).toBe('l1');
    // The data is as old as the rollup's build, whichever level hands it out.
    expect(second.json().cache.refreshed_at).toBe(first.json().cache.refreshed_at);
    expect(second.json().cache.age_ms).toBeGreaterThanOrEqual(first.json().cache.age_ms);
    expect(second.json().data).toEqual(first.json().data);
  });
});
