import type { Selectable } from 'kysely';
import type { StoreNotFoundError } from '../errors.js';
import type { Db, StoreSchema } from '../schema.js';

/** Tables keyed by (workspace_id, name). */
type NamedTable = 'connections' | 'environments';

/**
 * The reads and the delete the connections and environments repos share, so both find, list and
 * delete the same way and raise the same 404. `toInfo` is what reads return (never a connection's
 * credentials).
 */
export abstract class NamedRowsRepo<T extends NamedTable, Info> {
  constructor(
    protected readonly db: Db,
    private readonly table: T,
    private readonly toInfo: (row: Selectable<StoreSchema[T]>) => Info,
    protected readonly notFound: (name: string) => StoreNotFoundError,
  ) {}

  private rowsOf(workspaceId: string) {
    return this.db
      .selectFrom(this.table as NamedTable)
      .selectAll()
      .where('workspace_id', '=', workspaceId);
  }

  private info(row: unknown): Info {
    return this.toInfo(row as Selectable<StoreSchema[T]>);
  }

  async find(workspaceId: string, name: string): Promise<Info | undefined> {
    const row = await this.rowsOf(workspaceId).where('name', '=', name).executeTakeFirst();
    return row && this.info(row);
  }

  async get(workspaceId: string, name: string): Promise<Info> {
    const found = await this.find(workspaceId, name);
    if (!found) throw this.notFound(name);
    return found;
  }

  /** In name order. */
  async list(workspaceId: string): Promise<Info[]> {
    return (await this.rowsOf(workspaceId).orderBy('name').execute()).map((row) => this.info(row));
  }

  async delete(workspaceId: string, name: string): Promise<void> {
    const res = await this.db
      .deleteFrom(this.table as NamedTable)
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw this.notFound(name);
  }

  /** After an update: a name that changed no row is a 404, else the row as it is now. */
  protected updated(workspaceId: string, name: string, numUpdatedRows: bigint): Promise<Info> {
    if (numUpdatedRows === 0n) throw this.notFound(name);
    return this.get(workspaceId, name);
  }
}
