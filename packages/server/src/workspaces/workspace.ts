import type { Driver } from '@inlay/core';
import type { SemanticModel } from '@inlay/engine';
import type { SourceConnection, SourceMap } from './sources.js';

/**
 * What the HTTP layer needs from a workspace: its models, and for an environment which connection
 * answers each model data source. Two implementations: the store workspace (model versions,
 * connections and environments in the metadata store; what the server runs) and the project
 * workspace (one project folder and one connection; embedders and tests).
 */
export interface Workspace {
  readonly id: string;
  /** The project folder (models, `*.embeddable.yml` dashboards), when the workspace has one. */
  readonly projectDir?: string;
  /**
   * The data the project's setup was still preparing when the workspace opened (a first start
   * builds the demo's DuckDB file): no driver opens before it is done, and if it failed every
   * driver request fails with its error. Absent when the data was there from the start.
   */
  readonly dataPreparation?: DataPreparation;
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

/** A connection as a project names it: a driver `type` and its `credentials`. */
export interface ConnectionSpec {
  type: string;
  credentials: unknown;
}

/** Data a project's setup prepares in the background (`ProjectSetup`'s `ready`). */
export interface DataPreparation {
  /** Resolves once the data is there; rejects with the setup's error (naming it and the cause). */
  readonly done: Promise<void>;
  /** Where it stands now, without waiting (`/readyz` answers at once). */
  state(): 'preparing' | 'ready' | 'failed';
}
