import { type ErrorCode, InlayError } from '@inlay/core';

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
 * Why a database could not be used, as far as the connection goes: the login was refused, the
 * database (or file) it names does not exist, the server could not be reached, or it did not
 * answer in time. Anything else is not a connection problem.
 */
export type ConnectionCause = 'auth' | 'database' | 'unreachable' | 'timeout';

export const CONNECTION_CODES: Record<ConnectionCause, ErrorCode> = {
  auth: 'CONNECTION_AUTH',
  database: 'CONNECTION_DATABASE',
  unreachable: 'CONNECTION_UNREACHABLE',
  timeout: 'CONNECTION_TIMEOUT',
};

/** Socket errors (node's `code`) that mean nothing answers at that address. */
const UNREACHABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'EPIPE',
]);

/** PostgreSQL SQLSTATEs a login can fail with. */
const SQLSTATE_CAUSES: Record<string, ConnectionCause> = {
  '28000': 'auth', // invalid_authorization_specification: no such role, pg_hba rejects
  '28P01': 'auth', // invalid_password
  '3D000': 'database', // invalid_catalog_name: no such database
  '08001': 'unreachable', // sqlclient_unable_to_establish_sqlconnection
  '08004': 'unreachable', // sqlserver_rejected_establishment_of_sqlconnection
  '08006': 'unreachable', // connection_failure
  '57P03': 'unreachable', // cannot_connect_now: starting up or shutting down
  '53300': 'unreachable', // too_many_connections
};

/** node-postgres's own words when connecting takes longer than `connectionTimeoutMillis`. */
const CONNECT_TIMEOUT = /timeout expired|connection timeout|timeout exceeded when trying to connect/i;
/** …and when the server closes the socket before answering. */
const CONNECTION_LOST = /connection terminated unexpectedly|server closed the connection/i;

/** The error and what it wraps (AggregateError members, `cause`), a few levels deep. */
function chain(e: unknown, depth = 0): unknown[] {
  if (depth > 3 || e === null || typeof e !== 'object') return [e];
  const inner = e instanceof AggregateError ? e.errors : [];
  const cause = (e as { cause?: unknown }).cause;
  return [e, ...[...inner, ...(cause === undefined ? [] : [cause])].flatMap((x) => chain(x, depth + 1))];
}

/**
 * The connection cause of a client error, read from its codes (node's errno, PostgreSQL's
 * SQLSTATE) and node-postgres's messages; `null` when it is not a connection problem.
 */
export function connectionCause(e: unknown): ConnectionCause | null {
  const all = chain(e);
  const codes = all.map((x) => (x as { code?: unknown } | null)?.code).filter((c) => typeof c === 'string');
  if (codes.some((c) => UNREACHABLE_ERRNO.has(c))) return 'unreachable';
  if (codes.includes('ETIMEDOUT')) return 'timeout';
  for (const c of codes) if (Object.hasOwn(SQLSTATE_CAUSES, c)) return SQLSTATE_CAUSES[c]!;
  const messages = all.map(messageOf);
  if (messages.some((m) => CONNECT_TIMEOUT.test(m))) return 'timeout';
  if (messages.some((m) => CONNECTION_LOST.test(m))) return 'unreachable';
  return null;
}

/** What to check for each cause, when the driver has nothing more specific to say. */
const GENERIC_HINTS: Record<ConnectionCause, string> = {
  auth: "Check the connection's user and password.",
  database: "Check the connection's database name.",
  unreachable: "Check the connection's host and port, and that the database server is running.",
  timeout: 'The database server did not answer in time; check that it is up and not overloaded.',
};

/**
 * Wraps any error from a database client as an InlayError keeping the database's own message
 * (plus SQLSTATE when there is one) and never a connection string or password. A connection
 * problem gets its cause's code (CONNECTION_AUTH, …_DATABASE, …_UNREACHABLE, …_TIMEOUT) and a
 * hint (`hints` per cause, else a generic one); anything else is DRIVER.
 */
export function driverError(
  e: unknown,
  database: string,
  secrets: readonly (string | undefined)[] = [],
  hints: Partial<Record<ConnectionCause, string>> = {},
): InlayError {
  if (e instanceof InlayError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const state = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : '';
  const message = `${database}: ${scrub(messageOf(e), secrets)}${state}`;
  const cause = connectionCause(e);
  if (cause === null) return new InlayError('DRIVER', message);
  return new InlayError(CONNECTION_CODES[cause], message, { hint: hints[cause] ?? GENERIC_HINTS[cause] });
}

/** The server's own configuration is wrong (not a connection's credentials). */
export function configError(message: string, hint?: string): InlayError {
  return new InlayError('CONFIG', message, hint === undefined ? {} : { hint });
}

/** A connection's type or credentials cannot work as given: the connection's owner fixes them. */
export function credentialsError(message: string, hint?: string): InlayError {
  return new InlayError('CONNECTION_INVALID', message, hint === undefined ? {} : { hint });
}
