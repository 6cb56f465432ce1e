import type { RequestReport } from '@inlay/embed';
import { describe, expect, it } from 'vitest';
import {
  asReport,
  CONSOLE_LIMIT,
  type ConsoleState,
  cacheText,
  clockTime,
  consoleReducer,
  consoleSummary,
  emptyConsole,
  paramText,
  sqlRequestBody,
  statusText,
  widgetText,
  withoutHint,
} from '../src/editor/console.js';

const report = (over: Partial<RequestReport> = {}): RequestReport => ({
  widgetId: 'kpi',
  widgetIds: ['kpi'],
  dataset: 'flights',
  query: { measures: ['flights.count'], limit: 100 },
  as: { securityContext: { states: ['CA'] } },
  startedAt: '2024-05-01T10:00:00.000Z',
  ms: 12,
  status: 'ok',
  httpStatus: 200,
  cache: 'none',
  rows: 1,
  error: null,
  ...over,
});

const add = (state: ConsoleState, r: unknown) => consoleReducer(state, { type: 'add', report: r });

describe('the developer console’s log', () => {
  it('keeps reports newest first, each with its own id', () => {
    let s = emptyConsole();
    s = add(s, report({ widgetId: 'a' }));
    s = add(s, report({ widgetId: 'b' }));
    expect(s.entries.map((e) => [e.id, e.widgetId])).toEqual([
      [2, 'b'],
      [1, 'a'],
    ]);
  });

  it('orders by when a request was sent, not when it settled', () => {
    let s = emptyConsole();
    s = add(s, report({ widgetId: 'slow', startedAt: '2024-05-01T10:00:00.100Z' }));
    s = add(s, report({ widgetId: 'fast', startedAt: '2024-05-01T10:00:00.300Z' }));
    s = add(s, report({ widgetId: 'slower', startedAt: '2024-05-01T10:00:00.000Z' }));
    s = add(s, report({ widgetId: 'middle', startedAt: '2024-05-01T10:00:00.200Z' }));
    expect(s.entries.map((e) => e.widgetId)).toEqual(['fast', 'middle', 'slow', 'slower']);
  });

  it('ignores an event detail that is not a report', () => {
    const s = emptyConsole();
    for (const bad of [null, 'x', {}, { ...report(), status: 'weird' }, { ...report(), query: null }]) {
      expect(add(s, bad)).toBe(s);
    }
    expect(asReport(report())).toBeDefined();
  });

  it(`keeps the last ${CONSOLE_LIMIT} and counts the dropped ones`, () => {
    let s = emptyConsole();
    for (let i = 0; i < CONSOLE_LIMIT + 5; i++) s = add(s, report({ ms: i }));
    expect(s.entries).toHaveLength(CONSOLE_LIMIT);
    expect(s.entries[0]!.ms).toBe(CONSOLE_LIMIT + 4);
    expect(s.entries.at(-1)!.ms).toBe(5);
    expect(s.dropped).toBe(5);
    expect(consoleSummary(s)).toBe(`${CONSOLE_LIMIT} requests, 5 older not kept`);
  });

  it('Clear empties it; ids keep counting so an answer for a cleared row lands nowhere', () => {
    let s = add(add(emptyConsole(), report()), report());
    s = consoleReducer(s, { type: 'clear' });
    expect(s.entries).toEqual([]);
    expect(s.dropped).toBe(0);
    expect(consoleReducer(s, { type: 'sql', id: 1, sql: { state: 'loading' } })).toBe(s);
    s = add(s, report());
    expect(s.entries[0]!.id).toBe(3);
  });

  it('stores the dry run’s answer on its entry only', () => {
    let s = add(add(emptyConsole(), report({ widgetId: 'a' })), report({ widgetId: 'b' }));
    const answer = {
      dialect: 'duckdb',
      dataSource: 'default',
      connection: 'default',
      sql: 'SELECT 1',
      params: [],
    };
    s = consoleReducer(s, { type: 'sql', id: 1, sql: { state: 'done', answer } });
    expect(s.entries.find((e) => e.id === 1)!.sql).toEqual({ state: 'done', answer });
    expect(s.entries.find((e) => e.id === 2)!.sql).toBeUndefined();
  });

  it('sums up requests and failures', () => {
    let s = add(emptyConsole(), report());
    expect(consoleSummary(s)).toBe('1 request');
    s = add(s, report({ status: 'error', httpStatus: 400, error: { message: 'x' } }));
    expect(consoleSummary(s)).toBe('2 requests, 1 failed');
  });
});

describe('what the console shows', () => {
  it('asks the dry run as the customer the preview asked as', () => {
    expect(
      sqlRequestBody(
        report({ as: { securityContext: { states: ['NY'] }, roles: ['admin'], environment: 'staging' } }),
      ),
    ).toEqual({
      query: { measures: ['flights.count'], limit: 100 },
      securityContext: { states: ['NY'] },
      roles: ['admin'],
      environment: 'staging',
    });
    const { as: _, ...tokenReport } = report();
    expect(sqlRequestBody(tokenReport)).toEqual({ query: tokenReport.query, securityContext: {} });
  });

  it('spells parameters as SQL would', () => {
    expect(paramText('CA')).toBe("'CA'");
    expect(paramText("O'Hare")).toBe("'O''Hare'");
    expect(paramText(3)).toBe('3');
    expect(paramText(true)).toBe('true');
    expect(paramText(null)).toBe('NULL');
    expect(paramText({ kind: 'timestamp', utc: '2001-02-01T00:00:00.000Z' })).toBe(
      "TIMESTAMP '2001-02-01T00:00:00.000Z'",
    );
  });

  it('says the hint once: taken off the end of the message it was appended to', () => {
    const hint = "Did you mean 'count'?";
    expect(withoutHint(`cube 'flights' has no member 'cuont'. ${hint}`, hint)).toBe(
      "cube 'flights' has no member 'cuont'.",
    );
    expect(withoutHint('no hint here', hint)).toBe('no hint here');
    expect(withoutHint('message', undefined)).toBe('message');
  });

  it('status, cache level, widgets and time', () => {
    expect(statusText(report())).toBe('OK');
    expect(statusText(report({ status: 'error', httpStatus: 400 }))).toBe('Error 400');
    expect(statusText(report({ status: 'error', httpStatus: null }))).toBe('Error');
    expect(statusText(report({ status: 'aborted', httpStatus: null }))).toBe('Aborted');
    expect(cacheText(report({ cache: 'l1' }))).toBe('l1');
    expect(cacheText(report({ cache: null }))).toBe('–');
    expect(widgetText(report({ widgetIds: ['kpi', 'bars'] }))).toBe('kpi (+ bars)');
    expect(widgetText(report({ widgetId: null, widgetIds: [] }))).toBe('–');
    const at = new Date(2024, 4, 1, 9, 5, 7, 45);
    expect(clockTime(at.toISOString())).toBe('09:05:07.045');
    expect(clockTime('not a time')).toBe('not a time');
  });
});
