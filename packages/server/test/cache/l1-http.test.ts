import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flightsFiles, pushModelFiles } from '../bundle-helpers.js';
import { AUTH } from '../helpers.js';
import { pgParts, type StoreTestApp, storeTestApp } from '../store-app.js';

const CA = { states: ['CA'] };
const NY_NJ = { states: ['NY', 'NJ'] };
const byOrigin = {
  measures: ['flights.count', 'flights.avg_delay'],
  dimensions: ['flights.origin'],
  order: { 'flights.count': 'desc' },
  limit: 5,
};

describe('L1 result cache over HTTP (DuckDB and PostgreSQL connections, SQLite store)', () => {
  let t: StoreTestApp;
  let clock = 1_800_000_000_000;

  beforeAll(async () => {
    t = await storeTestApp('sqlite', { config: { cacheMaxBytes: 64 * 1024 * 1024 }, now: () => clock });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: AUTH,
      payload: { name: 'pg', type: 'postgres', credentials: pgParts() },
    });
    expect(created.statusCode).toBe(201);
    const env = await t.app.inject({
      method: 'POST',
      url: '/api/v1/environments',
      headers: AUTH,
      payload: { name: 'pgenv', datasources: [{ data_source: 'default', connection: 'pg' }] },
    });
    expect(env.statusCode).toBeLessThan(300);
  });
  afterAll(() => t?.close());

  const load = async (securityContext: unknown, query: unknown = byOrigin, environment?: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: AUTH,
      payload: { query, securityContext, ...(environment ? { environment } : {}) },
    });
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json(), header: String(res.headers['x-inlay-cache']) };
  };

  /** Statements the database ran so far, from the server's own metrics. */
  const statements = async (): Promise<number> => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    return [...text.matchAll(/^inlay_db_query_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  };

  it('answers a repeat from L1 and says so in the body and a header', async () => {
    const q = { ...byOrigin, limit: 3 };
    const first = await load(CA, q);
    expect(first.body.cache).toMatchObject({ level: 'none', age_ms: 0 });
    expect(first.header).toBe('none; age_ms=0');
    clock += 1_500;
    const before = await statements();
    const second = await load(CA, q);
    expect(await statements()).toBe(before);
    expect(second.body.cache).toMatchObject({ level: 'l1', age_ms: 1_500 });
    expect(second.body.cache.refreshed_at).toBe(first.body.cache.refreshed_at);
    expect(second.header).toBe('l1; age_ms=1500');
    expect(second.body.data).toEqual(first.body.data);
  });

  it('never shares an entry between tenants: each gets its own rows', async () => {
    const q = { ...byOrigin, limit: 4 };
    const ca = await load(CA, q);
    const nynj = await load(NY_NJ, q);
    expect(nynj.body.cache.level).toBe('none');
    expect(nynj.body.data).not.toEqual(ca.body.data);
    expect((await load(CA, q)).body).toMatchObject({ data: ca.body.data, cache: { level: 'l1' } });
    expect((await load(NY_NJ, q)).body).toMatchObject({ data: nynj.body.data, cache: { level: 'l1' } });
    // Role admin sees every state: a third answer, not either tenant's.
    const admin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: AUTH,
      payload: { query: q, securityContext: {}, roles: ['admin'] },
    });
    expect(admin.json().cache.level).toBe('none');
  });

  it('keys on the environment: the same query on another connection is computed there', async () => {
    const q = { ...byOrigin, limit: 6 };
    const duck = await load(CA, q);
    const pg = await load(CA, q, 'pgenv');
    expect(pg.body.cache.level).toBe('none');
    // Same data loaded into both databases: the answers agree, the entries do not mix.
    expect(pg.body.data.map((r: Record<string, unknown>) => r['flights.origin'])).toEqual(
      duck.body.data.map((r: Record<string, unknown>) => r['flights.origin']),
    );
    expect((await load(CA, q, 'pgenv')).body.cache.level).toBe('l1');
  });

  it('keys on the connection version: after the connection is updated the query runs again', async () => {
    const q = { ...byOrigin, limit: 12 };
    await load(CA, q, 'pgenv');
    expect((await load(CA, q, 'pgenv')).body.cache.level).toBe('l1');
    // updated_at is kept to the millisecond: make sure the update lands in a later one.
    await new Promise((r) => setTimeout(r, 5));
    const updated = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/connections/pg',
      headers: AUTH,
      payload: { type: 'postgres', credentials: pgParts() },
    });
    expect(updated.statusCode, updated.body).toBeLessThan(300);
    expect((await load(CA, q, 'pgenv')).body.cache.level).toBe('none');
  });

  it('serves stale past the refresh key, refreshes once in the background, then is fresh', async () => {
    const q = { ...byOrigin, limit: 7 };
    await load(CA, q);
    clock += 10_001; // the flights cube has no refresh_key: the 10-second default applies
    const stale = await load(CA, q);
    expect(stale.body.cache).toMatchObject({ level: 'l1', stale: true, age_ms: 10_001 });
    expect(stale.header).toBe('l1; age_ms=10001; stale');
    let fresh = await load(CA, q);
    for (let i = 0; i < 100 && fresh.body.cache.stale; i++) {
      await new Promise((r) => setTimeout(r, 50));
      fresh = await load(CA, q);
    }
    expect(fresh.body.cache).toMatchObject({ level: 'l1', age_ms: 0 });
    expect(fresh.body.cache.stale).toBeUndefined();
  });

  it('renewQuery goes to the database', async () => {
    const q = { ...byOrigin, limit: 8 };
    await load(CA, q);
    const before = await statements();
    const renewed = await load(CA, { ...q, renewQuery: true });
    expect(renewed.body.cache.level).toBe('none');
    expect(await statements()).toBe(before + 1);
  });

  it('runs one database query for 100 concurrent identical requests', async () => {
    const q = { ...byOrigin, limit: 9, dimensions: ['flights.destination'] };
    const before = await statements();
    const answers = await Promise.all(Array.from({ length: 100 }, () => load(CA, q)));
    expect(await statements()).toBe(before + 1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body.data))).size).toBe(1);
  });

  it('keys on the model version: after a push the same query is computed again', async () => {
    const q = { ...byOrigin, limit: 10 };
    await load(CA, q);
    expect((await load(CA, q)).body.cache.level).toBe('l1');
    const files = await flightsFiles();
    files['models/flights.cube.yml'] = files['models/flights.cube.yml']!.replace(
      'title: Flights',
      'title: Flights (v2)',
    );
    const pushed = await pushModelFiles(t.app, files, 'retitle');
    expect(pushed.statusCode, pushed.body).toBeLessThan(300);
    expect((await load(CA, q)).body.cache.level).toBe('none');
  });
});
