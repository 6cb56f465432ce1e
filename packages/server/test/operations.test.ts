import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuildAppOptions, buildApp, hashApiKey, type InlayApp, loadConfig } from '../src/index.js';
import { API_KEY, AUTH, flightsWorkspace } from './helpers.js';

type Ops = Partial<BuildAppOptions['config']>;

const apps: InlayApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

/** The test app on the flights DuckDB file with operations settings of its own. */
async function opsApp(ops: Ops = {}): Promise<InlayApp> {
  const app = buildApp({
    config: {
      apiKeyHash: hashApiKey(API_KEY),
      secretKey: randomBytes(32),
      maxBodyBytes: 1024 * 1024,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
      ...ops,
    },
    workspace: flightsWorkspace(),
    logger: false,
  });
  apps.push(app);
  await app.ready();
  return app;
}

/** A token's body is the query alone; the API key's preview says who it runs as. */
const TOKEN_QUERY = { query: { measures: ['flights.count'], dimensions: ['airports.state'], limit: 3 } };
const QUERY = { ...TOKEN_QUERY, roles: ['admin'] };

async function token(app: InlayApp): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/security-token',
    headers: AUTH,
    payload: { embeddableId: 'flights-overview', user: 'u-1', securityContext: { states: ['CA'] } },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token as string;
}
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

/** Every label value in a Prometheus text exposition. */
function labelValues(text: string): string[] {
  return [...text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => m[2]!);
}

describe('GET /metrics', () => {
  it('exposes latency by route pattern and status class, database time by type, errors by code', async () => {
    const app = await opsApp();
    const tok = await token(app);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/load', headers: AUTH, payload: QUERY })).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/meta', headers: bearer(tok) })).statusCode).toBe(
      200,
    );
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/load', headers: bearer(tok), payload: TOKEN_QUERY }))
        .statusCode,
    ).toBe(200);
    // Failures: a bad key (401), a bad body (400), an unknown URL carrying an id and a key (404).
    await app.inject({
      method: 'GET',
      url: '/api/v1/meta',
      headers: { authorization: 'Bearer inlay_wrong' },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: AUTH,
      payload: { query: { measures: 7 } },
    });
    await app.inject({ method: 'GET', url: `/api/v1/dashboards/d-123456?key=${API_KEY}` });
    await app.inject({ method: 'GET', url: '/healthz' });

    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(text).toMatch(
      /inlay_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/load",status_class="2xx"\} 2/,
    );
    expect(text).toMatch(
      /inlay_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/meta",status_class="4xx"\} 1/,
    );
    expect(text).toMatch(
      /inlay_http_request_duration_seconds_count\{method="GET",route="unmatched",status_class="4xx"\} 1/,
    );
    expect(text).toMatch(
      /inlay_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz",status_class="2xx"\}/,
    );
    expect(text).toMatch(/inlay_db_query_duration_seconds_count\{type="duckdb",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/inlay_http_errors_total\{code="QUERY_INVALID",status="400"\} 1/);
    expect(text).toMatch(/inlay_http_errors_total\{code="HTTP_401",status="401"\} 1/);
    expect(text).toMatch(/inlay_http_errors_total\{code="HTTP_404",status="404"\} 1/);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    // /metrics is not in its own numbers; no label holds a URL, an id, a key or a token.
    expect(text).not.toContain('route="/metrics"');
    const values = labelValues(text);
    expect(values.length).toBeGreaterThan(20);
    for (const v of values) {
      expect(v).not.toContain(API_KEY);
      expect(v).not.toContain(tok);
      expect(v).not.toContain(tok.split('.')[1]!);
      expect(v).not.toMatch(/d-123456|inlay_wrong|\?/);
    }
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(tok);
  });

  it('each app has its own registry', async () => {
    const a = await opsApp();
    const b = await opsApp();
    await a.inject({ method: 'GET', url: '/healthz' });
    await a.inject({ method: 'GET', url: '/healthz' });
    // The `_count` line: a `_bucket` line has the same labels (after `le`) and counts only the
    // requests faster than its bound, which on a busy machine may be one of the two.
    const countOf = async (app: InlayApp) =>
      /^inlay_http_request_duration_seconds_count\{[^}]*route="\/healthz",status_class="2xx"\} (\d+)/m.exec(
        (await app.inject({ url: '/metrics' })).body,
      )?.[1];
    expect(await countOf(a)).toBe('2');
    expect(await countOf(b)).toBeUndefined();
  });

  it('with INLAY_METRICS_TOKEN requires that Bearer token; disabled, it does not exist', async () => {
    const app = await opsApp({ metricsToken: 'scrape-secret-0123456789' });
    for (const headers of [{}, AUTH, { authorization: 'Bearer scrape-secret' }]) {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(Object.keys(res.json())).toEqual(['errorMessage']);
    }
    const ok = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: bearer('scrape-secret-0123456789'),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('inlay_http_request_duration_seconds');

    const off = await opsApp({ metricsEnabled: false });
    expect((await off.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });
});

