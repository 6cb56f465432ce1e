import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InlayError } from '@inlay/core';
import { z } from 'zod';
import { checkNewPassword } from '../accounts/passwords.js';
import { everyToMs } from '../cache/freshness.js';
import { normalizeEmail } from '../store/repos/users.js';

export interface ServerConfig {
  port: number;
  host: string;
  /** Absolute path: dev secrets, the SQLite metadata store, rollup files, what a project setup builds. */
  dataDir: string;
  production: boolean;
  /** 32 bytes; seals credentials and (through HKDF) signs security tokens. */
  secretKey: Buffer;
  /** sha256 of the workspace API key; the key itself is never kept. */
  apiKeyHash: Buffer;
  /** Set only on the start that generated the key: the one chance to show it. */
  generatedApiKey?: string;
  maxBodyBytes: number;
  queryTimeoutMs: number;
  maxRows: number;
  /** `GET /metrics` exists; with `metricsToken` it needs that Bearer token. */
  metricsEnabled: boolean;
  metricsToken?: string;
  /** Per token (or API-key workspace) on `/api/v1/load` and `/meta`; 0 is off. */
  rateLimitPerMinute: number;
  /** Browser origins allowed on the data routes; empty: no CORS headers. */
  corsOrigins: string[];
  /** Statements running at once per connection, and how many may wait for a slot. */
  maxConcurrentQueriesPerConnection: number;
  queryQueueSize: number;
  /** L1 in-process result cache budget; 0 keeps nothing in memory. */
  cacheMaxBytes: number;
  /** Redis shared by replicas as a second L1 tier. */
  redisUrl?: string;
  /** Freshness of answers over cubes without a `refresh_key`. */
  cacheRefreshEveryMs: number;
  /** How long past its freshness an answer may be served while one refresh runs. */
  cacheMaxStaleMs: number;
  /** L2 pre-aggregations served (and, unless a worker does it, built) by this process. */
  preaggsEnabled: boolean;
  /** `info`: one line per request; `debug` adds each query's details; `silent` logs nothing. */
  logLevel: LogLevel;
  /**
   * `INLAY_ADMIN_EMAIL` + `INLAY_ADMIN_PASSWORD`: the first admin, created on a start where nobody
   * can sign in yet (never overwrites an account). Without them such a start prints a sign-up link.
   */
  firstAdmin?: { email: string; password: string };
  /**
   * `/demo` (the "Acme SaaS" host page, whose backend route mints tokens for three demo customers)
   * is served with a project that has the flights demo's `flights-overview` dashboard. On unless
   * `INLAY_DEMO=off`, or in production.
   */
  demoEnabled: boolean;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The operations settings' defaults for `buildApp` callers that do not load a config. The rate
 * limit is the exception: off unless given (`loadConfig` gives 600), so tests and embedders that
 * hammer one app with one key are not throttled by surprise.
 */
export const OPERATIONS_DEFAULTS = {
  metricsEnabled: true,
  rateLimitPerMinute: 0,
  corsOrigins: [] as string[],
  maxConcurrentQueriesPerConnection: 8,
  queryQueueSize: 100,
  // Like the rate limit, off unless given: an embedder's test that changes data sees it at once.
  cacheMaxBytes: 0,
  cacheRefreshEveryMs: 10_000,
  cacheMaxStaleMs: 300_000,
} satisfies Partial<ServerConfig>;

export interface ConfigOverrides {
  port?: number;
  host?: string;
  dataDir?: string;
}

const SECRET_FILE = 'secret.key';
const API_KEY_FILE = 'api-key.sha256';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  INLAY_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  INLAY_HOST: z.string().min(1).default('127.0.0.1'),
  INLAY_DATA_DIR: z.string().min(1).default('./.inlay'),
  INLAY_SECRET_KEY: z.string().optional(),
  INLAY_API_KEY: z.string().optional(),
  INLAY_MAX_BODY_BYTES: positiveInt(1024 * 1024),
  INLAY_QUERY_TIMEOUT_MS: positiveInt(30_000),
  INLAY_MAX_ROWS: positiveInt(50_000),
  INLAY_METRICS_ENABLED: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .default(true),
  INLAY_METRICS_TOKEN: z.string().optional(),
  INLAY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  INLAY_CORS_ORIGINS: z.string().optional(),
  INLAY_MAX_CONCURRENT_QUERIES_PER_CONNECTION: positiveInt(8),
  INLAY_QUERY_QUEUE_SIZE: z.coerce.number().int().min(0).default(100),
  INLAY_CACHE_MAX_MB: z.coerce.number().min(0).default(256),
  INLAY_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  INLAY_CACHE_REFRESH_EVERY: z
    .string()
    .refine((t) => everyToMs(t) !== undefined, 'must read like "10 second", "5 minute" or "1 hour"')
    .default('10 second'),
  INLAY_CACHE_MAX_STALE_SECONDS: z.coerce.number().int().min(0).default(300),
  INLAY_PREAGGS: z.enum(['on', 'off']).default('on'),
  INLAY_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  INLAY_DEMO: z.enum(['on', 'off']).optional(),
  INLAY_ADMIN_EMAIL: z.string().optional(),
  INLAY_ADMIN_PASSWORD: z.string().optional(),
});

