import {
  type ClientContext,
  type DataResponse,
  formatValue,
  type MemberRef,
  type ResultValue,
  toNumeric,
} from '@inlay/sdk';
import { annotationOf, memberKey, memberTitle } from './members.js';

/**
 * Rows of (x, y, value) as a matrix: the distinct x and y values, sorted (numbers as numbers,
 * dates and text as written), and each cell's number and text. The heatmap draws it; its
 * accessible table is the same matrix, one row per y value.
 */
export interface Matrix {
  xTitle: string;
  yTitle: string;
  valueTitle: string;
  xLabels: string[];
  yLabels: string[];
  /** `[xIndex, yIndex, value]` for every cell that has a row. */
  cells: [number, number, number | null][];
  /** Cell text by `y` then `x`; '' where no row exists. */
  text: string[][];
  min: number;
  max: number;
}

export function compareRaw(a: ResultValue, b: ResultValue): number {
  const na = toNumeric(a);
  const nb = toNumeric(b);
  if (na !== null && nb !== null) return Number(na) - Number(nb);
  if (a === null) return 1;
  if (b === null) return -1;
  return String(a).localeCompare(String(b));
}

function distinct(rows: Record<string, ResultValue>[], key: string): ResultValue[] {
  const seen = new Map<string, ResultValue>();
  for (const r of rows) seen.set(JSON.stringify(r[key] ?? null), r[key] ?? null);
  return [...seen.values()].sort(compareRaw);
}

export function toMatrix(
  response: DataResponse,
  x: MemberRef,
  y: MemberRef,
  measure: MemberRef,
  ctx: ClientContext,
): Matrix {
  const rows = response.data ?? [];
  const [xk, yk, mk] = [memberKey(x), memberKey(y), memberKey(measure)];
  const ann = (k: string) => annotationOf(response.annotation, k);
  const xs = distinct(rows, xk);
  const ys = distinct(rows, yk);
  const xIndex = new Map(xs.map((v, i) => [JSON.stringify(v), i]));
  const yIndex = new Map(ys.map((v, i) => [JSON.stringify(v), i]));
  const text = ys.map(() => xs.map(() => ''));
  const cells: Matrix['cells'] = [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    const xi = xIndex.get(JSON.stringify(r[xk] ?? null))!;
    const yi = yIndex.get(JSON.stringify(r[yk] ?? null))!;
    const n = toNumeric(r[mk]);
    const value = n === null ? null : Number(n);
    if (value !== null) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    cells.push([xi, yi, value]);
    text[yi]![xi] = formatValue(r[mk] ?? null, ann(mk), ctx, { member: mk });
  }
  return {
    xTitle: memberTitle(x, ann(xk)),
    yTitle: memberTitle(y, ann(yk)),
    valueTitle: memberTitle(measure, ann(mk)),
    xLabels: xs.map((v) => formatValue(v, ann(xk), ctx, { member: xk })),
    yLabels: ys.map((v) => formatValue(v, ann(yk), ctx, { member: yk })),
    cells,
    text,
    min: Number.isFinite(min) ? min : 0,
    max: Number.isFinite(max) ? max : 0,
  };
}
