import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FrontDoor } from '../../src/routes/front-door.js';
import { flightsFiles, pushModelFiles } from '../bundle-helpers.js';
import { AUTH } from '../helpers.js';
import { type StoreTestApp, storeTestApp } from '../store-app.js';
import { tokenFor as routeToken } from '../token-helpers.js';

const LOAD = '/api/v1/load';
const GOOD = 'https://good.example.com';
const EVIL = 'https://evil.example.com';
const byOrigin = {
  measures: ['flights.count'],
  dimensions: ['flights.origin'],
  order: { 'flights.count': 'desc' },
  limit: 3,
};
const BODY = JSON.stringify({ query: byOrigin });

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const respond = vi.spyOn(FrontDoor.prototype as never as { respond: () => true }, 'respond');
/** How many answers the front door gave so far. */
const fastAnswers = () => respond.mock.calls.length;

/** Headers that differ between any two answers, whoever gives them. */
const PER_ANSWER = new Set(['date']);

/**
 * The front door (src/routes/front-door.ts) over a real listening server, as production runs it
 * (info logging, the clock of the caches fixed so two answers of one entry are byte-identical):
 * a dashboard's repeats are answered before Fastify, with the route's own bytes, headers, request
 * line and metrics, and every request it must not answer gets what the full path gives.
 */
