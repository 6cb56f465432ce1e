import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RepeatHits } from '../../src/query/repeat-hits.js';
import { flightsFiles, pushModelFiles } from '../bundle-helpers.js';
import { type StoreTestApp, storeTestApp } from '../store-app.js';
import { tokenFor as routeToken } from '../token-helpers.js';

const byOrigin = {
  measures: ['flights.count'],
  dimensions: ['flights.origin'],
  order: { 'flights.count': 'desc' },
  limit: 3,
};

/**
 * Repeated token requests over HTTP as production runs them (logging at info, models pushed so a
 * dashboard version pins them): the repeats are answered by `RepeatHits`, and still every token
 * check and tenant boundary holds.
 */
describe('repeat hits over HTTP (SQLite store, info logging)', () => {
  let t: StoreTestApp;
  const answered = vi.spyOn(RepeatHits.prototype, 'answer');

  beforeAll(async () => {
    t = await storeTestApp('sqlite', { config: { cacheMaxBytes: 64 * 1024 * 1024 }, logLevel: 'info' });
    const pushed = await pushModelFiles(t.app, await flightsFiles(), 'models');
    expect(pushed.statusCode, pushed.body).toBeLessThan(300);
  });
  afterAll(() => t?.close());

  const tokenFor = (states: string[], expiryInSeconds = 600) =>
    routeToken(t, { user: `u-${states.join('-')}`, securityContext: { states }, expiryInSeconds });
  const load = (token: string, query: unknown = byOrigin) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: { authorization: `Bearer ${token}` },
      payload: { query },
    });
  /** How many `/load`s the repeat path answered so far. */
  const repeatsAnswered = () => answered.mock.results.filter((r) => r.value !== undefined).length;

  it('answers repeats from L1, each tenant only its own rows', async () => {
    const ca = await tokenFor(['CA']);
    const ny = await tokenFor(['NY']);
    const before = repeatsAnswered();
    const first = { ca: (await load(ca)).json(), ny: (await load(ny)).json() };
    // The full answers are kept as they are computed; give the memo its moment.
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 3; i++) {
      const [a, b] = [await load(ca), await load(ny)];
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      expect(a.headers['x-inlay-cache']).toMatch(/^l1;/);
      expect(a.json().data).toEqual(first.ca.data);
      expect(b.json().data).toEqual(first.ny.data);
    }
    expect(first.ca.data).not.toEqual(first.ny.data);
    expect(repeatsAnswered() - before).toBe(6);
    // The request line says where the answer came from, as for any hit.
    const last = JSON.parse(t.logs.at(-1)!);
    expect(last).toMatchObject({ msg: 'request', route: '/api/v1/load', status: 200, cache: 'l1' });
  });

  it('renewQuery is computed every time, however often it repeats', async () => {
    const ca = await tokenFor(['CA']);
    const renew = { ...byOrigin, renewQuery: true };
    for (let i = 0; i < 3; i++) {
      const res = await load(ca, renew);
      expect(res.statusCode).toBe(200);
      expect(res.json().cache.level).not.toBe('l1');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('a tampered token with the same prefix as a remembered one is refused, with no data', async () => {
    const ca = await tokenFor(['CA']);
    expect((await load(ca)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    expect((await load(ca)).statusCode).toBe(200);
    const last = ca.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${ca.slice(0, -2)}${last}${ca.at(-1)}`;
    const res = await load(tampered);
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('"data"');
  });

  it('a token that expires after its answers were remembered is refused, with no data', async () => {
    const ca = await tokenFor(['CA'], 1);
    expect((await load(ca)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    const before = repeatsAnswered();
    expect((await load(ca)).statusCode).toBe(200);
    expect(repeatsAnswered() - before).toBe(1);
    // 1 s of life plus 5 s of clock tolerance, then one more.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 7_000 });
    try {
      const late = await load(ca);
      expect(late.statusCode).toBe(401);
      expect(late.body).not.toContain('"data"');
    } finally {
      vi.useRealTimers();
    }
  });
});
