import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Driver, InlayError } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { compileModel, readModelDir, type SemanticModel } from '@inlay/engine';
import { ensureFlightsDuckDB, flightsProjectDir } from '@inlay/example-flights';
import {
  DEFAULT_ENVIRONMENT,
  type SourceConnection,
  type SourceMap,
  sourceMap,
} from './connections/sources.js';

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
   * How an environment (the implicit `default` when absent) maps model data sources to
   * connections; an unknown environment is a 400. Cheap to call per request.
   */
  sources(environment?: string): Promise<SourceMap>;
  /**
   * The read-only driver of a connection the source map resolved; opened once per connection
   * version and reused (a newer version of the connection opens a new driver).
   */
  driverFor(source: SourceConnection): Promise<Driver>;
  /** `sources(environment).resolve(dataSource)`, then its driver. */
  getDriver(dataSource: string, environment?: string): Promise<Driver>;
  /** Drops the cached driver of a connection that was updated or deleted. */
  connectionChanged?(name: string): Promise<void>;
  /** Forgets an environment's mapping after it was changed or deleted. */
  environmentChanged?(name: string): void;
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
  // A promise, not a driver, so two concurrent first requests open one driver.
  let driver: Promise<Driver> | undefined;
  // One connection, `default`, for the `default` data source.
  const projectSource = {
    name: 'default',
    type: options.connection?.type ?? 'duckdb',
    updatedAt: 'project',
  };
  const sources = sourceMap(DEFAULT_ENVIRONMENT, [['default', projectSource]]);

  async function open(): Promise<Driver> {
    if (options.connection) {
      return createDriver(options.connection.type, options.connection.credentials, { readOnly: true });
    }
    const path = await ensureFlightsDuckDB(options.dataDir);
    return createDriver('duckdb', { path }, { readOnly: true });
  }

  function sourcesOf(environment = DEFAULT_ENVIRONMENT): Promise<SourceMap> {
    if (environment !== DEFAULT_ENVIRONMENT) {
      return Promise.reject(
        new InlayError('UNKNOWN_ENVIRONMENT', `unknown environment '${environment}'.`, {
          hint: 'A project workspace has only the default environment.',
        }),
      );
    }
    return Promise.resolve(sources);
  }

  function driverFor(source: SourceConnection): Promise<Driver> {
    // The only connection there is: any other source is a data source this project cannot map.
    if (source.connection !== projectSource.name) return Promise.reject(sources.resolve(source.dataSource));
    driver ??= open();
    driver.catch(() => {
      driver = undefined;
    });
    return driver;
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
    sources: sourcesOf,
    driverFor,
    async getDriver(dataSource, environment) {
      return driverFor((await sourcesOf(environment)).resolve(dataSource));
    },
    async close() {
      const d = driver;
      driver = undefined;
      await d?.then((x) => x.close()).catch(() => {});
    },
  };
}
