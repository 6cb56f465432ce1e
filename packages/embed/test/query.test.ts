import type { DatasetRef, LoadDataRequest } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import { buildQuery, DEFAULT_LIMIT, type KindOf, queryKey } from '../src/query.js';

const from: DatasetRef = {
  datasetName: 'flights',
  model: 'flights',
  filters: [{ member: 'airports.state', operator: 'equals', values: ['CA'] }],
  timeRanges: [],
};
const kinds: Record<string, ReturnType<KindOf>> = {
  'flights.count': 'measure',
  'flights.avg_delay': 'measure',
  'flights.destination': 'dimension',
  'flights.date': 'time',
};
const kindOf: KindOf = (name) => kinds[name];
const req = (
  r: Omit<LoadDataRequest, '__inlayLoadData' | 'from'> & { from?: DatasetRef },
): LoadDataRequest => ({
  __inlayLoadData: true,
  from,
  ...r,
});

describe('buildQuery', () => {
  it('names members, applies dataset + request filters, limit 100 by default, client time zone', () => {
    const q = buildQuery(
      req({
        measures: [{ name: 'flights.count' }],
        dimensions: ['flights.destination'],
        filters: [{ member: 'flights.delay', operator: 'gt', values: [0] }],
      }),
      { timezone: 'America/New_York' },
      kindOf,
    );
    expect(q).toEqual({
      measures: ['flights.count'],
      dimensions: ['flights.destination'],
      timeDimensions: [],
      filters: [
        { member: 'airports.state', operator: 'equals', values: ['CA'] },
        { member: 'flights.delay', operator: 'gt', values: [0] },
      ],
      limit: DEFAULT_LIMIT,
      timezone: 'America/New_York',
    });
  });

  it("the request's time zone wins; order, offset and countRows → total", () => {
    const q = buildQuery(
      req({
        select: ['flights.destination', { name: 'flights.count' }],
        orderBy: [{ property: { name: 'flights.count' }, direction: 'desc' }],
        limit: 10,
        offset: 20,
        countRows: true,
        timezone: 'UTC',
      }),
      { timezone: 'Europe/Paris' },
      kindOf,
    );
    expect(q).toMatchObject({
      measures: ['flights.count'],
      dimensions: ['flights.destination'],
      order: [['flights.count', 'desc']],
      limit: 10,
      offset: 20,
      total: true,
      timezone: 'UTC',
    });
  });

  it('a member with a granularity sub-input is a time dimension bucketed by it', () => {
    const q = buildQuery(
      req({
        dimensions: [{ name: 'flights.date', inputs: { granularity: 'week' } }],
        measures: ['flights.count'],
      }),
      {},
      kindOf,
    );
    expect(q.dimensions).toEqual([]);
    expect(q.timeDimensions).toEqual([{ dimension: 'flights.date', granularity: 'week' }]);
    expect(q.timezone).toBeUndefined();
  });

  it("a dataset time range becomes that member's dateRange, added when the query has no such time dimension", () => {
    const ranged = { ...from, timeRanges: [{ dimension: 'flights.date', dateRange: 'last 30 days' }] };
    expect(buildQuery(req({ from: ranged, measures: ['flights.count'] }), {}, kindOf).timeDimensions).toEqual(
      [{ dimension: 'flights.date', dateRange: 'last 30 days' }],
    );
    const bucketed = buildQuery(
      req({
        from: ranged,
        measures: ['flights.count'],
        timeDimensions: [{ dimension: 'flights.date', granularity: 'month' }],
      }),
      {},
      kindOf,
    );
    expect(bucketed.timeDimensions).toEqual([
      { dimension: 'flights.date', granularity: 'month', dateRange: 'last 30 days' },
    ]);
  });

  it("a request with its own range keeps it and the dataset's applies as a filter too", () => {
    const ranged = {
      ...from,
      filters: [],
      timeRanges: [
        { dimension: 'flights.date', dateRange: ['2001-01-01', '2001-03-31'] as [string, string] },
      ],
    };
    const q = buildQuery(
      req({
        from: ranged,
        measures: ['flights.count'],
        timeDimensions: [{ dimension: 'flights.date', dateRange: ['2001-02-01', '2001-06-30'] }],
      }),
      {},
      kindOf,
    );
    expect(q.timeDimensions).toEqual([
      { dimension: 'flights.date', dateRange: ['2001-02-01', '2001-06-30'] },
    ]);
    expect(q.filters).toEqual([
      { member: 'flights.date', operator: 'inDateRange', values: ['2001-01-01', '2001-03-31'] },
    ]);
  });

  it('equal requests give equal keys (deduplication), different ones differ', () => {
    const a = buildQuery(req({ measures: ['flights.count'] }), {}, kindOf);
    const b = buildQuery(req({ measures: [{ name: 'flights.count' }] }), {}, kindOf);
    const c = buildQuery(req({ measures: ['flights.avg_delay'] }), {}, kindOf);
    expect(queryKey(a)).toBe(queryKey(b));
    expect(queryKey(a)).not.toBe(queryKey(c));
  });
});
