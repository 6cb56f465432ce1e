import type { Driver } from '@inlay/core';
import { DuckDBDriver } from './duckdb/driver.js';
import { credentialsError } from './errors.js';
import { mysqlPlugin } from './mysql/index.js';
import type { DriverOptions, DuckDBCredentials, PostgresCredentials } from './options.js';
import { PostgresDriver } from './postgres/driver.js';
import type { QuestDBCredentials } from './questdb/config.js';
import { QuestDBDriver } from './questdb/driver.js';
import { DRIVER_TYPES, driverType } from './registry.js';

export { DuckDBDriver } from './duckdb/driver.js';
export { type MySQLCredentials, MySQLDriver, mysqlPlugin } from './mysql/index.js';
export type { DriverOptions, DuckDBCredentials, PostgresCredentials } from './options.js';
export { PostgresDriver } from './postgres/driver.js';
export type { QuestDBCredentials } from './questdb/config.js';
export { QuestDBDriver } from './questdb/driver.js';
export {
  connectionUrlForms,
  DRIVER_TYPES,
  type DriverType,
  driverType,
  driverTypeOfUrl,
} from './registry.js';

/**
 * A driver for a connection's `type` and `credentials` (the Embeddable connection shape).
 * Nothing connects until the first call; `test()` checks connectivity.
 */
export function createDriver(
  type: 'duckdb',
  credentials?: DuckDBCredentials,
  options?: DriverOptions,
): DuckDBDriver;
export function createDriver(
  type: 'postgres',
  credentials: PostgresCredentials,
  options?: DriverOptions,
): PostgresDriver;
export function createDriver(type: string, credentials: unknown, options?: DriverOptions): Driver;
export function createDriver(type: string, credentials: unknown, options: DriverOptions = {}): Driver {
  switch (driverType(type)) {
    case 'duckdb':
      return new DuckDBDriver((credentials ?? {}) as DuckDBCredentials, options);
    case 'postgres':
      return new PostgresDriver(credentials as PostgresCredentials, options);
    case 'questdb':
      return new QuestDBDriver(credentials as QuestDBCredentials, options);
    case 'mysql':
      return mysqlPlugin.createDriver(credentials as Parameters<typeof mysqlPlugin.createDriver>[0], options);
    default:
      throw credentialsError(
        `Unknown connection type '${type}'.`,
        `Supported types: ${DRIVER_TYPES.join(', ')}.`,
      );
  }
}
