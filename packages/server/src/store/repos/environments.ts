import { conflictAs, StoreNotFoundError } from '../errors.js';
import { type Db, now } from '../schema.js';
import { NamedRowsRepo } from './named-rows.js';

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
export class EnvironmentsRepo extends NamedRowsRepo<'environments', Environment> {
  constructor(db: Db) {
    super(db, 'environments', toEnvironment, notFound);
  }

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

  async update(workspaceId: string, name: string, datasources: DatasourceMapping[]): Promise<Environment> {
    const res = await this.db
      .updateTable('environments')
      .set({ datasources: JSON.stringify(datasources), updated_at: now() })
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    return this.updated(workspaceId, name, res.numUpdatedRows);
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
