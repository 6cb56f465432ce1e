import { randomUUID } from 'node:crypto';
import { InlayError } from '@inlay/core';
import { conflictAs, StoreNotFoundError } from '../errors.js';
import { type DashboardSource, type Db, inTransaction, now } from '../schema.js';
import { pinnedVersionId } from './versions.js';

export const DASHBOARD_TAGS = ['production', 'staging', 'development'] as const;
export type DashboardTag = (typeof DASHBOARD_TAGS)[number];

export interface Dashboard {
  id: string;
  name: string;
  /** The document's title, when it has one (the last draft or version written). */
  title: string | null;
  /** `code`: from a project file or a push (read-only in the builder); `builder`: made there. */
  source: DashboardSource;
  createdAt: string;
  latestVersion: number;
  tags: Partial<Record<DashboardTag, number>>;
  /** When the builder last autosaved a draft; null without one. */
  draftUpdatedAt: string | null;
}

export interface Draft {
  definition: unknown;
  updatedAt: string;
}

export interface DashboardVersionInfo {
  id: string;
  version: number;
  /** The pinned model version (content hash), if any. */
  modelVersion: string | null;
  /** The pinned components version (content hash), if the workspace had one when it was saved. */
  componentsVersion: string | null;
  createdAt: string;
  tags: DashboardTag[];
  description: string | null;
}

export interface DashboardVersion extends DashboardVersionInfo {
  dashboardId: string;
  definition: unknown;
}

/** A saved version by number (`3` or `'v3'`), by publish tag, or the newest. */
export type VersionRef = number | `v${number}` | DashboardTag | 'latest';

/** Called between the statements of a multi-statement write; tests throw here to prove rollback. */
export type WriteStepHook = (step: string) => void | Promise<void>;

export class DashboardsRepo {
  constructor(
    private readonly db: Db,
    private readonly onWriteStep?: WriteStepHook,
  ) {}

  /**
   * Saves a new version, creating the dashboard on first save. The number comes from bumping
   * `dashboards.latest_version` in the same transaction: the UPDATE takes the row lock on
   * PostgreSQL and SQLite runs one writer at a time, so concurrent saves get N, N+1, …
   */
  async save(
    workspaceId: string,
    name: string,
    definition: unknown,
    modelVersion: string | null,
    description: string | null = null,
    componentsVersion: string | null = null,
  ): Promise<DashboardVersion> {
    return inTransaction(this.db, async (trx) => {
      const at = now();
      // Write first: a SQLite transaction that reads before writing cannot wait for another
      // process's write lock (it fails with SQLITE_BUSY), one that writes first can.
      await trx
        .insertInto('dashboards')
        .values({ id: randomUUID(), workspace_id: workspaceId, name, created_at: at })
        .onConflict((oc) => oc.columns(['workspace_id', 'name']).doNothing())
        .execute();
      await this.onWriteStep?.('dashboards.save:dashboard');
      const modelVersionId = await pinnedVersionId(trx, 'model_versions', workspaceId, modelVersion);
      const componentsVersionId = await pinnedVersionId(
        trx,
        'components_versions',
        workspaceId,
        componentsVersion,
      );
      const bumped = await trx
        .updateTable('dashboards')
        .set((eb) => ({ latest_version: eb('latest_version', '+', 1), title: titleOf(definition) }))
        .where('workspace_id', '=', workspaceId)
        .where('name', '=', name)
        .returning(['id', 'latest_version'])
        .executeTakeFirstOrThrow();
      await this.onWriteStep?.('dashboards.save:number');
      const row = {
        id: randomUUID(),
        dashboard_id: bumped.id,
        version: Number(bumped.latest_version),
        definition: JSON.stringify(definition),
        model_version_id: modelVersionId,
        components_version_id: componentsVersionId,
        created_at: at,
        description,
      };
      await trx.insertInto('dashboard_versions').values(row).execute();
      return {
        id: row.id,
        dashboardId: row.dashboard_id,
        version: row.version,
        modelVersion,
        componentsVersion,
        createdAt: at,
        tags: [],
        description,
        definition,
      };
    });
  }

