import { GRANULARITIES } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMIT,
  hasNoValue,
  isLoadDataRequest,
  isNoFilter,
  loadData,
  mockDataset,
  TIME_GRANULARITIES,
  Value,
} from '../../src/author/index.js';

const ds = mockDataset('flights');

describe('loadData', () => {
  it('marks the request and defaults the limit to 100', () => {
    const req = loadData({ from: ds, measures: [{ name: 'flights.count' }] });
    expect(req.__inlayLoadData).toBe(true);
    expect(req.limit).toBe(DEFAULT_LIMIT);
    expect(DEFAULT_LIMIT).toBe(100);
    expect(isLoadDataRequest(req)).toBe(true);
    expect(isLoadDataRequest({ ...req, __inlayLoadData: false })).toBe(false);
  });

  it('keeps what the author gave', () => {
    const req = loadData({
      from: ds,
      dimensions: ['airports.state'],
      measures: ['flights.count'],
      orderBy: [{ property: 'flights.count', direction: 'desc' }],
      limit: 10,
      offset: 20,
      countRows: true,
    });
    expect(req).toMatchObject({ limit: 10, offset: 20, countRows: true, dimensions: ['airports.state'] });
  });

  it('refuses shapes that would fail later, naming the field', () => {
    const bad = (p: object) => () => loadData(p as Parameters<typeof loadData>[0]);
    expect(bad({ measures: ['flights.count'] })).toThrow(/`from` must be a dataset/);
    expect(bad({ from: ds })).toThrow(/asks for nothing/);
    expect(bad({ from: ds, measures: 'flights.count' })).toThrow(/`measures` must be an array/);
    expect(bad({ from: ds, measures: ['x.y'], limit: 0 })).toThrow(/limit must be an integer ≥ 1/);
    expect(bad({ from: ds, measures: ['x.y'], offset: -1 })).toThrow(/offset/);
    expect(bad({ from: ds, measures: ['x.y'], orderBy: [{ property: 'x.y', direction: 'up' }] })).toThrow(
      /direction/,
    );
  });
});

describe('Value', () => {
  it('of() keeps the value; noFilter() is a JSON-safe sentinel recognised after a round trip', () => {
    expect(Value.of(3)).toBe(3);
    const v = Value.noFilter();
    expect(isNoFilter(v)).toBe(true);
    expect(isNoFilter(JSON.parse(JSON.stringify(v)))).toBe(true);
    expect(isNoFilter({})).toBe(false);
    expect(isNoFilter(null)).toBe(false);
    expect([undefined, null, v].map(hasNoValue)).toEqual([true, true, true]);
    expect([0, '', false, { from: 'a', to: 'b' }].map(hasNoValue)).toEqual([false, false, false, false]);
  });
});

it('the SDK granularities equal the engine’s', () => {
  expect([...TIME_GRANULARITIES]).toEqual([...GRANULARITIES]);
});
