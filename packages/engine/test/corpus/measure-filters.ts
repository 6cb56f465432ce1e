import type { CorpusCase } from './types.js';

/** Filters on measures: applied after aggregation (HAVING), alone, combined and in an or group. */
export const measureFilterCases: CorpusCase[] = [
  {
    name: 'measure filter gt on count goes after aggregation',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      filters: [{ member: 'flights.count', operator: 'gt', values: ['50000'] }],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count"
      FROM flights GROUP BY origin HAVING count(*) > 50000`,
    ordered: false,
  },
  {
    name: 'measure filter on an unselected measure together with a dimension filter',
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.state'],
      filters: [
        { member: 'flights.avg_delay', operator: 'gte', values: ['12'] },
        { member: 'flights.distance', operator: 'gt', values: ['500'] },
      ],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE f.distance > 500
      GROUP BY a.state
      HAVING avg(f.delay) >= 12`,
    ordered: false,
  },
  {
    name: 'measure filters in an or group (number measure and lte)',
    query: {
      measures: ['flights.count', 'flights.delayed_ratio'],
      dimensions: ['flights.origin'],
      filters: [
        {
          or: [
            { member: 'flights.delayed_ratio', operator: 'gt', values: ['0.3'] },
            { member: 'flights.count', operator: 'lte', values: ['100'] },
          ],
        },
      ],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count",
             1.0 * count(CASE WHEN delay > 15 THEN 1 END) / NULLIF(count(*), 0) AS "flights.delayed_ratio"
      FROM flights
      GROUP BY origin
      HAVING 1.0 * count(CASE WHEN delay > 15 THEN 1 END) / NULLIF(count(*), 0) > 0.3 OR count(*) <= 100`,
    ordered: false,
  },
  {
    name: 'measure filter on count_distinct per month bucket',
    query: {
      measures: ['flights.distinct_destinations'],
      dimensions: ['flights.origin'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'month', dateRange: ['2001-01-01', '2001-02-28'] },
      ],
      filters: [{ member: 'flights.distinct_destinations', operator: 'gte', values: ['50'] }],
    },
    expectedSql: `
      SELECT date_trunc('month', date) AS "flights.date.month", origin AS "flights.origin",
             count(DISTINCT destination) AS "flights.distinct_destinations"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date < TIMESTAMP '2001-03-01 00:00:00'
      GROUP BY 1, 2
      HAVING count(DISTINCT destination) >= 50`,
    ordered: false,
  },
  {
    name: 'measure filters in an and group',
    query: {
      measures: ['flights.count', 'flights.avg_delay'],
      dimensions: ['flights.origin'],
      filters: [
        {
          and: [
            { member: 'flights.count', operator: 'gt', values: ['1000'] },
            { member: 'flights.avg_delay', operator: 'lt', values: ['5'] },
          ],
        },
      ],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count", avg(delay) AS "flights.avg_delay"
      FROM flights
      GROUP BY origin
      HAVING count(*) > 1000 AND avg(delay) < 5`,
    ordered: false,
  },
];
