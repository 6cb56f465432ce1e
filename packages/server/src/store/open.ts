import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InlayError } from '@inlay/core';
import { loadPg } from '@inlay/drivers';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { SECRET_KEY_BYTES } from '../crypto/secret-box.js';
import { LATEST_SCHEMA_VERSION, staticMigrations } from './migrations/index.js';
import { AccountsRepo } from './repos/accounts.js';
import { ApiKeysRepo } from './repos/api-keys.js';
import { ComponentsRepo } from './repos/components.js';
import { ConnectionsRepo } from './repos/connections.js';
import { DashboardsRepo, type WriteStepHook } from './repos/dashboards.js';
import { EnvironmentsRepo } from './repos/environments.js';
import { ModelVersionsRepo } from './repos/model-versions.js';
import { PreaggsRepo } from './repos/preaggs.js';
import { UsersRepo } from './repos/users.js';
import { WorkspacesRepo } from './repos/workspaces.js';
import type { Db, StoreSchema } from './schema.js';

/** A PostgreSQL URL (`INLAY_DATABASE_URL`), a SQLite file, or a data dir holding `inlay.db`. */
export type StoreTarget = string | { url: string } | { sqlitePath: string } | { dataDir: string };

export interface OpenStoreOptions {
  /** 32 bytes (`INLAY_SECRET_KEY`); seals connection credentials. */
  secretKey: Uint8Array;
  /** PostgreSQL schema for the tables, created if missing; lets tests and tenants share a database. */
  schema?: string;
  /** PostgreSQL pool size per process. */
  poolSize?: number;
  /** Fault injection for tests: called between the statements of multi-statement writes. */
  onWriteStep?: WriteStepHook;
}

export interface Repos {
  workspaces: WorkspacesRepo;
  apiKeys: ApiKeysRepo;
  users: UsersRepo;
  accounts: AccountsRepo;
  connections: ConnectionsRepo;
  environments: EnvironmentsRepo;
  modelVersions: ModelVersionsRepo;
  components: ComponentsRepo;
  dashboards: DashboardsRepo;
  preaggs: PreaggsRepo;
}

export interface Store extends Repos {
  readonly dialect: 'sqlite' | 'postgres';
  /** The PostgreSQL schema, or undefined for SQLite. */
  readonly schema: string | undefined;
  readonly schemaVersion: number;
  /** The query builder, for health checks and tests; repositories are the API. */
  readonly db: Kysely<StoreSchema>;
  /** Runs several repository calls as one unit: all of them land or none does. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const defaultSqlitePath = (dataDir: string): string => join(dataDir, 'inlay.db');

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openStore(target: StoreTarget, options: OpenStoreOptions): Promise<Store> {
  if (options.secretKey.length !== SECRET_KEY_BYTES) {
    throw new InlayError('CONFIG', `the secret key must be ${SECRET_KEY_BYTES} bytes`, {
      hint: 'Set INLAY_SECRET_KEY to 32 random bytes (base64 or hex).',
    });
  }
  const { db, dialect, schema } =
    typeof target === 'string'
      ? await openPostgres(target, options)
      : 'url' in target
        ? await openPostgres(target.url, options)
        : openSqlite('sqlitePath' in target ? target.sqlitePath : defaultSqlitePath(target.dataDir));
  try {
    const schemaVersion = await migrate(db, dialect, schema);
    const repos = (handle: Db): Repos => ({
      workspaces: new WorkspacesRepo(handle),
      apiKeys: new ApiKeysRepo(handle),
      users: new UsersRepo(handle),
      accounts: new AccountsRepo(handle),
      connections: new ConnectionsRepo(handle, options.secretKey),
      environments: new EnvironmentsRepo(handle),
      modelVersions: new ModelVersionsRepo(handle),
      components: new ComponentsRepo(handle),
      dashboards: new DashboardsRepo(handle, options.onWriteStep),
      preaggs: new PreaggsRepo(handle),
    });
    return {
      ...repos(db),
      dialect,
      schema,
      schemaVersion,
      db,
      transaction: (fn) => db.transaction().execute((trx) => fn(repos(trx))),
      close: () => db.destroy(),
    };
  } catch (e) {
    await db.destroy();
    throw e;
  }
}

function openSqlite(path: string) {
  mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  // WAL lets readers run while one writer commits; busy_timeout makes a second process on the
  // same file wait for the lock instead of failing at once.
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite' as const, schema: undefined };
}

async function openPostgres(url: string, options: OpenStoreOptions) {
  const schema = options.schema ?? 'inlay';
  if (!SCHEMA_NAME.test(schema)) {
    throw new InlayError('CONFIG', `'${schema}' is not a valid schema name (lower case, digits, _)`);
  }
  // search_path on every pooled connection keeps all queries unqualified and in this schema.
  const pool = new (loadPg().Pool)({
    connectionString: url,
    max: options.poolSize ?? 10,
    options: `-c search_path=${schema}`,
  });
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (e) {
    // Two replicas creating the schema at once: the loser sees a duplicate, which is fine.
    if ((e as { code?: string }).code !== '23505' && (e as { code?: string }).code !== '42P06') {
      await db.destroy();
      throw new InlayError('CONFIG', `cannot prepare metadata schema '${schema}': ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
  return { db, dialect: 'postgres' as const, schema };
}

async function readSchemaVersion(db: Kysely<StoreSchema>, dialect: 'sqlite' | 'postgres'): Promise<number> {
  const exists =
    dialect === 'sqlite'
      ? await sql<{
          n: string;
        }>`select name as n from sqlite_master where type = 'table' and name = 'schema_version'`.execute(db)
      : await sql<{ n: string }>`select to_regclass('schema_version')::text as n`.execute(db);
  if (!exists.rows[0]?.n) return 0;
  const row = await db.selectFrom('schema_version').select('version').executeTakeFirst();
  return row ? Number(row.version) : 0;
}

async function migrate(db: Kysely<StoreSchema>, dialect: 'sqlite' | 'postgres', schema: string | undefined) {
  const before = await readSchemaVersion(db, dialect);
  if (before > LATEST_SCHEMA_VERSION) {
    throw new InlayError(
      'CONFIG',
      `the metadata database is at schema version ${before}, newer than this server knows (${LATEST_SCHEMA_VERSION})`,
      { hint: 'Upgrade Inlay, or point it at a database of its own version.' },
    );
  }
  const migrator = new Migrator({
    db,
    provider: staticMigrations,
    migrationTableName: 'inlay_migration',
    migrationLockTableName: 'inlay_migration_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new InlayError('CONFIG', `metadata migration ${failed ?? ''} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return readSchemaVersion(db, dialect);
}
