import { DEFAULT_ENVIRONMENT, type Driver, InlayError } from '@inlay/core';
import { compileModel, type SemanticModel } from '@inlay/engine';
import { type ConnectionType, openReadOnly } from '../connections/types.js';
import type { Store } from '../store/index.js';
import { trackPreparation } from './setup.js';
import { readSourceMap, type SourceConnection, type SourceMap } from './sources.js';
import type { Workspace } from './workspace.js';

/** An open driver and the connection version it was opened from (`name@updated_at`). */
interface OpenConnection {
  driver: Driver;
  key: string;
}

export interface StoreWorkspaceOptions {
  store: Store;
  workspaceId: string;
  /**
   * The models served while the workspace has no current stored version (tests, `*.cube.js`
   * projects the store cannot hold). Without it the current version comes from the store.
   */
  loadModel?: () => Promise<SemanticModel>;
  /** The stored model version to serve; default: the one the store says is current. */
  modelVersion?: string;
  /** The project folder the models (and `*.embeddable.yml` dashboards) came from. */
  projectDir?: string;
  /** Close the store with the workspace (the server owns it); tests that share a store say false. */
  ownsStore?: boolean;
  /**
   * How long the served model version is trusted before it is read from the store again, so a
   * switch made by another replica (a bundle upload there) is served here too; default 5000.
   */
  versionTtlMs?: number;
  /** The clock for that TTL (milliseconds); tests pass their own. */
  now?: () => number;
  /**
   * The project's setup is still preparing the data (its `ready`, from `runProjectSetup`): drivers
   * open once it resolves, and fail with its error if it rejects (`Workspace.dataPreparation`).
   */
  dataReady?: Promise<void>;
}

export const VERSION_TTL_MS = 5000;

/**
 * A workspace whose connections and environments live in the metadata store. The implicit
 * `default` environment maps each model `data_source` to the connection of the same name; a
 * stored environment maps through its `datasources`, and a data source it does not map is an
 * error rather than a silent fall back to the default database.
 */
