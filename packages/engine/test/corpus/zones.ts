import type { CorpusCase } from './types.js';

/**
 * Relative date ranges (computed from a fixed `now` in the query's zone) and query time zones.
 * A bucket in zone Z is `date_trunc(g, wall clock of the UTC timestamp in Z)`; date-range bounds
 * are local wall-clock times, written here as the UTC instants computed by hand.
 * America/New_York is UTC-5 until 2001-04-01 02:00 local, UTC-4 after; Asia/Kolkata is UTC+5:30.
 */
const NY = `(date AT TIME ZONE 'UTC') AT TIME ZONE 'America/New_York'`;
const KOLKATA = `(date AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Kolkata'`;

export const zoneCases: CorpusCase[] = [
  {
    name: 'relative: last 7 days ends yesterday',
    now: '2001-03-15T12:00:00.000Z',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'day', dateRange: 'last 7 days' }],
    },
    expectedSql: `
      SELECT date_trunc('day', date) AS "flights.date.day", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-03-08 00:00:00' AND date < TIMESTAMP '2001-03-15 00:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'relative: last week is the previous Monday-to-Sunday week',
    now: '2001-03-15T12:00:00.000Z',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      timeDimensions: [{ dimension: 'flights.date', dateRange: 'last week' }],
      filters: [{ member: 'flights.origin', operator: 'equals', values: ['SEA', 'PDX'] }],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-03-05 00:00:00' AND date < TIMESTAMP '2001-03-12 00:00:00'
        AND origin IN ('SEA', 'PDX')
      GROUP BY origin`,
    ordered: false,
  },
  {
    name: 'relative: this month by week (whole month, weeks start Monday)',
    now: '2001-04-20T10:00:00.000Z',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'week', dateRange: 'this month' }],
    },
    expectedSql: `
      SELECT date_trunc('week', date) AS "flights.date.week", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-04-01 00:00:00' AND date < TIMESTAMP '2001-05-01 00:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'relative: last quarter by month',
    now: '2001-05-10T00:00:00.000Z',
    query: {
      measures: ['flights.count', 'flights.avg_delay'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'month', dateRange: 'last quarter' }],
    },
    expectedSql: `
      SELECT date_trunc('month', date) AS "flights.date.month", count(*) AS "flights.count",
             avg(delay) AS "flights.avg_delay"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date < TIMESTAMP '2001-04-01 00:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'relative: from 2001-02-01 to 2001-02-14 includes the last day',
    now: '2001-05-10T00:00:00.000Z',
    query: {
      measures: ['flights.count'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'day', dateRange: 'from 2001-02-01 to 2001-02-14' },
      ],
    },
    expectedSql: `
      SELECT date_trunc('day', date) AS "flights.date.day", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-02-01 00:00:00' AND date < TIMESTAMP '2001-02-15 00:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'relative: yesterday by hour (UTC)',
    now: '2001-06-01T03:00:00.000Z',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'hour', dateRange: 'yesterday' }],
    },
    expectedSql: `
      SELECT date_trunc('hour', date) AS "flights.date.hour", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-05-31 00:00:00' AND date < TIMESTAMP '2001-06-01 00:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'relative in a zone: yesterday in New York is a day earlier than in UTC',
    now: '2001-06-01T03:00:00.000Z',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'hour', dateRange: 'yesterday' }],
      timezone: 'America/New_York',
    },
    // 2001-06-01T03:00Z is 2001-05-31 23:00 EDT, so yesterday is 2001-05-30 local (04:00Z to 04:00Z).
    expectedSql: `
      SELECT date_trunc('hour', ${NY}) AS "flights.date.hour", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-05-30 04:00:00' AND date < TIMESTAMP '2001-05-31 04:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'relative in a zone: last 7 days in Kolkata',
    now: '2001-03-14T20:00:00.000Z',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'day', dateRange: 'last 7 days' }],
      timezone: 'Asia/Kolkata',
    },
    // 2001-03-14T20:00Z is 2001-03-15 01:30 IST: the range is 03-08..03-14 local.
    expectedSql: `
      SELECT date_trunc('day', ${KOLKATA}) AS "flights.date.day", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-03-07 18:30:00' AND date < TIMESTAMP '2001-03-14 18:30:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'relative: this year by quarter',
    now: '2001-05-01T00:00:00.000Z',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'quarter', dateRange: 'this year' }],
    },
    expectedSql: `
      SELECT date_trunc('quarter', date) AS "flights.date.quarter", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date < TIMESTAMP '2002-01-01 00:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'relative in a zone: last month in Kolkata',
    now: '2001-03-31T20:00:00.000Z',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'day', dateRange: 'last month' }],
      timezone: 'Asia/Kolkata',
    },
    // 2001-03-31T20:00Z is 2001-04-01 01:30 IST: last month is March, local.
    expectedSql: `
      SELECT date_trunc('day', ${KOLKATA}) AS "flights.date.day", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-02-28 18:30:00' AND date < TIMESTAMP '2001-03-31 18:30:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'zone: days in New York shift buckets by five hours',
    query: {
      measures: ['flights.count', 'flights.avg_delay'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'day', dateRange: ['2001-01-01', '2001-01-07'] },
      ],
      timezone: 'America/New_York',
      order: { 'flights.date': 'asc' },
    },
    expectedSql: `
      SELECT date_trunc('day', ${NY}) AS "flights.date.day", count(*) AS "flights.count",
             avg(delay) AS "flights.avg_delay"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 05:00:00' AND date < TIMESTAMP '2001-01-08 05:00:00'
      GROUP BY 1 ORDER BY 1 ASC`,
    ordered: true,
  },
  {
    name: 'zone: hours in Kolkata (half-hour offset)',
    query: {
      measures: ['flights.count'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'hour', dateRange: ['2001-03-01', '2001-03-01'] },
      ],
      timezone: 'Asia/Kolkata',
    },
    expectedSql: `
      SELECT date_trunc('hour', ${KOLKATA}) AS "flights.date.hour", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-02-28 18:30:00' AND date < TIMESTAMP '2001-03-01 18:30:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'zone: months in New York (the first flights fall in December 2000)',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'month' }],
      timezone: 'America/New_York',
    },
    expectedSql: `
      SELECT date_trunc('month', ${NY}) AS "flights.date.month", count(*) AS "flights.count"
      FROM flights GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'zone: weeks in Kolkata',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'week' }],
      timezone: 'Asia/Kolkata',
    },
    expectedSql: `
      SELECT date_trunc('week', ${KOLKATA}) AS "flights.date.week", count(*) AS "flights.count"
      FROM flights GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'zone: quarters in Kolkata by origin',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'quarter' }],
      filters: [{ member: 'flights.origin', operator: 'equals', values: ['HNL', 'ANC'] }],
      timezone: 'Asia/Kolkata',
    },
    expectedSql: `
      SELECT date_trunc('quarter', ${KOLKATA}) AS "flights.date.quarter", origin AS "flights.origin",
             count(*) AS "flights.count"
      FROM flights WHERE origin IN ('HNL', 'ANC') GROUP BY 1, 2`,
    ordered: false,
  },
  {
    name: 'zone: hours in New York on the day daylight saving time starts (23 hours)',
    query: {
      measures: ['flights.count'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'hour', dateRange: ['2001-04-01', '2001-04-01'] },
      ],
      timezone: 'America/New_York',
    },
    expectedSql: `
      SELECT date_trunc('hour', ${NY}) AS "flights.date.hour", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-04-01 05:00:00' AND date < TIMESTAMP '2001-04-02 04:00:00'
      GROUP BY 1`,
    ordered: false,
  },
  {
    name: 'zone: inDateRange filter bounds are local',
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.state'],
      filters: [{ member: 'flights.date', operator: 'inDateRange', values: ['2001-02-01', '2001-02-01'] }],
      timezone: 'America/New_York',
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE f.date >= TIMESTAMP '2001-02-01 05:00:00' AND f.date < TIMESTAMP '2001-02-02 05:00:00'
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'zone: relative this month in New York by day',
    now: '2001-03-01T02:00:00.000Z',
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'day', dateRange: 'this month' }],
      timezone: 'America/New_York',
    },
    // 2001-03-01T02:00Z is 2001-02-28 21:00 EST: this month is February, local.
    expectedSql: `
      SELECT date_trunc('day', ${NY}) AS "flights.date.day", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-02-01 05:00:00' AND date < TIMESTAMP '2001-03-01 05:00:00'
      GROUP BY 1`,
    ordered: false,
  },
];
