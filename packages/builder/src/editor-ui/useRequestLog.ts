/// <reference lib="dom" />
import { useCallback, useEffect, useReducer } from 'react';
import { ApiError, api } from '../api.js';
import {
  type ConsoleEntry,
  consoleReducer,
  emptyConsole,
  sqlRequestBody,
  withoutHint,
} from '../editor/console.js';
import { sentence } from '../messages.js';

/** The runtime's event for each data request (packages/embed: `inlay:request`). */
export const REQUEST_EVENT = 'inlay:request';

/**
 * Collects the canvas's data requests from the moment the editor opens, the console open or
 * not, so opening it shows how the canvas loaded. The events are composed and bubble, so the
 * widgets' shadow roots need no listener of their own.
 */
export function useRequestLog() {
  const [log, dispatch] = useReducer(consoleReducer, undefined, emptyConsole);
  useEffect(() => {
    const listener = (e: Event) => dispatch({ type: 'add', report: (e as CustomEvent).detail });
    document.addEventListener(REQUEST_EVENT, listener);
    return () => document.removeEventListener(REQUEST_EVENT, listener);
  }, []);

  const clear = useCallback(() => dispatch({ type: 'clear' }), []);
  /** Asks the dry run once per entry (when its row first opens): the SQL does not change. */
  const explain = useCallback(async (entry: ConsoleEntry) => {
    if (entry.sql && entry.sql.state !== 'failed') return;
    dispatch({ type: 'sql', id: entry.id, sql: { state: 'loading' } });
    try {
      const answer = await api.sql(sqlRequestBody(entry));
      dispatch({ type: 'sql', id: entry.id, sql: { state: 'done', answer } });
    } catch (err) {
      const hint = err instanceof ApiError ? err.hint : undefined;
      const message =
        err instanceof ApiError
          ? sentence(withoutHint(err.message, hint))
          : 'The server could not be reached.';
      dispatch({ type: 'sql', id: entry.id, sql: { state: 'failed', message, ...(hint ? { hint } : {}) } });
    }
  }, []);
  return { log, clear, explain };
}

export type RequestLog = ReturnType<typeof useRequestLog>;
