import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Store, StoreConflictError, StoreNotFoundError } from '../../src/store/index.js';
import { BACKENDS, newWorkspace, testPlace } from './helpers.js';

const PASSWORD = 'quest-Sup3r-s3cret-pw';
const questdb = { host: 'localhost', port: '8812', user: 'admin', password: PASSWORD };

describe.each(BACKENDS)('connections on %s', (backend) => {
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

  it('creates, reads, lists, updates and deletes', async () => {
    const created = await store.connections.create(ws, {
      name: 'quest',
      type: 'questdb',
      credentials: questdb,
    });
    expect(created).toMatchObject({ name: 'quest', type: 'questdb' });
    await store.connections.create(ws, { name: 'analytics', type: 'postgres', credentials: { host: 'db' } });

    expect(await store.connections.get(ws, 'quest')).toEqual(created);
    expect((await store.connections.list(ws)).map((c) => c.name)).toEqual(['analytics', 'quest']);
    expect(await store.connections.credentials(ws, 'quest')).toEqual(questdb);

    const updated = await store.connections.update(ws, 'quest', {
      type: 'postgres',
      credentials: { ...questdb, password: 'new-pw' },
    });
    expect(updated.type).toBe('postgres');
    expect(updated.updatedAt >= created.updatedAt).toBe(true);
    expect((await store.connections.credentials(ws, 'quest')).password).toBe('new-pw');

    await store.connections.delete(ws, 'quest');
    expect(await store.connections.find(ws, 'quest')).toBeUndefined();
    expect((await store.connections.list(ws)).map((c) => c.name)).toEqual(['analytics']);
  });

  it('never returns credentials from get or list, and never stores them in plain text', async () => {
    await store.connections.create(ws, { name: 'quest', type: 'questdb', credentials: questdb });
    const reads = JSON.stringify([
      await store.connections.get(ws, 'quest'),
      await store.connections.list(ws),
    ]);
    expect(reads).not.toContain(PASSWORD);
    expect(reads).not.toContain('credentials');

    const raw = await sql<
      Record<string, unknown>
    >`select * from connections where workspace_id = ${ws}`.execute(store.db);
    const dump = JSON.stringify(raw.rows);
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toContain('admin');
    expect(String(raw.rows[0]?.credentials_ciphertext)).toMatch(/^v1:/);
  });

  it('detects a tampered ciphertext and one copied from another connection', async () => {
    await store.connections.create(ws, { name: 'a', type: 'questdb', credentials: questdb });
    await store.connections.create(ws, { name: 'b', type: 'questdb', credentials: { password: 'other' } });
    const { rows } = await sql<{ c: string }>`
      select credentials_ciphertext as c from connections where workspace_id = ${ws} and name = 'a'`.execute(
      store.db,
    );
    const parts = rows[0]!.c.split(':');
    const body = Buffer.from(parts[3]!, 'base64');
    body[body.length - 1] = body[body.length - 1]! ^ 0x80;
    const tampered = [...parts.slice(0, 3), body.toString('base64')].join(':');
    await sql`update connections set credentials_ciphertext = ${tampered} where workspace_id = ${ws} and name = 'a'`.execute(
      store.db,
    );
    await expect(store.connections.credentials(ws, 'a')).rejects.toThrow(/wrong key or tampered/);

    await sql`update connections set credentials_ciphertext = ${rows[0]!.c} where workspace_id = ${ws} and name = 'b'`.execute(
      store.db,
    );
    await expect(store.connections.credentials(ws, 'b')).rejects.toThrow(/wrong key or tampered/);
  });

  it('answers 409 for a duplicate name and 404 for a missing one', async () => {
    await store.connections.create(ws, { name: 'dup', type: 'duckdb', credentials: {} });
    const dup = store.connections.create(ws, { name: 'dup', type: 'duckdb', credentials: {} });
    await expect(dup).rejects.toBeInstanceOf(StoreConflictError);
    await expect(dup).rejects.toMatchObject({ status: 409, code: 'CONFLICT' });

    for (const call of [
      () => store.connections.get(ws, 'nope'),
      () => store.connections.update(ws, 'nope', { type: 'duckdb' }),
      () => store.connections.delete(ws, 'nope'),
      () => store.connections.credentials(ws, 'nope'),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(StoreNotFoundError);
      await expect(call()).rejects.toMatchObject({ status: 404, code: 'CONNECTION_NOT_FOUND' });
    }
  });

  it('keeps workspaces apart: the same name in two workspaces, invisible to each other', async () => {
    const other = await newWorkspace(store);
    await store.connections.create(ws, { name: 'default', type: 'duckdb', credentials: { path: 'a.db' } });
    await store.connections.create(other, { name: 'default', type: 'duckdb', credentials: { path: 'b.db' } });
    expect(await store.connections.credentials(ws, 'default')).toEqual({ path: 'a.db' });
    expect(await store.connections.credentials(other, 'default')).toEqual({ path: 'b.db' });
    await store.connections.delete(other, 'default');
    expect(await store.connections.list(ws)).toHaveLength(1);
  });

  it('cannot open credentials with another secret key', async () => {
    await store.connections.create(ws, { name: 'quest', type: 'questdb', credentials: questdb });
    const otherKey = await place.open({ secretKey: Buffer.alloc(32, 7) });
    expect((await otherKey.connections.get(ws, 'quest')).name).toBe('quest');
    await expect(otherKey.connections.credentials(ws, 'quest')).rejects.toThrow(/wrong key or tampered/);
  });
});