describe('the front door (SQLite store, info logging, listening)', () => {
  let t: StoreTestApp;
  let base = '';
  const clock = Date.now();

  beforeAll(async () => {
    t = await storeTestApp('sqlite', {
      config: { cacheMaxBytes: 64 * 1024 * 1024 },
      logLevel: 'info',
      now: () => clock,
    });
    const pushed = await pushModelFiles(t.app, await flightsFiles(), 'models');
    expect(pushed.statusCode, pushed.body).toBeLessThan(300);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/workspace/settings',
      headers: AUTH,
      payload: { allowedOrigins: [GOOD] },
    });
    expect(put.statusCode, put.body).toBe(200);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t?.close());

  const tokenFor = (states: string[], expiryInSeconds = 600) =>
    routeToken(t, { user: `u-${states.join('-')}`, securityContext: { states }, expiryInSeconds });
  const post = async (token: string, body = BODY, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${base}${LOAD}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
  };
  /** The same request as the full path answers it: a content type the front door does not take. */
  const full = (token: string, body = BODY, headers: Record<string, string> = {}) =>
    post(token, body, { 'content-type': 'application/json; charset=utf-8', ...headers });
  /** A first answer, then the moment `RepeatHits` takes to remember it. */
  const warm = async (token: string, body = BODY, headers: Record<string, string> = {}) => {
    const first = await post(token, body, headers);
    expect(first.status, first.body).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
  };
  const comparable = (a: Answer) => ({
    status: a.status,
    body: a.body,
    headers: Object.fromEntries(Object.entries(a.headers).filter(([k]) => !PER_ANSWER.has(k))),
  });
  const lines = () => t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');

  it('answers repeats with the route’s bytes and headers, one request line and the metrics each', async () => {
    const ca = await tokenFor(['CA']);
    await warm(ca);
    for (const origin of [undefined, GOOD]) {
      const headers: Record<string, string> = origin ? { origin } : {};
      const reference = await full(ca, BODY, headers);
      const before = { fast: fastAnswers(), lines: lines().length };
      const fast = await post(ca, BODY, headers);
      expect(fastAnswers() - before.fast).toBe(1);
      expect(comparable(fast)).toEqual(comparable(reference));
      expect(fast.headers['x-inlay-cache']).toMatch(/^l1; age_ms=0$/);
      if (origin) expect(fast.headers['access-control-allow-origin']).toBe(GOOD);
      const [refLine, fastLine] = lines().slice(before.lines - 1);
      expect(lines().length).toBe(before.lines + 1);
      const fields = (l: Record<string, unknown>) => {
        const { time: _t, reqId: _r, ms: _m, ...rest } = l;
        return rest;
      };
      expect(fields(fastLine)).toEqual(fields(refLine));
      expect(fastLine).toMatchObject({
        route: LOAD,
        status: 200,
        cache: 'l1',
        reqId: expect.stringMatching(/^req-/),
      });
      expect(fastLine.reqId).not.toBe(refLine.reqId);
    }
    const count = async () => {
      const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      const m =
        /inlay_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/load",status_class="2xx"\} (\d+)/.exec(
          text,
        );
      return Number(m?.[1] ?? 0);
    };
    const before = await count();
    for (let i = 0; i < 3; i++) expect((await post(ca)).status).toBe(200);
    expect(await count()).toBe(before + 3);
  });

  it('writes the route’s header lines in the route’s order, and its exact body bytes', async () => {
    const ca = await tokenFor(['CA']);
    await warm(ca);
    /** Status, header lines (names in order, values but the date) and body bytes as they came. */
    const raw = (contentType: string, origin?: string) =>
      new Promise<{ lines: string[]; body: Buffer }>((done, fail) => {
        const req = request(`${base}${LOAD}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${ca}`,
            'content-type': contentType,
            'content-length': Buffer.byteLength(BODY),
            ...(origin ? { origin } : {}),
          },
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const lines = [`${res.statusCode}`];
            for (let i = 0; i < res.rawHeaders.length; i += 2) {
              const name = res.rawHeaders[i]!;
              lines.push(name.toLowerCase() === 'date' ? name : `${name}: ${res.rawHeaders[i + 1]}`);
            }
            done({ lines, body: Buffer.concat(chunks) });
          });
        });
        req.on('error', fail);
        req.end(BODY);
      });
    for (const origin of [undefined, GOOD]) {
      const reference = await raw('application/json; charset=utf-8', origin);
      const before = fastAnswers();
      const fast = await raw('application/json', origin);
      expect(fastAnswers()).toBe(before + 1);
      expect(fast.lines).toEqual(reference.lines);
      expect(fast.body.equals(reference.body)).toBe(true);
    }
  });

  it('each tenant gets its own rows, and a request with another tenant’s body text is its own', async () => {
    const [ca, ny] = [await tokenFor(['CA']), await tokenFor(['NY'])];
    await warm(ca);
    const a = await post(ca);
    const before = fastAnswers();
    const b = await post(ny); // NY's first: not a repeat of anything NY asked
    expect(fastAnswers()).toBe(before);
    expect(b.status).toBe(200);
    expect(JSON.parse(b.body).data).not.toEqual(JSON.parse(a.body).data);
    await new Promise((r) => setTimeout(r, 20));
    const again = await post(ny);
    expect(fastAnswers()).toBe(before + 1);
    expect(JSON.parse(again.body)).toEqual({
      ...JSON.parse(b.body),
      cache: expect.objectContaining({ level: 'l1' }),
    });
  });

  it('a tampered token with the same prefix is refused as the full path refuses it', async () => {
    const ca = await tokenFor(['CA']);
    await warm(ca);
    const tampered = `${ca.slice(0, -2)}${ca.at(-2) === 'A' ? 'B' : 'A'}${ca.at(-1)}`;
    const before = fastAnswers();
    const res = await post(tampered);
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('"data"');
    expect(comparable(res)).toEqual(comparable(await full(tampered)));
    expect(fastAnswers()).toBe(before);
  });

  it('a token that expires after its answer was remembered is refused, with no data', async () => {
    const ca = await tokenFor(['CA'], 1);
    await warm(ca);
    expect((await post(ca)).status).toBe(200);
    const before = fastAnswers();
    // 1 s of life plus 5 s of clock tolerance, then one more.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 7_000 });
    try {
      const late = await post(ca);
      expect(late.status).toBe(401);
      expect(late.body).not.toContain('"data"');
    } finally {
      vi.useRealTimers();
    }
    expect(fastAnswers()).toBe(before);
  });

  it('a disallowed Origin gets the full path’s 403, never an answer', async () => {
    const ca = await tokenFor(['CA']);
    await warm(ca, BODY, { origin: GOOD });
    const before = fastAnswers();
    const res = await post(ca, BODY, { origin: EVIL });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('"data"');
    expect(comparable(res)).toEqual(comparable(await full(ca, BODY, { origin: EVIL })));
    expect(fastAnswers()).toBe(before);
  });

  it('bodies it cannot answer reach Fastify intact, with its limits and errors', async () => {
    const ca = await tokenFor(['CA']);
    await warm(ca);
    const before = fastAnswers();
    const cases: [string, Record<string, string>][] = [
      [`${BODY} `, {}], // one byte more: another text, answered in full
      [JSON.stringify({ query: { ...byOrigin, renewQuery: true } }), {}],
      ['{"query":', {}], // not JSON
      [`{"query":${'['.repeat(100)}${']'.repeat(100)}}`, {}], // past the nesting limit
      [JSON.stringify({ query: { ...byOrigin, limit: 'x'.repeat(5000) } }), {}], // longer than the front door reads
      [BODY, { 'content-type': 'text/plain' }],
      [BODY, { 'x-inlay-drill': 'flights-overview' }],
    ];
    for (const [body, headers] of cases) {
      const got = await post(ca, body, headers);
      const want = await t.app.inject({
        method: 'POST',
        url: LOAD,
        headers: { authorization: `Bearer ${ca}`, 'content-type': 'application/json', ...headers },
        payload: body,
      });
      expect(got.status, body.slice(0, 40)).toBe(want.statusCode);
      if (got.status !== 200) expect(got.body).toBe(want.body);
      else expect(JSON.parse(got.body).cache.level).toBe(want.json().cache.level);
    }
    expect(fastAnswers()).toBe(before);
    const renewed = await post(ca, JSON.stringify({ query: { ...byOrigin, renewQuery: true } }));
    expect(JSON.parse(renewed.body).cache.level).not.toBe('l1');
  });

  it('a body past the app’s limit is a 413, as the full path says', async () => {
    const ca = await tokenFor(['CA']);
    await warm(ca);
    const big = JSON.stringify({ query: byOrigin, pad: 'x'.repeat(2 * 1024 * 1024) });
    const res = await post(ca, big);
    expect(res.status).toBe(413);
  });

  const changes: [string, () => Promise<{ statusCode: number; body: string }>][] = [
    ['a model pushed', async () => pushModelFiles(t.app, await flightsFiles(), 'again')],
    [
      'the connection remapped',
      () =>
        t.app.inject({
          method: 'PUT',
          url: '/api/v1/connections/default',
          headers: AUTH,
          payload: { type: 'duckdb', credentials: { path: testDataPaths().duckdbPath } },
        }),
    ],
  ];
  it.each(changes)('%s between two requests: the next one is answered in full', async (_what, change) => {
    const ca = await tokenFor(['CA']);
    await warm(ca);
    const repeat = await post(ca);
    expect(repeat.status).toBe(200);
    const changed = await change();
    expect(changed.statusCode, changed.body).toBeLessThan(300);
    const before = fastAnswers();
    const res = await post(ca);
    expect(res.status).toBe(200);
    expect(fastAnswers()).toBe(before);
    expect(JSON.parse(res.body).data).toEqual(JSON.parse(repeat.body).data);
  });
});

