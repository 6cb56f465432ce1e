import { z } from 'zod';
import type { CredentialsField, DatabasePlugin } from '../plugin.js';
import { type MySQLCredentials, partsFromUrl } from './config.js';
import { MySQLDriver } from './driver.js';

export type { MySQLCredentials } from './config.js';
export { MySQLDriver } from './driver.js';

const text = z.string().min(1).max(1000);
const field = (schema: z.ZodType, expects: string, required: boolean, secret = false): CredentialsField => ({
  schema,
  expects,
  required,
  ...(secret ? { secret: true } : {}),
});

/** MySQL 8 and MariaDB 10.6+ (one protocol, one dialect); see README.md for where they differ. */
export const mysqlPlugin: DatabasePlugin<MySQLCredentials> = {
  type: 'mysql',
  label: 'MySQL',
  aliases: ['mariadb'],
  urlSchemes: ['mysql:', 'mariadb:'],
  dialect: 'mysql',
  credentialsSchema: {
    fields: {
      host: field(text, 'the server name or address, e.g. "127.0.0.1"', true),
      port: field(
        z.union([z.number().int().min(1).max(65_535), z.string().regex(/^\d{1,5}$/)]),
        'a port number such as 3306, the default',
        false,
      ),
      database: field(text, 'the database name, e.g. "analytics"', true),
      user: field(text, 'the login, e.g. "inlay_reader"', true),
      password: field(z.string().max(1000), "the login's password, a string", false, true),
      ssl: field(
        z.union([z.boolean(), z.record(z.string(), z.unknown())]),
        'true, false or TLS options such as {"rejectUnauthorized": false}',
        false,
      ),
    },
    url: field(
      z
        .string()
        .max(2000)
        .regex(/^(mysql|mariadb):\/\/./),
      'a mysql:// URL such as mysql://user:password@host:3306/database',
      true,
    ),
  },
  normalizeCredentials(credentials) {
    if (typeof credentials.url === 'string') return { url: credentials.url };
    const { port, ...rest } = credentials;
    const n = typeof port === 'string' && port !== '' ? Number(port) : port;
    return { ...rest, ...(n === undefined ? {} : { port: n }) } as MySQLCredentials;
  },
  credentialsFromUrl: (url) => partsFromUrl(url),
  createDriver: (credentials, options) => new MySQLDriver(credentials, options),
};
