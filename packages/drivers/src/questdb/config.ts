import type pg from 'pg';
import { credentialsError } from '../errors.js';
import type { DriverOptions } from '../options.js';
import { questdbTypeParsers } from './types.js';

export const DEFAULT_PORT = 8812;
export const DEFAULT_DATABASE = 'qdb';
const DEFAULT_POOL_SIZE = 8;
/** `questdb://` says which server it is; the protocol is PostgreSQL's wire either way. */
export const URL_SCHEMES = ['questdb:', 'postgres:', 'postgresql:'];

/**
 * QuestDB credentials, Embeddable's shape: the parts (`port` may be a string such as "8812";
 * `database` defaults to `qdb`) or a `postgres://user:password@host:8812/qdb` URL (`questdb://`
 * works the same).
 */
export type QuestDBCredentials =
  | {
      host: string;
      port?: number | string;
      user: string;
      password?: string;
      database?: string;
      /** QuestDB Enterprise only: `true` for TLS with certificate checks, or options for `tls.connect`. */
      ssl?: boolean | Record<string, unknown>;
    }
  | { url: string };

export interface QuestDBSettings {
  config: pg.PoolConfig;
  /** Where cancel requests go (the same server the pool connects to). */
  endpoint: { host: string; port: number };
  user: string;
  /** Strings that must never appear in an error message. */
  secrets: string[];
}

function parsePort(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_PORT;
  const text = String(value).trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65_535)) {
    throw credentialsError(
      `QuestDB port '${text}' is not a port number.`,
      'Use the PostgreSQL wire port, 8812 by default.',
    );
  }
  return port;
}

function sslFromMode(mode: string | null): pg.PoolConfig['ssl'] | undefined {
  if (mode === null || mode === 'disable' || mode === 'prefer' || mode === 'allow') return undefined;
  if (mode === 'require') return { rejectUnauthorized: false };
  if (mode === 'verify-ca' || mode === 'verify-full') return true;
  throw credentialsError(`QuestDB \`url\` has an unknown sslmode '${mode}'.`);
}

interface Parts {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  ssl: pg.PoolConfig['ssl'] | undefined;
  secrets: string[];
}

function partsFromUrl(text: unknown): Parts {
  if (typeof text !== 'string' || text === '') {
    throw credentialsError('QuestDB credentials need a `url` string or `host` and `user`.');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw credentialsError(
      'QuestDB `url` is not a valid URL.',
      'Expected postgres://user:password@host:8812/qdb.',
    );
  }
  if (!URL_SCHEMES.includes(url.protocol)) {
    throw credentialsError(
      `QuestDB \`url\` must start with questdb://, postgres:// or postgresql://, not ${url.protocol}//.`,
    );
  }
  if (!url.hostname) throw credentialsError('QuestDB `url` has no host.');
  const user = decodeURIComponent(url.username);
  if (!user)
    throw credentialsError('QuestDB `url` has no user.', 'QuestDB logs in as admin/quest by default.');
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || DEFAULT_DATABASE;
  return {
    // IPv6 hosts come bracketed from URL; sockets want them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsePort(url.port),
    user,
    password,
    database,
    ssl: sslFromMode(url.searchParams.get('sslmode')),
    secrets: [password ?? '', url.password, text].filter((s) => s !== ''),
  };
}

function partsFromFields(c: Record<string, unknown> | undefined): Parts {
  const missing = (['host', 'user'] as const).filter((k) => typeof c?.[k] !== 'string' || c[k] === '');
  if (!c || missing.length) {
    throw credentialsError(
      `QuestDB credentials are missing ${missing.join(', ')}.`,
      'Give `host`, `port` (8812), `user`, `password` and optionally `database` (qdb), or a `url`.',
    );
  }
  if (c.password !== undefined && typeof c.password !== 'string') {
    throw credentialsError('QuestDB `password` must be a string.');
  }
  if (c.database !== undefined && typeof c.database !== 'string') {
    throw credentialsError('QuestDB `database` must be a string.');
  }
  const password = c.password as string | undefined;
  return {
    host: c.host as string,
    port: parsePort(c.port),
    user: c.user as string,
    password,
    database: (c.database as string | undefined) || DEFAULT_DATABASE,
    ssl: c.ssl as pg.PoolConfig['ssl'] | undefined,
    secrets: password ? [password] : [],
  };
}

/**
 * Credentials and options → a `pg.Pool` configuration with this pool's own type parsers.
 * No startup `options` are sent: QuestDB accepts and ignores session settings such as
 * `statement_timeout` or `default_transaction_read_only`, so the driver enforces both itself.
 */
export function questdbSettings(credentials: QuestDBCredentials, options: DriverOptions): QuestDBSettings {
  const parts =
    credentials && typeof credentials === 'object' && 'url' in credentials
      ? partsFromUrl(credentials.url)
      : partsFromFields(credentials as Record<string, unknown> | undefined);
  const config: pg.PoolConfig = {
    host: parts.host,
    port: parts.port,
    user: parts.user,
    database: parts.database,
    max: Math.max(1, options.poolSize ?? DEFAULT_POOL_SIZE),
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
    types: questdbTypeParsers,
  };
  if (parts.password !== undefined) config.password = parts.password;
  if (parts.ssl !== undefined) config.ssl = parts.ssl;
  return {
    config,
    endpoint: { host: parts.host, port: parts.port },
    user: parts.user,
    secrets: parts.secrets,
  };
}