describe('the front door with the rate limit on', () => {
  let t: StoreTestApp;
  let base = '';
  beforeAll(async () => {
    t = await storeTestApp('sqlite', {
      config: { cacheMaxBytes: 64 * 1024 * 1024, rateLimitPerMinute: 5 },
      logLevel: 'info',
    });
    const pushed = await pushModelFiles(t.app, await flightsFiles(), 'models');
    expect(pushed.statusCode, pushed.body).toBeLessThan(300);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t?.close());

  it('spends the same budget as the full path, with its headers, and leaves the refusal to it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security-token',
      headers: AUTH,
      payload: { embeddableId: 'flights-overview', user: 'u-rl', securityContext: { states: ['CA'] } },
    });
    const token = res.json().token as string;
    const load = async (contentType: string) => {
      const got = await fetch(`${base}${LOAD}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        body: BODY,
      });
      await got.text();
      await new Promise((r) => setTimeout(r, 20));
      return {
        status: got.status,
        limit: got.headers.get('x-ratelimit-limit'),
        remaining: got.headers.get('x-ratelimit-remaining'),
        reset: Number(got.headers.get('x-ratelimit-reset')),
        names: [...got.headers.keys()].sort(),
      };
    };
    const fast = 'application/json';
    const full = 'application/json; charset=utf-8';
    const before = fastAnswers();
    // Full, fast, full, fast, fast: one budget of five, spent by both doors.
    const answers = [
      await load(full),
      await load(fast),
      await load(full),
      await load(fast),
      await load(fast),
    ];
    expect(fastAnswers() - before).toBe(3);
    expect(answers.map((a) => [a.status, a.limit, a.remaining])).toEqual(
      ['4', '3', '2', '1', '0'].map((remaining) => [200, '5', remaining]),
    );
    for (const a of answers) {
      expect(a.reset).toBeGreaterThanOrEqual(59);
      expect(a.names).toEqual(answers[0]!.names);
    }
    // Over the limit, whichever door it knocks on: the full path's 429.
    for (const contentType of [fast, full]) {
      const refused = await load(contentType);
      expect(refused).toMatchObject({ status: 429, limit: '5', remaining: '0' });
    }
    expect(fastAnswers() - before).toBe(3);
  });
});
