import { InlayError } from '@inlay/core';
import { CONNECTION_CODES, type ConnectionCause, connectionCause, scrub } from '../errors.js';

/** What a mysql2 error carries besides its message. */
interface MySQLClientError {
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  sqlMessage?: unknown;
  message?: unknown;
}

/** Server error codes (mysql2's `code`) that mean the connection itself cannot work. */
const CAUSES: Record<string, ConnectionCause> = {
  ER_ACCESS_DENIED_ERROR: 'auth', // 1045: wrong user or password
  ER_DBACCESS_DENIED_ERROR: 'auth', // 1044: the user may not use that database
  ER_HOST_NOT_PRIVILEGED: 'auth', // 1130: the user may not connect from this host
  ER_ACCESS_DENIED_NO_PASSWORD_ERROR: 'auth',
  ER_NOT_SUPPORTED_AUTH_MODE: 'auth',
  ER_BAD_DB_ERROR: 'database', // 1049: no such database
  ER_CON_COUNT_ERROR: 'unreachable', // 1040: too many connections
  ER_SERVER_SHUTDOWN: 'unreachable',
  PROTOCOL_CONNECTION_LOST: 'unreachable',
  HANDSHAKE_SSL_ERROR: 'unreachable',
};

const CONNECTION_HINTS: Record<ConnectionCause, string> = {
  auth: 'MySQL refused the login: check `user` and `password`, and that the user may connect from this host and use the database (GRANT).',
  database: 'Check `database` (or the URL path): it must name an existing database on that server.',
  unreachable: 'Check `host` and `port` (3306 by default) and that MySQL/MariaDB is running and reachable.',
  timeout:
    'MySQL did not answer in time: check `host` and `port` and that the server is up and not overloaded.',
};

/** Query errors: the code we give and what to check. */
const QUERY_ERRORS: Record<string, { code: 'DRIVER' | 'CANCELLED' | 'TIMEOUT'; hint?: string }> = {
  ER_NO_SUCH_TABLE: {
    code: 'DRIVER',
    hint: "Check the cube's sql_table against the tables the database has (SHOW TABLES).",
  },
  ER_BAD_FIELD_ERROR: {
    code: 'DRIVER',
    hint: "Check the member's sql against the table's columns (SHOW COLUMNS FROM t).",
  },
  ER_PARSE_ERROR: {
    code: 'DRIVER',
    hint: 'MySQL rejected the SQL; `inlay query --sql` shows what was sent.',
  },
  ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: {
    code: 'DRIVER',
    hint: 'This connection is read-only (SET SESSION TRANSACTION READ ONLY): it runs queries, never writes.',
  },
  ER_QUERY_INTERRUPTED: { code: 'CANCELLED' },
  ER_STATEMENT_TIMEOUT: { code: 'TIMEOUT', hint: "The server's max_execution_time stopped the query." },
  ER_TABLEACCESS_DENIED_ERROR: { code: 'DRIVER', hint: 'Grant the connection user SELECT on that table.' },
  ER_UNKNOWN_TIME_ZONE: {
    code: 'DRIVER',
    hint: 'Load the time zone tables: mysql_tzinfo_to_sql /usr/share/zoneinfo | mariadb -u root mysql',
  },
};

function messageOf(e: unknown): string {
  if (e instanceof AggregateError && !e.message && e.errors.length) {
    return [...new Set(e.errors.map(messageOf))].join('; ');
  }
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/**
 * Any error from mysql2 → InlayError: the server's message with its code and SQLSTATE, never a
 * password or URL. Connection problems get CONNECTION_* codes, read from MySQL's own error codes
 * first, then node's errno (ECONNREFUSED, ENOTFOUND, ETIMEDOUT).
 */
export function mysqlError(e: unknown, secrets: readonly (string | undefined)[] = []): InlayError {
  if (e instanceof InlayError) return e;
  const err = (e ?? {}) as MySQLClientError;
  const code = typeof err.code === 'string' ? err.code : undefined;
  const state =
    typeof err.sqlState === 'string' && err.sqlState !== 'HY000' ? `, SQLSTATE ${err.sqlState}` : '';
  const tag = code?.startsWith('ER_') ? ` (${code}${state})` : '';
  const message = `MySQL: ${scrub(messageOf(e), secrets)}${tag}`;
  const cause = (code && Object.hasOwn(CAUSES, code) ? CAUSES[code] : undefined) ?? connectionCause(e);
  // No `cause`: the client error may carry connection details this message has scrubbed.
  if (cause) return new InlayError(CONNECTION_CODES[cause], message, { hint: CONNECTION_HINTS[cause] });
  const known = code && Object.hasOwn(QUERY_ERRORS, code) ? QUERY_ERRORS[code] : undefined;
  if (!known) return new InlayError('DRIVER', message);
  return new InlayError(known.code, message, known.hint ? { hint: known.hint } : {});
}
