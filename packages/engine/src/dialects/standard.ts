import type { Dialect } from '../sql/dialect.js';
import { frag, param, sql } from '../sql/fragment.js';

/** What PostgreSQL and DuckDB share: ANSI quoting, `$n` placeholders, date_trunc, INTERVAL literals. */
export const standardDialect: Omit<
  Dialect,
  'name' | 'countDistinctApprox' | 'fromEpochSeconds' | 'castToDouble'
> = {
  quoteIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: (index) => `$${index}`,
  timestampParam: (p) => sql`CAST(${p} AS TIMESTAMP)`,
  timestampValue: (p) => sql`CAST(${p} AS TIMESTAMP)`,
  numberParam: (p) => p,
  // Stored timestamps are naive UTC: read them as UTC, then take the wall clock in the zone.
  toZone: (expr, tz) => sql`((${expr}) AT TIME ZONE 'UTC') AT TIME ZONE ${tz}`,
  truncate: (unit, expr) => sql`date_trunc('${unit}', ${expr})`,
  addInterval: (expr, amount, unit) =>
    unit === 'quarter'
      ? sql`(${expr} + INTERVAL '${String(amount * 3)} month')`
      : sql`(${expr} + INTERVAL '${String(amount)} ${unit}')`,
  epochSeconds: (expr) => sql`EXTRACT(EPOCH FROM ${expr})`,
  ilike: (expr, pattern) => sql`${expr} ILIKE ${pattern} ESCAPE '\\'`,
  castToText: (expr) => sql`CAST(${expr} AS VARCHAR)`,
  nullSafeEquals: (a, b) => sql`${a} IS NOT DISTINCT FROM ${b}`,
  supportsHaving: true,
  orderDirection: (desc) => (desc ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'),
  limitClause(limit, offset) {
    const parts = [];
    if (limit !== undefined) parts.push('LIMIT ', param(limit));
    if (offset) parts.push(parts.length ? ' OFFSET ' : 'OFFSET ', param(offset));
    return parts.length ? frag(parts) : undefined;
  },
};
