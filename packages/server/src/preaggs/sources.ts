import { isInlayError } from '@inlay/core';
import { readSourceMap, type SourceMap } from '../connections/sources.js';
import type { Store } from '../store/index.js';

export interface RollupSource {
  /** The connection the environment maps the data source to. */
  connection: string;
  /**
   * `<connection>@<its updated_at>`: recorded with every built partition and compared before a
   * table is served, so a remapped environment or changed credentials never serve old rows.
   */
  key: string;
}

/** An environment's map, or undefined when the environment is gone (nothing to build or serve). */
function mapOf(store: Store, workspaceId: string, environment: string): Promise<SourceMap | undefined> {
  return readSourceMap(store, workspaceId, environment).catch((e: unknown) => {
    if (isInlayError(e) && e.code === 'UNKNOWN_ENVIRONMENT') return undefined;
    throw e;
  });
}

function rollupSource(map: SourceMap | undefined, dataSource: string): RollupSource | undefined {
  const found = map?.find(dataSource);
  return found && { connection: found.connection, key: found.key };
}

/** Which connection an environment maps a data source to, as queries resolve it (`readSourceMap`). */
export async function resolveSource(
  store: Store,
  workspaceId: string,
  environment: string,
  dataSource: string,
): Promise<RollupSource | undefined> {
  return rollupSource(await mapOf(store, workspaceId, environment), dataSource);
}

/** The same lookups with one store read per environment for one pass (a reader refresh, a scheduler plan). */
export function sourceResolver(
  store: Store,
): (workspaceId: string, environment: string, dataSource: string) => Promise<RollupSource | undefined> {
  const maps = new Map<string, Promise<SourceMap | undefined>>();
  return async (workspaceId, environment, dataSource) => {
    const k = `${workspaceId}\0${environment}`;
    let map = maps.get(k);
    if (!map) {
      map = mapOf(store, workspaceId, environment);
      maps.set(k, map);
    }
    return rollupSource(await map, dataSource);
  };
}
