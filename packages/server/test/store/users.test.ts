import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../src/config/index.js';
import { ADMIN_EMAIL, DEFAULT_WORKSPACE, ensureAdmin, openRuntime } from '../../src/startup.js';
import { type Store, StoreConflictError, StoreNotFoundError } from '../../src/store/index.js';
import { BACKENDS, newWorkspace, SECRET_KEY, testPlace } from './helpers.js';

describe.each(BACKENDS)('users on %s', (backend) => {
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

  it('creates, finds by id and by email in any case, and lists oldest first', async () => {
    const ann = await store.users.create(ws, {
      email: '  Ann@Example.COM ',
      role: 'editor',
      displayName: 'Ann',
    });
    expect(ann).toMatchObject({
      workspaceId: ws,
      email: 'ann@example.com',
      displayName: 'Ann',
      role: 'editor',
      disabledAt: null,
    });
    const bob = await store.users.create(ws, { email: 'bob@example.com', role: 'viewer' });
    expect(bob.displayName).toBeNull();
    expect(await store.users.find(ws, ann.id)).toEqual(ann);
    expect(await store.users.findByEmail(ws, 'ANN@example.com')).toEqual(ann);
    expect(await store.users.findByEmail(ws, 'not an email')).toBeUndefined();
    expect((await store.users.list(ws)).map((u) => u.email)).toEqual(['ann@example.com', 'bob@example.com']);
    await expect(store.users.get(ws, 'missing')).rejects.toBeInstanceOf(StoreNotFoundError);
  });

  it('refuses a duplicate email in the same workspace (any case) with CONFLICT, allows it in another', async () => {
    await store.users.create(ws, { email: 'ann@example.com', role: 'viewer' });
    const dup = store.users.create(ws, { email: 'ANN@example.com', role: 'admin' });
    await expect(dup).rejects.toBeInstanceOf(StoreConflictError);
    await expect(dup).rejects.toMatchObject({ code: 'CONFLICT', status: 409, message: /ann@example\.com/ });
    const other = await newWorkspace(store);
    expect((await store.users.create(other, { email: 'ann@example.com', role: 'viewer' })).workspaceId).toBe(
      other,
    );
    expect(await store.users.list(ws)).toHaveLength(1);
  });

  it('refuses a malformed email and an unknown role before writing', async () => {
    for (const email of ['', 'no-at-sign', 'two@@x', 'sp ace@x.com', `${'a'.repeat(250)}@x.com`]) {
      await expect(store.users.create(ws, { email, role: 'viewer' }), email).rejects.toMatchObject({
        status: 400,
        message: /is not an email address/,
      });
    }
    await expect(
      store.users.create(ws, { email: 'a@x.com', role: 'owner' as 'admin' }),
    ).rejects.toMatchObject({ status: 400, message: /role 'owner' is not one of admin, editor, viewer/ });
    expect(await store.users.list(ws, { includeDisabled: true })).toEqual([]);
  });

  it('the database refuses a role outside admin|editor|viewer even when the repository is bypassed', async () => {
    await expect(
      store.db
        .insertInto('users')
        .values({
          id: 'x',
          workspace_id: ws,
          email: 'x@x.com',
          display_name: null,
          role: 'root',
          created_at: 'now',
          disabled_at: null,
        })
        .execute(),
    ).rejects.toThrow();
  });

  it("never shows or finds another workspace's user", async () => {
    const other = await newWorkspace(store);
    const theirs = await store.users.create(other, { email: 'eve@example.com', role: 'admin' });
    expect(await store.users.find(ws, theirs.id)).toBeUndefined();
    expect(await store.users.findByEmail(ws, 'eve@example.com')).toBeUndefined();
    await expect(store.users.disable(ws, theirs.id)).rejects.toMatchObject({ status: 404 });
    expect((await store.users.get(other, theirs.id)).disabledAt).toBeNull();
  });

  it('ensure creates once and then returns the existing user unchanged', async () => {
    const first = await store.users.ensure(ws, { email: 'Ops@X.com', role: 'admin' });
    const again = await store.users.ensure(ws, {
      email: 'ops@x.com',
      role: 'viewer',
      displayName: 'ignored',
    });
    expect(again).toEqual(first);
    const together = await Promise.all(
      [1, 2, 3].map(() => store.users.ensure(ws, { email: 'race@x.com', role: 'viewer' })),
    );
    expect(new Set(together.map((u) => u.id)).size).toBe(1);
  });

  it('links API keys of its workspace to an active user, by id or by the key itself', async () => {
    const ann = await store.users.create(ws, { email: 'ann@x.com', role: 'editor' });
    const k1 = await store.apiKeys.create(ws);
    const k2 = await store.apiKeys.create(ws);
    await store.users.linkApiKey(ws, ann.id, { id: k1.id });
    await store.users.linkApiKey(ws, ann.id, { key: k2.key });
    expect((await store.users.apiKeyIds(ws, ann.id)).sort()).toEqual([k1.id, k2.id].sort());

    // Another workspace's key or user: not found, and nothing changes.
    const other = await newWorkspace(store);
    const foreignKey = await store.apiKeys.create(other);
    const foreignUser = await store.users.create(other, { email: 'eve@x.com', role: 'admin' });
    await expect(store.users.linkApiKey(ws, ann.id, { id: foreignKey.id })).rejects.toMatchObject({
      status: 404,
    });
    await expect(store.users.linkApiKey(ws, ann.id, { key: foreignKey.key })).rejects.toMatchObject({
      status: 404,
    });
    await expect(store.users.linkApiKey(ws, foreignUser.id, { id: k1.id })).rejects.toMatchObject({
      status: 404,
    });
    expect(await store.users.apiKeyIds(other, foreignUser.id)).toEqual([]);
    await expect(
      store.users.linkApiKey(ws, ann.id, { key: 'inlay_not-a-real-key-0123456789' }),
    ).rejects.toMatchObject({ status: 404 });

    // A revoked key cannot be linked.
    const k3 = await store.apiKeys.create(ws);
    await store.apiKeys.revoke(ws, k3.id);
    await expect(store.users.linkApiKey(ws, ann.id, { id: k3.id })).rejects.toMatchObject({ status: 404 });
  });

  it('disabling revokes the user’s keys in the same transaction and is idempotent', async () => {
    await store.users.create(ws, { email: 'root@x.com', role: 'admin' });
    const ann = await store.users.create(ws, { email: 'ann@x.com', role: 'admin' });
    const key = await store.apiKeys.create(ws);
    const unrelated = await store.apiKeys.create(ws);
    await store.users.linkApiKey(ws, ann.id, { id: key.id });
    expect((await store.apiKeys.verify(key.key))?.id).toBe(ws);

    const disabled = await store.users.disable(ws, ann.id);
    expect(disabled.disabledAt).toEqual(expect.any(String));
    expect(await store.apiKeys.verify(key.key)).toBeUndefined();
    expect((await store.apiKeys.verify(unrelated.key))?.id).toBe(ws);
    expect((await store.users.list(ws)).map((u) => u.email)).toEqual(['root@x.com']);
    expect((await store.users.list(ws, { includeDisabled: true })).map((u) => u.email).sort()).toEqual([
      'ann@x.com',
      'root@x.com',
    ]);
    expect(await store.users.disable(ws, ann.id)).toEqual(disabled);

    // A disabled user cannot be given a key.
    const fresh = await store.apiKeys.create(ws);
    await expect(store.users.linkApiKey(ws, ann.id, { id: fresh.id })).rejects.toMatchObject({
      status: 409,
      message: /disabled/,
    });
    await expect(store.users.disable(ws, 'missing')).rejects.toMatchObject({ status: 404 });
  });

  it('refuses to disable the last active admin, also when two admins are disabled at once', async () => {
    const a = await store.users.create(ws, { email: 'a@x.com', role: 'admin' });
    const b = await store.users.create(ws, { email: 'b@x.com', role: 'admin' });
    await store.users.create(ws, { email: 'v@x.com', role: 'viewer' });
    const results = await Promise.allSettled([store.users.disable(ws, a.id), store.users.disable(ws, b.id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 409, message: /last active admin/ });
    expect((await store.users.list(ws)).filter((u) => u.role === 'admin')).toHaveLength(1);
  });

  it('a transaction that fails after creating a user leaves no user behind', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.users.create(ws, { email: 'ghost@x.com', role: 'viewer' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.users.findByEmail(ws, 'ghost@x.com')).toBeUndefined();
  });

  it('ensureAdmin creates admin@localhost and links the bootstrap key, once', async () => {
    const bootstrap = `inlay_bootstrap_${ws}_0123456789`;
    await store.apiKeys.create(ws, { key: bootstrap });
    await ensureAdmin(store, ws, bootstrap);
    await ensureAdmin(store, ws, bootstrap);
    const admins = await store.users.list(ws);
    expect(admins).toMatchObject([{ email: ADMIN_EMAIL, role: 'admin', disabledAt: null }]);
    const [key] = await store.apiKeys.list(ws);
    expect(await store.users.apiKeyIds(ws, admins[0]!.id)).toEqual([key!.id]);

    // A key of another workspace is never linked to this one's admin.
    const other = await newWorkspace(store);
    const foreign = await store.apiKeys.create(other);
    await ensureAdmin(store, ws, foreign.key);
    expect(await store.users.apiKeyIds(ws, admins[0]!.id)).toEqual([key!.id]);
  });
});

describe('openRuntime on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inlay-users-runtime-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = { dataDir: dir, secretKey: SECRET_KEY } as ServerConfig;
  const options = {
    projectDir: flightsProjectDir,
    apiKey: 'inlay_runtime-bootstrap-key-0123456789',
    connection: { type: 'duckdb', credentials: { path: testDataPaths().duckdbPath } },
  };

  it('ensures the admin user in the default workspace and links the bootstrap key to it, across restarts', async () => {
    for (let start = 0; start < 2; start++) {
      const rt = await openRuntime(config, options);
      try {
        const users = await rt.store.users.list(DEFAULT_WORKSPACE);
        expect(users).toMatchObject([{ email: ADMIN_EMAIL, role: 'admin' }]);
        const keys = await rt.store.apiKeys.list(DEFAULT_WORKSPACE);
        expect(keys).toHaveLength(1);
        expect(await rt.store.users.apiKeyIds(DEFAULT_WORKSPACE, users[0]!.id)).toEqual([keys[0]!.id]);
      } finally {
        await rt.workspace.close();
      }
    }
  });
});
