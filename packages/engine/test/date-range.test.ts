import { describe, expect, it } from 'vitest';
import { resolveDateRange } from '../src/time/date-range.js';

const now = new Date('2001-03-15T12:30:00Z'); // a Thursday
const r = (range: string | string[], tz = 'UTC') => resolveDateRange(range, tz, now, 'dateRange');

describe('date ranges', () => {
  it('a date-only end covers that whole day in the query time zone', () => {
    expect(r(['2001-01-01', '2001-01-31'])).toEqual({
      start: '2001-01-01T00:00:00.000',
      end: '2001-02-01T00:00:00.000',
    });
    expect(r(['2001-01-01', '2001-01-31'], 'America/New_York')).toEqual({
      start: '2001-01-01T05:00:00.000',
      end: '2001-02-01T05:00:00.000',
    });
  });
  it('an end with a time is inclusive to its precision', () => {
    expect(r(['2001-01-01T10:00:00', '2001-01-01T11:00:00'])).toEqual({
      start: '2001-01-01T10:00:00.000',
      end: '2001-01-01T11:00:01.000',
    });
    expect(r(['2001-01-01T10:00:00', '2001-01-01T11:00:00.250']).end).toBe('2001-01-01T11:00:00.251');
  });
  it('relative ranges follow Cube', () => {
    expect(r('today')).toEqual({ start: '2001-03-15T00:00:00.000', end: '2001-03-16T00:00:00.000' });
    expect(r('yesterday').start).toBe('2001-03-14T00:00:00.000');
    expect(r('last 7 days')).toEqual({ start: '2001-03-08T00:00:00.000', end: '2001-03-15T00:00:00.000' });
    expect(r('this week')).toEqual({ start: '2001-03-12T00:00:00.000', end: '2001-03-19T00:00:00.000' }); // Monday
    expect(r('last week')).toEqual({ start: '2001-03-05T00:00:00.000', end: '2001-03-12T00:00:00.000' });
    expect(r('this month')).toEqual({ start: '2001-03-01T00:00:00.000', end: '2001-04-01T00:00:00.000' });
    expect(r('last quarter')).toEqual({ start: '2000-10-01T00:00:00.000', end: '2001-01-01T00:00:00.000' });
    expect(r('next year')).toEqual({ start: '2002-01-01T00:00:00.000', end: '2003-01-01T00:00:00.000' });
    expect(r('last 2 months')).toEqual({ start: '2001-01-01T00:00:00.000', end: '2001-03-01T00:00:00.000' });
    expect(r('from 2001-02-01 to 2001-02-14')).toEqual({
      start: '2001-02-01T00:00:00.000',
      end: '2001-02-15T00:00:00.000',
    });
    expect(r('from 3 days ago to now')).toEqual({
      start: '2001-03-12T12:30:00.000',
      end: '2001-03-15T12:30:00.000',
    });
  });
  it('relative ranges are computed in the query time zone', () => {
    // 12:30 UTC is already the 15th in Kolkata (UTC+5:30) — "today" starts at 18:30 UTC the day before.
    expect(r('today', 'Asia/Kolkata')).toEqual({
      start: '2001-03-14T18:30:00.000',
      end: '2001-03-15T18:30:00.000',
    });
  });
  it('a range that reads the clock resolves from each clock anew; a fixed one is the caller’s own', () => {
    const later = new Date('2001-04-20T08:00:00Z');
    for (const range of ['today', ['2001-01-01', 'today'], 'from 2001-01-01 to now']) {
      expect(resolveDateRange(range, 'UTC', later, 'dateRange')).not.toEqual(r(range));
      expect(resolveDateRange(range, 'UTC', () => later, 'dateRange')).toEqual(
        resolveDateRange(range, 'UTC', later, 'dateRange'),
      );
    }
    let read = false;
    const clock = () => {
      read = true;
      return now;
    };
    const fixed = ['2001-01-01', '2001-01-31'];
    const first = resolveDateRange(fixed, 'UTC', clock, 'dateRange');
    first.start = 'changed';
    expect(resolveDateRange(fixed, 'UTC', clock, 'dateRange')).toEqual({
      start: '2001-01-01T00:00:00.000',
      end: '2001-02-01T00:00:00.000',
    });
    expect(read).toBe(false);
    // The same dates in another zone are another range.
    expect(resolveDateRange(fixed, 'Asia/Tokyo', clock, 'dateRange').start).toBe('2000-12-31T15:00:00.000');
  });
  it('rejects what it cannot read, and reversed ranges', () => {
    expect(() => r('fortnight')).toThrow(/cannot read the date range "fortnight"/);
    expect(() => r(['2001-02-01', '2001-01-01'])).toThrow(/ends before it starts/);
    // Still refused when asked again (only ranges that resolved are kept).
    expect(() => r(['2001-02-01', '2001-01-01'])).toThrow(/ends before it starts/);
    expect(() => r(["2001-01-01'; DROP TABLE x; --", '2001-01-02'])).toThrow(/cannot read/);
  });
});
