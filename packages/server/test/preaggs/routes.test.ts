import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/config/index.js';
import { authPlugin } from '../../src/plugins/auth.js';
import { errorsPlugin } from '../../src/plugins/errors.js';
import { createPreaggs, type Preaggs } from '../../src/preaggs/index.js';
import { cachingRoutes } from '../../src/routes/caching.js';
import { cachedKeyVerifier, sourceLookup } from '../../src/workspaces/index.js';
import { API_KEY, AUTH } from '../helpers.js';
import { BACKENDS } from '../store/helpers.js';
import { eventually, type PreaggPlace, preaggPlace, storeWorkspace } from './helpers.js';
import { addSmallConnection, smallModel, smallSource } from './small.js';

/** The caching routes behind the real error and auth plugins, on a store-backed workspace. */
async function cachingApp(place: PreaggPlace, preaggs: Preaggs) {
  await place.store.apiKeys.create(place.workspaceId, { key: API_KEY });
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.register(errorsPlugin);
  app.register(authPlugin, {
    apiKeyHash: hashApiKey(`${API_KEY}-not-this-one`),
    workspaceId: 'nobody',
    verifyApiKey: cachedKeyVerifier(place.store),
  });
  app.register(cachingRoutes, { store: place.store, preaggs });
  await app.ready();
  return app;
}

describe.each(BACKENDS)('caching routes (metadata on %s)', (backend) => {
  let place: PreaggPlace;
  let preaggs: Preaggs;
  let app: Awaited<ReturnType<typeof cachingApp>>;
  beforeAll(async () => {
    place = await preaggPlace(backend);
    for (const name of ['default', 'other']) {
      await (await smallSource(place.dataDir, name)).close();
      await addSmallConnection(place.store, place.workspaceId, name, place.dataDir);
    }
    await place.store.environments.create(place.workspaceId, {
      name: 'tenant-x',
      datasources: [{ data_source: 'default', connection: 'other' }],
    });
    const workspace = storeWorkspace(place.store, place.workspaceId, smallModel());
    preaggs = createPreaggs({
      store: place.store,
      sources: () => sourceLookup(place.store),
      workspaces: { get: async () => workspace },
      dataDir: place.dataDir,
      schedule: true,
    });
    await preaggs.start();
    app = await cachingApp(place, preaggs);
  });
  afterAll(async () => {
    await app?.close();
    await preaggs?.close();
    await place.cleanup();
  });

  const status = async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/caching/pre-aggregations', headers: AUTH });
    expect(res.statusCode).toBe(200);
    return (
      res.json() as {
        preAggregations: { rollupId: string; type?: string; environment: string; state: string }[];
      }
    ).preAggregations;
  };

  it('lists what the scheduler built on start, per environment', async () => {
    await eventually(async () => (await status()).every((s) => s.state === 'built'));
    expect((await status()).map((s) => [s.rollupId, s.type, s.environment, s.state])).toEqual([
      ['events.by_kind_day', 'rollup', 'default', 'built'],
      ['events.by_kind_keyed', 'rollup', 'default', 'built'],
    ]);
  });

  it('registers refresh contexts (Embeddable’s shape): their environments get built too', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/caching/refresh-contexts',
      headers: AUTH,
      payload: {
        embeddables: [{ embeddableId: 'flights-overview', savedVersions: ['production'] }],
        scheduledRefreshContexts: [
          { securityContext: { states: ['CA'] }, environment: 'tenant-x', timezones: ['UTC'] },
          { securityContext: { states: ['NY'] } },
        ],
        roles: ['default'],
      },
    });
    expect(res.statusCode).toBe(204);
    const stored = await place.store.preaggs.refreshContexts(place.workspaceId);
    expect(stored?.environments).toEqual(['default', 'tenant-x']);
    await eventually(async () => {
      const s = await status();
      return s.length === 4 && s.every((x) => x.state === 'built');
    });
  });

  it('refuses an unknown environment and fields Embeddable does not define, naming them', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/caching/refresh-contexts',
      headers: AUTH,
      payload: { scheduledRefreshContexts: [{ securityContext: {}, environment: 'nowhere' }] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errorMessage).toMatch(/^unknown environment 'nowhere'/);
    const extra = await app.inject({
      method: 'POST',
      url: '/api/v1/caching/refresh-contexts',
      headers: AUTH,
      payload: { scheduledRefreshContexts: [], surprise: 1 },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errorMessage).toMatch(/surprise/);
    // Nothing replaced the last good registration.
    expect((await place.store.preaggs.refreshContexts(place.workspaceId))?.environments).toEqual([
      'default',
      'tenant-x',
    ]);
  });

  it('needs the API key', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/caching/pre-aggregations'],
      ['POST', '/api/v1/caching/refresh-contexts'],
    ] as const) {
      const res = await app.inject({
        method,
        url,
        payload: method === 'POST' ? { scheduledRefreshContexts: [] } : undefined,
      });
      expect(res.statusCode).toBe(401);
    }
    expect(
      app.routeTable
        .filter((r) => r.url.startsWith('/api/v1/caching') && r.method !== 'HEAD')
        .map((r) => r.auth),
    ).toEqual(['apiKey', 'apiKey']);
  });
});
