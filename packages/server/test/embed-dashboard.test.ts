import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dashboardDocumentSchema, dashboardSchema, documentMembers } from '@inlay/core';
import { compileModel, parseModelFile, readModelDir } from '@inlay/engine';
import { flightsProjectDir } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, flightsFiles, multipart, type TenantSetup, tarGz, tenantSetup } from './bundle-helpers.js';
import { AUTH, type TestApp } from './helpers.js';
import { BACKENDS, SECRET_KEY } from './store/helpers.js';
import { bearer, claims, forge, tamper, tokenApp, tokenFor } from './token-helpers.js';

const URL = '/api/v1/embed/dashboard';

/** flights-overview as the yml says, normalised independently of the server. */
async function flightsOverview() {
  const path = 'flights-overview.embeddable.yml';
  const file = parseModelFile({ path, content: await readFile(join(flightsProjectDir, path), 'utf8') });
  return dashboardSchema.parse((file.data as { embeddables: unknown[] }).embeddables[0]);
}

describe('GET /api/v1/embed/dashboard (dashboards as code)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = tokenApp();
    await t.app.ready();
  });
  afterAll(() => t.app.close());

  it("answers the token's dashboard document and when the token expires", async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = await tokenFor(t, { securityContext: { states: ['CA'] }, expiryInSeconds: 600 });
    const res = await t.app.inject({ method: 'GET', url: URL, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.dashboard).toEqual(await flightsOverview());
    expect(dashboardDocumentSchema.parse(body.dashboard)).toEqual(body.dashboard);
    expect(body.dashboard.widgets.map((w: { component: string }) => w.component)).toEqual([
      'DateRangePicker',
      'KpiCard',
      'KpiCard',
      'BarChart',
      'LineChart',
      'Table',
    ]);
    const expiresAt = Date.parse(body.expiresAt) / 1000;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600);
    expect(expiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 600);
    expect(body.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('every member flights-overview names exists in the flights models', async () => {
    const model = compileModel(await readModelDir(flightsProjectDir));
    const members = documentMembers(await flightsOverview()).map((m) => m.member);
    expect(members).toContain('flights.delayed_ratio');
    expect(members).toContain('airports.state');
    for (const name of members) {
      const [cube, member] = name.split('.') as [string, string];
      const c = model.cubes.get(cube)!;
      expect(c.measures.has(member) || c.dimensions.has(member), name).toBe(true);
    }
  });

  it('an expired or tampered token gets 401 and no dashboard', async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = await tokenFor(t, { securityContext: { states: ['CA'] } });
    const bad = [
      await forge(claims({ iat: now - 1000, exp: now - 100 })),
      tamper(good, (p) => {
        p.securityContext = { states: ['TX'] };
      }),
      `${good.slice(0, -2)}xx`,
    ];
    for (const token of bad) {
      const res = await t.app.inject({ method: 'GET', url: URL, headers: bearer(token) });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ errorMessage: 'invalid or expired token' });
      expect(res.body).not.toContain('widgets');
    }
    // The forge itself is sound: the same claims, not expired, are accepted.
    const fresh = await forge(claims({ iat: now, exp: now + 100 }));
    expect((await t.app.inject({ method: 'GET', url: URL, headers: bearer(fresh) })).statusCode).toBe(200);
  });

  it('the API key alone is refused with 401 saying to send a security token', async () => {
    const res = await t.app.inject({ method: 'GET', url: URL, headers: AUTH });
    expect(res.statusCode).toBe(401);
    expect(res.json().errorMessage).toBe(
      'this route takes a security token, not the workspace API key: mint one with POST /api/v1/security-token',
    );
    const none = await t.app.inject({ method: 'GET', url: URL });
    expect(none.statusCode).toBe(401);
    expect(none.json().errorMessage).toMatch(/^missing token/);
  });

  it("answers CORS like the other token routes: the workspace's origins, preflight included", async () => {
    const origin = 'https://app.example.com';
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/workspace/settings',
      headers: AUTH,
      payload: { allowedOrigins: [origin] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const pre = await t.app.inject({
      method: 'OPTIONS',
      url: URL,
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(origin);
    const token = await tokenFor(t, { securityContext: { states: ['CA'] } });
    const ok = await t.app.inject({ method: 'GET', url: URL, headers: { ...bearer(token), origin } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(origin);
    const foreign = await t.app.inject({
      method: 'GET',
      url: URL,
      headers: { ...bearer(token), origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is documented in the OpenAPI document with its response schema', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = spec.paths[URL].get;
    expect(op.security).toEqual([{ securityToken: [] }]);
    expect(JSON.stringify(op.responses['200'])).toContain('#/components/schemas/EmbedDashboard');
    expect(JSON.stringify(spec.components.schemas.EmbedDashboard)).toContain('DashboardDocument');
    expect(JSON.stringify(spec.components.schemas.DashboardDocument)).toContain('widgets');
  });
});

describe.each(BACKENDS)('GET /api/v1/embed/dashboard with a store (%s)', (backend) => {
  let t: TenantSetup;
  let files: Record<string, string>;
  beforeAll(async () => {
    t = await tenantSetup(backend);
    files = await flightsFiles();
  });
  afterAll(() => t?.close());

  const token = async (embeddableId: string, savedVersion: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security-token',
      headers: auth(t.a.key),
      payload: { embeddableId, user: 'u', savedVersion, securityContext: { states: ['CA'] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().token as string;
  };
  const dashboard = async (tok: string) => {
    const res = await t.app.inject({ method: 'GET', url: URL, headers: bearer(tok) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().dashboard;
  };

  it('the store keeps the full document, and a token for v1 keeps seeing v1 after a newer upload', async () => {
    const stored = await t.store.dashboards.version(t.a.id, 'flights-overview', 'latest');
    const expected = await flightsOverview();
    const { version: _label, ...rest } = expected;
    expect(stored.definition).toEqual(rest);

    const v1 = await token('flights-overview', 'v1');
    const first = await dashboard(v1);
    expect(first).toEqual({ ...expected, id: stored.dashboardId, version: 'v1' });

    const changed = files['flights-overview.embeddable.yml']!.replace(
      'title: Flights overview',
      'title: Flights overview, second edition',
    );
    const m = multipart(await tarGz({ ...files, 'flights-overview.embeddable.yml': changed }), {});
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bundle/upload',
      headers: { ...auth(t.a.key), ...m.headers },
      payload: m.payload,
    });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().dashboards).toEqual([{ name: 'flights-overview', version: 'v2' }]);

    expect(await dashboard(v1)).toEqual(first);
    const latest = await dashboard(await token('flights-overview', 'production'));
    expect(latest).toMatchObject({ title: 'Flights overview, second edition', version: 'v2' });
  });

  it('a version saved in the short form by an earlier server is served in the full shape', async () => {
    await t.store.dashboards.save(
      t.a.id,
      'legacy',
      {
        name: 'legacy',
        datasets: [{ name: 'f', model: 'flights' }],
        widgets: [{ component: 'KpiCard', dataset: 'f', inputs: { measures: ['flights.count'] } }],
      },
      null,
    );
    const doc = await dashboard(await token('legacy', 'v1'));
    expect(doc.widgets).toEqual([
      expect.objectContaining({
        id: 'KpiCard-1',
        inputs: [
          { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'f' },
          expect.objectContaining({ input: 'measures', value: ['flights.count'], config: { dataset: 'ds' } }),
        ],
      }),
    ]);
  });

  it('a stored version that no longer validates answers 422 saying which part, not a broken document', async () => {
    await t.store.dashboards.save(
      t.a.id,
      'broken',
      { name: 'broken', datasets: [{ name: 'f', model: 'flights' }], widgets: [{ component: 'X', nope: 1 }] },
      null,
    );
    const res = await t.app.inject({ method: 'GET', url: URL, headers: bearer(await token('broken', 'v1')) });
    expect(res.statusCode).toBe(422);
    expect(res.json().errorMessage).toMatch(
      /saved version v1 of dashboard 'broken' is not a valid .*widgets\.0/,
    );
  });

  it('a token of another workspace never sees this one (signed for B, names A’s dashboard)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await forge(claims({ workspaceId: t.b.id, iat: now, exp: now + 100 }), {
      secret: SECRET_KEY,
    });
    const res = await t.app.inject({ method: 'GET', url: URL, headers: bearer(forged) });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('widgets');
  });
});
