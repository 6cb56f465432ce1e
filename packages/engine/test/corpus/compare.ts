import type { QueryInput, ResultValue } from '@inlay/core';
import { expect } from 'vitest';

/** Response rows as the engine returns them. */
export type Row = Record<string, ResultValue>;

export const RELATIVE_TOLERANCE = 1e-9;

/** Driver cells → response values: integers that a driver left as bigint become numbers. */
export function toResultRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === 'bigint' ? Number(v) : (v as ResultValue);
  }
  return out;
}

/** Adds the key `runQuery` adds for each time dimension with a granularity: `cube.member`. */
export function withBaseTimeKeys(rows: Row[], query: QueryInput): Row[] {
  const keys = (query.timeDimensions ?? [])
    .filter((td) => td.granularity !== undefined)
    .map((td) => [`${td.dimension}.${td.granularity}`, td.dimension] as const);
  if (keys.length === 0) return rows;
  return rows.map((row) => {
    const out = { ...row };
    for (const [withGranularity, base] of keys) {
      if (withGranularity in row && !(base in row)) out[base] = row[withGranularity] ?? null;
    }
    return out;
  });
}

function close(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

function sortKey(row: Row, measures: ReadonlySet<string>): string {
  const keys = Object.keys(row).sort();
  // Dimensions first (exact), then measures rounded so tiny float differences sort alike.
  const dims = keys.filter((k) => !measures.has(k)).map((k) => `${k}=${JSON.stringify(row[k] ?? null)}`);
  const meas = keys
    .filter((k) => measures.has(k))
    .map((k) => {
      const v = row[k];
      return `${k}=${typeof v === 'number' ? v.toPrecision(8) : JSON.stringify(v ?? null)}`;
    });
  return [...dims, ...meas].join('\u0001');
}

function sortRows(rows: Row[], measures: ReadonlySet<string>): Row[] {
  return rows
    .map((r) => [sortKey(r, measures), r] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
}

/**
 * Compares with `toEqual` for a readable diff: an actual number within the relative tolerance of
 * the expected one is replaced by the expected value first. Nothing else is coerced: a number that
 * arrives as a string, a time in another format or a missing or extra key fails.
 */
export function expectSameRows(
  actual: Row[],
  wanted: Row[],
  opts: { name: string; ordered: boolean; measures?: readonly string[] },
): void {
  const measures = new Set(opts.measures ?? []);
  const a = opts.ordered ? actual : sortRows(actual, measures);
  const e = opts.ordered ? wanted : sortRows(wanted, measures);
  const aligned = a.map((row, i) => {
    const ref = e[i];
    if (!ref) return row;
    const out: Row = { ...row };
    for (const [k, v] of Object.entries(row)) {
      const w = ref[k];
      if (typeof v === 'number' && typeof w === 'number' && close(v, w)) out[k] = w;
    }
    return out;
  });
  expect(aligned, `rows of "${opts.name}"`).toEqual(e);
}
