import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../src/store/index.js';
import { BACKENDS, testPlace } from './helpers.js';

describe.each(BACKENDS)('store migrations on %s', (backend) => {
  const place = testPlace(backend);
  afterAll(() => place.cleanup());

  it('migrates a new database and opens it again without changes', async () => {
    const first = await place.open();
    expect(first.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const ws = await first.workspaces.create({ name: 'kept' });
    await first.close();

    const second = await place.open();
    expect(second.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(await second.workspaces.get(ws.id)).toEqual(ws);
    const versions = await sql<{ version: number }>`select version from schema_version`.execute(second.db);
    expect(versions.rows.map((r) => Number(r.version))).toEqual([LATEST_SCHEMA_VERSION]);
  });

  it('two stores opening the same database at once both succeed', async () => {
    const [a, b] = await Promise.all([place.open(), place.open()]);
    expect(a.schemaVersion).toBe(b.schemaVersion);
  });

  it('refuses a database migrated by a newer release', async () => {
    const store = await place.open();
    await sql`update schema_version set version = ${LATEST_SCHEMA_VERSION + 1}`.execute(store.db);
    try {
      await expect(place.open()).rejects.toMatchObject({ code: 'CONFIG', message: /newer than this server/ });
    } finally {
      await sql`update schema_version set version = ${LATEST_SCHEMA_VERSION}`.execute(store.db);
    }
  });

  it('refuses a secret key that is not 32 bytes', async () => {
    await expect(place.open({ secretKey: randomBytes(16) })).rejects.toMatchObject({ code: 'CONFIG' });
  });

  if (backend === 'sqlite') {
    it('runs SQLite in WAL mode with foreign keys on', async () => {
      const store = await place.open();
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      expect(fk.rows[0]?.foreign_keys).toBe(1);
    });
  } else {
    it('keeps every table inside its own schema', async () => {
      const store = await place.open();
      const r = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = ${store.schema!} order by 1`.execute(
        store.db,
      );
      expect(r.rows.map((x) => x.table_name)).toEqual(
        expect.arrayContaining([
          'connections',
          'dashboards',
          'inlay_migration',
          'schema_version',
          'workspaces',
        ]),
      );
    });
  }
});
