import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, flightsFiles, multipart, type TenantSetup, tarGz, tenantSetup } from './bundle-helpers.js';
import { SECRET_KEY } from './store/helpers.js';
import { bearer, claims, forge, tamper } from './token-helpers.js';

/** B's dashboard: only B has it. */
const B_DASHBOARD = `embeddables:
  - name: b-only
    datasets: [{ name: airports, model: airports }]
`;

describe('every route acts on the workspace of the caller (SQLite store)', () => {
  let t: TenantSetup;
  beforeAll(async () => {
    t = await tenantSetup('sqlite');
    const files = await flightsFiles();
    const m = multipart(
      await tarGz({
        'models/flights.cube.yml': files['models/flights.cube.yml']!,
        'models/airports.cube.yml': files['models/airports.cube.yml']!,
        'b-only.embeddable.yml': B_DASHBOARD,
      }),
      {},
    );
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bundle/upload',
      headers: { ...auth(t.b.key), ...m.headers },
      payload: m.payload,
    });
    expect(up.statusCode, up.body).toBe(200);
    const call = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: auth(t.b.key), payload });
    const duck = { type: 'duckdb', credentials: {} };
    expect((await call('/api/v1/connections', { name: 'b-conn', ...duck })).statusCode).toBe(201);
    const env = { name: 'b-env', datasources: [{ data_source: 'default', connection: 'b-conn' }] };
    expect((await call('/api/v1/environments', env)).statusCode).toBe(201);
  });
  afterAll(() => t?.close());

  const get = (url: string, key: string) => t.app.inject({ method: 'GET', url, headers: auth(key) });
  const issue = (key: string, embeddableId: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/security-token',
      headers: auth(key),
      payload: { embeddableId, user: 'u', securityContext: { states: ['CA'] } },
    });

  it('lists only its own connections, environments and dashboards', async () => {
    expect((await get('/api/v1/connections', t.a.key)).json().connections).toEqual(['default']);
    expect((await get('/api/v1/connections', t.b.key)).json().connections).toEqual(['b-conn', 'default']);
    expect((await get('/api/v1/environments', t.a.key)).json().environments).toEqual([]);
    expect((await get('/api/v1/environments', t.b.key)).json().environments).toEqual(['b-env']);
    const names = async (key: string) =>
      (await get('/api/v1/embeddables', key)).json().embeddables.map((d: { name: string }) => d.name);
    expect(await names(t.a.key)).toEqual(['flights-overview']);
    expect(await names(t.b.key)).toEqual(['b-only']);
  });

  it("answers 404 (never data) for the other workspace's connection, environment, dashboard and tokens", async () => {
    for (const url of [
      '/api/v1/connections/b-conn',
      '/api/v1/environments/b-env',
      '/api/v1/embeddables/b-only/saved-versions',
    ]) {
      const res = await get(url, t.a.key);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toMatch(/createdAt|datasources/);
    }
    const bId = (await get('/api/v1/embeddables', t.b.key)).json().embeddables[0].id;
    expect((await get(`/api/v1/embeddables/${bId}/saved-versions`, t.a.key)).statusCode).toBe(404);
    expect((await issue(t.a.key, 'b-only')).statusCode).toBe(404);
    expect((await issue(t.a.key, bId)).statusCode).toBe(404);
    expect((await issue(t.b.key, 'flights-overview')).statusCode).toBe(404);
    const del = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/connections/b-conn',
      headers: auth(t.a.key),
    });
    expect(del.statusCode).toBe(404);
    expect((await get('/api/v1/connections', t.b.key)).json().connections).toContain('b-conn');
  });

  it('a token acts on the workspace it was signed for only', async () => {
    const res = await issue(t.b.key, 'b-only');
    expect(res.statusCode, res.body).toBe(200);
    const tokenB = res.json().token as string;
    const q = { query: { dimensions: ['airports.state'], limit: 1 } };
    const load = (token: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/load', headers: bearer(token), payload: q });
    expect((await load(tokenB)).statusCode).toBe(200);
    // Changing the workspace breaks the signature.
    const moved = tamper(tokenB, (p) => {
      p.workspaceId = t.a.id;
    });
    expect((await load(moved)).statusCode).toBe(401);
    // Even correctly signed for workspace A, B's dashboard does not exist there.
    const bId = (await get('/api/v1/embeddables', t.b.key)).json().embeddables[0].id;
    const forged = await forge(claims({ workspaceId: t.a.id, embeddableId: bId }), { secret: SECRET_KEY });
    const denied = await load(forged);
    expect(denied.statusCode).toBe(403);
    expect(denied.body).not.toMatch(/"data"/);
    // And a token is never an API key of any workspace.
    expect((await get('/api/v1/connections', tokenB)).statusCode).toBe(401);
  });

  it('a revoked or unknown key is refused', async () => {
    expect((await get('/api/v1/connections', 'inlay_nobody-0123456789abcdefghij')).statusCode).toBe(401);
  });
});
