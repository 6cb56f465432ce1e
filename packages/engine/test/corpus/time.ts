import type { CorpusCase } from './types.js';

/**
 * Granularities, absolute date ranges and date filter operators, in UTC (the default zone).
 * Data timestamps have minute resolution, so an inclusive end `…23:59:59.999` is written as
 * `< next day`.
 */
export const timeCases: CorpusCase[] = [
  {
    name: 'granularity second within one hour (inclusive end with milliseconds)',
    query: {
      measures: ['flights.count'],
      timeDimensions: [
        {
          dimension: 'flights.date',
          granularity: 'second',
          dateRange: ['2001-01-01T00:00:00.000', '2001-01-01T00:59:59.999'],
        },
      ],
    },
    expectedSql: `
      SELECT date_trunc('second', date) AS "flights.date.second", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date < TIMESTAMP '2001-01-01 01:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'granularity minute over one day',
    query: {
      measures: ['flights.count', 'flights.avg_delay'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'minute', dateRange: ['2001-02-01', '2001-02-01'] },
      ],
    },
    expectedSql: `
      SELECT date_trunc('minute', date) AS "flights.date.minute", count(*) AS "flights.count",
             avg(delay) AS "flights.avg_delay"
      FROM flights
      WHERE date >= TIMESTAMP '2001-02-01 00:00:00' AND date < TIMESTAMP '2001-02-02 00:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'granularity hour over two days, ordered by time',
    query: {
      measures: ['flights.count'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'hour', dateRange: ['2001-03-10', '2001-03-11'] },
      ],
      order: { 'flights.date': 'asc' },
    },
    expectedSql: `
      SELECT date_trunc('hour', date) AS "flights.date.hour", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-03-10 00:00:00' AND date < TIMESTAMP '2001-03-12 00:00:00'
      GROUP BY 1
      ORDER BY 1 ASC`,
    ordered: true,
  },
  {
    name: 'granularity day over January (date-only range covers the last day)',
    query: {
      measures: ['flights.count', 'flights.avg_delay'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'day', dateRange: ['2001-01-01', '2001-01-31'] },
      ],
    },
    expectedSql: `
      SELECT date_trunc('day', date) AS "flights.date.day", count(*) AS "flights.count",
             avg(delay) AS "flights.avg_delay"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date < TIMESTAMP '2001-02-01 00:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'granularity week starts on Monday',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'week' }],
    },
    expectedSql: `
      SELECT date_trunc('week', date) AS "flights.date.week", count(*) AS "flights.count"
      FROM flights GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'granularity month by origin, ordered by time then origin (array order)',
    query: {
      measures: ['flights.count', 'flights.delayed_ratio'],
      dimensions: ['flights.origin'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'month' }],
      filters: [{ member: 'flights.origin', operator: 'equals', values: ['ORD', 'DEN', 'BOS'] }],
      order: [
        ['flights.date', 'asc'],
        ['flights.origin', 'asc'],
      ],
    },
    expectedSql: `
      SELECT date_trunc('month', date) AS "flights.date.month", origin AS "flights.origin",
             count(*) AS "flights.count",
             1.0 * count(CASE WHEN delay > 15 THEN 1 END) / NULLIF(count(*), 0) AS "flights.delayed_ratio"
      FROM flights
      WHERE origin IN ('ORD', 'DEN', 'BOS')
      GROUP BY 1, 2
      ORDER BY 1 ASC, 2 ASC`,
    ordered: true,
  },
  {
    name: 'granularity quarter',
    query: {
      measures: ['flights.count', 'flights.total_distance'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'quarter' }],
    },
    expectedSql: `
      SELECT date_trunc('quarter', date) AS "flights.date.quarter", count(*) AS "flights.count",
             sum(distance) AS "flights.total_distance"
      FROM flights GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'granularity year',
    query: {
      measures: ['flights.count', 'flights.min_delay'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'year' }],
    },
    expectedSql: `
      SELECT date_trunc('year', date) AS "flights.date.year", count(*) AS "flights.count",
             min(delay) AS "flights.min_delay"
      FROM flights GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'absolute date range with times (both ends inclusive)',
    query: {
      measures: ['flights.count'],
      timeDimensions: [
        {
          dimension: 'flights.date',
          granularity: 'hour',
          dateRange: ['2001-03-10T06:30:00.000', '2001-03-10T18:45:00.000'],
        },
      ],
    },
    expectedSql: `
      SELECT date_trunc('hour', date) AS "flights.date.hour", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-03-10 06:30:00' AND date <= TIMESTAMP '2001-03-10 18:45:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'date range without granularity only filters',
    query: {
      measures: ['flights.count', 'flights.max_delay'],
      dimensions: ['flights.origin'],
      timeDimensions: [{ dimension: 'flights.date', dateRange: ['2001-04-01', '2001-04-15'] }],
      filters: [{ member: 'flights.origin', operator: 'startsWith', values: ['B'] }],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count", max(delay) AS "flights.max_delay"
      FROM flights
      WHERE date >= TIMESTAMP '2001-04-01 00:00:00' AND date < TIMESTAMP '2001-04-16 00:00:00'
        AND lower(origin) LIKE 'b%'
      GROUP BY origin`,
    ordered: false,
  },
  {
    name: 'inDateRange filter with date-only values',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.destination'],
      filters: [{ member: 'flights.date', operator: 'inDateRange', values: ['2001-02-10', '2001-02-12'] }],
    },
    expectedSql: `
      SELECT destination AS "flights.destination", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-02-10 00:00:00' AND date < TIMESTAMP '2001-02-13 00:00:00'
      GROUP BY destination`,
    ordered: false,
  },
  {
    name: 'notInDateRange filter keeps both sides of the range',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'month' }],
      filters: [{ member: 'flights.date', operator: 'notInDateRange', values: ['2001-01-01', '2001-05-31'] }],
    },
    expectedSql: `
      SELECT date_trunc('month', date) AS "flights.date.month", count(*) AS "flights.count"
      FROM flights
      WHERE date < TIMESTAMP '2001-01-01 00:00:00' OR date >= TIMESTAMP '2001-06-01 00:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'beforeDate is strict',
    query: {
      measures: ['flights.count'],
      filters: [{ member: 'flights.date', operator: 'beforeDate', values: ['2001-01-01T01:06:00.000'] }],
    },
    expectedSql: `SELECT count(*) AS "flights.count" FROM flights WHERE date < TIMESTAMP '2001-01-01 01:06:00'`,
    ordered: true,
  },
  {
    name: 'beforeOrOnDate is inclusive',
    query: {
      measures: ['flights.count'],
      filters: [{ member: 'flights.date', operator: 'beforeOrOnDate', values: ['2001-01-01T01:06:00.000'] }],
    },
    expectedSql: `SELECT count(*) AS "flights.count" FROM flights WHERE date <= TIMESTAMP '2001-01-01 01:06:00'`,
    ordered: true,
  },
  {
    name: 'afterDate is strict',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'hour' }],
      filters: [{ member: 'flights.date', operator: 'afterDate', values: ['2001-06-30T23:00:00.000'] }],
    },
    expectedSql: `
      SELECT date_trunc('hour', date) AS "flights.date.hour", count(*) AS "flights.count"
      FROM flights WHERE date > TIMESTAMP '2001-06-30 23:00:00' GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'afterOrOnDate is inclusive',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'hour' }],
      filters: [{ member: 'flights.date', operator: 'afterOrOnDate', values: ['2001-06-30T23:00:00.000'] }],
    },
    expectedSql: `
      SELECT date_trunc('hour', date) AS "flights.date.hour", count(*) AS "flights.count"
      FROM flights WHERE date >= TIMESTAMP '2001-06-30 23:00:00' GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'order by time dimension descending with limit',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'day' }],
      order: { 'flights.date': 'desc' },
      limit: 10,
    },
    expectedSql: `
      SELECT date_trunc('day', date) AS "flights.date.day", count(*) AS "flights.count"
      FROM flights GROUP BY 1 ORDER BY 1 DESC LIMIT 10`,
    ordered: true,
  },
  {
    name: 'default limit is 10000 rows',
    query: {
      measures: ['flights.count'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'minute', dateRange: ['2001-01-01', '2001-01-31'] },
      ],
      order: { 'flights.date': 'asc' },
    },
    expectedSql: `
      SELECT date_trunc('minute', date) AS "flights.date.minute", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date < TIMESTAMP '2001-02-01 00:00:00'
      GROUP BY 1 ORDER BY 1 ASC LIMIT 10000`,
    ordered: true,
  },
];
