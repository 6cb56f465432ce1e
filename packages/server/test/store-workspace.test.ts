import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStoreWorkspace } from '../src/index.js';
import type { Store } from '../src/store/index.js';
import { BACKENDS, newWorkspace, testPlace } from './store/helpers.js';

const cube = (name: string) => `cubes:
  - name: ${name}
    sql_table: ${name}
    public: true
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
    measures:
      - name: count
        type: count
`;

const TTL = 1000;

describe.each(BACKENDS)('replicas notice a model-version switch (%s)', (backend) => {
  const place = testPlace(backend);
  afterAll(() => place.cleanup());
  let store: Store;
  let ws: string;
  let v1: string;
  let v2: string;
  let clock: number;
  const now = () => clock;

  beforeEach(async () => {
    store ??= await place.open();
    ws = await newWorkspace(store);
    v1 = (await store.modelVersions.put(ws, { 'models/one.cube.yml': cube('one') })).version;
    v2 = (await store.modelVersions.put(ws, { 'models/two.cube.yml': cube('two') })).version;
    await store.workspaces.setModelVersion(ws, v1);
    clock = 1_000_000;
  });

  /** Two replicas of one workspace on one metadata store, each with its own caches. */
  const replicas = () =>
    [0, 1].map(() => createStoreWorkspace({ store, workspaceId: ws, versionTtlMs: TTL, now }));
  const cubes = async (w: ReturnType<typeof replicas>[number]) => [...(await w.getModel()).cubes.keys()];

  it('serves the other replica’s switch after the TTL, and not before', async () => {
    const [a, b] = replicas();
    expect(await cubes(a!)).toEqual(['one']);
    expect(await cubes(b!)).toEqual(['one']);

    await a!.useModelVersion!(v2);
    // The replica that switched serves the new version at once.
    expect(await cubes(a!)).toEqual(['two']);
    expect(await a!.currentModelVersion!()).toBe(v2);

    clock += TTL - 1;
    expect(await cubes(b!)).toEqual(['one']);
    expect(await b!.currentModelVersion!()).toBe(v1);

    clock += 1;
    expect(await cubes(b!)).toEqual(['two']);
    expect(await b!.currentModelVersion!()).toBe(v2);
    await Promise.all([a!.close(), b!.close()]);
  });

  it('sees a switch written straight to the store (a bundle upload elsewhere), and a rollback', async () => {
    const [, b] = replicas();
    expect(await cubes(b!)).toEqual(['one']);
    await store.workspaces.setModelVersion(ws, v2);
    clock += TTL;
    expect(await cubes(b!)).toEqual(['two']);
    await store.workspaces.setModelVersion(ws, v1);
    clock += TTL / 2;
    expect(await cubes(b!)).toEqual(['two']);
    clock += TTL / 2;
    expect(await cubes(b!)).toEqual(['one']);
  });

  it('reads the store at most once per TTL, however many requests come in', async () => {
    const [, b] = replicas();
    const reads = vi.spyOn(store.workspaces, 'currentModelVersion');
    try {
      await Promise.all(Array.from({ length: 20 }, () => b!.getModel()));
      expect(reads).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 20; i++) {
        clock += TTL / 20 - 1;
        await b!.getModel();
        await b!.currentModelVersion!();
      }
      expect(reads).toHaveBeenCalledTimes(1);
      clock += TTL;
      await Promise.all(Array.from({ length: 5 }, () => b!.getModel()));
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
  });

  it('a version given at creation is trusted for the TTL, then checked', async () => {
    const w = createStoreWorkspace({ store, workspaceId: ws, modelVersion: v2, versionTtlMs: TTL, now });
    expect(await cubes(w)).toEqual(['two']);
    clock += TTL;
    expect(await cubes(w)).toEqual(['one']);
  });

  it('a dashboard-pinned version is served as pinned, whatever is current', async () => {
    const [a] = replicas();
    expect([...(await a!.getModel(v2)).cubes.keys()]).toEqual(['two']);
    expect(await cubes(a!)).toEqual(['one']);
  });

  it('a slow read that started before a local switch does not undo it', async () => {
    const [a] = replicas();
    await a!.getModel();
    clock += TTL;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const original = store.workspaces.currentModelVersion.bind(store.workspaces);
    const reads = vi.spyOn(store.workspaces, 'currentModelVersion').mockImplementationOnce(async (id) => {
      const v = await original(id);
      await gate;
      return v;
    });
    try {
      const stale = a!.getModel();
      await a!.useModelVersion!(v2);
      release();
      await stale;
      expect(await cubes(a!)).toEqual(['two']);
    } finally {
      reads.mockRestore();
    }
  });
});

describe('a workspace whose data the project setup is still preparing', () => {
  const place = testPlace('sqlite');
  afterAll(() => place.cleanup());

  /** A workspace with a `default` DuckDB connection, gated on a promise the test settles. */
  async function gated() {
    const store = await place.open();
    const workspaceId = await newWorkspace(store);
    await store.connections.create(workspaceId, {
      name: 'default',
      type: 'duckdb',
      credentials: { path: testDataPaths().duckdbPath },
    });
    let release!: () => void;
    const dataReady = new Promise<void>((r) => {
      release = r;
    });
    return { workspace: createStoreWorkspace({ store, workspaceId, dataReady, ownsStore: true }), release };
  }
  const settledWithin = (p: Promise<unknown>, ms: number) =>
    Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      new Promise((r) => setTimeout(() => r(false), ms)),
    ]);

  it('opens no driver before the data is there, and says where it stands meanwhile', async () => {
    const { workspace, release } = await gated();
    expect(workspace.dataPreparation?.state()).toBe('preparing');
    const driver = workspace.getDriver('default');
    expect(await settledWithin(driver, 100)).toBe(false);
    release();
    await (await driver).test();
    expect(workspace.dataPreparation?.state()).toBe('ready');
    await workspace.close();
  });

  it('closed while a request waits: the wait ends in an error, not in a driver nobody closes', async () => {
    const { workspace, release } = await gated();
    const driver = workspace.getDriver('default');
    expect(await settledWithin(driver, 100)).toBe(false);
    await workspace.close();
    release();
    await expect(driver).rejects.toThrow(/is closed/);
  });
});
