import type { ResultValue } from '@inlay/sdk';

/**
 * RFC 4180 CSV of loaded rows, raw values (numbers as numbers, times as `/load` sends them), with
 * member titles as the header. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
 * first) gets a leading `'`, so an exported tenant value cannot execute in someone's Excel.
 */
export function toCsv(
  columns: { key: string; title: string }[],
  rows: readonly Record<string, ResultValue>[],
): string {
  const lines = [columns.map((c) => field(c.title)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => field(row[c.key] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function field(value: ResultValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Hands the text to the browser as a file download. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** `Top destinations` → `top-destinations.csv`. */
export function csvFilename(title: string | undefined): string {
  const base = (title ?? 'table')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${base || 'table'}.csv`;
}
