import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDateValue,
  DuckDBDecimalValue,
  type DuckDBMaterializedResult,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
  HUGEINT,
  INTEGER,
  SQLNULL,
  VARCHAR,
} from '@duckdb/node-api';
import type { CellValue, ParamValue, QueryResult, Row } from '@inlay/core';
import { isoDateFromDays, naiveIsoFromMicros, normalizeBigInt } from '../values.js';

const INT32_MAX = 2_147_483_647;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Our parameter values → DuckDB values and explicit types (integers bind as INTEGER/BIGINT). */
export function toDuckDBParams(params: readonly ParamValue[]): {
  values: DuckDBValue[];
  types: DuckDBType[];
} {
  const values: DuckDBValue[] = [];
  const types: DuckDBType[] = [];
  for (const p of params) {
    if (typeof p === 'number') {
      if (Number.isSafeInteger(p)) {
        const small = Math.abs(p) <= INT32_MAX;
        values.push(small ? p : BigInt(p));
        types.push(small ? INTEGER : BIGINT);
      } else {
        values.push(p);
        types.push(DOUBLE);
      }
    } else if (typeof p === 'bigint') {
      values.push(p);
      types.push(p <= INT64_MAX && p >= INT64_MIN ? BIGINT : HUGEINT);
    } else if (p !== null && typeof p === 'object') {
      values.push(p.utc);
      types.push(VARCHAR);
    } else {
      values.push(p);
      types.push(p === null ? SQLNULL : typeof p === 'boolean' ? BOOLEAN : VARCHAR);
    }
  }
  return { values, types };
}

function microsOf(v: DuckDBValue): bigint | null {
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return v.micros;
  if (v instanceof DuckDBTimestampMillisecondsValue) return v.millis * 1000n;
  if (v instanceof DuckDBTimestampSecondsValue) return v.seconds * 1_000_000n;
  if (v instanceof DuckDBTimestampNanosecondsValue) {
    const q = v.nanos / 1000n;
    return v.nanos < 0n && v.nanos % 1000n !== 0n ? q - 1n : q;
  }
  return null;
}

/** One DuckDB value → the driver contract's cell value. */
export function toCell(v: DuckDBValue): CellValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return normalizeBigInt(v);
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  if (v instanceof DuckDBDateValue) return (v.isFinite ? isoDateFromDays(v.days) : null) ?? v.toString();
  const micros = microsOf(v);
  if (micros !== null) {
    // Both TIMESTAMP (stored wall clock) and TIMESTAMPTZ (UTC instant) count microseconds from the epoch.
    const finite = (v as { isFinite: boolean }).isFinite;
    return (finite ? naiveIsoFromMicros(micros) : null) ?? String(v);
  }
  // UUID, INTERVAL, TIME, BLOB, LIST, STRUCT, MAP, … as DuckDB prints them.
  return String(v);
}

/**
 * A run's rows, read from its materialized chunks in place. (A result reader fetches each chunk
 * and then the end through the thread pool, a hand-off each that cost 0.5–0.7 ms per query on a
 * 2-core machine: bench:lean's DuckDB side, raw against the reader.)
 */
export function toQueryResult(result: DuckDBMaterializedResult): QueryResult {
  const names = result.columnNames();
  const columns = result.columnTypes().map((type, i) => ({ name: names[i]!, type: type.toString() }));
  const rows: Row[] = [];
  for (let c = 0, chunks = result.chunkCount; c < chunks; c++) {
    for (const raw of result.getChunk(c).getRows()) {
      const row: Row = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = toCell(raw[i] ?? null);
      rows.push(row);
    }
  }
  return { rows, columns };
}
