import type { DatasetRef } from '@inlay/sdk';
import { describe, expect, it } from 'vitest';
import { resolveDateRange } from '../../engine/src/time/date-range.js';
import { comparisonShift, previousPeriod, resolvePeriod, todayIn } from '../src/comparison/period.js';
import { changeRatio, planRange } from '../src/comparison/plan.js';

const prev = (range: string | [string, string], today = '2001-03-15', shift = comparisonShift(true)) => {
  const p = resolvePeriod(range, today);
  if (!p) throw new Error(`unresolved ${String(range)}`);
  return { current: p, previous: previousPeriod(p, shift) };
};

describe('previous period of a {from, to} range', () => {
  it('whole calendar months compare with as many whole months before', () => {
    expect(prev(['2001-02-01', '2001-02-28']).previous).toEqual({ from: '2001-01-01', to: '2001-01-31' });
    expect(prev(['2000-03-01', '2000-03-31']).previous).toEqual({ from: '2000-02-01', to: '2000-02-29' });
    // A quarter; a whole year, across the year end.
    expect(prev(['2001-01-01', '2001-03-31']).previous).toEqual({ from: '2000-10-01', to: '2000-12-31' });
    expect(prev(['2000-01-01', '2000-12-31']).previous).toEqual({ from: '1999-01-01', to: '1999-12-31' });
  });

  it('any other range: the same number of days just before, across month and year ends and Feb 29', () => {
    expect(prev(['2001-02-10', '2001-02-19']).previous).toEqual({ from: '2001-01-31', to: '2001-02-09' });
    expect(prev(['2001-01-01', '2001-01-10']).previous).toEqual({ from: '2000-12-22', to: '2000-12-31' });
    expect(prev(['2000-03-01', '2000-03-10']).previous).toEqual({ from: '2000-02-20', to: '2000-02-29' });
    expect(prev(['2001-03-01', '2001-03-10']).previous).toEqual({ from: '2001-02-19', to: '2001-02-28' });
    expect(prev(['2000-02-29', '2000-02-29']).previous).toEqual({ from: '2000-02-28', to: '2000-02-28' });
    // Timestamps are read as their day; a reversed or impossible range is none.
    expect(prev(['2001-02-10T00:00:00.000', '2001-02-19T23:59:59']).current).toEqual({
      from: '2001-02-10',
      to: '2001-02-19',
    });
    expect(resolvePeriod(['2001-02-19', '2001-02-10'], '2001-03-15')).toBeUndefined();
    expect(resolvePeriod(['2001-02-30', '2001-03-01'], '2001-03-15')).toBeUndefined();
  });

  it('previous year/quarter/month/week shift by that unit; days past a shorter month clamp', () => {
    const year = comparisonShift('previous year');
    expect(prev(['2000-02-29', '2000-02-29'], undefined, year).previous).toEqual({
      from: '1999-02-28',
      to: '1999-02-28',
    });
    expect(prev(['2001-02-01', '2001-02-28'], undefined, year).previous).toEqual({
      from: '2000-02-01',
      to: '2000-02-29',
    });
    expect(prev(['2001-03-31', '2001-04-30'], undefined, comparisonShift('previous month')).previous).toEqual(
      {
        from: '2001-02-28',
        to: '2001-03-31',
      },
    );
    expect(
      prev(['2001-05-15', '2001-05-20'], undefined, comparisonShift('Previous quarter')).previous,
    ).toEqual({
      from: '2001-02-15',
      to: '2001-02-20',
    });
    expect(prev(['2001-01-03', '2001-01-05'], undefined, comparisonShift('previous week')).previous).toEqual({
      from: '2000-12-27',
      to: '2000-12-29',
    });
  });
});

describe('previous period of a relative range', () => {
  it('last 30 days: the 30 days before those (today excluded, as the engine)', () => {
    expect(prev('last 30 days', '2000-03-15')).toEqual({
      current: { from: '2000-02-14', to: '2000-03-14' },
      previous: { from: '2000-01-15', to: '2000-02-13' },
    });
    expect(prev('last 7 days', '2001-01-03')).toEqual({
      current: { from: '2000-12-27', to: '2001-01-02' },
      previous: { from: '2000-12-20', to: '2000-12-26' },
    });
  });

  it('this/last month, quarter, year, week: the calendar unit before', () => {
    expect(prev('this month', '2001-01-15')).toEqual({
      current: { from: '2001-01-01', to: '2001-01-31' },
      previous: { from: '2000-12-01', to: '2000-12-31' },
    });
    expect(prev('last month', '2000-03-31').current).toEqual({ from: '2000-02-01', to: '2000-02-29' });
    expect(prev('last month', '2000-03-31').previous).toEqual({ from: '2000-01-01', to: '2000-01-31' });
    expect(prev('this quarter', '2001-02-10').previous).toEqual({ from: '2000-10-01', to: '2000-12-31' });
    expect(prev('this year', '2000-06-01').previous).toEqual({ from: '1999-01-01', to: '1999-12-31' });
    // 2001-01-03 is a Wednesday: last week is Mon 25 – Sun 31 December.
    expect(prev('last week', '2001-01-03')).toEqual({
      current: { from: '2000-12-25', to: '2000-12-31' },
      previous: { from: '2000-12-18', to: '2000-12-24' },
    });
    expect(prev('yesterday', '2000-03-01')).toEqual({
      current: { from: '2000-02-29', to: '2000-02-29' },
      previous: { from: '2000-02-28', to: '2000-02-28' },
    });
  });

  it('ranges finer than a day have no comparison', () => {
    for (const r of ['last 6 hours', '3 days ago', 'now', 'last 0 days', 'whenever'])
      expect(resolvePeriod(r, '2001-03-15')).toBeUndefined();
  });

  it('reads every relative range exactly as the engine does', () => {
    const ranges = [
      'today',
      'yesterday',
      'this week',
      'last week',
      'next week',
      'this month',
      'last month',
      'this quarter',
      'last quarter',
      'this year',
      'last year',
      'last 7 days',
      'last 30 days',
      'last 3 months',
      'last 2 quarters',
      'next 2 weeks',
      'from 2001-01-05 to 2001-02-03',
    ];
    for (const now of [
      '2000-02-29T12:00:00Z',
      '2000-12-31T23:30:00Z',
      '2001-01-01T00:30:00Z',
      '2001-03-15T08:00:00Z',
    ])
      for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo'])
        for (const r of ranges) {
          const engine = resolveDateRange(r, tz, new Date(now), 'r');
          const ours = resolvePeriod(r, todayIn(tz, new Date(now)))!;
          // The engine's half-open UTC range, back in the zone's calendar days.
          const local = (utc: string) => todayIn(tz, new Date(`${utc}Z`));
          expect({ r, tz, now, from: ours.from, to: ours.to }).toEqual({
            r,
            tz,
            now,
            from: local(engine.start),
            to: local(new Date(Date.parse(`${engine.end}Z`) - 1).toISOString().slice(0, 23)),
          });
        }
  });
});