export function createStoreWorkspace(options: StoreWorkspaceOptions): Workspace {
  const { store, workspaceId } = options;
  const ttl = options.versionTtlMs ?? VERSION_TTL_MS;
  const clock = options.now ?? Date.now;
  // The served version and when it was read; `version: undefined` (nothing current) is cached too.
  let current: { version: string | undefined; at: number } | undefined =
    options.modelVersion === undefined ? undefined : { version: options.modelVersion, at: clock() };
  let reading: Promise<string | undefined> | undefined;
  // Bumped by `useModelVersion`, so a read that started before the switch cannot undo it.
  let generation = 0;
  let served: { version: string; model: Promise<SemanticModel> } | undefined;
  let fallback: Promise<SemanticModel> | undefined;
  // Compiled stored versions (tokens pin old ones); few, so a small bound is plenty.
  const versions = new Map<string, Promise<SemanticModel>>();

  function compiledVersion(version: string): Promise<SemanticModel> {
    let m = versions.get(version);
    if (!m) {
      m = store.modelVersions
        .get(workspaceId, version)
        .then((mv) => compileModel(Object.entries(mv.files).map(([path, content]) => ({ path, content }))));
      if (versions.size >= 8) versions.delete(versions.keys().next().value!);
      versions.set(version, m);
      m.catch(() => {
        if (versions.get(version) === m) versions.delete(version);
      });
    }
    return m;
  }

  /** At most one store read per TTL, shared by the requests that arrive while it runs. */
  function servedVersion(): Promise<string | undefined> {
    if (current && clock() - current.at < ttl) return Promise.resolve(current.version);
    if (!reading) {
      const gen = generation;
      const read: Promise<string | undefined> = store.workspaces
        .currentModelVersion(workspaceId)
        .then((version) => {
          if (gen === generation) current = { version, at: clock() };
          return current?.version;
        })
        .finally(() => {
          if (reading === read) reading = undefined;
        });
      reading = read;
    }
    return reading;
  }

  async function currentModel(): Promise<SemanticModel> {
    const version = await servedVersion();
    if (version) {
      // Kept apart from `versions`, so pinned versions coming and going never evict the served one.
      if (served?.version !== version) {
        const model = compiledVersion(version);
        served = { version, model };
        model.catch(() => {
          if (served?.model === model) served = undefined;
        });
      }
      return served.model;
    }
    if (options.loadModel) {
      fallback ??= options.loadModel();
      fallback.catch(() => {
        fallback = undefined;
      });
      return fallback;
    }
    throw new InlayError('CONFIG', `workspace '${workspaceId}' has no models yet`, {
      hint: 'Push a bundle with POST /api/v1/bundle/upload (npx inlay push).',
    });
  }
  // Source maps per environment, read at most once per TTL (another replica may change them) and
  // shared by the requests that arrive while one read runs.
  const maps = new Map<string, { map: Promise<SourceMap>; at: number }>();

  function sourcesOf(environment: string): Promise<SourceMap> {
    const hit = maps.get(environment);
    if (hit && clock() - hit.at < ttl) return hit.map;
    const map = readSourceMap(store, workspaceId, environment);
    maps.set(environment, { map, at: clock() });
    map.catch(() => {
      if (maps.get(environment)?.map === map) maps.delete(environment);
    });
    // Bounded: names come from callers (stored environments only get this far, but keep it small).
    if (maps.size > 64) maps.delete(maps.keys().next().value!);
    return map;
  }

  // Promises, not drivers, so two concurrent first requests open one driver per connection.
  const drivers = new Map<string, Promise<OpenConnection>>();
  const dataPreparation = options.dataReady ? trackPreparation(options.dataReady) : undefined;
  let closed = false;
  // Ends the waits for the data when the workspace closes: `close` awaits the drivers being opened,
  // and one waiting for the data must neither hold it up nor open a driver nobody closes.
  const closedError = () => new InlayError('CONFIG', `workspace '${workspaceId}' is closed`);
  let endWaits = () => {};
  const closing = new Promise<never>((_, reject) => {
    endWaits = () => reject(closedError());
  });
  closing.catch(() => {});

  async function open(source: SourceConnection): Promise<OpenConnection> {
    // Nothing reads a file the setup has not finished (a request waits here, holding no driver).
    if (dataPreparation) await Promise.race([dataPreparation.done, closing]);
    if (closed) throw closedError();
    const credentials = await store.connections.credentials(workspaceId, source.connection);
    const driver = await openReadOnly(source.type as ConnectionType, credentials);
    return { driver, key: source.key };
  }

  /** Drops a connection's driver; in-flight queries on it finish or fail, new ones open a new one. */
  async function drop(name: string): Promise<void> {
    const d = drivers.get(name);
    if (!d) return;
    drivers.delete(name);
    await d.then((c) => c.driver.close()).catch(() => {});
  }

  async function driverFor(source: SourceConnection): Promise<Driver> {
    let d = drivers.get(source.connection);
    // A newer version of the connection (changed here, or by another replica): never reuse the
    // old driver. (Keys end in the ISO update time, so a later version sorts after; a request
    // holding an older map than the open driver's just uses the open one.)
    const openKey = d && (await d.catch(() => undefined))?.key;
    if (d && (openKey === undefined || openKey < source.key)) {
      if (drivers.get(source.connection) === d) await drop(source.connection);
      d = drivers.get(source.connection);
    }
    if (!d) {
      const opening = open(source);
      drivers.set(source.connection, opening);
      opening.catch(() => {
        if (drivers.get(source.connection) === opening) drivers.delete(source.connection);
      });
      d = opening;
    }
    return (await d).driver;
  }

  return {
    id: workspaceId,
    ...(options.projectDir ? { projectDir: options.projectDir } : {}),
    ...(dataPreparation ? { dataPreparation } : {}),
    getModel(version) {
      if (version) return compiledVersion(version);
      return currentModel();
    },
    currentModelVersion: servedVersion,
    async useModelVersion(version) {
      await store.workspaces.setModelVersion(workspaceId, version);
      generation++;
      current = { version, at: clock() };
    },
    sources: (environment = DEFAULT_ENVIRONMENT) => sourcesOf(environment),
    driverFor,
    async getDriver(dataSource, environment = DEFAULT_ENVIRONMENT) {
      return driverFor((await sourcesOf(environment)).resolve(dataSource));
    },
    async connectionChanged(name) {
      // Every environment may map it: read them all again.
      maps.clear();
      await drop(name);
    },
    environmentChanged(name) {
      maps.delete(name);
    },
    async close() {
      closed = true;
      endWaits();
      const all = [...drivers.values()];
      drivers.clear();
      await Promise.allSettled(all.map(async (d) => (await d).driver.close()));
      if (options.ownsStore) await store.close();
    },
  };
}
