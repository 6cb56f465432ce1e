import { conflictAs, StoreNotFoundError } from '../errors.js';
import { type Db, now } from '../schema.js';

/** Embeddable's shape: which connection serves each model `data_source`. */
export interface DatasourceMapping {
  data_source: string;
  connection: string;
}

export interface Environment {
  name: string;
  datasources: DatasourceMapping[];
  createdAt: string;
  updatedAt: string;
}

interface Row {
  name: string;
  datasources: string;
  created_at: string;
  updated_at: string;
}

/**
 * Stored environments only; the implicit `default` (each data_source → the connection of the
 * same name) is resolved by the caller, so it never needs a row.
 */
export class EnvironmentsRepo {
  constructor(private readonly db: Db) {}

  async create(
    workspaceId: string,
    input: { name: string; datasources: DatasourceMapping[] },
  ): Promise<Environment> {
    const at = now();
    await conflictAs(`environment '${input.name}' already exists`, () =>
      this.db
        .insertInto('environments')
        .values({
          workspace_id: workspaceId,
          name: input.name,
          datasources: JSON.stringify(input.datasources),
          created_at: at,
          updated_at: at,
        })
        .execute(),
    );
    return { name: input.name, datasources: input.datasources, createdAt: at, updatedAt: at };
  }

  async find(workspaceId: string, name: string): Promise<Environment | undefined> {
    const row = await this.db
      .selectFrom('environments')
      .select(['name', 'datasources', 'created_at', 'updated_at'])
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toEnvironment(row);
  }

  async get(workspaceId: string, name: string): Promise<Environment> {
    const found = await this.find(workspaceId, name);
    if (!found) throw notFound(name);
    return found;
  }

  async list(workspaceId: string): Promise<Environment[]> {
    const rows = await this.db
      .selectFrom('environments')
      .select(['name', 'datasources', 'created_at', 'updated_at'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
    return rows.map(toEnvironment);
  }

  async update(workspaceId: string, name: string, datasources: DatasourceMapping[]): Promise<Environment> {
    const res = await this.db
      .updateTable('environments')
      .set({ datasources: JSON.stringify(datasources), updated_at: now() })
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) throw notFound(name);
    return this.get(workspaceId, name);
  }

  async delete(workspaceId: string, name: string): Promise<void> {
    const res = await this.db
      .deleteFrom('environments')
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound(name);
  }
}

function toEnvironment(row: Row): Environment {
  return {
    name: row.name,
    datasources: JSON.parse(row.datasources) as DatasourceMapping[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const notFound = (name: string) => new StoreNotFoundError(`environment '${name}' not found`);
