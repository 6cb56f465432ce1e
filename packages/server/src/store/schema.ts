import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * Row types as both dialects return them. Timestamps are ISO-8601 text and JSON is text on both
 * SQLite and PostgreSQL, so one set of queries and one set of tests covers both.
 */
export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: string;
  /** The model version served when no dashboard version pins one (migration 002). */
  model_version: string | null;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  hash: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

export interface ConnectionsTable {
  workspace_id: string;
  name: string;
  type: string;
  credentials_ciphertext: string;
  created_at: string;
  updated_at: string;
}

export interface EnvironmentsTable {
  workspace_id: string;
  name: string;
  datasources: string;
  created_at: string;
  updated_at: string;
}

export interface ModelVersionsTable {
  id: string;
  workspace_id: string;
  version: string;
  files: string;
  description: string | null;
  created_at: string;
}

export interface DashboardsTable {
  id: string;
  workspace_id: string;
  name: string;
  /** The last version number handed out; bumped under a row lock so saves never collide. */
  latest_version: Generated<number>;
  created_at: string;
}

export interface DashboardVersionsTable {
  id: string;
  dashboard_id: string;
  version: number;
  definition: string;
  model_version_id: string | null;
  created_at: string;
}

export interface DashboardTagsTable {
  dashboard_id: string;
  tag: string;
  version_id: string;
}

export interface SchemaVersionTable {
  version: number;
}

export interface StoreSchema {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  connections: ConnectionsTable;
  environments: EnvironmentsTable;
  model_versions: ModelVersionsTable;
  dashboards: DashboardsTable;
  dashboard_versions: DashboardVersionsTable;
  dashboard_tags: DashboardTagsTable;
  schema_version: SchemaVersionTable;
}

/** Repositories take either the store's handle or an open transaction. */
export type Db = Kysely<StoreSchema> | Transaction<StoreSchema>;

/** Runs `fn` in a transaction, or inside the caller's when there already is one. */
export function inTransaction<T>(db: Db, fn: (trx: Transaction<StoreSchema>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<StoreSchema>);
  return db.transaction().execute(fn);
}

export const now = (): string => new Date().toISOString();
