export { checkCredentials } from './check.js';
export { type DuckDBCredentials, DuckDBDriver } from './duckdb/index.js';
export type { DriverOptions } from './options.js';
export type { CredentialsField, CredentialsSchema, DatabasePlugin } from './plugin.js';
export { type PostgresCredentials, PostgresDriver } from './postgres/index.js';
export { type QuestDBCredentials, QuestDBDriver } from './questdb/index.js';
export {
  type AliasOf,
  type CredentialsOf,
  connectionOfUrl,
  connectionUrlForms,
  createDriver,
  DATABASE_PLUGINS,
  DRIVER_TYPES,
  type DriverOf,
  type DriverType,
  databasePlugin,
  databasePlugins,
  describeTypes,
  driverType,
  driverTypeOfUrl,
  fieldsWhere,
  fileDatabase,
} from './registry.js';
