import type { LoadResponse, ResultValue } from '@inlay/core';
import type { CompiledQuery } from '@inlay/engine';
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';

export const FORMATS = ['json', 'table', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** `table` for a person at a terminal, `json` for a pipe or a file. */
export function defaultFormat(): Format {
  return process.stdout.isTTY ? 'table' : 'json';
}

/**
 * One column per query member, in query order. A time dimension answers under two keys
 * (`flights.date.month` and `flights.date`) with the same value; tables and CSV show the first.
 */
export function columnsOf(compiled: CompiledQuery): string[] {
  return compiled.columns.map((c) => c.keys[0]!);
}

function text(v: ResultValue | undefined): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

export function renderTable(columns: string[], rows: LoadResponse['data']): string {
  const numeric = columns.map((c) => rows.some((r) => typeof r[c] === 'number'));
  const tty = process.stdout.isTTY === true;
  const table = new Table({
    head: columns,
    // No rule between rows: compact, like psql.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: tty ? ['cyan'] : [], border: tty ? ['grey'] : [] },
  });
  for (const r of rows) {
    table.push(columns.map((c, i) => ({ content: text(r[c]), hAlign: numeric[i] ? 'right' : 'left' })));
  }
  const n = rows.length;
  return `${table.toString()}\n${n} row${n === 1 ? '' : 's'}`;
}

export function renderCsv(columns: string[], rows: LoadResponse['data']): string {
  return stringify(
    rows.map((r) => columns.map((c) => r[c] ?? null)),
    {
      header: true,
      columns,
      cast: { boolean: (v) => (v ? 'true' : 'false') },
    },
  );
}

export function renderResponse(format: Format, columns: string[], response: LoadResponse): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(response, null, 2)}\n`;
    case 'csv':
      return renderCsv(columns, response.data);
    case 'table': {
      const total = response.total !== undefined ? `\ntotal: ${response.total}` : '';
      return `${renderTable(columns, response.data)}${total}\n`;
    }
  }
}
