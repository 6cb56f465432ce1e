import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auth,
  flightsFiles,
  multipart,
  type TenantSetup,
  tarGz,
  tenantSetup,
  zip,
} from './bundle-helpers.js';
import { BACKENDS } from './store/helpers.js';
import { bearer } from './token-helpers.js';

const measure = (m: string) => ({ measures: [m] });
const CA = { states: ['CA'] };

describe.each(BACKENDS)('bundle upload on %s', (backend) => {
  let t: TenantSetup;
  let files: Record<string, string>;
  beforeAll(async () => {
    t = await tenantSetup(backend, 256 * 1024);
    files = await flightsFiles();
  });
  afterAll(() => t?.close());

  const upload = (body: Buffer, request?: unknown, key = t.a.key, filename?: string) => {
    const m = multipart(body, request, filename);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/bundle/upload',
      headers: { ...auth(key), ...m.headers },
      payload: m.payload,
    });
  };
  /** The flights models need a security context: the API-key preview names one, a token carries it. */
  const load = (headers: Record<string, string>, query: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers,
      payload: (headers.authorization?.includes('.') ? { query } : { query, securityContext: CA }) as object,
    });
  const get = (url: string, key = t.a.key) => t.app.inject({ method: 'GET', url, headers: auth(key) });
  const token = async (savedVersion: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security-token',
      headers: auth(t.a.key),
      payload: { embeddableId: 'flights-overview', user: 'u', savedVersion, securityContext: CA },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().token as string;
  };
  /** The flights models with `avg_delay` renamed to `mean_delay`. */
  const renamed = () => ({
    ...files,
    // Everywhere the model names it: the measure and the rollups that keep it.
    'models/flights.cube.yml': files['models/flights.cube.yml']!.replace(
      'name: avg_delay',
      'name: mean_delay',
    ).replaceAll('count, avg_delay,', 'count, mean_delay,'),
    // The dashboard's widget follows the rename.
    'flights-overview.embeddable.yml': files['flights-overview.embeddable.yml']!.replace(
      'flights.avg_delay',
      'flights.mean_delay',
    ),
  });

  it('saves the project dashboards on start as v1, tagged production, pinning the current models', async () => {
    const list = await get('/api/v1/embeddables');
    expect(list.statusCode).toBe(200);
    const [d] = list.json().embeddables;
    expect(d).toMatchObject({ name: 'flights-overview', tags: { production: 'v1' } });
    const versions = (await get(`/api/v1/embeddables/${d.id}/saved-versions`)).json().versions;
    expect(versions).toEqual([
      {
        version: 'v1',
        createdAt: expect.any(String),
        description: null,
        modelVersion: expect.any(String),
        componentsVersion: null,
        tags: ['production'],
      },
    ]);
    // By name too; another restart (ready again on a new app) adds no version: content unchanged.
    expect((await get('/api/v1/embeddables/flights-overview/saved-versions')).json().versions).toHaveLength(
      1,
    );
  });

  it('refuses invalid models with 422 naming file and line, and stores nothing', async () => {
    const before = await t.store.modelVersions.list(t.a.id);
    const broken = {
      ...files,
      'models/flights.cube.yml': files['models/flights.cube.yml']!.replace('type: avg', 'type: averagish'),
    };
    const res = await upload(await tarGz(broken), { pushModels: true });
    expect(res.statusCode, res.body).toBe(422);
    const body = res.json();
    expect(body.code).toBe('MODEL_INVALID');
    expect(body.errorMessage).toMatch(/models\/flights\.cube\.yml:\d+/);
    expect(body.errors[0].where).toMatchObject({ file: 'models/flights.cube.yml', line: expect.any(Number) });
    expect(await t.store.modelVersions.list(t.a.id)).toEqual(before);
    expect((await get('/api/v1/embeddables/flights-overview/saved-versions')).json().versions).toHaveLength(
      1,
    );
    expect((await load(auth(t.a.key), measure('flights.avg_delay'))).statusCode).toBe(200);
  });

  it('refuses archive entries that leave the bundle, absolute paths, and non-archives with 400', async () => {
    const cases: [Buffer, RegExp][] = [
      [await tarGz({ ...files, '../evil.cube.yml': 'cubes: []' }), /leaves the bundle/],
      [await tarGz({ 'models/../../etc/x.cube.yml': 'cubes: []' }), /leaves the bundle/],
      [zip({ ...files, '../../evil.embeddable.yml': 'embeddables: []' }), /leaves the bundle/],
      [await tarGz({ '/abs/models/x.cube.yml': 'cubes: []' }), /absolute path/],
      [Buffer.from('not an archive'), /\.tar\.gz or a \.zip/],
    ];
    for (const [body, message] of cases) {
      const res = await upload(body, {});
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errorMessage).toMatch(message);
    }
    expect(await t.store.modelVersions.list(t.a.id)).toHaveLength(1);
  });

  it('caps the archive size (413), refuses a bad request field (400) and needs the API key (401)', async () => {
    const big = Buffer.alloc(300 * 1024, 1);
    expect((await upload(big, {})).statusCode).toBe(413);
    expect((await upload(await tarGz(files), { pushModels: 'yes' })).statusCode).toBe(400);
    const m = multipart(await tarGz(files), {});
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/bundle/upload', ...m });
    expect(anon.statusCode).toBe(401);
  });

  it('stores a valid bundle as a new version used by /load; tokens keep the version their dashboard pins', async () => {
    const oldToken = await token('v1');
    const res = await upload(await tarGz(renamed()), { pushModels: true, description: 'rename' });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out).toEqual({
      modelVersion: expect.stringMatching(/^[0-9a-f]{64}$/),
      created: true,
      dashboards: [{ name: 'flights-overview', version: 'v2' }],
      componentsVersion: null,
      componentsCreated: false,
    });
    // The API key (no pinned dashboard) now runs the new models.
    expect((await load(auth(t.a.key), measure('flights.mean_delay'))).statusCode).toBe(200);
    expect((await load(auth(t.a.key), measure('flights.avg_delay'))).statusCode).toBe(400);
    // The old token still answers with v1's models…
    expect((await load(bearer(oldToken), measure('flights.avg_delay'))).statusCode).toBe(200);
    expect((await load(bearer(oldToken), measure('flights.mean_delay'))).statusCode).toBe(400);
    // …a new production token with v2's.
    const newToken = await token('production');
    expect((await load(bearer(newToken), measure('flights.mean_delay'))).statusCode).toBe(200);
    expect((await load(bearer(newToken), measure('flights.avg_delay'))).statusCode).toBe(400);

    const versions = (await get('/api/v1/embeddables/flights-overview/saved-versions')).json().versions;
    expect(versions.map((v: { version: string; tags: string[] }) => [v.version, v.tags])).toEqual([
      ['v1', []],
      ['v2', ['production']],
    ]);
    expect(versions[1].modelVersion).toBe(out.modelVersion);
    expect(versions[0].modelVersion).not.toBe(out.modelVersion);
  });

  it('dedupes: the same bundle again (as a zip) adds no model or dashboard version', async () => {
    const res = await upload(zip(renamed()), {}, t.a.key, 'bundle.zip');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      created: false,
      dashboards: [{ name: 'flights-overview', version: 'v2' }],
      componentsVersion: null,
      componentsCreated: false,
    });
    expect((await get('/api/v1/embeddables/flights-overview/saved-versions')).json().versions).toHaveLength(
      2,
    );
  });

  it('pushing the old models back re-pins the dashboards to them (rollback is a push)', async () => {
    const res = await upload(await tarGz(files), {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      created: false,
      dashboards: [{ name: 'flights-overview', version: 'v3' }],
    });
    expect((await load(auth(t.a.key), measure('flights.avg_delay'))).statusCode).toBe(200);
  });

  it('refuses a dashboard using a member the pushed models lack, naming it, and stores nothing', async () => {
    const before = (await get('/api/v1/embeddables/flights-overview/saved-versions')).json().versions.length;
    const dashboard = files['flights-overview.embeddable.yml']!.replace(
      'flights.delayed_ratio',
      'flights.late_share',
    );
    const res = await upload(await tarGz({ ...files, 'flights-overview.embeddable.yml': dashboard }), {
      pushModels: true,
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errorMessage).toContain("dashboard 'flights-overview' uses 'flights.late_share'");
    expect(res.json().errors[0].where).toEqual({
      file: 'flights-overview.embeddable.yml',
      path: 'widgets.4.inputs.1.value.0',
    });
    expect((await get('/api/v1/embeddables/flights-overview/saved-versions')).json().versions).toHaveLength(
      before,
    );
  });
});
