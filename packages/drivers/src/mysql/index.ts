import * as cred from '../credentials.js';
import type { DatabasePlugin } from '../plugin.js';
import { DEFAULT_PORT, type MySQLCredentials, partsFromUrl } from './config.js';
import { MySQLDriver } from './driver.js';

export type { MySQLCredentials } from './config.js';
export { MySQLDriver } from './driver.js';

const URL_SCHEMES = ['mysql:', 'mariadb:'];

/** MySQL 8 and MariaDB 10.6+ (one protocol, one dialect); see README.md for where they differ. */
export const mysqlPlugin = {
  type: 'mysql',
  label: 'MySQL / MariaDB',
  aliases: ['mariadb'],
  urlSchemes: URL_SCHEMES,
  dialect: 'mysql',
  credentialsSchema: {
    fields: {
      host: cred.HOST,
      port: cred.portField(DEFAULT_PORT, 'a port number such as 3306, the default'),
      database: cred.textField('Database', 'the database name, e.g. "analytics"', {
        placeholder: 'analytics',
      }),
      user: cred.USER('inlay_reader'),
      password: cred.passwordField("the login's password, a string"),
      ssl: cred.SSL,
    },
    url: cred.urlField(URL_SCHEMES, 'a mysql:// URL such as mysql://user:password@host:3306/database'),
  },
  normalizeCredentials: cred.numericPort<MySQLCredentials>,
  credentialsFromUrl: (url: string) => partsFromUrl(url),
  createDriver: (credentials: MySQLCredentials, options) => new MySQLDriver(credentials, options),
} as const satisfies DatabasePlugin<MySQLCredentials>;
