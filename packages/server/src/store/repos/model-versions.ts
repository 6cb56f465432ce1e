import { createHash, randomUUID } from 'node:crypto';
import { StoreNotFoundError } from '../errors.js';
import { type Db, now } from '../schema.js';
import { versionList, versionRow } from './versions.js';

/** Model files by path inside the project, e.g. `models/flights.cube.yml` → YAML text. */
export type ModelFiles = Record<string, string>;

export interface ModelVersionInfo {
  id: string;
  /** Content hash of the files: the same files always get the same version. */
  version: string;
  description: string | null;
  createdAt: string;
}

export interface ModelVersion extends ModelVersionInfo {
  files: ModelFiles;
}

/** Order-independent, so pushing the same files in another order is the same version. */
export function modelContentHash(files: ModelFiles): string {
  const entries = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries), 'utf8').digest('hex');
}

interface Row {
  id: string;
  version: string;
  description: string | null;
  created_at: string;
}

const toInfo = (r: Row): ModelVersionInfo => ({
  id: r.id,
  version: r.version,
  description: r.description,
  createdAt: r.created_at,
});

export class ModelVersionsRepo {
  constructor(private readonly db: Db) {}

  /**
   * Stores the files as an immutable version; identical content returns the existing version
   * (with `created: false`) and keeps its original description.
   */
  async put(
    workspaceId: string,
    files: ModelFiles,
    description?: string | null,
  ): Promise<ModelVersionInfo & { created: boolean }> {
    const version = modelContentHash(files);
    const id = randomUUID();
    // ON CONFLICT DO NOTHING rather than read-then-insert: two replicas pushing the same bundle
    // at once both succeed and agree on one row.
    await this.db
      .insertInto('model_versions')
      .values({
        id,
        workspace_id: workspaceId,
        version,
        files: JSON.stringify(files),
        description: description ?? null,
        created_at: now(),
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'version']).doNothing())
      .execute();
    const row = await versionRow(this.db, 'model_versions', workspaceId, version).executeTakeFirstOrThrow();
    return { ...toInfo(row), created: row.id === id };
  }

  async find(workspaceId: string, version: string): Promise<ModelVersion | undefined> {
    const row = await this.db
      .selectFrom('model_versions')
      .select(['id', 'version', 'description', 'created_at', 'files'])
      .where('workspace_id', '=', workspaceId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row && { ...toInfo(row), files: JSON.parse(row.files) as ModelFiles };
  }

  async get(workspaceId: string, version: string): Promise<ModelVersion> {
    const found = await this.find(workspaceId, version);
    if (!found) throw new StoreNotFoundError(`model version '${version}' not found`);
    return found;
  }

  /** Newest first. */
  async list(workspaceId: string): Promise<ModelVersionInfo[]> {
    return (await versionList(this.db, 'model_versions', workspaceId)).map(toInfo);
  }
}