describe('rate limit on /api/v1/load and /api/v1/meta', () => {
  it('answers 429 {errorMessage} with retry-after past N requests of one token; another token still works', async () => {
    const app = await opsApp({ rateLimitPerMinute: 3 });
    const [a, b] = [await token(app), await token(app)];
    // /load and /meta share the budget of the token.
    expect((await app.inject({ method: 'GET', url: '/api/v1/meta', headers: bearer(a) })).statusCode).toBe(
      200,
    );
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/load', headers: bearer(a), payload: TOKEN_QUERY }))
        .statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/meta', headers: bearer(a) })).statusCode).toBe(
      200,
    );
    const over = await app.inject({ method: 'GET', url: '/api/v1/meta', headers: bearer(a) });
    expect(over.statusCode).toBe(429);
    expect(over.json().errorMessage).toMatch(/rate limit of 3 requests per minute/);
    expect(over.json().code).toBe('RATE_LIMITED');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.body).not.toContain(a);

    expect((await app.inject({ method: 'GET', url: '/api/v1/meta', headers: bearer(b) })).statusCode).toBe(
      200,
    );
    // The API key has a budget of its own (its workspace), and other routes are not limited.
    expect((await app.inject({ method: 'GET', url: '/api/v1/meta', headers: AUTH })).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    }
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/inlay_http_errors_total\{code="RATE_LIMITED",status="429"\} 1/);
  });

  it('does not count requests refused by auth, and 0 turns it off', async () => {
    const app = await opsApp({ rateLimitPerMinute: 1 });
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/meta',
        headers: { authorization: 'Bearer nope' },
      });
      expect(res.statusCode).toBe(401);
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/meta', headers: AUTH })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/meta', headers: AUTH })).statusCode).toBe(429);

    const off = await opsApp({ rateLimitPerMinute: 0 });
    for (let i = 0; i < 5; i++) {
      expect((await off.inject({ method: 'GET', url: '/api/v1/meta', headers: AUTH })).statusCode).toBe(200);
    }
  });
});

describe('CORS', () => {
  const ALLOWED = 'https://app.example.com';
  const preflight = (app: InlayApp, origin: string, url = '/api/v1/load') =>
    app.inject({
      method: 'OPTIONS',
      url,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  it('echoes an allowed origin on the data routes and answers its preflight', async () => {
    const app = await opsApp({ corsOrigins: [ALLOWED, 'http://localhost:3000'] });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: { ...AUTH, origin: ALLOWED },
      payload: QUERY,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-expose-headers']).toContain('retry-after');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();

    const pre = await preflight(app, ALLOWED);
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(pre.headers['access-control-allow-headers']).toBe('Authorization, Content-Type, X-Inlay-Drill');
    expect(pre.headers['access-control-allow-methods']).toContain('POST');
    const metaPre = await preflight(app, 'http://localhost:3000', '/api/v1/meta');
    expect(metaPre.headers['access-control-allow-origin']).toBe('http://localhost:3000');

    // A 401 still carries the header, so the page can read why.
    const denied = await app.inject({ method: 'GET', url: '/api/v1/meta', headers: { origin: ALLOWED } });
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('gives a disallowed origin, and the server-to-server routes, no allow-origin', async () => {
    const app = await opsApp({ corsOrigins: [ALLOWED] });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: { ...AUTH, origin: 'https://evil.example.com' },
      payload: QUERY,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await preflight(app, 'https://evil.example.com')).headers['access-control-allow-origin'],
    ).toBeUndefined();
    expect(
      (await preflight(app, `${ALLOWED}.evil.com`)).headers['access-control-allow-origin'],
    ).toBeUndefined();

    const sql = await app.inject({
      method: 'POST',
      url: '/api/v1/sql',
      headers: { ...AUTH, origin: ALLOWED },
      payload: QUERY,
    });
    expect(sql.statusCode).toBe(200);
    expect(sql.headers['access-control-allow-origin']).toBeUndefined();
    const sqlPre = await preflight(app, ALLOWED, '/api/v1/sql');
    expect(sqlPre.statusCode).toBe(404);
    expect(sqlPre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS headers at all by default', async () => {
    const app = await opsApp();
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/meta',
      headers: { ...AUTH, origin: ALLOWED },
    });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect((await preflight(app, ALLOWED)).statusCode).toBe(404);
  });
});

describe('operations config', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'inlay-ops-'));

  it('has the documented defaults', () => {
    expect(loadConfig({ INLAY_DATA_DIR: dir() })).toMatchObject({
      metricsEnabled: true,
      rateLimitPerMinute: 600,
      corsOrigins: [],
      maxConcurrentQueriesPerConnection: 8,
      queryQueueSize: 100,
    });
    expect(loadConfig({ INLAY_DATA_DIR: dir() }).metricsToken).toBeUndefined();
  });

  it('reads every variable, and refuses an origin with a path or a slash', () => {
    const c = loadConfig({
      INLAY_DATA_DIR: dir(),
      INLAY_METRICS_ENABLED: 'false',
      INLAY_METRICS_TOKEN: 'scrape',
      INLAY_RATE_LIMIT_PER_MINUTE: '0',
      INLAY_CORS_ORIGINS: ' https://app.example.com , http://localhost:3000',
      INLAY_MAX_CONCURRENT_QUERIES_PER_CONNECTION: '2',
      INLAY_QUERY_QUEUE_SIZE: '0',
    });
    expect(c).toMatchObject({
      metricsEnabled: false,
      metricsToken: 'scrape',
      rateLimitPerMinute: 0,
      corsOrigins: ['https://app.example.com', 'http://localhost:3000'],
      maxConcurrentQueriesPerConnection: 2,
      queryQueueSize: 0,
    });
    for (const bad of ['https://app.example.com/', 'app.example.com', 'https://a.example.com/embed']) {
      expect(() => loadConfig({ INLAY_DATA_DIR: dir(), INLAY_CORS_ORIGINS: bad })).toThrow(
        /INLAY_CORS_ORIGINS/,
      );
    }
    expect(() =>
      loadConfig({ INLAY_DATA_DIR: dir(), INLAY_MAX_CONCURRENT_QUERIES_PER_CONNECTION: '0' }),
    ).toThrow(/INLAY_MAX_CONCURRENT_QUERIES_PER_CONNECTION/);
    expect(() => loadConfig({ INLAY_DATA_DIR: dir(), INLAY_METRICS_ENABLED: 'maybe' })).toThrow(
      /INLAY_METRICS_ENABLED/,
    );
  });
});
