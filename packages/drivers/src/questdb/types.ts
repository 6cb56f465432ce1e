import type { ParamValue } from '@inlay/core';
import type pg from 'pg';
import { typeParsers as postgresTypeParsers } from '../postgres/types.js';
import { naiveIsoFromTimestampText } from '../values.js';

const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const NAIVE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/;

/**
 * QuestDB `TIMESTAMP` (and `DATE`, `TIMESTAMP_NS`) text → naive UTC ISO `YYYY-MM-DDTHH:mm:ss.SSS`.
 * QuestDB stores UTC and prints it without a zone (`2001-02-03 04:05:06.789123`); pg's default
 * parser would read that as local time. A trailing `Z` or offset is honoured too.
 */
export function parseQuestDBTimestamp(text: string): string {
  const trimmed = text.endsWith('Z') ? text.slice(0, -1) : text;
  const iso = naiveIsoFromTimestampText(trimmed);
  // Text that is no plain timestamp comes back unchanged, with its `Z`.
  return NAIVE_ISO.test(iso) ? iso : text;
}

/**
 * Per-pool parsers (pg's global ones stay untouched): the PostgreSQL driver's choices — `long`
 * (int8) as a number when exact else `bigint`, decimals as numbers, unknown types as text —
 * with QuestDB's zone-less timestamps read as UTC.
 */
export const questdbTypeParsers = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format !== 'binary' && (oid === TIMESTAMP || oid === TIMESTAMPTZ)) return parseQuestDBTimestamp;
    return postgresTypeParsers.getTypeParser(oid, format as never);
  }) as typeof pg.types.getTypeParser,
};

type PgValue = string | boolean | null;

/**
 * Our parameters → what pg sends. Everything travels as text so QuestDB types each `$n` from
 * its context; a timestamp is its naive ISO text (`2001-01-01T00:00:00.000`, UTC), which QuestDB
 * parses wherever a timestamp is expected — the dialect prints it as a bare `$n`, never cast.
 */
export function toQuestDBParams(params: readonly ParamValue[]): PgValue[] {
  return params.map((p) => {
    if (p === null || typeof p === 'boolean' || typeof p === 'string') return p;
    if (typeof p === 'number') {
      // QuestDB has no text form for these; NULL is what its arithmetic yields for them.
      return Number.isFinite(p) ? String(p) : null;
    }
    if (typeof p === 'bigint') return p.toString();
    return p.utc;
  });
}
