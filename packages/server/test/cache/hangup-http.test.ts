/**
 * A query nobody waits for any more is stopped on the database, over real HTTP against a real
 * PostgreSQL: when every caller sharing it (single flight) hangs up, or when it passes the query
 * timeout. One caller of two leaving changes nothing for the other.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { testDataPaths } from '@inlay/example-flights';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH } from '../helpers.js';
import { pgParts, type StoreTestApp, storeTestApp } from '../store-app.js';

/** In the SQL of each cube, so pg_stat_activity tells this run's statements apart. */
const TAG = `hangup_${process.pid}_${randomBytes(4).toString('hex')}`;
const QUERY_TIMEOUT_MS = 3_000;

const cube = (name: string, seconds: number) => `
  - name: ${name}
    sql: "SELECT 1 AS id, '${TAG}_${name}' AS tag FROM pg_sleep(${seconds})"
    public: true
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
    measures:
      - name: count
        type: count`;
const MODEL = `cubes:${cube('sleeps_long', 30)}${cube('sleeps_short', 1.5)}`;

describe('queries nobody waits for are stopped on the database (PostgreSQL, real HTTP)', () => {
  let t: StoreTestApp;
  let base: string;
  const db = new pg.Client({ connectionString: testDataPaths().pgUrl });

  beforeAll(async () => {
    await db.connect();
    t = await storeTestApp('sqlite', {
      config: { queryTimeoutMs: QUERY_TIMEOUT_MS },
      files: [{ path: 'models/sleeps.cube.yml', content: MODEL }],
    });
    for (const [url, payload] of [
      ['/api/v1/connections', { name: 'pg', type: 'postgres', credentials: pgParts() }],
      [
        '/api/v1/environments',
        { name: 'pgenv', datasources: [{ data_source: 'default', connection: 'pg' }] },
      ],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url, headers: AUTH, payload });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    await db.end();
  });

  /** POST /load over a real connection; aborting the signal closes it, as a closed browser tab does. */
  const load = (cubeName: string, signal?: AbortSignal, limit = 10) =>
    fetch(`${base}/api/v1/load`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ query: { measures: [`${cubeName}.count`], limit }, environment: 'pgenv' }),
      ...(signal ? { signal } : {}),
    });

  /** Statements of this cube that PostgreSQL is running now. */
  const running = async (cubeName: string): Promise<number> => {
    const r = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`,
      [`%${TAG}_${cubeName}%`],
    );
    return r.rows[0].n as number;
  };

  async function until(check: () => Promise<boolean>, withinMs: number): Promise<number> {
    const t0 = performance.now();
    while (!(await check())) {
      if (performance.now() - t0 > withinMs) throw new Error(`not within ${withinMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return performance.now() - t0;
  }

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('when every caller sharing a query hangs up, the database stops it; not when one of them does', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const calls = [first, second].map((c) => load('sleeps_long', c.signal).catch((e: Error) => e.name));
    // One statement for both callers (single flight).
    await until(async () => (await running('sleeps_long')) === 1, 5_000);
    first.abort();
    await pause(500);
    expect(await running('sleeps_long')).toBe(1);
    second.abort();
    expect(await Promise.all(calls)).toEqual(['AbortError', 'AbortError']);
    expect(await until(async () => (await running('sleeps_long')) === 0, 2_000)).toBeLessThan(2_000);
  });

  it('when one caller of two hangs up, the other still gets the answer', async () => {
    const leaving = new AbortController();
    const gone = load('sleeps_short', leaving.signal).catch((e: Error) => e.name);
    const staying = load('sleeps_short');
    await until(async () => (await running('sleeps_short')) === 1, 5_000);
    leaving.abort();
    expect(await gone).toBe('AbortError');
    const res = await staying;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>[]; cache: { level: string } };
    expect(body.data).toEqual([{ 'sleeps_short.count': 1 }]);
    expect(body.cache.level).toBe('none');
  });

  it('a query past the query timeout is a 504 and is stopped on the database', async () => {
    const t0 = performance.now();
    // Another limit: a new statement, not the one the first test stopped.
    const res = await load('sleeps_long', undefined, 11);
    expect(res.status).toBe(504);
    expect(((await res.json()) as { code: string }).code).toBe('TIMEOUT');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(QUERY_TIMEOUT_MS - 50);
    expect(await until(async () => (await running('sleeps_long')) === 0, 2_000)).toBeLessThan(2_000);
  });
});
