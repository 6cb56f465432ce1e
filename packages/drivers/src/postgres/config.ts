import type pg from 'pg';
import type { ServerCredentials } from '../credentials.js';
import { credentialsError } from '../errors.js';
import type { DriverOptions } from '../options.js';
import { typeParsers } from './types.js';

const DEFAULT_POOL_SIZE = 10;

/** PostgreSQL credentials: either the parts or a `postgres://` URL. */
export type PostgresCredentials = ServerCredentials;

export interface PgSettings {
  config: pg.PoolConfig;
  /** Strings that must never appear in an error message. */
  secrets: string[];
}

function startupOptions(readOnly: boolean, extra: string | null): string {
  // Every session reads and writes timestamps in UTC; a read-only driver gets read-only transactions.
  const parts = ['-c TimeZone=UTC'];
  if (readOnly) parts.push('-c default_transaction_read_only=on');
  if (extra) parts.unshift(extra);
  return parts.join(' ');
}

/** Credentials (parts or URL) and options → a `pg.Pool` configuration with per-pool type parsers. */
export function pgSettings(credentials: PostgresCredentials, options: DriverOptions): PgSettings {
  const readOnly = options.readOnly === true;
  const common: pg.PoolConfig = {
    max: Math.max(1, options.poolSize ?? DEFAULT_POOL_SIZE),
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
    application_name: 'inlay',
    types: typeParsers,
  };
  if (credentials && 'url' in credentials) {
    if (typeof credentials.url !== 'string' || credentials.url === '') {
      throw credentialsError('PostgreSQL credentials need a `url` string or `host`, `database` and `user`.');
    }
    let url: URL;
    try {
      url = new URL(credentials.url);
    } catch {
      throw credentialsError(
        'PostgreSQL `url` is not a valid URL.',
        'Expected postgres://user:password@host:port/database.',
      );
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw credentialsError(
        `PostgreSQL \`url\` must start with postgres:// or postgresql://, not ${url.protocol}//.`,
      );
    }
    // A connection string's own `options` would replace ours (pg lets the URL win), so merge them.
    const extra = url.searchParams.get('options');
    url.searchParams.delete('options');
    const password = decodeURIComponent(url.password);
    return {
      config: { ...common, connectionString: url.toString(), options: startupOptions(readOnly, extra) },
      secrets: [password, url.password, credentials.url].filter((s) => s !== ''),
    };
  }
  const c = credentials as Partial<Extract<PostgresCredentials, { host: string }>> | undefined;
  const missing = (['host', 'database', 'user'] as const).filter(
    (k) => typeof c?.[k] !== 'string' || c[k] === '',
  );
  if (!c || missing.length) {
    throw credentialsError(
      `PostgreSQL credentials are missing ${missing.join(', ')}.`,
      'Give `host`, `database`, `user` (and `port`, `password`, `ssl` as needed) or a `url`.',
    );
  }
  const config: pg.PoolConfig = {
    ...common,
    host: c.host,
    port: c.port ?? 5432,
    database: c.database,
    user: c.user,
    options: startupOptions(readOnly, null),
  };
  if (c.password !== undefined) config.password = c.password;
  if (c.ssl !== undefined) config.ssl = c.ssl as pg.PoolConfig['ssl'];
  return { config, secrets: c.password ? [c.password] : [] };
}