/** `https://app.example.com, http://localhost:3000` → exact origins; a path or a slash would never match. */
export function parseCorsOrigins(text: string | undefined): string[] {
  const origins = (text ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins) {
    let origin: string | undefined;
    try {
      origin = new URL(o).origin;
    } catch {}
    if (o !== '*' && origin !== o) {
      throw configError(
        `INLAY_CORS_ORIGINS: '${o}' is not an origin.`,
        'Write scheme://host[:port] with no path or trailing slash, e.g. https://app.example.com.',
      );
    }
  }
  return origins;
}

function configError(message: string, hint?: string): InlayError {
  return new InlayError('CONFIG', message, hint ? { hint } : {});
}

const KEY_HINT = 'Generate one with: openssl rand -hex 32';

/**
 * 64 hex characters or base64 of exactly 32 bytes. A key with few distinct bytes (a repeated
 * character, a word padded out) is refused: it would make every encrypted credential guessable.
 */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) key = Buffer.from(t, 'base64');
  if (key?.length !== 32) {
    throw configError('INLAY_SECRET_KEY must be 32 bytes written as 64 hex characters or base64.', KEY_HINT);
  }
  if (new Set(key).size < 16) {
    throw configError('INLAY_SECRET_KEY is too weak (too few distinct bytes); use a random key.', KEY_HINT);
  }
  return key;
}

function writePrivate(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  // The umask may have widened the mode on some systems; the file holds a secret.
  chmodSync(path, 0o600);
}

/** A key from the environment is checked before anything is written, so a refused start leaves no files. */
function secretKeyFromEnv(env: z.output<typeof envSchema>, production: boolean): Buffer | undefined {
  if (env.INLAY_SECRET_KEY) return parseSecretKey(env.INLAY_SECRET_KEY);
  if (production) {
    throw configError(
      'INLAY_SECRET_KEY is required when NODE_ENV=production: refusing to start without it.',
      KEY_HINT,
    );
  }
  return undefined;
}

