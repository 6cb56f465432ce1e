import {
  type ClientContext,
  type DataResponse,
  formatValue,
  type MemberRef,
  type ResultValue,
  toNumeric,
} from '@inlay/sdk';
import { annotationOf, memberKey } from '../shared/members.js';
import type { CategorySeries } from '../shared/series.js';
import { daysBetween, startOf } from './period.js';

/**
 * Lines for the previous period, drawn under the current ones: bucket k of the previous period
 * (its k-th day, week, month… counted from the period's start) is aligned with bucket k of the
 * current one, so a missing bucket on either side leaves a gap rather than shifting the line.
 */

const TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}))?/;

/** Bucket `value`'s position from the start of its period, in `granularity` units. */
export function bucketIndex(
  value: ResultValue | undefined,
  periodStart: string,
  granularity: string,
): number | undefined {
  const m = typeof value === 'string' ? TIME.exec(value) : null;
  if (!m) return undefined;
  const date = m[1]!;
  const monthsFrom = (start: string) => {
    const [sy, sm] = start.split('-').map(Number);
    const [y, mo] = date.split('-').map(Number);
    return y! * 12 + mo! - (sy! * 12 + sm!);
  };
  switch (granularity) {
    case 'hour':
      return daysBetween(periodStart, date) * 24 + Number(m[2] ?? 0);
    case 'day':
      return daysBetween(periodStart, date);
    case 'week':
      return Math.floor(daysBetween(startOf(periodStart, 'week'), date) / 7);
    case 'month':
      return monthsFrom(startOf(periodStart, 'month'));
    case 'quarter':
      return Math.floor(monthsFrom(startOf(periodStart, 'quarter')) / 3);
    case 'year':
      return monthsFrom(startOf(periodStart, 'year')) / 12;
    default:
      return undefined;
  }
}

/** `shaped` (the current period) with one dashed series per measure for the previous period. */
export function withPreviousSeries(
  shaped: CategorySeries,
  current: DataResponse,
  previous: DataResponse,
  time: MemberRef,
  measures: MemberRef[],
  periods: { current: string; previous: string; label: string },
  ctx: ClientContext,
): CategorySeries {
  const timeKey = memberKey(time);
  const granularity = String(time.inputs?.granularity ?? 'day');
  const byIndex = new Map<number, Record<string, ResultValue>>();
  (previous.data ?? []).forEach((row, i) => {
    byIndex.set(bucketIndex(row[timeKey], periods.previous, granularity) ?? i, row);
  });
  const aligned = (current.data ?? []).map((row, i) =>
    byIndex.get(bucketIndex(row[timeKey], periods.current, granularity) ?? i),
  );
  const suffix = periods.label.replace(/^the /, '');
  const extra = measures.map((m, i) => {
    const key = memberKey(m);
    const annotation = annotationOf(previous.annotation ?? current.annotation, key);
    const base = shaped.series[i];
    return {
      key: `${key}#previous`,
      name: `${base?.name ?? key} (${suffix})`,
      values: aligned.map((row) => {
        const n = toNumeric(row?.[key]);
        return n === null ? null : Number(n);
      }),
      labels: aligned.map((row) => formatValue(row?.[key] ?? null, annotation, ctx, { member: key })),
      previousOf: i,
    };
  });
  return { ...shaped, series: [...shaped.series, ...extra] };
}
