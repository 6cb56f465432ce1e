/** Workspaces: see README.md. */
export { cachedKeyVerifier, type KeyVerifier } from './api-keys.js';
export { createProjectWorkspace, type ProjectWorkspaceOptions } from './project-workspace.js';
export {
  createWorkspaceResolver,
  openStoreWorkspaces,
  type StoreWorkspaces,
  type WorkspaceResolver,
} from './resolver.js';
export { type PreparedProject, type ProjectSetup, runProjectSetup } from './setup.js';
export {
  readSourceMap,
  type SourceConnection,
  type SourceLookup,
  type SourceMap,
  sourceLookup,
  sourceMap,
} from './sources.js';
export { createStoreWorkspace, type StoreWorkspaceOptions, VERSION_TTL_MS } from './store-workspace.js';
export type { ConnectionSpec, DataPreparation, Workspace } from './workspace.js';