function devSecretKey(dataDir: string): Buffer {
  const file = join(dataDir, SECRET_FILE);
  if (!existsSync(file)) writePrivate(file, `${randomBytes(32).toString('hex')}\n`);
  return parseSecretKey(readFileSync(file, 'utf8'));
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

function apiKey(
  env: z.output<typeof envSchema>,
  dataDir: string,
  production: boolean,
): { hash: Buffer; generated?: string } {
  if (env.INLAY_API_KEY !== undefined) {
    if (production && env.INLAY_API_KEY.length < 32) {
      throw configError('INLAY_API_KEY must be at least 32 characters when NODE_ENV=production.');
    }
    return { hash: hashApiKey(env.INLAY_API_KEY) };
  }
  const file = join(dataDir, API_KEY_FILE);
  if (existsSync(file)) {
    const hash = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (hash.length !== 32) {
      throw configError(`${file} is not a sha256 hash.`, 'Delete it to generate a new API key.');
    }
    return { hash };
  }
  const generated = `inlay_${randomBytes(32).toString('base64url')}`;
  const hash = hashApiKey(generated);
  writePrivate(file, `${hash.toString('hex')}\n`);
  return { hash, generated };
}

/** Environment (and CLI flags) to a validated config; creates the data dir and dev secrets on first use. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigOverrides = {},
): ServerConfig {
  // `INLAY_PORT=` in a shell or a compose file means "not set", as it does for most tools.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw configError(`${issue.path.join('.')}: ${issue.message}.`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = resolve(overrides.dataDir ?? e.INLAY_DATA_DIR);
  const envSecret = secretKeyFromEnv(e, production);
  const corsOrigins = parseCorsOrigins(e.INLAY_CORS_ORIGINS);
  mkdirSync(dataDir, { recursive: true });
  const key = apiKey(e, dataDir, production);
  const firstAdmin = firstAdminFromEnv(e);
  return {
    port: overrides.port ?? e.INLAY_PORT,
    host: overrides.host ?? e.INLAY_HOST,
    dataDir,
    production,
    secretKey: envSecret ?? devSecretKey(dataDir),
    apiKeyHash: key.hash,
    ...(key.generated ? { generatedApiKey: key.generated } : {}),
    maxBodyBytes: e.INLAY_MAX_BODY_BYTES,
    queryTimeoutMs: e.INLAY_QUERY_TIMEOUT_MS,
    maxRows: e.INLAY_MAX_ROWS,
    metricsEnabled: e.INLAY_METRICS_ENABLED,
    ...(e.INLAY_METRICS_TOKEN ? { metricsToken: e.INLAY_METRICS_TOKEN } : {}),
    rateLimitPerMinute: e.INLAY_RATE_LIMIT_PER_MINUTE,
    corsOrigins,
    maxConcurrentQueriesPerConnection: e.INLAY_MAX_CONCURRENT_QUERIES_PER_CONNECTION,
    queryQueueSize: e.INLAY_QUERY_QUEUE_SIZE,
    cacheMaxBytes: Math.round(e.INLAY_CACHE_MAX_MB * 1024 * 1024),
    ...(e.INLAY_REDIS_URL ? { redisUrl: e.INLAY_REDIS_URL } : {}),
    cacheRefreshEveryMs: everyToMs(e.INLAY_CACHE_REFRESH_EVERY)!,
    cacheMaxStaleMs: e.INLAY_CACHE_MAX_STALE_SECONDS * 1000,
    preaggsEnabled: e.INLAY_PREAGGS === 'on',
    logLevel: e.INLAY_LOG_LEVEL,
    // Anyone who reaches the server may mint the demo's tokens: never on by default in production.
    demoEnabled: e.INLAY_DEMO ? e.INLAY_DEMO === 'on' : !production,
    ...(firstAdmin ? { firstAdmin } : {}),
  };
}

/** Both or neither; the password long enough to be set (it is checked again when hashed). */
function firstAdminFromEnv(e: z.output<typeof envSchema>): { email: string; password: string } | undefined {
  const { INLAY_ADMIN_EMAIL: email, INLAY_ADMIN_PASSWORD: password } = e;
  if (email === undefined && password === undefined) return undefined;
  if (email === undefined || password === undefined) {
    throw configError(
      'INLAY_ADMIN_EMAIL and INLAY_ADMIN_PASSWORD go together: set both to create the first admin, or neither to get a one-time sign-up link.',
    );
  }
  try {
    normalizeEmail(email);
    checkNewPassword(password);
  } catch (err) {
    throw configError(
      `INLAY_ADMIN_${/password/.test((err as Error).message) ? 'PASSWORD' : 'EMAIL'}: ${(err as Error).message}.`,
    );
  }
  return { email, password };
}
