import { randomUUID } from 'node:crypto';
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
    const ws = { id: input.id ?? randomUUID(), name: input.name, created_at: now() };
    await conflictAs(`workspace '${ws.id}' already exists`, () =>
      this.db.insertInto('workspaces').values(ws).execute(),
    );
    return { id: ws.id, name: ws.name, createdAt: ws.created_at };
  }

  /** Creates the workspace once; safe when several replicas start together. */
  async ensure(input: { id: string; name: string }): Promise<Workspace> {
    await this.db
      .insertInto('workspaces')
      .values({ id: input.id, name: input.name, created_at: now() })
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
}
