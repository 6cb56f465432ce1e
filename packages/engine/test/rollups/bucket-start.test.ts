/**
 * `isBucketStart` reads the naive UTC text date ranges resolve to without luxon; it must say what
 * luxon's `startOf` says for every granularity, on bucket starts and on instants next to them.
 */
import { GRANULARITIES, type StandardGranularity } from '@inlay/core';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isBucketStart } from '../../src/rollups/granularity.js';

const FMT = "yyyy-MM-dd'T'HH:mm:ss.SSS";
const byLuxon = (utc: string, g: StandardGranularity) => {
  const dt = DateTime.fromISO(utc, { zone: 'UTC' });
  return dt.isValid && dt.startOf(g).toMillis() === dt.toMillis();
};

/** A fixed pseudo-random sequence, so a failure names the same instants on every run. */
function* instants(count: number): Generator<DateTime> {
  let seed = 20_261_207;
  const next = () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  for (let i = 0; i < count; i++) {
    const at = DateTime.fromObject({ year: 1 + Math.floor(next() * 9998) }, { zone: 'UTC' }).plus({
      milliseconds: Math.floor(next() * 366 * 86_400_000),
    });
    yield at;
    // Bucket starts of every granularity, and the millisecond on each side of them.
    for (const g of GRANULARITIES) {
      const start = at.startOf(g);
      yield start;
      yield start.minus({ milliseconds: 1 });
      yield start.plus({ milliseconds: 1 });
    }
  }
}

describe('isBucketStart', () => {
  it('agrees with luxon on bucket starts and the instants around them, years 1 to 9999', () => {
    let starts = 0;
    for (const at of instants(400)) {
      const utc = at.toFormat(FMT);
      for (const g of GRANULARITIES) {
        const expected = byLuxon(utc, g);
        if (isBucketStart(utc, g) !== expected)
          expect({ utc, g, result: !expected }).toEqual({ utc, g, result: expected });
        if (expected) starts++;
      }
    }
    // Both answers occur for every granularity: the sample is not all one way.
    expect(starts).toBeGreaterThan(400 * GRANULARITIES.length);
  });

  it('knows Monday starts a week (2024-01-01 was a Monday) and a quarter starts in months 1, 4, 7, 10', () => {
    expect(isBucketStart('2024-01-01T00:00:00.000', 'week')).toBe(true);
    expect(isBucketStart('2024-01-07T00:00:00.000', 'week')).toBe(false);
    expect(isBucketStart('2024-04-01T00:00:00.000', 'quarter')).toBe(true);
    expect(isBucketStart('2024-05-01T00:00:00.000', 'quarter')).toBe(false);
    expect(isBucketStart('2024-05-01T00:00:00.000', 'month')).toBe(true);
    expect(isBucketStart('2024-05-01T00:00:00.001', 'day')).toBe(false);
  });

  it('leaves text it does not read (no millis, offsets, impossible dates) to luxon', () => {
    for (const utc of [
      '2024-01-01',
      '2024-01-01T00:00:00',
      '2024-02-30T00:00:00.000',
      '2024-01-01T24:00:00.000',
      'soon',
    ]) {
      for (const g of GRANULARITIES) expect(isBucketStart(utc, g)).toBe(byLuxon(utc, g));
    }
  });
});
