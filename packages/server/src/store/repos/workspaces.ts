import { randomUUID } from 'node:crypto';
import { InlayError, type Presets } from '@inlay/core';
import { conflictAs, StoreNotFoundError } from '../errors.js';
import { type Db, now } from '../schema.js';

export interface Workspace {
  id: string;
  name: string;
  createdAt: string;
}

export class WorkspacesRepo {
  constructor(private readonly db: Db) {}

  async create(input: { name: string; id?: string }): Promise<Workspace> {
    const ws = { id: input.id ?? randomUUID(), name: input.name, created_at: now(), model_version: null };
    await conflictAs(`workspace '${ws.id}' already exists`, () =>
      this.db.insertInto('workspaces').values(ws).execute(),
    );
    return { id: ws.id, name: ws.name, createdAt: ws.created_at };
  }

  /** Creates the workspace once; safe when several replicas start together. */
  async ensure(input: { id: string; name: string }): Promise<Workspace> {
    await this.db
      .insertInto('workspaces')
      .values({ id: input.id, name: input.name, created_at: now(), model_version: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return this.get(input.id);
  }

  async find(id: string): Promise<Workspace | undefined> {
    const row = await this.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: row.created_at };
  }

  async get(id: string): Promise<Workspace> {
    const found = await this.find(id);
    if (!found) throw new StoreNotFoundError(`workspace '${id}' not found`);
    return found;
  }

  async list(): Promise<Workspace[]> {
    const rows = await this.db
      .selectFrom('workspaces')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }

  /** The "view as" presets last pushed (or read from the project on start); none by default. */
  async presets(id: string): Promise<Presets> {
    const row = await this.db
      .selectFrom('presets')
      .select('body')
      .where('workspace_id', '=', id)
      .executeTakeFirst();
    return row ? (JSON.parse(row.body) as Presets) : { securityContexts: [], clientContexts: [] };
  }

  async setPresets(id: string, presets: Presets): Promise<void> {
    const values = { body: JSON.stringify(presets), updated_at: now() };
    await this.db
      .insertInto('presets')
      .values({ workspace_id: id, ...values })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet(values))
      .execute();
  }

  /** The model version the workspace serves when no dashboard version pins one. */
  async currentModelVersion(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('workspaces')
      .select('model_version')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.model_version ?? undefined;
  }

  /** Switches the served model version (it must be a stored version of the workspace). */
  async setModelVersion(id: string, version: string): Promise<void> {
    const res = await this.db
      .updateTable('workspaces')
      .set({ model_version: version })
      .where('id', '=', id)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('model_versions')
            .select('model_versions.id')
            .where('model_versions.workspace_id', '=', id)
            .where('model_versions.version', '=', version),
        ),
      )
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) {
      throw new StoreNotFoundError(`workspace '${id}' or its model version '${version}' not found`);
    }
  }

  /** The browser origins the workspace allows (exact `scheme://host[:port]` or `*`); `[]` when none. */
  async allowedOrigins(id: string): Promise<string[]> {
    const row = await this.db
      .selectFrom('workspaces')
      .select('allowed_origins')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new StoreNotFoundError(`workspace '${id}' not found`);
    return parseOrigins(id, row.allowed_origins);
  }

  /** Replaces the allowed origins; the caller validates them (the store keeps what it is given). */
  async setAllowedOrigins(id: string, origins: string[]): Promise<void> {
    const res = await this.db
      .updateTable('workspaces')
      .set({ allowed_origins: JSON.stringify(origins) })
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) throw new StoreNotFoundError(`workspace '${id}' not found`);
  }

  /** Every workspace that allows at least one origin, in one query (the CORS cache reads this). */
  async allAllowedOrigins(): Promise<Map<string, string[]>> {
    const rows = await this.db
      .selectFrom('workspaces')
      .select(['id', 'allowed_origins'])
      .where('allowed_origins', '<>', '[]')
      .execute();
    return new Map(rows.map((r) => [r.id, parseOrigins(r.id, r.allowed_origins)]));
  }
}

/** A row we did not write (hand-edited) fails loudly: reading it as "no origins" would lift the restriction. */
function parseOrigins(id: string, text: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {}
  if (!Array.isArray(v) || !v.every((o) => typeof o === 'string')) {
    throw new InlayError('CONFIG', `workspace '${id}' has unreadable allowed_origins in the metadata store`, {
      hint: 'Set them again with PUT /api/v1/workspace/settings {"allowedOrigins": [...]}.',
    });
  }
  return v;
}
