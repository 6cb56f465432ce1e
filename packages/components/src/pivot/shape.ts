import {
  type ClientContext,
  type DataResponse,
  formatValue,
  type MemberRef,
  type ResultValue,
} from '@inlay/sdk';
import { compareRaw } from '../shared/matrix.js';
import { annotationOf, memberKey, memberTitle } from '../shared/members.js';

/**
 * `/load` rows (row dimensions × column dimensions × measures) as a pivot: the distinct row and
 * column keys, sorted level by level, and each cell's text. Totals come from their own queries
 * (the server aggregates them: an average's total is not the sum of averages), looked up here.
 */

export interface PivotKey {
  id: string;
  labels: string[];
}

export interface Pivot {
  rowTitles: string[];
  columnTitles: string[];
  measureTitles: string[];
  rowKeys: PivotKey[];
  columnKeys: PivotKey[];
  /** Keys past the limits are left out; the widget says so. */
  hiddenRows: number;
  hiddenColumns: number;
  cell(row: PivotKey, column: PivotKey, measure: number): string;
}

export const MAX_ROW_KEYS = 500;
export const MAX_COLUMN_KEYS = 40;

const idOf = (row: Record<string, ResultValue>, keys: string[]) =>
  JSON.stringify(keys.map((k) => row[k] ?? null));

function distinctKeys(rows: Record<string, ResultValue>[], keys: string[]): ResultValue[][] {
  const seen = new Map<string, ResultValue[]>();
  for (const r of rows)
    seen.set(
      idOf(r, keys),
      keys.map((k) => r[k] ?? null),
    );
  return [...seen.values()].sort((a, b) => {
    for (let i = 0; i < a.length; i++) {
      const c = compareRaw(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return 0;
  });
}

export function toPivot(
  response: DataResponse,
  rows: MemberRef[],
  columns: MemberRef[],
  measures: MemberRef[],
  ctx: ClientContext,
): Pivot {
  const data = response.data ?? [];
  const ann = (k: string) => annotationOf(response.annotation, k);
  const rk = rows.map(memberKey);
  const ck = columns.map(memberKey);
  const mk = measures.map(memberKey);
  const keysOf = (keys: string[], values: ResultValue[][]): PivotKey[] =>
    values.map((v) => ({
      id: JSON.stringify(v),
      labels: v.map((x, i) => formatValue(x, ann(keys[i]!), ctx, { member: keys[i]! })),
    }));
  const allRows = distinctKeys(data, rk);
  const allColumns = distinctKeys(data, ck);
  const cells = new Map<string, Record<string, ResultValue>>();
  for (const r of data) cells.set(`${idOf(r, rk)}|${idOf(r, ck)}`, r);
  return {
    rowTitles: rows.map((r, i) => memberTitle(r, ann(rk[i]!))),
    columnTitles: columns.map((c, i) => memberTitle(c, ann(ck[i]!))),
    measureTitles: measures.map((m, i) => memberTitle(m, ann(mk[i]!))),
    rowKeys: keysOf(rk, allRows.slice(0, MAX_ROW_KEYS)),
    columnKeys: keysOf(ck, allColumns.slice(0, MAX_COLUMN_KEYS)),
    hiddenRows: Math.max(0, allRows.length - MAX_ROW_KEYS),
    hiddenColumns: Math.max(0, allColumns.length - MAX_COLUMN_KEYS),
    cell(row, column, m) {
      const r = cells.get(`${row.id}|${column.id}`);
      const key = mk[m]!;
      return r ? formatValue(r[key] ?? null, ann(key), ctx, { member: key }) : '';
    },
  };
}

/** A totals answer (grouped by `by`) as a lookup: key id → each measure's text. */
export function totalsOf(
  response: DataResponse | undefined,
  by: MemberRef[],
  measures: MemberRef[],
  ctx: ClientContext,
): ((id: string, measure: number) => string) | undefined {
  if (!response || response.isLoading || response.error || !response.data) return undefined;
  const keys = by.map(memberKey);
  const rows = new Map(response.data.map((r) => [idOf(r, keys), r]));
  return (id, m) => {
    const key = memberKey(measures[m]!);
    const r = rows.get(id);
    return r ? formatValue(r[key] ?? null, annotationOf(response.annotation, key), ctx, { member: key }) : '';
  };
}

/** Runs of equal prefixes at `level` (merged header cells): `[label, span]`. */
export function headerRuns(keys: PivotKey[], level: number): { label: string; span: number }[] {
  const runs: { label: string; span: number; prefix: string }[] = [];
  for (const k of keys) {
    const prefix = JSON.stringify(k.labels.slice(0, level + 1));
    const last = runs.at(-1);
    if (last && last.prefix === prefix) last.span++;
    else runs.push({ label: k.labels[level] ?? '', span: 1, prefix });
  }
  return runs.map(({ label, span }) => ({ label, span }));
}
