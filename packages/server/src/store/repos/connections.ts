import { open, seal } from '../../crypto/secret-box.js';
import { conflictAs, StoreNotFoundError } from '../errors.js';
import { type Db, now } from '../schema.js';
import { NamedRowsRepo } from './named-rows.js';

export type Credentials = Record<string, unknown>;

/** What reads return: never the credentials. */
export interface ConnectionInfo {
  name: string;
  type: string;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionInput {
  name: string;
  type: string;
  credentials: Credentials;
}

// Binds each ciphertext to its row, so one connection's secret pasted into another fails to open.
const aadFor = (workspaceId: string, name: string): string => `connection:${workspaceId}:${name}`;

export class ConnectionsRepo extends NamedRowsRepo<'connections', ConnectionInfo> {
  constructor(
    db: Db,
    private readonly secretKey: Uint8Array,
  ) {
    super(db, 'connections', toInfo, notFound);
  }

  async create(workspaceId: string, input: ConnectionInput): Promise<ConnectionInfo> {
    const at = now();
    const row = {
      workspace_id: workspaceId,
      name: input.name,
      type: input.type,
      credentials_ciphertext: seal(
        JSON.stringify(input.credentials),
        this.secretKey,
        aadFor(workspaceId, input.name),
      ),
      created_at: at,
      updated_at: at,
    };
    await conflictAs(`connection '${input.name}' already exists`, () =>
      this.db.insertInto('connections').values(row).execute(),
    );
    return { name: input.name, type: input.type, createdAt: at, updatedAt: at };
  }

  /** Replaces type and/or credentials; Embeddable's PUT sends both. */
  async update(
    workspaceId: string,
    name: string,
    patch: { type?: string; credentials?: Credentials },
  ): Promise<ConnectionInfo> {
    const set: { type?: string; credentials_ciphertext?: string; updated_at: string } = { updated_at: now() };
    if (patch.type !== undefined) set.type = patch.type;
    if (patch.credentials !== undefined) {
      set.credentials_ciphertext = seal(
        JSON.stringify(patch.credentials),
        this.secretKey,
        aadFor(workspaceId, name),
      );
    }
    const res = await this.db
      .updateTable('connections')
      .set(set)
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    return this.updated(workspaceId, name, res.numUpdatedRows);
  }

  /** The opened credentials, for the server's own driver calls; never send these to a client. */
  async credentials(workspaceId: string, name: string): Promise<Credentials> {
    const row = await this.db
      .selectFrom('connections')
      .select('credentials_ciphertext')
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw notFound(name);
    return JSON.parse(
      open(row.credentials_ciphertext, this.secretKey, aadFor(workspaceId, name)),
    ) as Credentials;
  }
}

function toInfo(row: { name: string; type: string; created_at: string; updated_at: string }): ConnectionInfo {
  return { name: row.name, type: row.type, createdAt: row.created_at, updatedAt: row.updated_at };
}

const notFound = (name: string) =>
  new StoreNotFoundError(`connection '${name}' not found`, 'CONNECTION_NOT_FOUND');
