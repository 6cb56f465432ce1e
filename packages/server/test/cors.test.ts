import { randomBytes } from 'node:crypto';
import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, createStoreWorkspace, hashApiKey, type InlayApp } from '../src/index.js';
import { createOriginPolicy, storeOriginSettings } from '../src/plugins/cors.js';
import type { Store } from '../src/store/index.js';
import { auth, flightsFiles, multipart, tarGz } from './bundle-helpers.js';
import { BACKENDS, newWorkspace, SECRET_KEY, testPlace } from './store/helpers.js';
import { bearer } from './token-helpers.js';

const A_ORIGIN = 'https://a.example.com';
const B_ORIGIN = 'https://b.example.com';
/** `INLAY_CORS_ORIGINS`: allowed for every workspace. */
const SERVER_ORIGIN = 'https://shared.example.com';
const EVIL = 'https://evil.example.com';
const SETTINGS = '/api/v1/workspace/settings';
const QUERY = { query: { measures: ['flights.count'], dimensions: ['airports.state'], limit: 3 } };
/** The API key's preview says who it runs as; a token's body is the query alone. */
const KEY_QUERY = { ...QUERY, roles: ['admin'] };

describe.each(BACKENDS)('per-workspace CORS and workspace settings (%s)', (backend) => {
  const place = testPlace(backend);
  let store: Store;
  let app: InlayApp;
  const a = { id: '', key: '', token: '' };
  const b = { id: '', key: '', token: '' };

  beforeAll(async () => {
    store = await place.open();
    const duck = { name: 'default', type: 'duckdb', credentials: { path: testDataPaths().duckdbPath } };
    for (const w of [a, b]) {
      w.id = await newWorkspace(store);
      await store.connections.create(w.id, duck);
      w.key = (await store.apiKeys.create(w.id)).key;
    }
    app = buildApp({
      config: {
        apiKeyHash: hashApiKey(randomBytes(32).toString('hex')),
        secretKey: SECRET_KEY,
        maxBodyBytes: 1024 * 1024,
        queryTimeoutMs: 30_000,
        maxRows: 50_000,
        corsOrigins: [SERVER_ORIGIN],
      },
      workspace: createStoreWorkspace({ store, workspaceId: a.id }),
      store,
      logger: false,
    });
    await app.ready();
    // Both workspaces get the flights models and dashboard the same way: a bundle upload.
    const bundle = multipart(await tarGz(await flightsFiles()), {});
    for (const w of [a, b]) {
      const up = await app.inject({
        method: 'POST',
        url: '/api/v1/bundle/upload',
        headers: { ...auth(w.key), ...bundle.headers },
        payload: bundle.payload,
      });
      expect(up.statusCode, up.body).toBe(200);
      const issued = await app.inject({
        method: 'POST',
        url: '/api/v1/security-token',
        headers: auth(w.key),
        payload: { embeddableId: 'flights-overview', user: 'u', securityContext: { states: ['CA'] } },
      });
      expect(issued.statusCode, issued.body).toBe(200);
      w.token = issued.json().token;
    }
  });
  afterAll(async () => {
    await app?.close();
    await place.cleanup();
  });

  const put = (key: string, allowedOrigins: unknown) =>
    app.inject({ method: 'PUT', url: SETTINGS, headers: auth(key), payload: { allowedOrigins } });
  const load = (headers: Record<string, string>, limit = 3) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers,
      payload: {
        ...(headers.authorization?.includes('inlay_') ? KEY_QUERY : QUERY),
        query: { ...QUERY.query, limit },
      },
    });
  const preflight = (origin: string, url = '/api/v1/load') =>
    app.inject({
      method: 'OPTIONS',
      url,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
  const acao = (res: { headers: Record<string, unknown> }) => res.headers['access-control-allow-origin'];
  /** Statements the database ran so far (every outcome), from the app's own metrics. */
  const statements = async () => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    return [...text.matchAll(/^inlay_db_query_duration_seconds_count\{[^}]*\} (\d+)/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  };

  beforeEach(async () => {
    expect((await put(a.key, [A_ORIGIN])).statusCode).toBe(200);
    expect((await put(b.key, [B_ORIGIN])).statusCode).toBe(200);
  });

  describe('GET and PUT /api/v1/workspace/settings', () => {
    it("answers the caller's workspace only, and stores what PUT gave (deduplicated)", async () => {
      const got = await app.inject({ method: 'GET', url: SETTINGS, headers: auth(a.key) });
      expect(got.json()).toEqual({ allowedOrigins: [A_ORIGIN] });
      const res = await put(a.key, [A_ORIGIN, 'http://localhost:3000', A_ORIGIN, '*']);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ allowedOrigins: [A_ORIGIN, 'http://localhost:3000', '*'] });
      expect(await store.workspaces.allowedOrigins(a.id)).toEqual([A_ORIGIN, 'http://localhost:3000', '*']);
      const other = await app.inject({ method: 'GET', url: SETTINGS, headers: auth(b.key) });
      expect(other.json()).toEqual({ allowedOrigins: [B_ORIGIN] });
      expect((await put(a.key, [])).json()).toEqual({ allowedOrigins: [] });
    });

    it('refuses a value that is not an origin with 400 naming its index and what to write', async () => {
      const cases: [string, RegExp][] = [
        [
          'https://app.example.com/',
          /must not have a path or trailing slash; write https:\/\/app\.example\.com/,
        ],
        ['https://app.example.com/embed', /must not have a path/],
        ['https://App.Example.com', /not written as browsers send it; write https:\/\/app\.example\.com/],
        ['https://app.example.com:443', /write https:\/\/app\.example\.com$/],
        ['app.example.com', /is not a URL/],
        ['ftp://app.example.com', /must start with https:\/\/ or http:\/\//],
        ['https://user:pw@app.example.com', /user name or password/],
        ['https://app.example.com?x=1', /query or fragment/],
        ['null', /cannot be allowed/],
        ['', /is not a URL/],
      ];
      for (const [value, problem] of cases) {
        const res = await put(a.key, [A_ORIGIN, value]);
        expect(res.statusCode, value).toBe(400);
        const msg: string = res.json().errorMessage;
        expect(msg, value).toContain(`body.allowedOrigins[1]: '${value}'`);
        expect(msg, value).toMatch(problem);
      }
      const many = Array.from({ length: 101 }, (_, i) => `https://h${i}.example.com`);
      expect((await put(a.key, many)).json().errorMessage).toMatch(/at most 100 allowed origins/);
      expect((await put(a.key, 'https://a.example.com')).statusCode).toBe(400);
      const extra = await app.inject({
        method: 'PUT',
        url: SETTINGS,
        headers: auth(a.key),
        payload: { allowedOrigins: [], corsEverything: true },
      });
      expect(extra.statusCode).toBe(400);
      // Nothing was changed by the refused calls.
      expect(await store.workspaces.allowedOrigins(a.id)).toEqual([A_ORIGIN]);
    });

    it('takes the API key only: a security token is a 401, even its own workspace’s', async () => {
      for (const method of ['GET', 'PUT'] as const) {
        const res = await app.inject({
          method,
          url: SETTINGS,
          headers: bearer(a.token),
          ...(method === 'PUT' ? { payload: { allowedOrigins: ['*'] } } : {}),
        });
        expect(res.statusCode, method).toBe(401);
      }
      expect(await store.workspaces.allowedOrigins(a.id)).toEqual([A_ORIGIN]);
    });
  });

  describe('preflight', () => {
    it('is answered for an origin any workspace or the server list allows, and a 404 for others', async () => {
      for (const origin of [A_ORIGIN, B_ORIGIN, SERVER_ORIGIN]) {
        const res = await preflight(origin);
        expect(res.statusCode, origin).toBe(204);
        expect(acao(res), origin).toBe(origin);
        expect(res.headers['access-control-allow-headers']).toBe(
          'Authorization, Content-Type, X-Inlay-Drill',
        );
        expect(res.headers['access-control-allow-methods']).toBe('GET, POST');
        expect(res.headers.vary).toContain('Origin');
      }
      expect((await preflight(A_ORIGIN, '/api/v1/meta')).statusCode).toBe(204);
      for (const origin of [EVIL, `${A_ORIGIN}.evil.com`, 'null']) {
        const res = await preflight(origin);
        expect(res.statusCode, origin).toBe(404);
        expect(acao(res), origin).toBeUndefined();
      }
      // Only the browser data routes answer CORS at all.
      expect((await preflight(A_ORIGIN, SETTINGS)).statusCode).toBe(404);
      expect((await preflight(A_ORIGIN, '/api/v1/sql')).statusCode).toBe(404);
    });

    it('follows a PUT at once on this server (no wait for the cache)', async () => {
      const fresh = 'https://fresh.example.com';
      expect((await preflight(fresh)).statusCode).toBe(404);
      await put(b.key, [B_ORIGIN, fresh]);
      expect(acao(await preflight(fresh))).toBe(fresh);
      await put(b.key, [B_ORIGIN]);
      expect((await preflight(fresh)).statusCode).toBe(404);
    });
  });

  describe('answers', () => {
    it("a token or key used from its workspace's origin gets the answer and allow-origin", async () => {
      const res = await load({ ...bearer(a.token), origin: A_ORIGIN });
      expect(res.statusCode, res.body).toBe(200);
      expect(acao(res)).toBe(A_ORIGIN);
      expect(res.headers['access-control-expose-headers']).toContain('retry-after');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers.vary).toContain('Origin');
      const meta = await app.inject({
        method: 'GET',
        url: '/api/v1/meta',
        headers: { ...auth(a.key), origin: A_ORIGIN },
      });
      expect(meta.statusCode).toBe(200);
      expect(acao(meta)).toBe(A_ORIGIN);
    });

    it("refuses workspace B's token from workspace A's origin with 403, before any query runs", async () => {
      // A query no cache has seen, so only the refusal can keep it from the database.
      const fresh = 1000 + Math.floor(Math.random() * 1000);
      expect((await load(bearer(b.token), fresh + 1)).statusCode).toBe(200);
      const before = await statements();
      expect(before).toBeGreaterThan(0);
      const res = await load({ ...bearer(b.token), origin: A_ORIGIN }, fresh);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        errorMessage: expect.stringContaining(`origin ${A_ORIGIN} is not allowed for this workspace`),
        code: 'ACCESS_DENIED',
        hint: expect.stringContaining('PUT /api/v1/workspace/settings'),
      });
      expect(res.body).not.toContain('"data"');
      expect(acao(res)).toBeUndefined();
      const meta = await app.inject({
        method: 'GET',
        url: '/api/v1/meta',
        headers: { ...bearer(b.token), origin: EVIL },
      });
      expect(meta.statusCode).toBe(403);
      expect(meta.body).not.toContain('cubes');
      expect(await statements()).toBe(before);
      // The same token and query from its own origin run, so the refusal was about the origin.
      expect((await load({ ...bearer(b.token), origin: B_ORIGIN }, fresh)).statusCode).toBe(200);
      expect(await statements()).toBeGreaterThan(before);
    });

    it('a workspace without a list of its own does not refuse, but its answers stay unreadable to other origins', async () => {
      await put(b.key, []);
      const res = await load({ ...bearer(b.token), origin: A_ORIGIN });
      expect(res.statusCode).toBe(200);
      expect(acao(res)).toBeUndefined();
      const key = await load({ ...auth(b.key), origin: A_ORIGIN });
      expect(key.statusCode).toBe(200);
      expect(acao(key)).toBeUndefined();
    });

    it('an API key is not refused from a foreign origin, but gets no allow-origin', async () => {
      const res = await load({ ...auth(b.key), origin: A_ORIGIN });
      expect(res.statusCode).toBe(200);
      expect(acao(res)).toBeUndefined();
    });

    it('the server-wide list (INLAY_CORS_ORIGINS) is allowed for every workspace', async () => {
      for (const w of [a, b]) {
        const res = await load({ ...bearer(w.token), origin: SERVER_ORIGIN });
        expect(res.statusCode).toBe(200);
        expect(acao(res)).toBe(SERVER_ORIGIN);
      }
    });

    it('`*` in a workspace list allows any origin for that workspace only', async () => {
      await put(a.key, ['*']);
      const res = await load({ ...bearer(a.token), origin: EVIL });
      expect(res.statusCode).toBe(200);
      expect(acao(res)).toBe(EVIL);
      expect(acao(await preflight(EVIL))).toBe(EVIL);
      const other = await load({ ...bearer(b.token), origin: EVIL });
      expect(other.statusCode).toBe(403);
      expect(acao(other)).toBeUndefined();
    });

    it('requests without Origin (server to server) are unaffected and carry no CORS headers', async () => {
      for (const w of [a, b]) {
        const res = await load(bearer(w.token));
        expect(res.statusCode).toBe(200);
        expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      }
    });

    it('a request refused by auth is readable by an origin some workspace allows (so a page can renew its token)', async () => {
      const expired = await load({ authorization: 'Bearer a.b.c', origin: A_ORIGIN });
      expect(expired.statusCode).toBe(401);
      expect(acao(expired)).toBe(A_ORIGIN);
      const evil = await load({ authorization: 'Bearer a.b.c', origin: EVIL });
      expect(evil.statusCode).toBe(401);
      expect(acao(evil)).toBeUndefined();
    });
  });

  it('another replica (its own cache on the same store) follows a change after its TTL, not before', async () => {
    let clock = 0;
    const replica = createOriginPolicy({
      serverOrigins: [],
      settings: storeOriginSettings(store),
      ttlMs: 1000,
      now: () => clock,
    });
    expect(await replica.allows(a.id, A_ORIGIN)).toBe(true);
    expect(await replica.refuses(a.id, B_ORIGIN)).toBe(true);
    await put(a.key, [A_ORIGIN, B_ORIGIN]);
    clock += 999;
    expect(await replica.allows(a.id, B_ORIGIN)).toBe(false);
    expect(await replica.allowsPreflight('https://nowhere.example.com')).toBe(false);
    clock += 1;
    expect(await replica.allows(a.id, B_ORIGIN)).toBe(true);
    expect(await replica.refuses(a.id, B_ORIGIN)).toBe(false);
    // A workspace of no list restricts nothing and allows nothing of its own.
    const empty = await newWorkspace(store);
    expect(await replica.refuses(empty, EVIL)).toBe(false);
    expect(await replica.allows(empty, EVIL)).toBe(false);
  });
});
