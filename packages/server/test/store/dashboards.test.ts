import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Store, StoreNotFoundError } from '../../src/store/index.js';
import { BACKENDS, countRows, newWorkspace, testPlace } from './helpers.js';

const definition = (title: string) => ({ title, widgets: [{ id: 'w1', component: 'BarChart', x: 0, w: 6 }] });

describe.each(BACKENDS)('dashboards on %s', (backend) => {
  const place = testPlace(backend);
  let store: Store;
  let ws: string;
  let model: string;
  beforeAll(async () => {
    store = await place.open();
  });
  afterAll(() => place.cleanup());
  beforeEach(async () => {
    ws = await newWorkspace(store);
    model = (await store.modelVersions.put(ws, { 'models/f.cube.yml': 'cubes: []' })).version;
  });

  it('saves numbered versions that pin a model version, and reads them back', async () => {
    const v1 = await store.dashboards.save(ws, 'flights-overview', definition('one'), model);
    const v2 = await store.dashboards.save(ws, 'flights-overview', definition('two'), null);
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.dashboardId).toBe(v2.dashboardId);

    const d = await store.dashboards.get(ws, 'flights-overview');
    expect(d).toMatchObject({ id: v1.dashboardId, name: 'flights-overview', latestVersion: 2, tags: {} });
    expect(await store.dashboards.get(ws, d.id)).toEqual(d);
    expect((await store.dashboards.list(ws)).map((x) => x.name)).toEqual(['flights-overview']);

    const versions = await store.dashboards.versions(ws, 'flights-overview');
    expect(versions.map((v) => [v.version, v.modelVersion])).toEqual([
      [1, model],
      [2, null],
    ]);
    expect((await store.dashboards.version(ws, 'flights-overview', 1)).definition).toEqual(definition('one'));
    expect((await store.dashboards.version(ws, 'flights-overview', 'v2')).definition).toEqual(
      definition('two'),
    );
    expect((await store.dashboards.version(ws, d.id)).version).toBe(2);
  });

  it('moves publish tags between versions', async () => {
    await store.dashboards.save(ws, 'd', definition('one'), model);
    await store.dashboards.save(ws, 'd', definition('two'), model);
    await store.dashboards.tag(ws, 'd', 'production', 1);
    await store.dashboards.tag(ws, 'd', 'staging', 2);
    expect((await store.dashboards.version(ws, 'd', 'production')).definition).toEqual(definition('one'));
    expect((await store.dashboards.get(ws, 'd')).tags).toEqual({ production: 1, staging: 2 });

    await store.dashboards.tag(ws, 'd', 'production', 2);
    const versions = await store.dashboards.versions(ws, 'd');
    expect(versions.map((v) => v.tags)).toEqual([[], ['production', 'staging']]);
    await expect(store.dashboards.version(ws, 'd', 'development')).rejects.toBeInstanceOf(StoreNotFoundError);
  });

  it('answers 404 for a missing dashboard, version or model version', async () => {
    await store.dashboards.save(ws, 'd', definition('one'), null);
    await expect(store.dashboards.get(ws, 'nope')).rejects.toMatchObject({ status: 404 });
    await expect(store.dashboards.versions(ws, 'nope')).rejects.toMatchObject({ status: 404 });
    await expect(store.dashboards.tag(ws, 'd', 'production', 9)).rejects.toMatchObject({ status: 404 });
    await expect(store.dashboards.version(ws, 'd', 9)).rejects.toMatchObject({ status: 404 });
    await expect(store.dashboards.save(ws, 'e', definition('x'), 'no-such-model')).rejects.toMatchObject({
      status: 404,
    });
    // The failed save created nothing, not even the dashboard row.
    expect((await store.dashboards.list(ws)).map((d) => d.name)).toEqual(['d']);
  });

  it('gives concurrent saves distinct consecutive version numbers', async () => {
    await store.dashboards.save(ws, 'busy', definition('seed'), model);
    const saves = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.dashboards.save(ws, 'busy', definition(`n${i}`), model)),
    );
    expect(saves.map((s) => s.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    );
    expect((await store.dashboards.get(ws, 'busy')).latestVersion).toBe(21);
  });

  // Several replicas means PostgreSQL. Two better-sqlite3 handles in one process cannot share a
  // file under contention: the waiting one blocks the event loop the holder needs to commit.
  if (backend === 'postgres') {
    it('numbers correctly when two replicas create the same new dashboard at once', async () => {
      const replica = await place.open();
      const saves = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? replica : store).dashboards.save(ws, 'fresh', definition(`r${i}`), model),
        ),
      );
      expect(saves.map((s) => s.version).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      expect(new Set(saves.map((s) => s.dashboardId)).size).toBe(1);
    });
  }

  it('leaves nothing behind when a save fails between its statements', async () => {
    for (const failAt of ['dashboards.save:dashboard', 'dashboards.save:number']) {
      const faulty = await place.open({
        onWriteStep: (step) => {
          if (step === failAt) throw new Error(`crash at ${step}`);
        },
      });
      await expect(faulty.dashboards.save(ws, 'half', definition('x'), model)).rejects.toThrow(/crash at/);
      expect(await countRows(store, 'dashboards', ws)).toBe(0);
      expect(await countRows(store, 'dashboard_versions')).toBe(
        await countRows(faulty, 'dashboard_versions'),
      );
      await faulty.close();
    }
    // A later save starts numbering at 1: the aborted one did not consume a number.
    expect((await store.dashboards.save(ws, 'half', definition('x'), model)).version).toBe(1);
  });

  it('rolls back every repository write in a failed store transaction', async () => {
    const before = await countRows(store, 'dashboard_versions');
    await expect(
      store.transaction(async (tx) => {
        await tx.connections.create(ws, { name: 'c', type: 'duckdb', credentials: {} });
        const mv = await tx.modelVersions.put(ws, { 'models/new.cube.yml': 'cubes: []' }, 'bundle');
        await tx.dashboards.save(ws, 'as-code', definition('x'), mv.version);
        throw new Error('upload interrupted');
      }),
    ).rejects.toThrow('upload interrupted');
    expect(await store.connections.list(ws)).toEqual([]);
    expect(await countRows(store, 'model_versions', ws)).toBe(1);
    expect(await countRows(store, 'dashboards', ws)).toBe(0);
    expect(await countRows(store, 'dashboard_versions')).toBe(before);

    const ok = await store.transaction(async (tx) => {
      const mv = await tx.modelVersions.put(ws, { 'models/new.cube.yml': 'cubes: []' }, 'bundle');
      return tx.dashboards.save(ws, 'as-code', definition('x'), mv.version);
    });
    expect(ok.version).toBe(1);
  });
});
