import { InlayError } from '@inlay/core';

/** Removes anything that looks like a credential from a message: `scheme://user:pass@`, and the given secrets. */
export function scrub(message: string, secrets: readonly (string | undefined)[] = []): string {
  let out = message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@');
  for (const s of secrets) {
    if (s && s.length >= 2) out = out.split(s).join('***');
  }
  return out;
}

function messageOf(e: unknown): string {
  // Connecting to a host with several addresses fails with an AggregateError whose own message is empty.
  if (e instanceof AggregateError && !e.message && e.errors.length) {
    return [...new Set(e.errors.map(messageOf))].join('; ');
  }
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/**
 * Wraps any error from a database client as InlayError('DRIVER'), keeping the database's own
 * message (plus SQLSTATE when there is one) and never a connection string or password.
 */
export function driverError(
  e: unknown,
  database: string,
  secrets: readonly (string | undefined)[] = [],
): InlayError {
  if (e instanceof InlayError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const state = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : '';
  return new InlayError('DRIVER', `${database}: ${scrub(messageOf(e), secrets)}${state}`);
}

export function configError(message: string, hint?: string): InlayError {
  return new InlayError('CONFIG', message, hint === undefined ? {} : { hint });
}
