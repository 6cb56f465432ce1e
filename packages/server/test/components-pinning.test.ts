import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, flightsFiles, multipart, type TenantSetup, tarGz, tenantSetup } from './bundle-helpers.js';
import { fakeBuild } from './components-fixtures.js';
import { BACKENDS } from './store/helpers.js';

/**
 * A dashboard version pins the components version it was saved with: a push with a changed
 * component never changes what a published dashboard shows (its embed keeps the old module's URL)
 * until it is saved and published again, while the builder (the current version) sees the new
 * one at once. Dashboards as code re-pin on push (for them, the push is the publish).
 */
const DOC = {
  title: 'Custom',
  variables: [],
  datasets: [],
  widgets: [
    {
      id: 'rev',
      component: 'Revenue',
      position: { x: 0, y: 0 },
      dimensions: { width: 4, height: 2 },
      inputs: [{ input: 'title', inputType: 'string', valueType: 'VALUE', value: 'Revenue' }],
    },
  ],
};

describe.each(BACKENDS)('components pinning on %s', (backend) => {
  let t: TenantSetup;
  let models: Record<string, string>;
  beforeAll(async () => {
    t = await tenantSetup(backend);
    models = await flightsFiles();
  });
  afterAll(() => t?.close());

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: auth(t.a.key),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const push = async (text: string) => {
    const build = fakeBuild([
      { name: 'Revenue', text },
      { name: 'Gauge', text: 'unchanged' },
    ]);
    const m = multipart(await tarGz({ ...models, ...build.entries }), {});
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bundle/upload',
      headers: { ...auth(t.a.key), ...m.headers },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    return { version: res.json().componentsVersion as string, file: build.manifest.components[0]!.file };
  };
  /** What an embed with a fresh production token for `dashboard` is told to load. */
  const embedded = async (dashboard: string) => {
    const minted = await api('POST', '/api/v1/security-token', {
      embeddableId: dashboard,
      user: 'u-1',
      securityContext: { states: ['CA'] },
    });
    expect(minted.statusCode, minted.body).toBe(200);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/embed/dashboard',
      headers: auth(minted.json().token),
    });
    expect(res.statusCode, res.body).toBe(200);
    const { componentsVersion, components, componentImports } = res.json();
    return { version: componentsVersion, urls: components, imports: componentImports } as {
      version: string | null;
      urls: Record<string, string>;
      imports: Record<string, string[]>;
    };
  };
  const builderUrl = async () =>
    (await api('GET', '/api/v1/components'))
      .json()
      .components.find((c: { name: string }) => c.name === 'Revenue').url as string;

  it('a published dashboard keeps the components it was saved with until it is saved and published again', async () => {
    const one = await push('v1');
    const urlV1 = `embed/v1/c/${one.version}/${one.file}`;

    expect((await api('POST', '/api/v1/embeddables', { name: 'custom' })).statusCode).toBe(201);
    const base = (await api('GET', '/api/v1/embeddables/custom')).json().draftUpdatedAt;
    const draft = await api('PUT', '/api/v1/embeddables/custom/draft', {
      document: DOC,
      baseUpdatedAt: base,
    });
    expect(draft.statusCode, draft.body).toBe(200);
    const saved = await api('POST', '/api/v1/embeddables/custom/saved-versions', {});
    expect(saved.json()).toMatchObject({ version: 'v1', componentsVersion: one.version });
    await api('PUT', '/api/v1/embeddables/custom/tags/production', { version: 'v1' });

    const first = await embedded('custom');
    // Only what the dashboard uses, with the files each imports.
    expect(first).toEqual({
      version: one.version,
      urls: { Revenue: urlV1 },
      imports: { Revenue: [expect.stringMatching(/\/chunks\/chunk-/), expect.stringMatching(/\.css$/)] },
    });
    expect(first.imports.Revenue!.every((u) => u.startsWith(`embed/v1/c/${one.version}/`))).toBe(true);
    expect(await builderUrl()).toBe(urlV1);

    // A push with a changed Revenue: a new version, current at once for the builder.
    const two = await push('v2');
    const urlV2 = `embed/v1/c/${two.version}/${two.file}`;
    expect(two.version).not.toBe(one.version);
    expect(urlV2).not.toBe(urlV1);
    expect(await builderUrl()).toBe(urlV2);
    // The published dashboard still loads v1's module, which is still served, unchanged.
    expect((await embedded('custom')).urls).toEqual({ Revenue: urlV1 });
    const module = await t.app.inject({ method: 'GET', url: `/${urlV1}` });
    expect(module.statusCode).toBe(200);
    expect(module.body).toContain('"v1"');
    expect((await t.app.inject({ method: 'GET', url: `/${urlV2}` })).body).toContain('"v2"');

    // Saved again (the builder previewed v2): the new version pins v2, yet production shows v1…
    const v2 = await api('POST', '/api/v1/embeddables/custom/saved-versions', { description: 'new code' });
    expect(v2.json()).toMatchObject({ version: 'v2', componentsVersion: two.version });
    expect((await embedded('custom')).urls).toEqual({ Revenue: urlV1 });
    // …until it is published.
    await api('PUT', '/api/v1/embeddables/custom/tags/production', { version: 'v2' });
    expect(await embedded('custom')).toMatchObject({ version: two.version, urls: { Revenue: urlV2 } });
    // Rolling back brings v1's code back with v1's document.
    await api('PUT', '/api/v1/embeddables/custom/tags/production', { version: 'v1' });
    expect((await embedded('custom')).urls).toEqual({ Revenue: urlV1 });

    const versions = (await api('GET', '/api/v1/embeddables/custom/saved-versions')).json().versions;
    expect(versions.map((v: { componentsVersion: string }) => v.componentsVersion)).toEqual([
      one.version,
      two.version,
    ]);
  });

  it('dashboards as code re-pin on push; one using only standard components is told of none', async () => {
    const current = await t.store.components.current(t.a.id);
    const versions = (await api('GET', '/api/v1/embeddables/flights-overview/saved-versions')).json()
      .versions;
    expect(versions.at(-1)).toMatchObject({ componentsVersion: current, tags: ['production'] });
    expect(await embedded('flights-overview')).toEqual({
      version: current,
      urls: {},
      imports: {},
    });
  });
});