  /** Points a publish tag at an existing version (moving it if it pointed elsewhere). */
  async tag(workspaceId: string, dashboard: string, tag: DashboardTag, version: number): Promise<void> {
    if (!DASHBOARD_TAGS.includes(tag)) throw new RangeError(`unknown tag '${tag}'`);
    await inTransaction(this.db, async (trx) => {
      const d = await this.dashboardRow(trx, workspaceId, dashboard);
      const v = await trx
        .selectFrom('dashboard_versions')
        .select('id')
        .where('dashboard_id', '=', d.id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (!v) throw new StoreNotFoundError(`dashboard '${d.name}' has no version v${version}`);
      await trx
        .insertInto('dashboard_tags')
        .values({ dashboard_id: d.id, tag, version_id: v.id })
        .onConflict((oc) => oc.columns(['dashboard_id', 'tag']).doUpdateSet({ version_id: v.id }))
        .execute();
    });
  }

  async get(workspaceId: string, dashboard: string): Promise<Dashboard> {
    const d = await this.dashboardRow(this.db, workspaceId, dashboard);
    const tags = await this.tagsOf(this.db, [d.id]);
    return toDashboard(d, tags);
  }

  async list(workspaceId: string): Promise<Dashboard[]> {
    const rows = await this.db
      .selectFrom('dashboards')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
    const tags = await this.tagsOf(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toDashboard(r, tags));
  }

  /** Every saved version, oldest first, with the tags that point at it. */
  async versions(workspaceId: string, dashboard: string): Promise<DashboardVersionInfo[]> {
    const d = await this.dashboardRow(this.db, workspaceId, dashboard);
    const rows = await this.versionQuery(this.db, d.id).orderBy('dashboard_versions.version').execute();
    const tags = await this.tagsOf(this.db, [d.id]);
    return rows.map((r) => versionInfo(r, tags));
  }

  async version(
    workspaceId: string,
    dashboard: string,
    ref: VersionRef = 'latest',
  ): Promise<DashboardVersion> {
    const d = await this.dashboardRow(this.db, workspaceId, dashboard);
    let q = this.versionQuery(this.db, d.id).select('dashboard_versions.definition');
    if (typeof ref === 'number' || /^v\d+$/.test(ref)) {
      q = q.where('dashboard_versions.version', '=', typeof ref === 'number' ? ref : Number(ref.slice(1)));
    } else if (ref === 'latest') {
      q = q.where('dashboard_versions.version', '=', d.latest_version);
    } else {
      q = q.innerJoin('dashboard_tags', (j) =>
        j.onRef('dashboard_tags.version_id', '=', 'dashboard_versions.id').on('dashboard_tags.tag', '=', ref),
      );
    }
    const r = await q.executeTakeFirst();
    if (!r) throw new StoreNotFoundError(`dashboard '${d.name}' has no version '${ref}'`);
    const tags = await this.tagsOf(this.db, [d.id]);
    return { ...versionInfo(r, tags), dashboardId: d.id, definition: JSON.parse(r.definition) };
  }

  /** A new dashboard made in the builder, with its first draft and no saved version yet. */
  async create(workspaceId: string, name: string, draft: unknown): Promise<Dashboard> {
    const at = now();
    const row = {
      id: randomUUID(),
      workspace_id: workspaceId,
      name,
      created_at: at,
      source: 'builder' as const,
      title: titleOf(draft),
      draft: JSON.stringify(draft),
      draft_updated_at: at,
    };
    await conflictAs(`a dashboard named '${name}' exists already`, () =>
      this.db.insertInto('dashboards').values(row).execute(),
    );
    return toDashboard({ ...row, latest_version: 0 }, []);
  }

  /** The builder's draft, if there is one. */
  async draft(workspaceId: string, dashboard: string): Promise<Draft | undefined> {
    const d = await this.dashboardRow(this.db, workspaceId, dashboard);
    return d.draft === null || d.draft_updated_at === null
      ? undefined
      : { definition: JSON.parse(d.draft), updatedAt: d.draft_updated_at };
  }

  /**
   * Autosaves the builder's draft. `expected`: the `updatedAt` the editor started from; another
   * tab's newer save makes this a 409 instead of overwriting it. Dashboards from code are
   * read-only here: their file is what a start or a push saves.
   */
  async setDraft(
    workspaceId: string,
    dashboard: string,
    draft: unknown,
    expected?: string | null,
  ): Promise<Draft> {
    return inTransaction(this.db, async (trx) => {
      const d = await this.dashboardRow(trx, workspaceId, dashboard);
      if (d.source === 'code') throw readOnly(d.name);
      const at = now();
      let q = trx
        .updateTable('dashboards')
        .set({ draft: JSON.stringify(draft), draft_updated_at: at, title: titleOf(draft) })
        .where('id', '=', d.id);
      if (expected !== undefined) q = q.where('draft_updated_at', expected === null ? 'is' : '=', expected);
      const res = await q.executeTakeFirst();
      if (res.numUpdatedRows === 0n) {
        throw new InlayError(
          'CONFLICT',
          `dashboard '${d.name}' was changed elsewhere since this editor loaded it`,
          {
            hint: 'Reload the dashboard to get the newer draft, then make the change again.',
          },
        );
      }
      return { definition: draft, updatedAt: at };
    });
  }

  /** Deletes a builder dashboard with its versions and tags (tokens for it stop working). */
  async remove(workspaceId: string, dashboard: string): Promise<void> {
    const d = await this.dashboardRow(this.db, workspaceId, dashboard);
    if (d.source === 'code') throw readOnly(d.name);
    await this.db.deleteFrom('dashboards').where('id', '=', d.id).execute();
  }

  private versionQuery(db: Db, dashboardId: string) {
    return db
      .selectFrom('dashboard_versions')
      .leftJoin('model_versions', 'model_versions.id', 'dashboard_versions.model_version_id')
      .leftJoin('components_versions', 'components_versions.id', 'dashboard_versions.components_version_id')
      .select([
        'dashboard_versions.id',
        'dashboard_versions.version',
        'dashboard_versions.created_at',
        'dashboard_versions.description',
        'model_versions.version as model_version',
        'components_versions.version as components_version',
      ])
      .where('dashboard_versions.dashboard_id', '=', dashboardId);
  }

  /** By id or by name: tokens may name a dashboard either way (`embeddableId`). */
  private async dashboardRow(db: Db, workspaceId: string, ref: string) {
    const rows = await db
      .selectFrom('dashboards')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)]))
      .execute();
    const row = rows.find((r) => r.id === ref) ?? rows[0];
    if (!row) throw new StoreNotFoundError(`dashboard '${ref}' not found`);
    return { ...row, latest_version: Number(row.latest_version) };
  }

  private async tagsOf(db: Db, dashboardIds: string[]): Promise<TagRow[]> {
    if (dashboardIds.length === 0) return [];
    return db
      .selectFrom('dashboard_tags')
      .innerJoin('dashboard_versions', 'dashboard_versions.id', 'dashboard_tags.version_id')
      .select([
        'dashboard_tags.dashboard_id',
        'dashboard_tags.tag',
        'dashboard_tags.version_id',
        'dashboard_versions.version',
      ])
      .where('dashboard_tags.dashboard_id', 'in', dashboardIds)
      .execute();
  }
}

