import type pg from 'pg';
import { loadPg } from '../pg-wire/load.js';
import { naiveIsoFromTimestampText, parseDecimalText, parseIntegerText } from '../values.js';

const INT8 = 20;
const NUMERIC = 1700;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const DATE = 1082;

/** Types whose pg default parser already yields the contract's value (bool, int2, int4, oid, float4, float8). */
const PG_DEFAULT = new Set([16, 21, 23, 26, 700, 701]);

const identity = (text: string): string => text;

/**
 * Per-pool parsers (pg's global ones stay untouched). Everything not listed stays text, so arrays,
 * json, intervals and bytea arrive as PostgreSQL prints them rather than as objects.
 */
export const typeParsers = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format === 'binary') return loadPg().types.getTypeParser(oid, 'binary');
    switch (oid) {
      case INT8:
        return parseIntegerText;
      case NUMERIC:
        return parseDecimalText;
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return naiveIsoFromTimestampText;
      case DATE:
        return identity;
      default:
        return PG_DEFAULT.has(oid) ? loadPg().types.getTypeParser(oid, 'text') : identity;
    }
  }) as typeof pg.types.getTypeParser,
};

/** Names of common type OIDs; others are looked up in pg_type once per driver. */
export const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [16, 'bool'],
  [17, 'bytea'],
  [18, 'char'],
  [19, 'name'],
  [20, 'int8'],
  [21, 'int2'],
  [23, 'int4'],
  [25, 'text'],
  [26, 'oid'],
  [114, 'json'],
  [700, 'float4'],
  [701, 'float8'],
  [1042, 'bpchar'],
  [1043, 'varchar'],
  [1082, 'date'],
  [1083, 'time'],
  [1114, 'timestamp'],
  [1184, 'timestamptz'],
  [1186, 'interval'],
  [1266, 'timetz'],
  [1700, 'numeric'],
  [2950, 'uuid'],
  [3802, 'jsonb'],
]);
