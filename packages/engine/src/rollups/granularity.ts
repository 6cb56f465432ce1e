import { GRANULARITIES, InlayError, type StandardGranularity } from '@inlay/core';
import { DateTime } from 'luxon';
import { parseDuration } from '../time/duration.js';
import type { PartitionGranularity, RollupPartition } from './types.js';

export const PARTITION_GRANULARITIES: readonly PartitionGranularity[] = [
  'day',
  'week',
  'month',
  'quarter',
  'year',
];

/**
 * Which granularities a bucket of each granularity rolls up into without splitting: a day lies
 * in one week and one month, but a week can straddle two months.
 */
const ROLLS_UP_TO: Record<StandardGranularity, readonly StandardGranularity[]> = {
  second: GRANULARITIES,
  minute: ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'],
  hour: ['hour', 'day', 'week', 'month', 'quarter', 'year'],
  day: ['day', 'week', 'month', 'quarter', 'year'],
  week: ['week'],
  month: ['month', 'quarter', 'year'],
  quarter: ['quarter', 'year'],
  year: ['year'],
};

export function isStandardGranularity(g: string): g is StandardGranularity {
  return (GRANULARITIES as readonly string[]).includes(g);
}

/** True when every bucket of `coarse` is a whole number of buckets of `fine`. */
export function rollsUp(fine: StandardGranularity, coarse: StandardGranularity): boolean {
  return ROLLS_UP_TO[fine].includes(coarse);
}

/** Coarseness rank, for preferring the smaller of two rollups. */
export function granularityRank(g: StandardGranularity | undefined): number {
  return g === undefined ? GRANULARITIES.length : GRANULARITIES.indexOf(g);
}

const UTC_TEXT = "yyyy-MM-dd'T'HH:mm:ss.SSS";

/** The text date ranges resolve to (`toUtcText`): every field present, so plain arithmetic reads it. */
const NAIVE_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;
/** Fields of a bucket start that must be zero, finest first, with how many each granularity needs. */
const ZERO_FIELDS: Record<StandardGranularity, number> = {
  second: 1,
  minute: 2,
  hour: 3,
  day: 4,
  week: 4,
  month: 4,
  quarter: 4,
  year: 4,
};

/** Whether a UTC instant (naive ISO text, as date ranges resolve to) starts a bucket of `g`. */
export function isBucketStart(utc: string, g: StandardGranularity): boolean {
  // Every rollup a query is checked against asks this of its range ends: a luxon parse each was
  // a sixth of compiling a distinct query, so the text date ranges resolve to is read directly.
  const m = NAIVE_UTC.exec(utc);
  if (!m) return isBucketStartByLuxon(utc, g);
  const [year, month, day, hour, minute, second, ms] = m.slice(1).map(Number) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  // Out-of-range fields (Feb 30, hour 24) are luxon's to judge, as before.
  if (at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    return isBucketStartByLuxon(utc, g);
  const finest = [ms, second, minute, hour];
  for (let i = 0; i < ZERO_FIELDS[g]; i++) if (finest[i] !== 0) return false;
  switch (g) {
    case 'week':
      // Weeks start on Monday, as date_trunc('week') does in every supported database.
      return at.getUTCDay() === 1;
    case 'month':
      return day === 1;
    case 'quarter':
      return day === 1 && (month - 1) % 3 === 0;
    case 'year':
      return day === 1 && month === 1;
    default:
      return true;
  }
}

function isBucketStartByLuxon(utc: string, g: StandardGranularity): boolean {
  const dt = DateTime.fromISO(utc, { zone: 'UTC' });
  // Luxon's weeks start on Monday, as date_trunc('week') does in every supported database.
  return dt.isValid && dt.startOf(g).toMillis() === dt.toMillis();
}

export function utcText(d: Date): string {
  return DateTime.fromJSDate(d, { zone: 'UTC' }).toFormat(UTC_TEXT);
}

const MAX_PARTITIONS = 10_000;

function partitionId(dt: DateTime, g: PartitionGranularity): string {
  switch (g) {
    case 'day':
      return dt.toFormat('yyyy-MM-dd');
    case 'week':
      return dt.toFormat("kkkk-'W'WW");
    case 'month':
      return dt.toFormat('yyyy-MM');
    case 'quarter':
      return dt.toFormat("yyyy-'Q'q");
    case 'year':
      return dt.toFormat('yyyy');
  }
}

/** Buckets of `g` from the one holding `min` to the one holding `max`, inclusive. */
export function partitionsCovering(g: PartitionGranularity, min: Date, max: Date): RollupPartition[] {
  const first = DateTime.fromJSDate(min, { zone: 'UTC' });
  const last = DateTime.fromJSDate(max, { zone: 'UTC' });
  if (!first.isValid || !last.isValid) {
    throw new InlayError('CONFIG', 'the build range of a rollup needs two valid dates.');
  }
  const out: RollupPartition[] = [];
  for (let start = first.startOf(g); start <= last; ) {
    if (out.length >= MAX_PARTITIONS) {
      throw new InlayError('CONFIG', `the build range holds more than ${MAX_PARTITIONS} ${g} partitions.`, {
        hint: 'Use a coarser partition_granularity or a build_range_start closer to the data.',
      });
    }
    const end = start.plus({ [`${g}s`]: 1 });
    out.push({ id: partitionId(start, g), start: start.toJSDate(), end: end.toJSDate() });
    start = end;
  }
  return out;
}

const UNIT_MS: Record<StandardGranularity, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  // A refresh cadence needs no calendar precision.
  month: 30 * 86_400_000,
  quarter: 91 * 86_400_000,
  year: 365 * 86_400_000,
};

/** `refresh_key.every` ("1 hour", "30 minutes") in milliseconds; throws a plain Error for the caller to place. */
export function everyMs(text: string): number {
  const parts = parseDuration(text);
  const ms = parts.reduce((sum, p) => sum + p.n * UNIT_MS[p.unit], 0);
  if (!(ms > 0)) throw new Error(`refresh_key.every "${text}" must be longer than zero`);
  return ms;
}
