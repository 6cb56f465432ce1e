import { access, constants } from 'node:fs/promises';
import { z } from 'zod';
import { field } from '../credentials.js';
import type { DatabasePlugin } from '../plugin.js';
import { type DuckDBCredentials, DuckDBDriver } from './driver.js';

export { type DuckDBCredentials, DuckDBDriver } from './driver.js';
export { duckdbResourceSettings } from './settings.js';

/** DuckDB, embedded: a database file on the machine that runs Inlay, or an empty in-memory one. */
export const duckdbPlugin = {
  type: 'duckdb',
  label: 'DuckDB',
  dialect: 'duckdb',
  credentialsSchema: {
    fields: {
      path: field(
        'File path',
        z.string().min(1).max(1000),
        'the path of a DuckDB file the server can read, e.g. "/data/flights.duckdb"',
        { required: false, placeholder: '/data/flights.duckdb', blank: 'in memory', file: true },
      ),
    },
  },
  // Opening the file for writing would take its lock away from the server reading it.
  canWrite: async (credentials: DuckDBCredentials) => {
    if (typeof credentials.path !== 'string') return false;
    return access(credentials.path, constants.W_OK).then(
      () => true,
      () => false,
    );
  },
  createDriver: (credentials: DuckDBCredentials, options) => new DuckDBDriver(credentials ?? {}, options),
} as const satisfies DatabasePlugin<DuckDBCredentials>;
