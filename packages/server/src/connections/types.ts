import { access, constants } from 'node:fs/promises';
import { type Driver, InlayError } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import type { Credentials } from '../store/index.js';
import type { ConnectionType } from './credentials.js';

export { CONNECTION_TYPES, type ConnectionType, checkConnection } from './credentials.js';

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
    // The drivers classify by cause (CONNECTION_AUTH, …_UNREACHABLE, …); the code is kept as is.
    if (e instanceof InlayError) {
      throw new InlayError(e.code, message, {
        ...(e.where ? { where: e.where } : {}),
        ...(e.hint ? { hint: scrubSecrets(e.hint, secrets) } : {}),
      });
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
