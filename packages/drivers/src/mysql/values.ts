import type { CellValue, ParamValue } from '@inlay/core';
import { naiveIsoFromTimestampText, parseDecimalText, parseIntegerText } from '../values.js';

/** mysql2's column type codes (the protocol's), the ones read differently from plain text. */
const DECIMAL = new Set([0, 246]);
const LONGLONG = 8;
const DATE = new Set([10, 14]);
const DATETIME = new Set([7, 12, 17, 18]);
const JSON_TYPE = 245;

/** Names for the protocol's type codes, for `QueryResult.columns`. */
const TYPE_NAMES: Record<number, string> = {
  0: 'decimal',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  6: 'null',
  7: 'timestamp',
  8: 'bigint',
  9: 'mediumint',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
  14: 'date',
  15: 'varchar',
  16: 'bit',
  17: 'timestamp',
  18: 'datetime',
  19: 'time',
  245: 'json',
  246: 'decimal',
  247: 'enum',
  248: 'set',
  249: 'tinyblob',
  250: 'mediumblob',
  251: 'longblob',
  252: 'blob',
  253: 'varchar',
  254: 'char',
  255: 'geometry',
};

export function typeName(columnType: number | undefined): string {
  return columnType === undefined ? 'unknown' : (TYPE_NAMES[columnType] ?? `type:${columnType}`);
}

/** A zero date (`0000-00-00`) has no instant; it is returned as MySQL prints it. */
const integerText = /^-?\d+$/;

/**
 * One value as mysql2 hands it over (with `dateStrings`, `supportBigNumbers`, `bigNumberStrings`
 * and DECIMAL as text) → the CellValue contract: integers as numbers when exact, else bigint;
 * decimals as numbers (whole ones as integers); DATETIME/TIMESTAMP as naive UTC ISO text (the
 * session runs in +00:00); DATE as `YYYY-MM-DD`; bytes as `\x…` hex like PostgreSQL's bytea.
 */
export function toCell(value: unknown, columnType: number | undefined): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    if (columnType === LONGLONG) return integerText.test(value) ? parseIntegerText(value) : value;
    if (columnType !== undefined && DECIMAL.has(columnType)) {
      return integerText.test(value) ? parseIntegerText(value) : parseDecimalText(value);
    }
    if (columnType !== undefined && DATETIME.has(columnType)) return naiveIsoFromTimestampText(value);
    if (columnType !== undefined && DATE.has(columnType)) return value;
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  // MySQL's JSON type arrives parsed; the contract keeps it as the text the database holds.
  if (columnType === JSON_TYPE || typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Our parameters → what mysql2 binds: timestamps as DATETIME text, big integers as text. */
export function toMySQLParams(params: readonly ParamValue[]): (string | number | boolean | null)[] {
  return params.map((p) => {
    if (p === null || typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean') return p;
    if (typeof p === 'bigint') return p.toString();
    return p.utc.replace('T', ' ');
  });
}
