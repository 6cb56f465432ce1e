import type { ClientContext, DatasetRef, MemberRef } from '@inlay/sdk';
import {
  type ComparisonShift,
  comparisonShift,
  type Period,
  previousPeriod,
  resolvePeriod,
  todayIn,
} from './period.js';

/**
 * Which date range a widget shows and which one it compares with, from its inputs. The range is
 * the dataset's (a timeRange variable on the time dimension, `DatasetRef.timeRanges`) or else the
 * widget's own `dateRange` input; the previous period is asked for as a Cube `[from, to]` on a
 * copy of the dataset without its range on that member (else the runtime would AND both ranges
 * and find nothing). Relative ranges are resolved as the engine does, with today's date in the
 * client context's time zone — the zone the runtime sends queries in.
 */

export type DateRange = string | [string, string];

export interface ComparisonPlan {
  /** The time dimension the ranges apply to. */
  member: string;
  /** The range the widget shows, as whole days. */
  current: Period;
  previous: Period;
  shift: ComparisonShift;
  /** The dataset for the previous period's query: its range on `member` removed. */
  previousFrom: DatasetRef;
  /** "the previous period", "the previous year", … (screen-reader text and legends). */
  label: string;
}

export interface RangePlan {
  /** The time dimension the widget's range is on, when it has one. */
  member?: string | undefined;
  /** The widget's own `dateRange` input, which the main query must apply itself (the dataset's the runtime applies). */
  ownRange?: DateRange | undefined;
  /** Set when a comparison was asked for and is possible. */
  comparison?: ComparisonPlan | undefined;
  /** Why a comparison that was asked for is not shown (said quietly under the number). */
  note?: string | undefined;
}

/** A timeRange input value (`{from,to}`, `{relativeTimeString}`, a string or a pair) as a Cube date range. */
export function toDateRange(value: unknown): DateRange | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() ? value.trim().toLowerCase() : undefined;
  if (Array.isArray(value) && value.length === 2) return [String(value[0]), String(value[1])];
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.relativeTimeString === 'string') return toDateRange(v.relativeTimeString);
    if (typeof v.from === 'string' && typeof v.to === 'string') return [v.from, v.to];
  }
  return undefined;
}

const LABELS: Record<ComparisonShift, string> = {
  period: 'the previous period',
  week: 'the previous week',
  month: 'the previous month',
  quarter: 'the previous quarter',
  year: 'the previous year',
};

export function planRange(
  inputs: {
    ds?: DatasetRef | undefined;
    timeDimension?: MemberRef | undefined;
    dateRange?: unknown;
    comparison?: unknown;
  },
  clientContext: ClientContext,
  now: Date = new Date(),
): RangePlan {
  const { ds } = inputs;
  const member =
    inputs.timeDimension?.name ?? (ds?.timeRanges.length === 1 ? ds.timeRanges[0]!.dimension : undefined);
  const fromDataset = ds?.timeRanges.find((t) => t.dimension === member)?.dateRange;
  const ownRange = fromDataset === undefined ? toDateRange(inputs.dateRange) : undefined;
  const plan: RangePlan = { member, ownRange: member ? ownRange : undefined };
  const shift = comparisonShift(inputs.comparison);
  if (!shift || !ds) return plan;
  if (!member) return { ...plan, note: 'No comparison: no time dimension.' };
  const range = fromDataset ?? ownRange;
  if (range === undefined) return { ...plan, note: 'No comparison for all time.' };
  const timezone = typeof clientContext.timezone === 'string' ? clientContext.timezone : undefined;
  const current = resolvePeriod(range, todayIn(timezone, now));
  if (!current) return { ...plan, note: 'No comparison for this range.' };
  return {
    ...plan,
    comparison: {
      member,
      current,
      previous: previousPeriod(current, shift),
      shift,
      previousFrom: { ...ds, timeRanges: ds.timeRanges.filter((t) => t.dimension !== member) },
      label: LABELS[shift],
    },
  };
}

/** The change from `previous` to `current` as a ratio (0.123 = +12.3%); undefined when it has no meaning. */
export function changeRatio(current: number | null, previous: number | null): number | undefined {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous))
    return undefined;
  if (previous === 0) return current === 0 ? 0 : undefined;
  return (current - previous) / Math.abs(previous);
}
