import { type Driver, InlayError } from '@inlay/core';
import { compileModel, type SemanticModel } from '@inlay/engine';
import { type ConnectionType, openReadOnly } from './connections/types.js';
import type { Store } from './store/index.js';
import type { Workspace } from './workspace.js';

export const DEFAULT_ENVIRONMENT = 'default';

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
}

/**
 * A workspace whose connections and environments live in the metadata store. The implicit
 * `default` environment maps each model `data_source` to the connection of the same name; a
 * stored environment maps through its `datasources`, and a data source it does not map is an
 * error rather than a silent fall back to the default database.
 */
export function createStoreWorkspace(options: StoreWorkspaceOptions): Workspace {
  const { store, workspaceId } = options;
  let model: Promise<SemanticModel> | undefined;
  let current = options.modelVersion;
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

  async function currentModel(): Promise<SemanticModel> {
    current ??= await store.workspaces.currentModelVersion(workspaceId);
    if (current) return compiledVersion(current);
    if (options.loadModel) return options.loadModel();
    throw new InlayError('CONFIG', `workspace '${workspaceId}' has no models yet`, {
      hint: 'Push a bundle with POST /api/v1/bundle/upload (npx inlay push).',
    });
  }
  // Promises, not drivers, so two concurrent first requests open one driver per connection.
  const drivers = new Map<string, Promise<Driver>>();

  async function connectionFor(dataSource: string, environment: string): Promise<string> {
    if (environment === DEFAULT_ENVIRONMENT) return dataSource;
    const env = await store.environments.find(workspaceId, environment);
    if (!env) throw new InlayError('QUERY_INVALID', `unknown environment '${environment}'`);
    const mapped = env.datasources.find((d) => d.data_source === dataSource);
    if (!mapped) {
      throw new InlayError(
        'CONFIG',
        `environment '${environment}' maps no connection for data_source '${dataSource}'`,
        {
          hint: `Add {"data_source": "${dataSource}", "connection": "…"} to the environment.`,
        },
      );
    }
    return mapped.connection;
  }

  async function open(name: string, dataSource: string): Promise<Driver> {
    const info = await store.connections.find(workspaceId, name);
    if (!info) {
      throw new InlayError('CONFIG', `no connection '${name}' for data_source '${dataSource}'`, {
        hint: `Create it with POST /api/v1/connections {"name": "${name}", …}.`,
      });
    }
    const credentials = await store.connections.credentials(workspaceId, name);
    return openReadOnly(info.type as ConnectionType, credentials);
  }

  return {
    id: workspaceId,
    ...(options.projectDir ? { projectDir: options.projectDir } : {}),
    getModel(version) {
      if (version) return compiledVersion(version);
      model ??= currentModel();
      model.catch(() => {
        model = undefined;
      });
      return model;
    },
    async currentModelVersion() {
      current ??= await store.workspaces.currentModelVersion(workspaceId);
      return current;
    },
    async useModelVersion(version) {
      await store.workspaces.setModelVersion(workspaceId, version);
      current = version;
      model = undefined;
    },
    async getDriver(dataSource, environment = DEFAULT_ENVIRONMENT) {
      const name = await connectionFor(dataSource, environment);
      let d = drivers.get(name);
      if (!d) {
        d = open(name, dataSource);
        drivers.set(name, d);
        d.catch(() => {
          if (drivers.get(name) === d) drivers.delete(name);
        });
      }
      return d;
    },
    async connectionChanged(name) {
      const d = drivers.get(name);
      if (!d) return;
      drivers.delete(name);
      // In-flight queries on the old driver finish or fail; new ones open the new credentials.
      await d.then((driver) => driver.close()).catch(() => {});
    },
    async close() {
      const all = [...drivers.values()];
      drivers.clear();
      await Promise.allSettled(all.map(async (d) => (await d).close()));
      if (options.ownsStore) await store.close();
    },
  };
}
