import { randomBytes } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, type Store } from '../../src/store/index.js';
import { MIGRATIONS, staticMigrations } from '../../src/store/migrations/index.js';
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

  it('lists every migration in order, and the schema version is their count', () => {
    const names = Object.keys(MIGRATIONS);
    expect(names.slice(0, 3)).toEqual([
      '001_initial',
      '002_current_model_version',
      '003_workspace_settings_users',
    ]);
    // Each file's number is its place in the list: `schema_version` is set from it.
    expect(names.map((n) => n.slice(0, 3))).toEqual(names.map((_, i) => String(i + 1).padStart(3, '0')));
    expect(LATEST_SCHEMA_VERSION).toBe(names.length);
  });

  it('upgrades a version-2 database with data: no origins, keys without a user', async () => {
    const own = testPlace(backend);
    try {
      const store = await own.open();
      await migrator(store).migrateTo('002_current_model_version');
      const ws = await sql<{ n: number }>`select version as n from schema_version`.execute(store.db);
      expect(Number(ws.rows[0]?.n)).toBe(2);
      // What a version-2 server wrote, through the query builder as it knew the tables.
      await sql`insert into workspaces (id, name, created_at) values (${'old'}, ${'Old'}, ${'2024-01-01'})`.execute(
        store.db,
      );
      await sql`insert into api_keys (id, workspace_id, hash, prefix, created_at)
        values (${'k1'}, ${'old'}, ${'0'.repeat(64)}, ${'inlay_abcdefgh'}, ${'2024-01-01'})`.execute(
        store.db,
      );
      await store.close();

      const upgraded = await own.open();
      expect(upgraded.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(await upgraded.workspaces.allowedOrigins('old')).toEqual([]);
      const key = await upgraded.db
        .selectFrom('api_keys')
        .select('user_id')
        .where('id', '=', 'k1')
        .executeTakeFirst();
      expect(key?.user_id).toBeNull();
      const admin = await upgraded.users.create('old', { email: 'a@x.com', role: 'admin' });
      await upgraded.users.linkApiKey('old', admin.id, { id: 'k1' });
      expect(await upgraded.users.apiKeyIds('old', admin.id)).toEqual(['k1']);
    } finally {
      await own.cleanup();
    }
  });

  it('upgrades a version-4 manifest: copies are told by their file name once, then by their kind', async () => {
    const own = testPlace(backend);
    try {
      const store = await own.open();
      await migrator(store).migrateTo('004_preaggregations');
      await sql`insert into workspaces (id, name, created_at) values (${'old'}, ${'Old'}, ${'2024-01-01'})`.execute(
        store.db,
      );
      const rows: [string, string | null][] = [
        ['copy', 'old/default/h1/all.1.ab12cd34.original_sql.parquet'],
        ['rollup', 'old/default/h2/all.1.ab12cd34.parquet'],
        ['pending', null],
      ];
      for (const [hash, file] of rows) {
        await sql`insert into preagg_partitions (workspace_id, environment, rollup_hash, partition_id, rollup_id,
            data_source, source, partition_start, partition_end, generation, file)
          values (${'old'}, ${'default'}, ${hash}, ${'all'}, ${`c.${hash}`}, ${'default'}, ${'default@1'},
            ${''}, ${''}, ${1}, ${file})`.execute(store.db);
      }
      await store.close();

      const upgraded = await own.open();
      expect(upgraded.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      const kinds = Object.fromEntries(
        (await upgraded.preaggs.listPartitions({ workspaceId: 'old' })).map((r) => [r.rollupHash, r.kind]),
      );
      expect(kinds).toEqual({ copy: 'original_sql', rollup: 'rollup', pending: 'rollup' });
      // A new pending copy partition carries its kind before it has any file.
      await upgraded.preaggs.syncPartitions(
        {
          workspaceId: 'old',
          environment: 'default',
          rollupHash: 'h3',
          rollupId: 'c.base',
          kind: 'original_sql',
          dataSource: 'default',
          source: 'default@1',
        },
        [{ id: 'all', start: '', end: '' }],
      );
      const [fresh] = await upgraded.preaggs.listPartitions({ workspaceId: 'old', rollupHash: 'h3' });
      expect(fresh).toMatchObject({ kind: 'original_sql', file: undefined });
    } finally {
      await own.cleanup();
    }
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
          'users',
          'workspaces',
        ]),
      );
    });
  }
});

/** Kysely's migrator on the store's own migration tables, to step back to an older version. */
function migrator(store: Store): Migrator {
  return new Migrator({
    db: store.db,
    provider: staticMigrations,
    migrationTableName: 'inlay_migration',
    migrationLockTableName: 'inlay_migration_lock',
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
}
