import { frag, param, sql } from '../../sql/fragment.js';
import type { Dialect, IntervalUnit } from '../dialect.js';

/**
 * QuestDB over its PostgreSQL wire protocol (see shared/reference/questdb.md): no HAVING, no
 * OFFSET (`LIMIT lo, hi`), literal time units, bare timestamp parameters, `to_timezone`,
 * `dateadd`, and `=` that already treats NULL = NULL as true.
 */
const DATEADD_UNIT: Record<IntervalUnit, [string, number]> = {
  second: ['s', 1],
  minute: ['m', 1],
  hour: ['h', 1],
  day: ['d', 1],
  week: ['w', 1],
  month: ['M', 1],
  quarter: ['M', 3],
  year: ['y', 1],
};

export const questdbDialect: Dialect = {
  name: 'questdb',
  quoteIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: (index) => `$${index}`,
  timestampParam: (p) => p,
  toZone: (expr, tz) => sql`to_timezone(${expr}, ${tz})`,
  truncate: (unit, expr) => sql`date_trunc('${unit}', ${expr})`,
  addInterval(expr, amount, unit) {
    const [u, k] = DATEADD_UNIT[unit];
    return sql`dateadd('${u}', ${String(amount * k)}, ${expr})`;
  },
  // QuestDB timestamps are microseconds since the epoch.
  epochSeconds: (expr) => sql`(cast(${expr} AS long) / 1000000.0)`,
  fromEpochSeconds: (expr) => sql`cast(cast(${expr} * 1000000 AS long) AS timestamp)`,
  ilike: (expr, pattern) => sql`${expr} ILIKE ${pattern}`,
  countDistinctApprox: (expr) => sql`count_distinct(${expr})`,
  castToText: (expr) => sql`cast(${expr} AS string)`,
  castToDouble: (expr) => sql`cast(${expr} AS double)`,
  nullSafeEquals: (a, b) => sql`${a} = ${b}`,
  supportsHaving: false,
  orderDirection: (desc) => (desc ? 'DESC' : 'ASC'),
  limitClause(limit, offset) {
    if (!offset) return limit === undefined ? undefined : frag(['LIMIT ', param(limit)]);
    // `LIMIT lo, hi` skips `lo` rows and returns rows up to row `hi`.
    const hi = limit === undefined ? Number.MAX_SAFE_INTEGER : offset + limit;
    return frag(['LIMIT ', param(offset), ', ', param(hi)]);
  },
};
