import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Driver, InlayError } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { compileModel, readModelDir, type SemanticModel } from '@inlay/engine';
import { ensureFlightsDuckDB, flightsProjectDir } from '@inlay/example-flights';

/**
 * What the HTTP layer needs from a workspace. This slice has one, loaded from a project folder;
 * the store-backed version (model versions, connections, environments) implements the same.
 */
export interface Workspace {
  readonly id: string;
  /** The project folder (models, `*.embeddable.yml` dashboards), when the workspace has one. */
  readonly projectDir?: string;
  /**
   * The compiled models: the served version, or the stored `version` a dashboard version pins
   * (a workspace without stored versions ignores it).
   */
  getModel(version?: string): Promise<SemanticModel>;
  /** The stored model version served when no dashboard version pins one. */
  currentModelVersion?(): Promise<string | undefined>;
  /** Switches the served model version (after a bundle upload); it must be stored already. */
  useModelVersion?(version: string): Promise<void>;
  /**
   * The read-only driver for a model `data_source` in an environment (the implicit `default`
   * when absent); opened once per connection and reused.
   */
  getDriver(dataSource: string, environment?: string): Promise<Driver>;
  /**
   * The identity of the connection `getDriver` would use (name and version), the same on every
   * replica: result-cache keys hold it, so an updated connection never serves the old one's answers.
   */
  connectionKey?(dataSource: string, environment?: string): Promise<string>;
  /** Drops the cached driver of a connection that was updated or deleted. */
  connectionChanged?(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectionSpec {
  type: string;
  credentials: unknown;
}

export interface ProjectWorkspaceOptions {
  /** Folder with `models/`; the flights example by default. */
  projectDir?: string;
  /** Where the flights demo DuckDB file is built when the project is the demo. */
  dataDir: string;
  /** The `default` data source; required unless the project is the flights demo. */
  connection?: ConnectionSpec;
}

function samePath(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}

export function createProjectWorkspace(options: ProjectWorkspaceOptions): Workspace {
  const projectDir = resolve(options.projectDir ?? flightsProjectDir);
  const isDemo = samePath(projectDir, flightsProjectDir);
  if (!options.connection && !isDemo) {
    throw new InlayError('CONFIG', `the project at ${projectDir} has no connection.`, {
      hint: 'Add inlay.config.json with { "connection": { "type": "duckdb", "credentials": { "path": "…" } } }.',
    });
  }
  let model: Promise<SemanticModel> | undefined;
  // Promises, not drivers, so two concurrent first requests open one driver.
  const drivers = new Map<string, Promise<Driver>>();

  async function open(): Promise<Driver> {
    if (options.connection) {
      return createDriver(options.connection.type, options.connection.credentials, { readOnly: true });
    }
    const path = await ensureFlightsDuckDB(options.dataDir);
    return createDriver('duckdb', { path }, { readOnly: true });
  }

  return {
    id: 'default',
    projectDir,
    getModel() {
      model ??= readModelDir(projectDir).then(compileModel);
      // A failed compile is retried on the next call instead of being cached forever.
      model.catch(() => {
        model = undefined;
      });
      return model;
    },
    getDriver(dataSource, environment) {
      if (environment !== undefined && environment !== 'default') {
        return Promise.reject(
          new InlayError('QUERY_INVALID', `unknown environment '${environment}'`, {
            hint: 'A project workspace has only the default environment.',
          }),
        );
      }
      if (dataSource !== 'default') {
        return Promise.reject(
          new InlayError('DATA_SOURCE_UNMAPPED', `no connection for data_source '${dataSource}'.`, {
            hint: 'This server maps only the default data source so far.',
          }),
        );
      }
      let d = drivers.get(dataSource);
      if (!d) {
        d = open();
        drivers.set(dataSource, d);
        d.catch(() => drivers.delete(dataSource));
      }
      return d;
    },
    async close() {
      const all = [...drivers.values()];
      drivers.clear();
      await Promise.allSettled(all.map(async (d) => (await d).close()));
    },
  };
}
