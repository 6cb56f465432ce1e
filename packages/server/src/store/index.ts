export { StoreConflictError, StoreNotFoundError } from './errors.js';
export { LATEST_SCHEMA_VERSION } from './migrations/index.js';
export {
  defaultSqlitePath,
  type OpenStoreOptions,
  openStore,
  type Repos,
  type Store,
  type StoreTarget,
} from './open.js';
export type { SessionUser } from './repos/accounts.js';
export type { ApiKeyInfo, NewApiKey } from './repos/api-keys.js';
export {
  type ComponentFileBodies,
  type ComponentsVersion,
  type ComponentsVersionInfo,
  componentsContentHash,
} from './repos/components.js';
export type { ConnectionInfo, ConnectionInput, Credentials } from './repos/connections.js';
export {
  DASHBOARD_TAGS,
  type Dashboard,
  type DashboardTag,
  type DashboardVersion,
  type DashboardVersionInfo,
  type VersionRef,
  type WriteStepHook,
} from './repos/dashboards.js';
export type { DatasourceMapping, Environment } from './repos/environments.js';
export {
  type ModelFiles,
  type ModelVersion,
  type ModelVersionInfo,
  modelContentHash,
} from './repos/model-versions.js';
export {
  type NewUser,
  normalizedOrNone,
  normalizeEmail,
  USER_ROLES,
  type User,
  type UserRole,
} from './repos/users.js';
export type { Workspace } from './repos/workspaces.js';
export type { PreaggKind } from './schema.js';
