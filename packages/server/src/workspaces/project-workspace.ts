import { resolve } from 'node:path';
import { DEFAULT_ENVIRONMENT, type Driver, InlayError } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { compileModel, readModelDir, type SemanticModel } from '@inlay/engine';
import { type SourceConnection, type SourceMap, sourceMap } from './sources.js';
import type { ConnectionSpec, Workspace } from './workspace.js';

export interface ProjectWorkspaceOptions {
  /** Folder with `models/` (and `*.embeddable.yml` dashboards). */
  projectDir: string;
  /** The connection of the `default` data source, the only one a project workspace has. */
  connection: ConnectionSpec;
}

/**
 * A workspace read from one project folder, without a metadata store: one environment
 * (`default`) mapping the `default` data source to the given connection. For embedders and tests;
 * the server itself serves store workspaces.
 */
export function createProjectWorkspace(options: ProjectWorkspaceOptions): Workspace {
  const projectDir = resolve(options.projectDir);
  let model: Promise<SemanticModel> | undefined;
  // A promise, not a driver, so two concurrent first requests open one driver.
  let driver: Promise<Driver> | undefined;
  const projectSource = { name: 'default', type: options.connection.type, updatedAt: 'project' };
  const sources = sourceMap(DEFAULT_ENVIRONMENT, [['default', projectSource]]);

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
    driver ??= Promise.resolve().then(() =>
      createDriver(options.connection.type, options.connection.credentials, { readOnly: true }),
    );
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