interface TagRow {
  dashboard_id: string;
  tag: string;
  version_id: string;
  version: number;
}

const tagsFor = (tags: TagRow[], versionId: string): DashboardTag[] =>
  tags
    .filter((t) => t.version_id === versionId)
    .map((t) => t.tag as DashboardTag)
    .sort();

/** A `versionQuery` row and the dashboard's tags → what callers see of a saved version. */
function versionInfo(
  r: {
    id: string;
    version: number | string;
    created_at: string;
    description: string | null;
    model_version: string | null;
    components_version: string | null;
  },
  tags: TagRow[],
): DashboardVersionInfo {
  return {
    id: r.id,
    version: Number(r.version),
    modelVersion: r.model_version,
    componentsVersion: r.components_version,
    createdAt: r.created_at,
    tags: tagsFor(tags, r.id),
    description: r.description,
  };
}

function toDashboard(
  r: {
    id: string;
    name: string;
    created_at: string;
    latest_version: number;
    source: DashboardSource;
    title: string | null;
    draft_updated_at: string | null;
  },
  tags: TagRow[],
): Dashboard {
  const mine: Partial<Record<DashboardTag, number>> = {};
  for (const t of tags) if (t.dashboard_id === r.id) mine[t.tag as DashboardTag] = Number(t.version);
  return {
    id: r.id,
    name: r.name,
    title: r.title,
    source: r.source,
    createdAt: r.created_at,
    latestVersion: Number(r.latest_version),
    draftUpdatedAt: r.draft_updated_at,
    tags: mine,
  };
}

/** The title a document carries, for lists and search. */
const titleOf = (definition: unknown): string | null => {
  const title = (definition as { title?: unknown } | null)?.title;
  return typeof title === 'string' ? title : null;
};

const readOnly = (name: string) =>
  new InlayError(
    'CONFLICT',
    `dashboard '${name}' comes from code (a *.embeddable.yml file or a push): read-only here`,
    {
      hint: 'Change its file and push, or duplicate it to edit a copy in the builder.',
    },
  );
