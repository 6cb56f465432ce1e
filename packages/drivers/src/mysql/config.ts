import type { ServerCredentials } from '../credentials.js';
import { credentialsError } from '../errors.js';
import type { DriverOptions } from '../options.js';

/**
 * MySQL/MariaDB credentials: Embeddable's names, the same shape as PostgreSQL's (`host`, `port`,
 * `database`, `user`, `password`, `ssl`), or a `mysql://` / `mariadb://` URL.
 */
export type MySQLCredentials = ServerCredentials;

export const DEFAULT_PORT = 3306;
const DEFAULT_POOL_SIZE = 10;

/** What mysql2's `createPool` gets from us: only plain connection settings, never `multipleStatements`. */
export interface MySQLConnectionConfig {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  ssl?: Record<string, unknown>;
  connectTimeout: number;
}

export interface MySQLSettings {
  connection: MySQLConnectionConfig;
  poolSize: number;
  readOnly: boolean;
  /** Strings that must never appear in an error message. */
  secrets: string[];
}

const URL_FORM = 'Expected mysql://user:password@host:3306/database (or mariadb://…).';

function sslOption(ssl: unknown): Record<string, unknown> | undefined {
  if (ssl === undefined || ssl === false || ssl === 'false') return undefined;
  if (ssl === true || ssl === 'true') return { rejectUnauthorized: true };
  if (typeof ssl === 'object' && ssl !== null) return ssl as Record<string, unknown>;
  throw credentialsError('MySQL `ssl` must be true, false or an object of TLS options.');
}

function portOf(port: unknown): number {
  if (port === undefined || port === '') return DEFAULT_PORT;
  const n = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65_535) {
    throw credentialsError(`MySQL \`port\` must be a port number (1–65535), not ${JSON.stringify(port)}.`);
  }
  return n;
}

/** The parts of a `mysql://` or `mariadb://` URL; `?ssl=true` turns TLS on. */
export function partsFromUrl(text: string): Extract<MySQLCredentials, { host: string }> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw credentialsError('MySQL `url` is not a valid URL.', URL_FORM);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw credentialsError(
      `MySQL \`url\` must start with mysql:// or mariadb://, not ${url.protocol}//.`,
      URL_FORM,
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !url.username || !database) {
    throw credentialsError('MySQL `url` needs a user, a host and a database.', URL_FORM);
  }
  const ssl = url.searchParams.get('ssl');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: portOf(url.port),
    database,
    user: decodeURIComponent(url.username),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(ssl === null ? {} : { ssl: ssl === 'true' || ssl === '1' }),
  };
}

/** Credentials (parts or URL) and options → what the pool needs, checked. */
export function mysqlSettings(credentials: MySQLCredentials, options: DriverOptions): MySQLSettings {
  const fromUrl = credentials && 'url' in credentials;
  if (fromUrl && (typeof credentials.url !== 'string' || credentials.url === '')) {
    throw credentialsError('MySQL credentials need a `url` string or `host`, `database` and `user`.');
  }
  const c = fromUrl
    ? partsFromUrl(credentials.url)
    : (credentials as Partial<Extract<MySQLCredentials, { host: string }>> | undefined);
  const missing = (['host', 'database', 'user'] as const).filter(
    (k) => typeof c?.[k] !== 'string' || c[k] === '',
  );
  if (!c || missing.length) {
    throw credentialsError(
      `MySQL credentials are missing ${missing.join(', ')}.`,
      'Give `host`, `database`, `user` (and `port`, `password`, `ssl` as needed) or a `url`.',
    );
  }
  const ssl = sslOption(c.ssl);
  const connection: MySQLConnectionConfig = {
    host: c.host!,
    port: portOf(c.port),
    user: c.user!,
    database: c.database!,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    ...(c.password !== undefined ? { password: c.password } : {}),
    ...(ssl ? { ssl } : {}),
  };
  const secrets = [c.password, fromUrl ? credentials.url : undefined].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  if (c.password) secrets.push(encodeURIComponent(c.password));
  return {
    connection,
    poolSize: Math.max(1, options.poolSize ?? DEFAULT_POOL_SIZE),
    readOnly: options.readOnly === true,
    secrets,
  };
}
