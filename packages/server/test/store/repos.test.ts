import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  modelContentHash,
  type Store,
  StoreConflictError,
  StoreNotFoundError,
} from '../../src/store/index.js';
import { BACKENDS, countRows, newWorkspace, testPlace } from './helpers.js';

describe.each(BACKENDS)('workspaces, API keys, environments and model versions on %s', (backend) => {
  const place = testPlace(backend);
  let store: Store;
  let ws: string;
  beforeAll(async () => {
    store = await place.open();
  });
  afterAll(() => place.cleanup());
  beforeEach(async () => {
    ws = await newWorkspace(store);
  });

  describe('workspaces', () => {
    it('creates with a given id once, ensures idempotently, 404s on unknown ids', async () => {
      const id = `default-${ws}`;
      const created = await store.workspaces.create({ id, name: 'Default' });
      await expect(store.workspaces.create({ id, name: 'again' })).rejects.toMatchObject({ status: 409 });
      expect(await store.workspaces.ensure({ id, name: 'ignored' })).toEqual(created);
      expect((await store.workspaces.list()).map((w) => w.id)).toContain(id);
      await expect(store.workspaces.get('missing')).rejects.toBeInstanceOf(StoreNotFoundError);
    });
  });

  describe('API keys', () => {
    it('returns the key once, verifies it, and rejects wrong and revoked keys', async () => {
      const created = await store.apiKeys.create(ws);
      expect(created.key).toMatch(/^inlay_[\w-]{40,}$/);
      expect(created.key.startsWith(created.prefix)).toBe(true);

      expect((await store.apiKeys.verify(created.key))?.id).toBe(ws);
      expect(await store.apiKeys.verify(`${created.key}x`)).toBeUndefined();
      const last = created.key.at(-1) === 'A' ? 'B' : 'A';
      expect(await store.apiKeys.verify(`${created.key.slice(0, -1)}${last}`)).toBeUndefined();
      expect(await store.apiKeys.verify('')).toBeUndefined();
      expect(await store.apiKeys.verify(created.prefix)).toBeUndefined();

      const listed = await store.apiKeys.list(ws);
      expect(listed).toEqual([
        { id: created.id, name: null, prefix: created.prefix, createdAt: created.createdAt, revokedAt: null },
      ]);
      expect(JSON.stringify(listed)).not.toContain(created.key);

      await store.apiKeys.revoke(ws, created.id);
      expect(await store.apiKeys.verify(created.key)).toBeUndefined();
      expect((await store.apiKeys.list(ws))[0]?.revokedAt).toEqual(expect.any(String));
      await expect(store.apiKeys.revoke(ws, created.id)).rejects.toMatchObject({ status: 404 });
    });

    it('stores only a sha256 hash, and takes an operator-supplied key once', async () => {
      const key = `inlay_bootstrap_${ws}_0123456789`;
      await store.apiKeys.create(ws, { key });
      expect((await store.apiKeys.verify(key))?.id).toBe(ws);
      await expect(store.apiKeys.create(ws, { key })).rejects.toBeInstanceOf(StoreConflictError);
      const rows = await store.db.selectFrom('api_keys').selectAll().where('workspace_id', '=', ws).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows)).not.toContain(key);
    });

    it("does not verify another workspace's revoked key or resurrect it", async () => {
      const other = await newWorkspace(store);
      const a = await store.apiKeys.create(ws);
      const b = await store.apiKeys.create(other);
      await store.apiKeys.revoke(other, b.id);
      await expect(store.apiKeys.revoke(other, a.id)).rejects.toMatchObject({ status: 404 });
      expect((await store.apiKeys.verify(a.key))?.id).toBe(ws);
      expect(await store.apiKeys.verify(b.key)).toBeUndefined();
    });
  });

  describe('environments', () => {
    const mapping = [
      { data_source: 'default', connection: 'quest' },
      { data_source: 'warehouse', connection: 'pg' },
    ];

    it('creates, reads, lists, updates and deletes', async () => {
      const created = await store.environments.create(ws, { name: 'prod', datasources: mapping });
      await store.environments.create(ws, { name: 'dev', datasources: [] });
      expect(await store.environments.get(ws, 'prod')).toEqual(created);
      expect((await store.environments.list(ws)).map((e) => e.name)).toEqual(['dev', 'prod']);
      const updated = await store.environments.update(ws, 'prod', mapping.slice(0, 1));
      expect(updated.datasources).toEqual(mapping.slice(0, 1));
      await store.environments.delete(ws, 'prod');
      expect(await store.environments.find(ws, 'prod')).toBeUndefined();
    });

    it('answers 409 for a duplicate and 404 for a missing environment', async () => {
      await store.environments.create(ws, { name: 'prod', datasources: mapping });
      await expect(store.environments.create(ws, { name: 'prod', datasources: [] })).rejects.toMatchObject({
        status: 409,
      });
      await expect(store.environments.get(ws, 'nope')).rejects.toMatchObject({ status: 404 });
      await expect(store.environments.update(ws, 'nope', [])).rejects.toMatchObject({ status: 404 });
      await expect(store.environments.delete(ws, 'nope')).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('model versions', () => {
    const files = {
      'models/flights.cube.yml': 'cubes:\n  - name: flights\n',
      'models/b.cube.yml': 'cubes: []\n',
    };

    it('stores files immutably under their content hash and dedupes identical content', async () => {
      const first = await store.modelVersions.put(ws, files, 'first push');
      expect(first.created).toBe(true);
      expect(first.version).toBe(modelContentHash(files));

      const reordered = Object.fromEntries(Object.entries(files).reverse());
      const again = await store.modelVersions.put(ws, reordered, 'second push');
      expect(again).toEqual({ ...first, created: false });
      expect(await countRows(store, 'model_versions', ws)).toBe(1);

      const changed = await store.modelVersions.put(ws, { ...files, 'models/c.cube.yml': 'x' });
      expect(changed.version).not.toBe(first.version);
      expect((await store.modelVersions.get(ws, first.version)).files).toEqual(files);
      expect((await store.modelVersions.list(ws)).map((v) => v.version).sort()).toEqual(
        [first.version, changed.version].sort(),
      );
      await expect(store.modelVersions.get(ws, 'f'.repeat(64))).rejects.toMatchObject({ status: 404 });
    });

    it('dedupes concurrent pushes of the same content to one row', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => store.modelVersions.put(ws, files)));
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await countRows(store, 'model_versions', ws)).toBe(1);
    });

    it('keeps the same content in two workspaces as two versions', async () => {
      const other = await newWorkspace(store);
      const a = await store.modelVersions.put(ws, files);
      const b = await store.modelVersions.put(other, files);
      expect(a.version).toBe(b.version);
      expect(a.id).not.toBe(b.id);
      await expect(store.modelVersions.get(await newWorkspace(store), a.version)).rejects.toMatchObject({
        status: 404,
      });
    });
  });
});