describe('today in the client context’s time zone', () => {
  it('is the zone’s calendar date; an unknown zone is UTC', () => {
    const at = new Date('2001-03-01T05:00:00Z');
    expect(todayIn('America/Los_Angeles', at)).toBe('2001-02-28');
    expect(todayIn('Asia/Tokyo', at)).toBe('2001-03-01');
    expect(todayIn('Not/AZone', at)).toBe('2001-03-01');
    expect(todayIn(undefined, new Date('2000-12-31T23:59:59Z'))).toBe('2000-12-31');
  });
});

describe('the comparison input and the plan', () => {
  it('true or a phrase turns it on; false, empty or none off', () => {
    expect(comparisonShift(true)).toBe('period');
    expect(comparisonShift('previous period')).toBe('period');
    expect(comparisonShift('Previous Year')).toBe('year');
    for (const off of [false, undefined, null, '', 'none', 0]) expect(comparisonShift(off)).toBeUndefined();
  });

  const ds: DatasetRef = {
    datasetName: 'flights',
    model: 'flights',
    filters: [{ member: 'airports.state', operator: 'equals', values: ['CA'] }],
    timeRanges: [{ dimension: 'flights.date', dateRange: ['2001-02-01', '2001-02-28'] }],
  };
  const ctx = { timezone: 'UTC' };

  it('the dataset’s range on the time dimension: previous period on a copy of the dataset without it', () => {
    const plan = planRange({ ds, timeDimension: { name: 'flights.date' }, comparison: true }, ctx);
    expect(plan.ownRange).toBeUndefined();
    expect(plan.comparison).toMatchObject({
      member: 'flights.date',
      current: { from: '2001-02-01', to: '2001-02-28' },
      previous: { from: '2001-01-01', to: '2001-01-31' },
      label: 'the previous period',
      previousFrom: { ...ds, timeRanges: [] },
    });
    // No time dimension input: the dataset's only range says which member.
    expect(planRange({ ds, comparison: 'previous year' }, ctx).comparison?.previous).toEqual({
      from: '2000-02-01',
      to: '2000-02-29',
    });
  });

  it('a dateRange input when the dataset has none; relative strings resolved in the client’s zone', () => {
    const open = { ...ds, timeRanges: [] };
    const plan = planRange(
      {
        ds: open,
        timeDimension: { name: 'flights.date' },
        dateRange: { relativeTimeString: 'Last 30 days' },
        comparison: 'previous period',
      },
      { timezone: 'America/Los_Angeles' },
      new Date('2000-03-16T05:00:00Z'),
    );
    expect(plan.ownRange).toBe('last 30 days');
    expect(plan.comparison?.current).toEqual({ from: '2000-02-14', to: '2000-03-14' });
    expect(plan.comparison?.previous).toEqual({ from: '2000-01-15', to: '2000-02-13' });
  });

  it('all time, no time dimension or a sub-day range: no comparison, and a quiet note why', () => {
    const open = { ...ds, timeRanges: [] };
    expect(planRange({ ds: open, timeDimension: { name: 'flights.date' }, comparison: true }, ctx)).toEqual({
      member: 'flights.date',
      ownRange: undefined,
      note: 'No comparison for all time.',
    });
    expect(planRange({ ds: open, comparison: true }, ctx).note).toBe('No comparison: no time dimension.');
    expect(
      planRange(
        { ds: open, timeDimension: { name: 'flights.date' }, dateRange: 'last 6 hours', comparison: true },
        ctx,
      ).note,
    ).toBe('No comparison for this range.');
    expect(planRange({ ds, comparison: false }, ctx).note).toBeUndefined();
  });

  it('the change ratio', () => {
    expect(changeRatio(110, 100)).toBeCloseTo(0.1);
    expect(changeRatio(90, 100)).toBeCloseTo(-0.1);
    expect(changeRatio(-5, -10)).toBeCloseTo(0.5);
    expect(changeRatio(0, 0)).toBe(0);
    expect(changeRatio(5, 0)).toBeUndefined();
    expect(changeRatio(null, 3)).toBeUndefined();
  });
});
