import type { StandardGranularity } from '@inlay/core';
import type { Dialect } from '../../sql/dialect.js';
import { type Fragment, frag, param, sql } from '../../sql/fragment.js';

/** A DATETIME again: DATE_FORMAT and MAKEDATE give text and dates, the driver reads DATETIME. */
const asDatetime = (f: Fragment): Fragment => sql`CAST(${f} AS DATETIME)`;

/** `DATE_FORMAT` patterns that zero everything below the unit. */
const FORMAT: Partial<Record<StandardGranularity, string>> = {
  second: '%Y-%m-%d %H:%i:%s',
  minute: '%Y-%m-%d %H:%i:00',
  hour: '%Y-%m-%d %H:00:00',
  month: '%Y-%m-01',
};

function truncate(unit: StandardGranularity, e: Fragment): Fragment {
  const pattern = FORMAT[unit];
  if (pattern) return asDatetime(sql`DATE_FORMAT(${e}, '${pattern}')`);
  switch (unit) {
    case 'day':
      return asDatetime(sql`DATE(${e})`);
    case 'week':
      // WEEKDAY counts from Monday = 0: weeks start on Monday, as in the other dialects.
      return asDatetime(sql`DATE_SUB(DATE(${e}), INTERVAL WEEKDAY(${e}) DAY)`);
    case 'quarter':
      return asDatetime(sql`DATE_ADD(MAKEDATE(YEAR(${e}), 1), INTERVAL QUARTER(${e}) - 1 QUARTER)`);
    default:
      return asDatetime(sql`MAKEDATE(YEAR(${e}), 1)`);
  }
}

/** The largest row count MySQL takes, for an OFFSET without a LIMIT (MySQL needs both). */
const ALL_ROWS = 18446744073709551615n;

/**
 * MySQL 8 and MariaDB 10.6+. Sessions run with `time_zone = '+00:00'` and `PIPES_AS_CONCAT`
 * (set by the driver), so DATETIME columns hold naive UTC and `||` concatenates as elsewhere.
 * Named zones need the server's time zone tables (`mysql_tzinfo_to_sql`); the driver refuses
 * a zone query with a clear error when they are empty, since CONVERT_TZ would answer NULL.
 */
export const mysqlDialect: Dialect = {
  name: 'mysql',
  quoteIdentifier: (name) => `\`${name.replaceAll('`', '``')}\``,
  placeholder: () => '?',
  timestampParam: (p) => sql`CAST(${p} AS DATETIME(3))`,
  timestampValue: (p) => sql`CAST(${p} AS DATETIME(3))`,
  numberParam: (p) => p,
  toZone: (expr, tz) => sql`CONVERT_TZ(${expr}, '+00:00', ${tz})`,
  truncate,
  addInterval: (expr, amount, unit) =>
    sql`DATE_ADD(${expr}, INTERVAL ${String(amount)} ${unit.toUpperCase()})`,
  // Not UNIX_TIMESTAMP: it depends on the session zone and stops at 1970 and 2038 (or 2106).
  epochSeconds: (expr) => sql`(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', ${expr}) / 1e6)`,
  fromEpochSeconds: (expr) =>
    sql`DATE_ADD(TIMESTAMP '1970-01-01 00:00:00', INTERVAL CAST(ROUND((${expr}) * 1000000) AS SIGNED) MICROSECOND)`,
  // LOWER on both sides: a column's collation may be case-sensitive (binary, *_bin, *_cs).
  ilike: (expr, pattern) => sql`LOWER(${expr}) LIKE LOWER(${pattern}) ESCAPE '\\\\'`,
  // Neither MySQL nor MariaDB has an approximate distinct count; exact is always correct.
  countDistinctApprox: (expr) => sql`count(DISTINCT ${expr})`,
  castToText: (expr) => sql`CAST(${expr} AS CHAR)`,
  castToDouble: (expr) => sql`CAST(${expr} AS DOUBLE)`,
  nullSafeEquals: (a, b) => sql`${a} <=> ${b}`,
  supportsHaving: true,
  orderDirection: (desc) => (desc ? 'DESC' : 'ASC'),
  // MySQL sorts NULL as the smallest value; the other dialects put NULL last ascending, first descending.
  orderItem: (column, desc, expr) =>
    desc ? `${expr} IS NULL DESC, ${column} DESC` : `${expr} IS NULL, ${column} ASC`,
  limitClause(limit, offset) {
    if (limit === undefined && !offset) return undefined;
    const parts = ['LIMIT ', param(limit === undefined ? ALL_ROWS : limit)];
    if (offset) parts.push(' OFFSET ', param(offset));
    return frag(parts);
  },
};
