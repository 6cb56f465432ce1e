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
  /** Browser origins its tokens may be used from: a JSON array of strings, `[]` by default (migration 003). */
  allowed_origins: Generated<string>;
  /** The components version served to the builder and pinned by the next saved dashboard version (migration 009). */
  components_version: Generated<string | null>;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  hash: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
  /** The user the key acts for, if any (migration 003). */
  user_id: string | null;
  /** What the key is for, as the admin labelled it (migration 008). */
  name: string | null;
}

/** People of a workspace (migration 003); `email` is stored lower-cased, unique per workspace. */
export interface UsersTable {
  id: string;
  workspace_id: string;
  email: string;
  display_name: string | null;
  role: string;
  created_at: string;
  disabled_at: string | null;
  /** scrypt (see `accounts/passwords.ts`); null until the user sets a password (migration 006). */
  password_hash: Generated<string | null>;
}

/** A signed-in browser (migration 006): the cookie's value is known only by its sha256. */
export interface SessionsTable {
  id_hash: string;
  workspace_id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
}

/** A one-time link to create an account (migration 006); the token known only by its sha256. */
export interface SignUpLinksTable {
  token_hash: string;
  workspace_id: string;
  /** The invited address; null: whoever holds the link chooses it (the first admin's link). */
  email: string | null;
  role: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Failed sign-ins per `email:<address>` and `ip:<address>` (migration 006). */
export interface SignInFailuresTable {
  key: string;
  failures: number;
  first_at: string;
  locked_until: string | null;
}

/** The workspace's presets (migration 007): `{securityContexts, clientContexts}` as JSON. */
export interface PresetsTable {
  workspace_id: string;
  body: string;
  updated_at: string;
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

/** A component file of a push (migration 009), once per workspace and SHA-256 (hex). */
export interface ComponentFilesTable {
  workspace_id: string;
  sha256: string;
  bytes: number;
  /** UTF-8 JS or CSS, exactly the pushed bytes. */
  body: string;
  created_at: string;
}

/** An immutable components version (migration 009): `version` is the manifest's content hash. */
export interface ComponentsVersionsTable {
  id: string;
  workspace_id: string;
  version: string;
  /** The manifest (`ComponentsManifest`) as JSON. */
  manifest: string;
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
  /** `code` (a project file or a push, re-saved on start) or `builder` (migration 007). */
  source: Generated<DashboardSource>;
  title: Generated<string | null>;
  /** The builder's autosaved document (JSON), newer than the latest saved version. */
  draft: Generated<string | null>;
  draft_updated_at: Generated<string | null>;
}

export type DashboardSource = 'code' | 'builder';

export interface DashboardVersionsTable {
  id: string;
  dashboard_id: string;
  version: number;
  definition: string;
  model_version_id: string | null;
  created_at: string;
  /** What the person who saved it said it changes (migration 007). */
  description: Generated<string | null>;
  /** The pinned components version, if the workspace had one when it was saved (migration 009). */
  components_version_id: Generated<string | null>;
}

export interface DashboardTagsTable {
  dashboard_id: string;
  tag: string;
  version_id: string;
}

/** One built (or pending: `file` null) partition of a rollup per environment (migration 004). */
/** A rollup answers queries; an original_sql copy only feeds the rollups built from it. */
export type PreaggKind = 'rollup' | 'original_sql';

export interface PreaggPartitionsTable {
  workspace_id: string;
  environment: string;
  rollup_hash: string;
  partition_id: string;
  rollup_id: string;
  /** `rollup` or `original_sql` (a copy that only feeds rollups). */
  kind: Generated<PreaggKind>;
  data_source: string;
  source: string;
  partition_start: string;
  partition_end: string;
  generation: Generated<number>;
  file: string | null;
  rows: number | null;
  built_at: string | null;
  refresh_value: string | null;
  build_ms: number | null;
  last_error: string | null;
  last_error_at: string | null;
}

export interface PreaggLeasesTable {
  key: string;
  holder: string;
  expires_at: string;
}

export interface PreaggRefreshContextsTable {
  workspace_id: string;
  body: string;
  environments: string;
  updated_at: string;
}

export interface SchemaVersionTable {
  version: number;
}

export interface StoreSchema {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_up_links: SignUpLinksTable;
  sign_in_failures: SignInFailuresTable;
  presets: PresetsTable;
  connections: ConnectionsTable;
  environments: EnvironmentsTable;
  model_versions: ModelVersionsTable;
  component_files: ComponentFilesTable;
  components_versions: ComponentsVersionsTable;
  dashboards: DashboardsTable;
  dashboard_versions: DashboardVersionsTable;
  dashboard_tags: DashboardTagsTable;
  preagg_partitions: PreaggPartitionsTable;
  preagg_leases: PreaggLeasesTable;
  preagg_refresh_contexts: PreaggRefreshContextsTable;
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
