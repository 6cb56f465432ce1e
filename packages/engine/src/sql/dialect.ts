import type { StandardGranularity } from '@inlay/core';
import type { Fragment } from './fragment.js';

export type IntervalUnit = StandardGranularity;

/**
 * Everything that differs between databases, in one object per database. The render stage asks
 * the dialect for expressions; the printer asks it for quoting, placeholders and clause shapes.
 * A database's dialect lives in `dialects/<type>/` and is registered in `dialects/index.ts`.
 */
export interface Dialect {
  readonly name: string;
  quoteIdentifier(name: string): string;
  /** Placeholder for the 1-based parameter `index`. */
  placeholder(index: number): string;

  /** A bound timestamp parameter as the database needs it in a comparison with a timestamp column. */
  timestampParam(p: Fragment): Fragment;
  /** A bound number compared with a column: typed so an integer column accepts 1.5 or 2^60. */
  numberParam(p: Fragment, value: number): Fragment;
  /** A bound timestamp parameter standing alone as a value (a select-list item), typed as a timestamp. */
  timestampValue(p: Fragment): Fragment;
  /** A naive-UTC timestamp expression converted to the wall clock of the zone in `tz` (a bound parameter). */
  toZone(expr: Fragment, tz: Fragment): Fragment;
  /** `unit` comes from a fixed list, never from a request, and is printed as a literal. */
  truncate(unit: StandardGranularity, expr: Fragment): Fragment;
  addInterval(expr: Fragment, amount: number, unit: IntervalUnit): Fragment;
  /** Seconds since the epoch, as a double. */
  epochSeconds(expr: Fragment): Fragment;
  fromEpochSeconds(expr: Fragment): Fragment;

  /** Case-insensitive LIKE with `\` as escape character. */
  ilike(expr: Fragment, pattern: Fragment): Fragment;
  countDistinctApprox(expr: Fragment): Fragment;
  castToText(expr: Fragment): Fragment;
  castToDouble(expr: Fragment): Fragment;
  nullSafeEquals(a: Fragment, b: Fragment): Fragment;

  /** Whether `HAVING` works; without it the render stage filters in a wrapping select. */
  readonly supportsHaving: boolean;
  /** ORDER BY direction, with the NULL placement every dialect shares (PostgreSQL's). */
  orderDirection(desc: boolean): string;
  /**
   * A whole ORDER BY item, for databases that cannot say `NULLS FIRST`: the quoted output
   * column and its expression as printed in the select list.
   */
  orderItem?(column: string, desc: boolean, expr: string): string;
  /** LIMIT/OFFSET clause, its numbers bound as parameters. */
  limitClause(limit: number | undefined, offset: number | undefined): Fragment | undefined;
}
