import { DEFAULT_ENVIRONMENT, InlayError, isInlayError } from '@inlay/core';
import type { Store } from '../store/index.js';

/** Where one model `data_source` runs in one environment. */
export interface SourceConnection {
  dataSource: string;
  /** The connection's name. */
  connection: string;
  /** The connection's type, which is also the engine's dialect name. */
  type: string;
  /**
   * `<name>@<updated_at>`: the connection and its version, the same on every replica. Result-cache
   * keys and rollup builds hold it, so changed credentials or a remapped environment never serve
   * answers read from the old database.
   */
  key: string;
}

/**
 * One environment's `data_source` → connection mapping, read from the store once and then used
 * synchronously while a query compiles (the engine asks the dialect of the data source the query's
 * cubes share).
 */
export interface SourceMap {
  readonly environment: string;
  /**
   * Which dialect each data source compiles to, as text: equal texts compile every query to the
   * same SQL, so compiled forms are kept under it.
   */
  readonly dialects: string;
  /** The mapped connection, or undefined when the environment maps none. */
  find(dataSource: string): SourceConnection | undefined;
  /** The mapped connection; a data source the environment does not map is a 400 naming it. */
  resolve(dataSource: string): SourceConnection;
}

interface ConnectionRow {
  name: string;
  type: string;
  updatedAt: string;
}

/** A map over `[dataSource, connection]` pairs; shared by the store and project workspaces. */
export function sourceMap(
  environment: string,
  pairs: Iterable<[dataSource: string, connection: ConnectionRow]>,
): SourceMap {
  const byDataSource = new Map<string, SourceConnection>();
  for (const [dataSource, c] of pairs) {
    byDataSource.set(dataSource, {
      dataSource,
      connection: c.name,
      type: c.type,
      key: `${c.name}@${c.updatedAt}`,
    });
  }
  const dialects = [...byDataSource.values()]
    .map((s) => `${s.dataSource}=${s.type}`)
    .sort()
    .join(',');
  return {
    environment,
    dialects,
    find: (dataSource) => byDataSource.get(dataSource),
    resolve(dataSource) {
      const found = byDataSource.get(dataSource);
      if (found) return found;
      throw unmapped(environment, dataSource);
    },
  };
}

function unmapped(environment: string, dataSource: string): InlayError {
  if (environment === DEFAULT_ENVIRONMENT) {
    return new InlayError(
      'DATA_SOURCE_UNMAPPED',
      `no connection for data_source '${dataSource}': the default environment maps each data_source to the connection of the same name, and there is no connection '${dataSource}'.`,
      {
        hint: `Create it with POST /api/v1/connections {"name": "${dataSource}", "type": …, "credentials": …}, or query through an environment that maps '${dataSource}'.`,
      },
    );
  }
  return new InlayError(
    'DATA_SOURCE_UNMAPPED',
    `environment '${environment}' maps no connection for data_source '${dataSource}'.`,
    {
      hint: `Add {"data_source": "${dataSource}", "connection": "…"} to its datasources with PUT /api/v1/environments/${environment}.`,
    },
  );
}

/**
 * Reads how `environment` maps data sources in a workspace: the implicit `default` (which needs no
 * row) maps each to the connection of the same name, a stored one through its `datasources`. An
 * environment that does not exist is a 400. The one place an environment becomes connections:
 * store workspaces (for queries) and pre-aggregations (for builds and served tables) both read it.
 */
export async function readSourceMap(
  store: Store,
  workspaceId: string,
  environment: string,
): Promise<SourceMap> {
  const [connections, env] = await Promise.all([
    store.connections.list(workspaceId),
    environment === DEFAULT_ENVIRONMENT ? undefined : store.environments.find(workspaceId, environment),
  ]);
  if (environment === DEFAULT_ENVIRONMENT) {
    return sourceMap(
      environment,
      connections.map((c) => [c.name, c] as [string, ConnectionRow]),
    );
  }
  if (!env) {
    throw new InlayError('UNKNOWN_ENVIRONMENT', `unknown environment '${environment}'.`, {
      hint: 'GET /api/v1/environments lists them; `default` always exists.',
    });
  }
  const byName = new Map(connections.map((c) => [c.name, c]));
  const pairs: [string, ConnectionRow][] = [];
  for (const d of env.datasources) {
    const c = byName.get(d.connection);
    if (c) pairs.push([d.data_source, c]);
  }
  return sourceMap(environment, pairs);
}

/** An environment's map, or undefined when the environment is gone (nothing to build or serve). */
function mapIfAny(store: Store, workspaceId: string, environment: string): Promise<SourceMap | undefined> {
  return readSourceMap(store, workspaceId, environment).catch((e: unknown) => {
    if (isInlayError(e) && e.code === 'UNKNOWN_ENVIRONMENT') return undefined;
    throw e;
  });
}

/** Finds where a data source runs in a workspace's environment; undefined when nothing maps it. */
export type SourceLookup = (
  workspaceId: string,
  environment: string,
  dataSource: string,
) => Promise<SourceConnection | undefined>;

/**
 * `readSourceMap` for many lookups with one store read per environment, fresh for each lookup
 * function (one reader refresh, one scheduler plan), so a remapped environment is seen on the
 * next pass rather than after a cache's TTL.
 */
export function sourceLookup(store: Store): SourceLookup {
  const maps = new Map<string, Promise<SourceMap | undefined>>();
  return async (workspaceId, environment, dataSource) => {
    const k = `${workspaceId}\0${environment}`;
    let map = maps.get(k);
    if (!map) {
      map = mapIfAny(store, workspaceId, environment);
      maps.set(k, map);
    }
    return (await map)?.find(dataSource);
  };
}
