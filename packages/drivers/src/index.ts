export { checkCredentials } from './check.js';
export {
  type DuckDBCredentials,
  DuckDBDriver,
  duckdbPlugin,
  duckdbResourceSettings,
} from './duckdb/index.js';
export { type MySQLCredentials, MySQLDriver, mysqlPlugin } from './mysql/index.js';
export type { DriverOptions } from './options.js';
export { loadPg } from './pg-wire/load.js';
export type { CredentialsField, CredentialsSchema, DatabasePlugin } from './plugin.js';
export { type PostgresCredentials, PostgresDriver, postgresPlugin } from './postgres/index.js';
export { type QuestDBCredentials, QuestDBDriver, questdbPlugin } from './questdb/index.js';
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
  exampleConnection,
  fieldsWhere,
  fileDatabase,
} from './registry.js';
