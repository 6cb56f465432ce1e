import { access, constants } from 'node:fs/promises';
import { type Driver, InlayError } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { z } from 'zod';
import type { Credentials } from '../store/index.js';

const text = z.string().min(1).max(1000);
const port = z.union([z.number().int().min(1).max(65_535), z.string().regex(/^\d{1,5}$/, 'a port number')]);
const ssl = z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional();
const pgUrl = z.strictObject({ url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL') });

/**
 * Credentials shape per connection type (Embeddable's names). Checked when a connection is saved
 * or tested, so a typo is a 400 now rather than a 502 at the first query.
 */
const CREDENTIALS = {
  duckdb: z.strictObject({ path: text.optional() }),
  postgres: z.union([
    z.strictObject({
      host: text,
      port: port.optional(),
      database: text,
      user: text,
      password: z.string().max(1000).optional(),
      ssl,
    }),
    pgUrl,
  ]),
  questdb: z.union([
    z.strictObject({
      host: text,
      port,
      user: text,
      password: z.string().max(1000),
      database: text.optional(),
      ssl,
    }),
    pgUrl,
  ]),
} as const;

export type ConnectionType = keyof typeof CREDENTIALS;
export const CONNECTION_TYPES = Object.keys(CREDENTIALS) as ConnectionType[];

function badRequest(message: string): InlayError {
  return new InlayError('QUERY_INVALID', message);
}

/** The type and credentials checked for shape; the message names fields, never their values. */
export function checkConnection(
  type: string,
  credentials: unknown,
): { type: ConnectionType; credentials: Credentials } {
  if (!Object.hasOwn(CREDENTIALS, type)) {
    throw badRequest(
      `unknown connection type '${type.slice(0, 50)}'; supported types: ${CONNECTION_TYPES.join(', ')}`,
    );
  }
  const t = type as ConnectionType;
  const parsed = CREDENTIALS[t].safeParse(credentials ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => {
      const field = ['credentials', ...i.path.map(String)].join('.');
      return `${field}: ${i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}` : i.message}`;
    });
    throw badRequest(`invalid ${t} credentials: ${issues.join('; ')}`);
  }
  const out = { ...parsed.data } as Credentials;
  // The PostgreSQL driver wants a number; "5432" is what people paste.
  if (t === 'postgres' && typeof out.port === 'string') out.port = Number(out.port);
  return { type: t, credentials: out };
}

/** The strings that must never reach a client or a log line. */
export function secretsOf(credentials: Credentials): string[] {
  const out: string[] = [];
  if (typeof credentials.password === 'string' && credentials.password.length >= 2)
    out.push(credentials.password);
  if (typeof credentials.url === 'string') {
    try {
      const pw = decodeURIComponent(new URL(credentials.url).password);
      if (pw.length >= 2) out.push(pw);
    } catch {
      // not a URL: nothing to hide beyond the whole string, which is never echoed
    }
  }
  return out;
}

export function scrubSecrets(message: string, secrets: readonly string[]): string {
  let out = message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@');
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/** Runs `fn` and rethrows any failure with the credentials' secrets removed from its message. */
async function scrubbed<T>(secrets: string[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const message = scrubSecrets(e instanceof Error ? e.message : String(e), secrets);
    if (e instanceof InlayError) {
      // A credentials problem the driver found (a bad port, a bad URL) is the caller's to fix.
      const code = e.code === 'CONFIG' ? 'QUERY_INVALID' : e.code;
      throw new InlayError(code, message, e.hint ? { hint: e.hint } : {});
    }
    throw new InlayError('DRIVER', message);
  }
}

export function openReadOnly(type: ConnectionType, credentials: Credentials): Promise<Driver> {
  return scrubbed(secretsOf(credentials), async () => createDriver(type, credentials, { readOnly: true }));
}

export interface TestResult {
  ok: true;
  canWrite: boolean;
  warning?: string;
}

const WRITE_WARNING =
  "this connection's user can write to the database; Inlay only reads, so prefer a read-only user";

/**
 * Connects and reports whether the login could write. DuckDB files are checked through the file
 * system, so testing never takes a write lock on a file the server is reading.
 */
export async function testConnection(type: ConnectionType, credentials: Credentials): Promise<TestResult> {
  const secrets = secretsOf(credentials);
  return scrubbed(secrets, async () => {
    const duck = type === 'duckdb';
    const driver = createDriver(type, credentials, { readOnly: duck, poolSize: 1 });
    try {
      await driver.test();
      const canWrite = duck ? await fileWritable(credentials.path) : await driver.canWrite();
      return canWrite ? { ok: true, canWrite, warning: WRITE_WARNING } : { ok: true, canWrite };
    } finally {
      await driver.close().catch(() => {});
    }
  });
}

async function fileWritable(path: unknown): Promise<boolean> {
  if (typeof path !== 'string') return false;
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
