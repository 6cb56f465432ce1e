import type { Store } from '../store/index.js';

export const DEFAULT_ENVIRONMENT = 'default';

export interface RollupSource {
  /** The connection the environment maps the data source to. */
  connection: string;
  /**
   * `<connection>@<its updated_at>`: recorded with every built partition and compared before a
   * table is served, so a remapped environment or changed credentials never serve old rows.
   */
  key: string;
}

/**
 * Which connection an environment maps a data source to, as the workspace resolves it: the
 * implicit `default` environment maps each data source to the connection of the same name, a
 * stored one through its `datasources`. Undefined when nothing is mapped (nothing to build).
 */
export async function resolveSource(
  store: Store,
  workspaceId: string,
  environment: string,
  dataSource: string,
): Promise<RollupSource | undefined> {
  let connection = dataSource;
  if (environment !== DEFAULT_ENVIRONMENT) {
    const env = await store.environments.find(workspaceId, environment);
    const mapped = env?.datasources.find((d) => d.data_source === dataSource);
    if (!mapped) return undefined;
    connection = mapped.connection;
  }
  const info = await store.connections.find(workspaceId, connection);
  if (!info) return undefined;
  return { connection, key: `${connection}@${info.updatedAt}` };
}

/** The same lookups memoised for one pass (a reader refresh, a scheduler plan). */
export function sourceResolver(
  store: Store,
): (workspaceId: string, environment: string, dataSource: string) => Promise<RollupSource | undefined> {
  const memo = new Map<string, Promise<RollupSource | undefined>>();
  return (workspaceId, environment, dataSource) => {
    const k = `${workspaceId}\0${environment}\0${dataSource}`;
    let hit = memo.get(k);
    if (!hit) {
      hit = resolveSource(store, workspaceId, environment, dataSource);
      memo.set(k, hit);
    }
    return hit;
  };
}
