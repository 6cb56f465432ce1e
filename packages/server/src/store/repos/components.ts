import { createHash, randomUUID } from 'node:crypto';
import type { ComponentsManifest } from '@inlay/core';
import { StoreNotFoundError } from '../errors.js';
import { type Db, inTransaction, now } from '../schema.js';
import { versionList, versionRow } from './versions.js';

export interface ComponentsVersionInfo {
  id: string;
  /** Content hash of the manifest: the same build always gets the same version. */
  version: string;
  description: string | null;
  createdAt: string;
}

export interface ComponentsVersion extends ComponentsVersionInfo {
  workspaceId: string;
  manifest: ComponentsManifest;
}

/** A file's bytes (UTF-8 JS or CSS) by its SHA-256, as a push verified them. */
export type ComponentFileBodies = Record<string, string>;

/** JSON with object keys sorted: two manifests that differ only in key order are one version. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The version id: SHA-256 of the canonical manifest, which names every file by its SHA-256. */
export function componentsContentHash(manifest: ComponentsManifest): string {
  return createHash('sha256').update(canonical(manifest), 'utf8').digest('hex');
}

interface Row {
  id: string;
  version: string;
  description: string | null;
  created_at: string;
}

const toInfo = (r: Row): ComponentsVersionInfo => ({
  id: r.id,
  version: r.version,
  description: r.description,
  createdAt: r.created_at,
});

export class ComponentsRepo {
  constructor(private readonly db: Db) {}

  /**
   * Stores the files (once per workspace and hash) and the manifest as an immutable version; an
   * identical manifest returns the existing version (`created: false`). Each file is one bound
   * insert; the caller runs this inside the push's transaction, so a failure leaves nothing.
   */
  async put(
    workspaceId: string,
    manifest: ComponentsManifest,
    bodies: ComponentFileBodies,
    description?: string | null,
  ): Promise<ComponentsVersionInfo & { created: boolean }> {
    const version = componentsContentHash(manifest);
    const id = randomUUID();
    const at = now();
    return inTransaction(this.db, async (trx) => {
      // Every write goes before the reads: a SQLite transaction that writes first can wait for
      // another process's lock, one that reads first cannot.
      for (const { sha256, bytes } of Object.values(manifest.files)) {
        const body = bodies[sha256];
        if (body === undefined) throw new Error(`component file ${sha256} has no body`);
        await trx
          .insertInto('component_files')
          .values({ workspace_id: workspaceId, sha256, bytes, body, created_at: at })
          .onConflict((oc) => oc.columns(['workspace_id', 'sha256']).doNothing())
          .execute();
      }
      // ON CONFLICT DO NOTHING: two replicas pushing the same build agree on one row.
      await trx
        .insertInto('components_versions')
        .values({
          id,
          workspace_id: workspaceId,
          version,
          manifest: JSON.stringify(manifest),
          description: description ?? null,
          created_at: at,
        })
        .onConflict((oc) => oc.columns(['workspace_id', 'version']).doNothing())
        .execute();
      const row = await versionRow(
        trx,
        'components_versions',
        workspaceId,
        version,
      ).executeTakeFirstOrThrow();
      return { ...toInfo(row), created: row.id === id };
    });
  }

  async find(workspaceId: string, version: string): Promise<ComponentsVersion | undefined> {
    const row = await this.db
      .selectFrom('components_versions')
      .select(['id', 'workspace_id', 'version', 'description', 'created_at', 'manifest'])
      .where('workspace_id', '=', workspaceId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row && toVersion(row);
  }

  async get(workspaceId: string, version: string): Promise<ComponentsVersion> {
    const found = await this.find(workspaceId, version);
    if (!found) throw new StoreNotFoundError(`components version '${version}' not found`);
    return found;
  }

  /**
   * A version by its hash in any workspace: the public file route's look-up. The hash covers
   * every file's SHA-256, so equal hashes in two workspaces mean equal files.
   */
  async findAnywhere(version: string): Promise<ComponentsVersion | undefined> {
    const row = await this.db
      .selectFrom('components_versions')
      .select(['id', 'workspace_id', 'version', 'description', 'created_at', 'manifest'])
      .where('version', '=', version)
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirst();
    return row && toVersion(row);
  }

  /** A stored file's text, or undefined. */
  async file(workspaceId: string, sha256: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('component_files')
      .select('body')
      .where('workspace_id', '=', workspaceId)
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return row?.body;
  }

  /** Newest first. */
  async list(workspaceId: string): Promise<ComponentsVersionInfo[]> {
    return (await versionList(this.db, 'components_versions', workspaceId)).map(toInfo);
  }

  /** The version the workspace serves now (builder palette and preview, the next saved dashboard). */
  async current(workspaceId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('workspaces')
      .select('components_version')
      .where('id', '=', workspaceId)
      .executeTakeFirst();
    return row?.components_version ?? null;
  }

  /** Makes a stored version the current one (only a version of this workspace). */
  async setCurrent(workspaceId: string, version: string): Promise<void> {
    const res = await this.db
      .updateTable('workspaces')
      .set({ components_version: version })
      .where('id', '=', workspaceId)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('components_versions')
            .select('components_versions.id')
            .where('components_versions.workspace_id', '=', workspaceId)
            .where('components_versions.version', '=', version),
        ),
      )
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) {
      throw new StoreNotFoundError(`components version '${version}' not found in workspace '${workspaceId}'`);
    }
  }
}

function toVersion(row: Row & { workspace_id: string; manifest: string }): ComponentsVersion {
  return {
    ...toInfo(row),
    workspaceId: row.workspace_id,
    manifest: JSON.parse(row.manifest) as ComponentsManifest,
  };
}
