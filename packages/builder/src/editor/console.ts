import type { RequestReport } from '@inlay/embed';

/**
 * The developer console's log, pure: the runtime's `inlay:request` reports, newest sent first and
 * capped, each with the SQL the server's dry run (`POST /api/v1/sql`) gave for it once asked.
 */

/** Enough to follow a session of editing; older entries go so a long session stays light. */
export const CONSOLE_LIMIT = 200;

export interface SqlAnswer {
  dialect: string;
  dataSource: string;
  connection: string;
  sql: string;
  params: unknown[];
  rollup?: { id: string; sql: string } | { reason: string };
}

export type SqlState =
  | { state: 'loading' }
  | { state: 'done'; answer: SqlAnswer }
  | { state: 'failed'; message: string; hint?: string };

export interface ConsoleEntry extends RequestReport {
  /** Unique in this console (a report has no identity of its own). */
  id: number;
  sql?: SqlState;
}

export interface ConsoleState {
  entries: ConsoleEntry[];
  nextId: number;
  /** Reports dropped for the cap since the last Clear. */
  dropped: number;
}

export type ConsoleAction =
  | { type: 'add'; report: unknown }
  | { type: 'clear' }
  | { type: 'sql'; id: number; sql: SqlState };

export const emptyConsole = (): ConsoleState => ({ entries: [], nextId: 1, dropped: 0 });

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The report an event carried, when it looks like one: the runtime is a script of its own, so
 * its detail is checked rather than trusted to match this build's type.
 */
export function asReport(detail: unknown): RequestReport | undefined {
  if (!isObject(detail) || !isObject(detail.query)) return undefined;
  if (detail.status !== 'ok' && detail.status !== 'error' && detail.status !== 'aborted') return undefined;
  if (typeof detail.startedAt !== 'string' || typeof detail.ms !== 'number') return undefined;
  return detail as unknown as RequestReport;
}

export function consoleReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'add': {
      const report = asReport(action.report);
      if (!report) return state;
      // Reports come as requests settle; sorted by when they were sent, the Started column reads
      // in order. A new one nearly always belongs at the top, so the search is short.
      const at = state.entries.findIndex((e) => e.startedAt <= report.startedAt);
      const entries = [...state.entries];
      entries.splice(at === -1 ? entries.length : at, 0, { ...report, id: state.nextId });
      const over = Math.max(0, entries.length - CONSOLE_LIMIT);
      return {
        entries: over ? entries.slice(0, CONSOLE_LIMIT) : entries,
        nextId: state.nextId + 1,
        dropped: state.dropped + over,
      };
    }
    case 'clear':
      return { ...emptyConsole(), nextId: state.nextId };
    case 'sql': {
      if (!state.entries.some((e) => e.id === action.id)) return state;
      return {
        ...state,
        entries: state.entries.map((e) => (e.id === action.id ? { ...e, sql: action.sql } : e)),
      };
    }
  }
}

/** The dry run's body: the query as sent, as the same customer the preview asked as. */
export function sqlRequestBody(entry: RequestReport): Record<string, unknown> {
  const as = entry.as ?? {};
  return {
    query: entry.query,
    securityContext: as.securityContext ?? {},
    ...(as.roles ? { roles: as.roles } : {}),
    ...(as.environment ? { environment: as.environment } : {}),
  };
}

/** A bound parameter as SQL would spell it: strings quoted, timestamps typed, the rest as JSON. */
export function paramText(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  if (isObject(value) && value.kind === 'timestamp' && typeof value.utc === 'string') {
    return `TIMESTAMP '${value.utc}'`;
  }
  if (value === null || value === undefined) return 'NULL';
  return JSON.stringify(value);
}

/** The server's message ends with its hint (one line for logs and CLIs): shown apart, said once. */
export function withoutHint(message: string, hint: string | undefined): string {
  return hint && message.endsWith(` ${hint}`) ? message.slice(0, -hint.length - 1) : message;
}

/** `l1` / `l2` / `none`, or an en dash when no answer said (an error, an abort). */
export const cacheText = (entry: RequestReport): string => entry.cache ?? '–';

export function statusText(entry: RequestReport): string {
  if (entry.status === 'ok') return 'OK';
  if (entry.status === 'aborted') return 'Aborted';
  return entry.httpStatus ? `Error ${entry.httpStatus}` : 'Error';
}

/** `14:03:07.125`: requests come in bursts, so the milliseconds tell them apart. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** `12 requests, 1 failed` (and how many the cap dropped). */
export function consoleSummary(state: ConsoleState): string {
  const n = state.entries.length;
  const failed = state.entries.filter((e) => e.status === 'error').length;
  const parts = [n === 1 ? '1 request' : `${n} requests`];
  if (failed) parts.push(`${failed} failed`);
  if (state.dropped) parts.push(`${state.dropped} older not kept`);
  return parts.join(', ');
}

/** The widgets a request served: its own, then any that shared it. */
export function widgetText(entry: RequestReport): string {
  const others = entry.widgetIds.filter((w) => w !== entry.widgetId);
  const own = entry.widgetId ?? others.shift() ?? '–';
  return others.length ? `${own} (+ ${others.join(', ')})` : own;
}
