import { StoreNotFoundError } from '../errors.js';
import type { Db } from '../schema.js';

/** Tables of immutable versions named by their content hash, per workspace. */
type VersionTable = 'model_versions' | 'components_versions';

const WHAT: Record<VersionTable, string> = {
  model_versions: 'model version',
  components_versions: 'components version',
};

/**
 * One stored version of a workspace: its row id, label and when it was stored. Model and
 * components versions are stored alike (insert if new, then read back), so both read them here.
 */
export function versionRow(db: Db, table: VersionTable, workspaceId: string, version: string) {
  return db
    .selectFrom(table as VersionTable)
    .select(['id', 'version', 'description', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('version', '=', version);
}

/** Every stored version of a workspace, newest first. */
export function versionList(db: Db, table: VersionTable, workspaceId: string) {
  return db
    .selectFrom(table as VersionTable)
    .select(['id', 'version', 'description', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** The row id a dashboard version pins, null for none; a version the workspace lacks is a 404 naming it. */
export async function pinnedVersionId(
  db: Db,
  table: VersionTable,
  workspaceId: string,
  version: string | null,
): Promise<string | null> {
  if (version === null) return null;
  const row = await versionRow(db, table, workspaceId, version).executeTakeFirst();
  if (!row) throw new StoreNotFoundError(`${WHAT[table]} '${version}' not found`);
  return row.id;
}
