import { type Driver, InlayError } from '@inlay/core';
import { createDriver, databasePlugin, fieldsWhere } from '@inlay/drivers';
import type { Credentials } from '../store/index.js';
import type { ConnectionType } from './credentials.js';

export { CONNECTION_TYPES, type ConnectionType, checkConnection } from './credentials.js';

/**
 * The strings that must never reach a client or a log line: the values of the fields its plugin
 * marks secret, and the password inside a URL.
 */
export function secretsOf(type: string, credentials: Credentials): string[] {
  const out: string[] = [];
  for (const name of fieldsWhere(databasePlugin(type), (f) => f.secret)) {
    const value = credentials[name];
    if (typeof value !== 'string') continue;
    if (value.length >= 2) out.push(value);
    try {
      const pw = decodeURIComponent(new URL(value).password);
      if (pw.length >= 2) out.push(pw);
    } catch {
      // not a URL: the whole string is already hidden
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
  return scrubbed(secretsOf(type, credentials), async () =>
    createDriver(type, credentials, { readOnly: true }),
  );
}

export interface TestResult {
  ok: true;
  canWrite: boolean;
  warning?: string;
}

const WRITE_WARNING =
  "this connection's user can write to the database; Inlay only reads, so prefer a read-only user";

/**
 * Connects and reports whether the login could write. A database whose plugin answers that itself
 * (DuckDB checks the file system, so testing never takes a write lock on a file the server is
 * reading) is opened read-only.
 */
export async function testConnection(type: ConnectionType, credentials: Credentials): Promise<TestResult> {
  const secrets = secretsOf(type, credentials);
  const plugin = databasePlugin(type);
  return scrubbed(secrets, async () => {
    const driver = createDriver(type, credentials, { readOnly: plugin.canWrite !== undefined, poolSize: 1 });
    try {
      await driver.test();
      const canWrite = plugin.canWrite ? await plugin.canWrite(credentials) : await driver.canWrite();
      return canWrite ? { ok: true, canWrite, warning: WRITE_WARNING } : { ok: true, canWrite };
    } finally {
      await driver.close().catch(() => {});
    }
  });
}
