import { dashboardFileSchema } from '@inlay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { publishDashboards } from '../src/dashboards/sync.js';
import { KPI_WIDGET } from './builder-fixtures.js';
import { AUTH } from './helpers.js';
import { BACKENDS } from './store/helpers.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * The builder's dashboard API over HTTP on both metadata stores, with the API key (the session
 * and role side is the matrix's, test/accounts-matrix.test.ts): a dashboard made, autosaved,
 * saved as versions, published, rolled back, embedded with a token, downloaded, duplicated and
 * deleted; dashboards from code stay read-only; a start never publishes a builder dashboard.
 */
const KPI_DOC = {
  title: 'Carrier KPIs',
  variables: [
    { name: 'date_range', type: 'timeRange', defaultValue: { relativeTimeString: 'Last 30 days' } },
  ],
  datasets: [
    {
      name: 'flights',
      model: 'flights',
      filters: [
        { member: 'flights.date', operator: 'inDateRange', value: 'date_range', valueType: 'VARIABLE' },
      ],
    },
  ],
  widgets: [KPI_WIDGET],
};

describe.each(BACKENDS)('builder dashboards on %s', (backend) => {
  let t: StoreTestApp;
  beforeAll(async () => {
    t = await storeTestApp(backend);
  });
  afterAll(() => t.close());
  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: AUTH,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('makes a dashboard, autosaves it, saves versions, publishes, rolls back, and a token serves what is published', async () => {
    const made = await api('POST', '/api/v1/embeddables', { name: 'carrier-kpis', title: 'Carrier KPIs' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({
      name: 'carrier-kpis',
      source: 'builder',
      latestVersion: null,
      tags: {},
    });
    expect((await api('POST', '/api/v1/embeddables', { name: 'carrier-kpis' })).statusCode).toBe(409);
    expect((await api('POST', '/api/v1/embeddables', { name: 'Bad Name' })).statusCode).toBe(400);

    const opened = await api('GET', '/api/v1/embeddables/carrier-kpis');
    expect(opened.json()).toMatchObject({
      documentFrom: 'draft',
      document: { name: 'carrier-kpis', widgets: [] },
    });
    const base = opened.json().draftUpdatedAt as string;

    // A document with a broken reference is refused with where it is, and nothing is saved.
    const broken = structuredClone(KPI_DOC);
    broken.datasets[0]!.filters[0]!.value = 'no_such_variable';
    const refused = await api('PUT', '/api/v1/embeddables/carrier-kpis/draft', {
      document: broken,
      baseUpdatedAt: base,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errorMessage).toMatch(/document\.datasets\.0\.filters\.0/);

    const saved = await api('PUT', '/api/v1/embeddables/carrier-kpis/draft', {
      document: KPI_DOC,
      baseUpdatedAt: base,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    // Another editor still on the old base loses the race with a 409, not silently.
    const stale = await api('PUT', '/api/v1/embeddables/carrier-kpis/draft', {
      document: { ...KPI_DOC, title: 'Other tab' },
      baseUpdatedAt: base,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errorMessage).toMatch(/changed elsewhere/);

    const v1 = await api('POST', '/api/v1/embeddables/carrier-kpis/saved-versions', {
      description: 'First cut',
    });
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json()).toMatchObject({ version: 'v1', description: 'First cut', tags: [] });
    expect(v1.json().modelVersion).toBe(
      (await t.store.workspaces.currentModelVersion(t.workspaceId)) ?? null,
    );
    const secondDoc = { ...KPI_DOC, title: 'Carrier KPIs, v2' };
    const latest = (await api('GET', '/api/v1/embeddables/carrier-kpis')).json().draftUpdatedAt;
    await api('PUT', '/api/v1/embeddables/carrier-kpis/draft', {
      document: secondDoc,
      baseUpdatedAt: latest,
    });
    expect((await api('POST', '/api/v1/embeddables/carrier-kpis/saved-versions', {})).json().version).toBe(
      'v2',
    );

    const published = await api('PUT', '/api/v1/embeddables/carrier-kpis/tags/production', { version: 'v2' });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().tags).toEqual({ production: 'v2' });
    expect(
      (await api('PUT', '/api/v1/embeddables/carrier-kpis/tags/production', { version: 'v9' })).statusCode,
    ).toBe(404);

    // What a token for it gets is the production version.
    const served = async () => {
      const minted = await api('POST', '/api/v1/security-token', {
        embeddableId: 'carrier-kpis',
        user: 'u-1',
        securityContext: { states: ['CA'] },
      });
      expect(minted.statusCode, minted.body).toBe(200);
      const doc = await t.app.inject({
        method: 'GET',
        url: '/api/v1/embed/dashboard',
        headers: { authorization: `Bearer ${minted.json().token}` },
      });
      expect(doc.statusCode, doc.body).toBe(200);
      return doc.json().dashboard as { title: string; version: string };
    };
    expect(await served()).toMatchObject({ title: 'Carrier KPIs, v2', version: 'v2' });
    // Roll back: the tag moves to v1, and the next token gets v1.
    await api('PUT', '/api/v1/embeddables/carrier-kpis/tags/production', { version: 'v1' });
    expect(await served()).toMatchObject({ title: 'Carrier KPIs', version: 'v1' });

    const versions = (await api('GET', '/api/v1/embeddables/carrier-kpis/saved-versions')).json().versions;
    expect(
      versions.map((v: { version: string; description: string | null; tags: string[] }) => [
        v.version,
        v.description,
        v.tags,
      ]),
    ).toEqual([
      ['v1', 'First cut', ['production']],
      ['v2', null, []],
    ]);
    const one = await api('GET', '/api/v1/embeddables/carrier-kpis/saved-versions/v1');
    expect(one.json().document.title).toBe('Carrier KPIs');
  });

  it('downloads a *.embeddable.yml that loads as dashboards as code; duplicates; deletes', async () => {
    const file = await api('GET', '/api/v1/embeddables/carrier-kpis/download?version=v1');
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/^application\/yaml/);
    expect(file.headers['content-disposition']).toBe('attachment; filename="carrier-kpis.embeddable.yml"');
    const loaded = dashboardFileSchema.parse(parse(file.body));
    expect(loaded.embeddables[0]).toMatchObject({ name: 'carrier-kpis', title: 'Carrier KPIs' });
    expect(loaded.embeddables[0]!.widgets[0]!.component).toBe('KpiCard');

    const copy = await api('POST', '/api/v1/embeddables/carrier-kpis/duplicate', {
      name: 'carrier-kpis-copy',
    });
    expect(copy.statusCode, copy.body).toBe(201);
    const opened = (await api('GET', '/api/v1/embeddables/carrier-kpis-copy')).json();
    expect(opened).toMatchObject({
      source: 'builder',
      latestVersion: null,
      document: { name: 'carrier-kpis-copy' },
    });
    expect(opened.document.widgets).toHaveLength(1);

    const search = await api('GET', '/api/v1/embeddables?search=KPIs%20copy');
    expect(search.json().embeddables.map((d: { name: string }) => d.name)).toEqual(['carrier-kpis-copy']);

    expect((await api('DELETE', '/api/v1/embeddables/carrier-kpis-copy')).statusCode).toBe(204);
    expect((await api('GET', '/api/v1/embeddables/carrier-kpis-copy')).statusCode).toBe(404);
  });

  it('dashboards from code are read-only here, and a start never publishes or overwrites a builder dashboard', async () => {
    const code = (await api('GET', '/api/v1/embeddables'))
      .json()
      .embeddables.find((d: { name: string }) => d.name === 'flights-overview');
    expect(code).toMatchObject({ source: 'code' });
    const doc = (await api('GET', '/api/v1/embeddables/flights-overview')).json().document;
    const put = await api('PUT', '/api/v1/embeddables/flights-overview/draft', { document: doc });
    expect(put.statusCode).toBe(409);
    expect(put.json().errorMessage).toMatch(/comes from code/);
    expect((await api('DELETE', '/api/v1/embeddables/flights-overview')).statusCode).toBe(409);
    expect(
      (await api('PUT', '/api/v1/embeddables/flights-overview/tags/staging', { version: 'v1' })).statusCode,
    ).toBe(409);

    // A restart on new models re-saves code dashboards only.
    const before = (await api('GET', '/api/v1/embeddables/carrier-kpis')).json();
    await t.store.transaction((tx) => publishDashboards(tx, t.workspaceId, null, []));
    const after = (await api('GET', '/api/v1/embeddables/carrier-kpis')).json();
    expect(after.tags).toEqual(before.tags);
    expect(after.latestVersion).toBe(before.latestVersion);
    // A file may not take a builder dashboard's name.
    await expect(
      t.store.transaction((tx) =>
        publishDashboards(tx, t.workspaceId, null, [
          { ...doc, name: 'carrier-kpis', id: 'carrier-kpis', version: 'v1' },
        ]),
      ),
    ).rejects.toThrow(/'carrier-kpis' was made in the builder/);
  });
});
