import type { CellValue, ResultValue, Row } from '@inlay/core';
import type { OutputColumn } from '../render/columns.js';

/** A number as JSON can carry it: exact integers stay numbers; larger ones become decimal strings. */
function toNumber(v: CellValue): number | string | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint')
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number(v);
  if (!Number.isFinite(n)) return v;
  // Integer text beyond 2^53 keeps its digits rather than losing them silently.
  return /^-?\d+$/.test(v) && !Number.isSafeInteger(n) ? v : n;
}

function cell(c: OutputColumn, v: CellValue): ResultValue {
  if (v === null || v === undefined) return null;
  switch (c.type) {
    case 'number':
      return toNumber(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 'true' || v === 't' || v === 1 || v === '1';
    case 'time':
      return typeof v === 'string' ? v : String(v);
    default:
      return typeof v === 'bigint' ? v.toString() : (v as ResultValue);
  }
}

/** Driver rows (keyed by SQL alias) to response rows keyed `cube.member`. */
export function shapeRows(columns: OutputColumn[], rows: Row[]): Record<string, ResultValue>[] {
  return rows.map((row) => {
    const out: Record<string, ResultValue> = {};
    for (const c of columns) {
      const value = cell(c, row[c.alias] ?? null);
      for (const k of c.keys) out[k] = value;
    }
    return out;
  });
}
