import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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
import { type FakeComponent, fakeBuild } from './components-fixtures.js';
import { BACKENDS, countRows } from './store/helpers.js';

/**
 * Components versions over HTTP on both metadata stores: a push carrying `.inlay-build/` stores an
 * immutable version (the same build again is the same version); a build whose files or metas do
 * not match is refused with the file at fault and leaves nothing; files are served immutable under
 * the version's hash; the list shows the workspace's and the standard library's. Pinning:
 * test/components-pinning.test.ts.
 */
const X1: FakeComponent = { name: 'Revenue', text: 'v1' };
const HEX = /^[0-9a-f]{64}$/;

describe.each(BACKENDS)('components versions on %s', (backend) => {
  let t: TenantSetup;
  let models: Record<string, string>;
  beforeAll(async () => {
    t = await tenantSetup(backend, 2 * 1024 * 1024);
    models = await flightsFiles();
  });
  afterAll(() => t?.close());

  const push = async (entries: Record<string, Buffer>, request: unknown = {}, key = t.a.key) => {
    const m = multipart(await tarGz({ ...models, ...entries }), request);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/bundle/upload',
      headers: { ...auth(key), ...m.headers },
      payload: m.payload,
    });
  };
  const get = (url: string, key = t.a.key) => t.app.inject({ method: 'GET', url, headers: auth(key) });
  /** Everything a refused push must leave as it was. */
  const snapshot = async () => ({
    versions: await countRows(t.store, 'components_versions', t.a.id),
    files: await countRows(t.store, 'component_files', t.a.id),
    models: (await t.store.modelVersions.list(t.a.id)).length,
    current: await t.store.components.current(t.a.id),
    dashboards: (await get('/api/v1/embeddables/flights-overview/saved-versions')).json().versions.length,
  });

  let v1: string;

  it('before any push: no version, only the standard library, marked standard', async () => {
    const res = await get('/api/v1/components');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ version: null, current: false, versions: [] });
    const kpi = body.components.find((c: { name: string }) => c.name === 'KpiCard');
    expect(kpi).toMatchObject({ standard: true, version: null, label: 'KPI', category: 'Numbers' });
    expect(kpi.meta.inputs.length).toBeGreaterThan(0);
    expect(body.components.every((c: { standard: boolean }) => c.standard)).toBe(true);
  });

  it('a push with .inlay-build stores a version: listed with its components, beside the standard ones', async () => {
    const build = fakeBuild([X1, { name: 'Gauge', text: 'g' }]);
    const res = await push(build.entries, { description: 'first components' });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.componentsVersion).toMatch(HEX);
    expect(out.componentsCreated).toBe(true);
    v1 = out.componentsVersion;

    const list = (await get('/api/v1/components')).json();
    expect(list).toMatchObject({
      version: v1,
      current: true,
      react: 'compat',
      description: 'first components',
    });
    expect(list.versions.map((v: { version: string }) => v.version)).toEqual([v1]);
    const revenue = list.components.find((c: { name: string }) => c.name === 'Revenue');
    const file = build.manifest.components[0]!.file;
    expect(revenue).toEqual({
      name: 'Revenue',
      label: 'Revenue label',
      description: 'The Revenue component',
      category: 'Custom',
      inputs: [{ name: 'title', type: 'string', label: 'Title' }],
      events: [{ name: 'onPick', label: 'Picked', properties: [{ name: 'value', type: 'string' }] }],
      standard: false,
      version: v1,
      // Relative to the server's base address, as the runtime resolves them.
      url: `embed/v1/c/${v1}/${file}`,
      imports: build.manifest.components[0]!.imports.map((f) => `embed/v1/c/${v1}/${f}`),
      meta: build.manifest.components[0]!.meta,
    });
    expect(list.components.filter((c: { standard: boolean }) => !c.standard)).toHaveLength(2);
    expect(
      list.components.some((c: { name: string; standard: boolean }) => c.name === 'KpiCard' && c.standard),
    ).toBe(true);
    // Dashboards as code pushed with it pin it.
    const versions = (await get('/api/v1/embeddables/flights-overview/saved-versions')).json().versions;
    expect(versions.at(-1)).toMatchObject({ componentsVersion: v1, tags: ['production'] });
  });

  it('the identical build again (as a zip, keys reordered) is the same version, created: false', async () => {
    const before = await snapshot();
    const build = fakeBuild([X1, { name: 'Gauge', text: 'g' }]);
    const reordered = JSON.parse(build.entries['.inlay-build/manifest.json']!.toString());
    const entries = {
      ...build.entries,
      '.inlay-build/manifest.json': Buffer.from(JSON.stringify({ files: reordered.files, ...reordered })),
    };
    const m = multipart(zip({ ...models, ...entries }), {}, 'bundle.zip');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bundle/upload',
      headers: { ...auth(t.a.key), ...m.headers },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ componentsVersion: v1, componentsCreated: false });
    expect(await snapshot()).toEqual(before);
  });

  it('a push without a build keeps the current components; pushComponents: false ignores one', async () => {
    const plain = await push({});
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json()).toMatchObject({ componentsVersion: v1, componentsCreated: false });
    const ignored = await push(fakeBuild([{ name: 'Other', text: 'o' }]).entries, { pushComponents: false });
    expect(ignored.json()).toMatchObject({ componentsVersion: v1, componentsCreated: false });
    expect(await countRows(t.store, 'components_versions', t.a.id)).toBe(1);
  });

  it('refuses a build whose file does not match the manifest, or is too big, or a bad meta: 400 naming the file, nothing stored', async () => {
    const before = await snapshot();
    const good = fakeBuild([{ name: 'Revenue', text: 'v-bad' }]);
    const moduleFile = `.inlay-build/${good.manifest.components[0]!.file}`;
    const chunkFile = `.inlay-build/${good.manifest.components[0]!.imports[0]!}`;
    const tampered = {
      ...good.entries,
      [moduleFile]: Buffer.from(good.entries[moduleFile]!.toString().replace('v-bad', 'v-BAD')),
    };
    const shorter = { ...good.entries, [chunkFile]: good.entries[chunkFile]!.subarray(1) };
    const missing = { ...good.entries };
    delete missing[chunkFile];
    const extra = { ...good.entries, '.inlay-build/chunks/stray.js': Buffer.from('export {};') };
    const big = Buffer.from(`// ${'x'.repeat(5 * 1024 * 1024)}\n`);
    const oversized = fakeBuild([{ name: 'Revenue', text: 'big' }], (m) => {
      m.files['chunks/huge.js'] = {
        sha256: '0'.repeat(64),
        bytes: big.length,
      };
    });
    oversized.entries['.inlay-build/chunks/huge.js'] = big;
    const badMeta = fakeBuild([
      {
        name: 'Revenue',
        text: 'm',
        meta: { name: 'Revenue', label: 'R', inputs: [{ name: 'bad-name', type: 'string', label: 'T' }] },
      },
    ]);
    const mismatch = fakeBuild([
      { name: 'Revenue', text: 'n', meta: { name: 'Other', label: 'R', inputs: [] } },
    ]);
    const standard = fakeBuild([{ name: 'KpiCard', text: 'k' }]);
    const notJson = { ...good.entries, '.inlay-build/manifest.json': Buffer.from('{"format": 1,') };
    const newer = fakeBuild([X1], (m) => {
      (m as { format: number }).format = 2;
    });
    const cases: [Record<string, Buffer>, string, RegExp][] = [
      [tampered, moduleFile, /SHA-256 is [0-9a-f]{64}, but the manifest says/],
      [shorter, chunkFile, /bytes, but the manifest says/],
      [missing, chunkFile, /missing from the bundle/],
      [extra, '.inlay-build/chunks/stray.js', /not in \.inlay-build\/manifest\.json/],
      [oversized.entries, '.inlay-build/chunks/huge.js', /more than the limit of 5242880 per file/],
      [
        badMeta.entries,
        '.inlay-build/manifest.json',
        /components\[0\]\.meta\.inputs\[0\]\.name of component 'Revenue'/,
      ],
      [mismatch.entries, '.inlay-build/manifest.json', /component 'Revenue' has meta\.name 'Other'/],
      [standard.entries, '.inlay-build/manifest.json', /'KpiCard' is a standard component's name/],
      [notJson, '.inlay-build/manifest.json', /not JSON/],
      [newer.entries, '.inlay-build/manifest.json', /format 2 is not one this server knows/],
    ];
    for (const [entries, file, message] of cases) {
      const res = await push(entries);
      expect(res.statusCode, `${file}: ${res.body}`).toBe(400);
      const body = res.json();
      expect(body.where?.file, res.body).toBe(file);
      expect(body.errorMessage).toContain(file);
      expect(body.errorMessage).toMatch(message);
    }
    // Valid models in the same pushes: they were not stored either (one transaction, checked first).
    expect(await snapshot()).toEqual(before);
  });

  it('serves each file under the version hash: immutable, typed, gzip and brotli, ETag; unknown ones 404', async () => {
    const list = (await get('/api/v1/components')).json();
    const revenue = list.components.find((c: { name: string }) => c.name === 'Revenue');
    const expected = fakeBuild([X1, { name: 'Gauge', text: 'g' }]);
    const source = expected.entries[`.inlay-build/${revenue.url.split(`${v1}/`)[1]}`]!;
    const url = `/${revenue.url}`;
    // Public: no credentials.
    const plain = await t.app.inject({ method: 'GET', url });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['access-control-allow-origin']).toBe('*');
    expect(plain.rawPayload.equals(source)).toBe(true);
    const br = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(source)).toBe(true);
    const gz = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(source)).toBe(true);
    const again = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'if-none-match': String(plain.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const css = await t.app.inject({
      method: 'GET',
      url: `/${revenue.imports.find((u: string) => u.endsWith('.css'))}`,
    });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');

    const other = 'f'.repeat(64);
    for (const missing of [
      url.replace(v1, other),
      `/embed/v1/c/${v1}/components/Nope-ABCDEF12.js`,
      `/embed/v1/c/${v1}/manifest.json`,
      `/embed/v1/c/${v1}/components/../chunks/x.js`,
      `/embed/v1/c/not-a-hash/${revenue.url.split(`${v1}/`)[1]}`,
    ]) {
      const res = await t.app.inject({ method: 'GET', url: missing });
      expect(res.statusCode, missing).toBe(404);
    }
  });

  it('is documented in the OpenAPI document: the list, the push answer and the embed answer', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = spec.paths['/api/v1/components'].get;
    expect(op.security).toEqual([{ apiKey: [] }, { session: [] }]);
    expect(JSON.stringify(op.responses['200'])).toContain('#/components/schemas/ComponentsList');
    expect(JSON.stringify(spec.components.schemas.ComponentsList)).toContain('ListedComponent');
    expect(JSON.stringify(spec.components.schemas.ListedComponent)).toContain('standard');
    expect(JSON.stringify(spec.components.schemas.BundleUpload)).toContain('componentsVersion');
    expect(JSON.stringify(spec.components.schemas.EmbedDashboard)).toContain('componentImports');
  });

  it('?version= lists an older version; another workspace sees neither', async () => {
    const res = await push(fakeBuild([{ name: 'Revenue', text: 'v2' }]).entries);
    const v2 = res.json().componentsVersion;
    expect(v2).toMatch(HEX);
    expect(v2).not.toBe(v1);
    const now = (await get('/api/v1/components')).json();
    expect(now).toMatchObject({ version: v2, current: true });
    expect(now.versions.map((v: { version: string }) => v.version)).toEqual([v2, v1]);
    const old = (await get(`/api/v1/components?version=${v1}`)).json();
    expect(old).toMatchObject({ version: v1, current: false });
    expect(
      old.components.filter((c: { standard: boolean }) => !c.standard).map((c: { name: string }) => c.name),
    ).toEqual(['Revenue', 'Gauge']);
    expect((await get('/api/v1/components?version=nope')).statusCode).toBe(400);
    expect((await get(`/api/v1/components?version=${'e'.repeat(64)}`)).statusCode).toBe(404);

    const b = await get('/api/v1/components', t.b.key);
    expect(b.json()).toMatchObject({ version: null, versions: [] });
    expect((await get(`/api/v1/components?version=${v1}`, t.b.key)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/components' })).statusCode).toBe(401);
  });
});
