import { testDataPaths } from '@inlay/example-flights';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH } from '../helpers.js';
import { pgParts, type StoreTestApp, storeTestApp } from '../store-app.js';

const PROBE = `l1_refresh_probe_${process.pid}`;
const MODEL = `
cubes:
  - name: probe_flights
    sql_table: flights
    public: true
    refresh_key:
      sql: SELECT v FROM ${PROBE}
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: origin
        sql: origin
        type: string
    measures:
      - name: count
        type: count
`;

describe('refresh_key.sql decides freshness (PostgreSQL)', () => {
  let t: StoreTestApp;
  let clock = 1_800_000_000_000;
  const db = new pg.Client({ connectionString: testDataPaths().pgUrl });

  beforeAll(async () => {
    await db.connect();
    await db.query(`DROP TABLE IF EXISTS ${PROBE}`);
    await db.query(`CREATE TABLE ${PROBE} (v int)`);
    await db.query(`INSERT INTO ${PROBE} VALUES (1)`);
    t = await storeTestApp('sqlite', {
      config: { cacheMaxBytes: 8 * 1024 * 1024 },
      now: () => clock,
      files: [{ path: 'models/probe.cube.yml', content: MODEL }],
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: AUTH,
      payload: { name: 'pg', type: 'postgres', credentials: pgParts() },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/environments',
      headers: AUTH,
      payload: { name: 'pgenv', datasources: [{ data_source: 'default', connection: 'pg' }] },
    });
  });
  afterAll(async () => {
    await t?.close();
    await db.query(`DROP TABLE IF EXISTS ${PROBE}`);
    await db.end();
  });

  const load = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: AUTH,
      payload: {
        query: { measures: ['probe_flights.count'], dimensions: ['probe_flights.origin'], limit: 3 },
        environment: 'pgenv',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().cache as { level: string; stale?: boolean; age_ms: number };
  };

  it('keeps an answer while the key is unchanged, however old; re-checks the key at most every 10 s', async () => {
    expect((await load()).level).toBe('none');
    clock += 60 * 60_000; // an hour: no time-based expiry for a cube keyed by SQL only
    expect(await load()).toMatchObject({ level: 'l1' });
    expect((await load()).stale).toBeUndefined();

    await db.query(`UPDATE ${PROBE} SET v = 2`);
    // The key was just checked: within 10 s the change is not seen yet.
    clock += 5_000;
    expect((await load()).stale).toBeUndefined();
    clock += 5_001;
    expect(await load()).toMatchObject({ level: 'l1', stale: true });
    // The background refresh replaces the entry once PostgreSQL answers.
    let after = await load();
    for (let i = 0; i < 100 && after.stale; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await load();
    }
    expect(after).toMatchObject({ level: 'l1', age_ms: 0 });
    expect(after.stale).toBeUndefined();
  });
});
