import type { ParamValue } from '@inlay/core';
import type { Dialect, IntervalUnit } from '../../sql/dialect.js';
import { type Fragment, frag, param, sql } from '../../sql/fragment.js';

/** The value of a fragment that is nothing but one bound parameter. */
function bareParam(f: Fragment): { value: ParamValue } | undefined {
  const [only] = f.parts;
  if (f.parts.length !== 1 || only === undefined || typeof only === 'string') return undefined;
  if (only.kind === 'frag') return bareParam(only);
  return only.kind === 'param' ? { value: only.value } : undefined;
}

/**
 * QuestDB types a parameter from its context, so `cast($1 AS long)` makes `$1` a long and the
 * ISO text then fails to parse. Epoch arithmetic on a bare timestamp parameter (a custom
 * granularity's `origin`) is therefore done here, and its result bound instead.
 */
function epochOfBareTimestamp(f: Fragment): number | undefined {
  const p = bareParam(f);
  const v = p?.value;
  return v !== null && typeof v === 'object' ? Date.parse(`${v.utc}Z`) / 1000 : undefined;
}

function timestampOfBareNumber(f: Fragment): string | undefined {
  const v = bareParam(f)?.value;
  if (typeof v !== 'number' || !(Math.abs(v) < 8.64e12)) return undefined;
  return new Date(v * 1000).toISOString().slice(0, 23);
}

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

/**
 * QuestDB over its PostgreSQL wire protocol: no HAVING, no OFFSET (`LIMIT lo, hi`), literal
 * time units, bare timestamp parameters, `to_timezone`, `dateadd`, and `=` that already treats
 * NULL = NULL as true.
 */
export const questdbDialect: Dialect = {
  name: 'questdb',
  quoteIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: (index) => `$${index}`,
  timestampParam: (p) => p,
  numberParam: (p) => p,
  // A bare parameter in a select list would be typed as text; parse it explicitly.
  timestampValue: (p) => sql`to_timestamp(${p}, 'yyyy-MM-ddTHH:mm:ss.SSS')`,
  toZone: (expr, tz) => sql`to_timezone(${expr}, ${tz})`,
  truncate: (unit, expr) => sql`date_trunc('${unit}', ${expr})`,
  addInterval(expr, amount, unit) {
    const [u, k] = DATEADD_UNIT[unit];
    return sql`dateadd('${u}', ${String(amount * k)}, ${expr})`;
  },
  // QuestDB timestamps are microseconds since the epoch.
  epochSeconds(expr) {
    const seconds = epochOfBareTimestamp(expr);
    if (seconds !== undefined && Number.isFinite(seconds)) return frag([param(seconds)]);
    return sql`(cast(${expr} AS long) / 1000000.0)`;
  },
  fromEpochSeconds(expr) {
    // The inverse of the case above: a bare number goes back to a bare timestamp parameter.
    const utc = timestampOfBareNumber(expr);
    if (utc !== undefined) return frag([param({ kind: 'timestamp', utc })]);
    // Parenthesised: `expr` is often a sum (`floor(…) * n + origin`).
    return sql`cast(cast((${expr}) * 1000000 AS long) AS timestamp)`;
  },
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
