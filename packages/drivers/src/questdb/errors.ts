import { InlayError } from '@inlay/core';
import { CONNECTION_CODES, type ConnectionCause, connectionCause, driverError } from '../errors.js';

/**
 * QuestDB answers every error with SQLSTATE `00000`, so errors are told apart by their message
 * (QuestDB 8–9 wording; an unknown message is simply a DRIVER error).
 */
export type QuestDBErrorKind =
  | 'connection'
  | 'auth'
  | 'timeout'
  | 'cancelled'
  | 'readOnly'
  | 'missingTable'
  | 'missingColumn'
  | 'syntax'
  | 'other';

/** First match wins: connection problems come before `timeout`, which they may also mention. */
const PATTERNS: [QuestDBErrorKind, RegExp][] = [
  [
    'connection',
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ETIMEDOUT|EPIPE|connection terminated|trying to connect|connection (?:timeout|refused|reset|closed)|server closed the connection/i,
  ],
  [
    'auth',
    /invalid username\/password|authentication failed|password authentication|access denied for user/i,
  ],
  ['timeout', /timeout, query aborted|query timed? ?out|statement timeout/i],
  ['cancelled', /cancelled by user|query (?:was )?cancell?ed|canceling statement/i],
  [
    'readOnly',
    /read[- ]?only|write permission denied|permission denied|not allowed to write|writes? (?:are |is )?not allowed/i,
  ],
  ['missingTable', /table does not exist|table not found|table \[[^\]]*\] does not exist/i],
  ['missingColumn', /invalid column|column does not exist|column not found/i],
  [
    'syntax',
    /unexpected (?:token|argument|character|input)|syntax error|not supported|unsupported|there is no matching (?:function|operator)|inconvertible types|unknown function|expected/i,
  ],
];

export function classifyQuestDBMessage(message: string): QuestDBErrorKind {
  for (const [kind, re] of PATTERNS) if (re.test(message)) return kind;
  return 'other';
}

const HINTS: Partial<Record<QuestDBErrorKind, string>> = {
  connection: 'Check host and port (the PostgreSQL wire port, 8812 by default) and that QuestDB is running.',
  auth: 'Check user and password (QuestDB defaults to admin/quest; the read-only user is `user`).',
  timeout: "QuestDB's own query.timeout stopped the query. Narrow the query or raise the limit.",
  readOnly: 'The QuestDB user or server is read-only (pg.readonly.user / pg.security.readonly).',
  missingTable: "Check the cube's sql_table against the tables QuestDB lists (SHOW TABLES).",
  missingColumn: "Check the member's sql against the table's columns (SHOW COLUMNS FROM t).",
  syntax: 'QuestDB rejected the SQL; `inlay query --sql` shows what was sent.',
};

/** The message of any client error, without SQLSTATE `00000` (meaningless here) and without secrets. */
function cleanMessage(e: unknown, secrets: readonly (string | undefined)[]): string {
  const base = driverError(e, 'QuestDB', secrets).message.replace(/ \(SQLSTATE 00000\)$/, '');
  const position = (e as { position?: unknown } | null)?.position;
  return typeof position === 'string' && /^\d+$/.test(position) ? `${base} (at character ${position})` : base;
}

const CONNECTION_HINTS: Record<ConnectionCause, string> = {
  auth: HINTS.auth!,
  database: 'Check `database` (QuestDB serves `qdb`).',
  unreachable: HINTS.connection!,
  timeout: 'QuestDB did not answer in time: check host and port (8812) and that QuestDB is up.',
};

/**
 * The connection cause: from the client error's codes first (node's errno, node-postgres's
 * connect timeout), else from QuestDB's message (a refused login comes with SQLSTATE 00000).
 */
function causeOf(e: unknown, kind: QuestDBErrorKind, message: string): ConnectionCause | null {
  const fromCodes = connectionCause(e);
  if (fromCodes) return fromCodes;
  if (kind === 'auth') return 'auth';
  if (kind === 'connection') return /ETIMEDOUT|timeout/i.test(message) ? 'timeout' : 'unreachable';
  return null;
}

/** Any error from pg talking to QuestDB → InlayError with a code and hint chosen by its cause or message. */
export function questdbError(e: unknown, secrets: readonly (string | undefined)[] = []): InlayError {
  if (e instanceof InlayError) return e;
  const message = cleanMessage(e, secrets);
  const kind = classifyQuestDBMessage(message);
  // No `cause`: the client error may carry connection details this message has scrubbed.
  const cause = causeOf(e, kind, message);
  if (cause) return new InlayError(CONNECTION_CODES[cause], message, { hint: CONNECTION_HINTS[cause] });
  const hint = HINTS[kind];
  const opts = hint ? { hint } : {};
  switch (kind) {
    case 'timeout':
      return new InlayError('TIMEOUT', message, opts);
    case 'cancelled':
      return new InlayError('CANCELLED', message, opts);
    default:
      return new InlayError('DRIVER', message, opts);
  }
}
