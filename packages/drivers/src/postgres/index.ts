import * as cred from '../credentials.js';
import type { DatabasePlugin } from '../plugin.js';
import type { PostgresCredentials } from './config.js';
import { PostgresDriver } from './driver.js';

export type { PostgresCredentials } from './config.js';
export { PostgresDriver } from './driver.js';

const URL_SCHEMES = ['postgres:', 'postgresql:'];

/** PostgreSQL (and servers that speak it well enough to run the same SQL), through `pg`. */
export const postgresPlugin = {
  type: 'postgres',
  label: 'PostgreSQL',
  aliases: ['postgresql'],
  urlSchemes: URL_SCHEMES,
  dialect: 'postgres',
  credentialsSchema: {
    fields: {
      host: cred.HOST,
      port: cred.portField(5432, 'a port number such as 5432, the default'),
      database: cred.textField('Database', 'the database name, e.g. "analytics"', {
        placeholder: 'analytics',
      }),
      user: cred.USER('postgres'),
      password: cred.passwordField("the login's password, a string"),
      ssl: cred.SSL,
    },
    url: cred.urlField(URL_SCHEMES, 'a postgres:// URL such as postgres://user:password@host:5432/database'),
  },
  normalizeCredentials: cred.numericPort<PostgresCredentials>,
  createDriver: (credentials: PostgresCredentials, options) => new PostgresDriver(credentials, options),
} as const satisfies DatabasePlugin<PostgresCredentials>;
