import type { CorpusCase } from './types.js';

/**
 * Joins from the root (LEFT JOIN), the fan-out rooted at airports (one_to_many to flights),
 * measures of the "one" side multiplied by a join, and order / limit / offset / total.
 */
export const joinCases: CorpusCase[] = [
  {
    name: 'count by origin state (many_to_one join)',
    query: { measures: ['flights.count'], dimensions: ['airports.state'] },
    expectedSql: `
      SELECT a.state AS "airports.state", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'average delay by destination city, top 10',
    query: {
      measures: ['flights.avg_delay'],
      dimensions: ['destinations.city'],
      order: { 'flights.avg_delay': 'desc' },
      limit: 10,
    },
    expectedSql: `
      SELECT d.city AS "destinations.city", avg(f.delay) AS "flights.avg_delay"
      FROM flights f LEFT JOIN airports d ON f.destination = d.iata
      GROUP BY d.city
      ORDER BY avg(f.delay) DESC
      LIMIT 10`,
    ordered: true,
  },
  {
    name: 'origin and destination states together (same table joined twice)',
    query: {
      measures: ['flights.count', 'flights.total_distance'],
      dimensions: ['airports.state', 'destinations.state'],
      filters: [{ member: 'airports.state', operator: 'equals', values: ['HI', 'AK'] }],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", d.state AS "destinations.state",
             count(f.id) AS "flights.count", sum(f.distance) AS "flights.total_distance"
      FROM flights f
      LEFT JOIN airports a ON f.origin = a.iata
      LEFT JOIN airports d ON f.destination = d.iata
      WHERE a.state IN ('HI', 'AK')
      GROUP BY a.state, d.state`,
    ordered: false,
  },
  {
    name: 'fan-out rooted at airports: airports not multiplied, airports without flights count 0 flights',
    query: { measures: ['airports.count', 'flights.count'], dimensions: ['airports.state'] },
    expectedSql: `
      SELECT a.state AS "airports.state", count(DISTINCT a.iata) AS "airports.count",
             count(f.id) AS "flights.count"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'fan-out per airport: every Wyoming airport, most with 0 flights',
    query: {
      measures: ['airports.count', 'flights.count', 'flights.avg_delay'],
      dimensions: ['airports.iata'],
      filters: [{ member: 'airports.state', operator: 'equals', values: ['WY'] }],
    },
    expectedSql: `
      SELECT a.iata AS "airports.iata", count(DISTINCT a.iata) AS "airports.count",
             count(f.id) AS "flights.count", avg(f.delay) AS "flights.avg_delay"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE a.state = 'WY'
      GROUP BY a.iata`,
    ordered: false,
  },
  {
    name: 'fan-out with sums and averages by country (NULL average where no flights)',
    query: {
      measures: ['airports.count', 'flights.total_distance', 'flights.avg_delay', 'flights.delayed_ratio'],
      dimensions: ['airports.country'],
      filters: [{ member: 'airports.latitude', operator: 'lt', values: [25] }],
    },
    expectedSql: `
      SELECT a.country AS "airports.country", count(DISTINCT a.iata) AS "airports.count",
             sum(f.distance) AS "flights.total_distance", avg(f.delay) AS "flights.avg_delay",
             1.0 * count(CASE WHEN f.delay > 15 THEN 1 END) / NULLIF(count(f.id), 0) AS "flights.delayed_ratio"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE a.latitude < 25
      GROUP BY a.country`,
    ordered: false,
  },
  {
    name: 'fan-out: origin airports per destination (NULL group = airports without flights)',
    query: {
      measures: ['airports.count'],
      dimensions: ['flights.destination'],
      filters: [{ member: 'airports.state', operator: 'equals', values: ['OR', 'WA', 'ID'] }],
    },
    expectedSql: `
      SELECT f.destination AS "flights.destination", count(DISTINCT a.iata) AS "airports.count"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE a.state IN ('OR', 'WA', 'ID')
      GROUP BY f.destination`,
    ordered: false,
  },
  {
    name: 'rooted at flights, airports.count is multiplied by the join and must be deduplicated',
    query: {
      measures: ['flights.count', 'airports.count'],
      dimensions: ['airports.state'],
      timeDimensions: [{ dimension: 'flights.date', dateRange: ['2001-06-01', '2001-06-30'] }],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(f.id) AS "flights.count", count(DISTINCT a.iata) AS "airports.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE f.date >= TIMESTAMP '2001-06-01 00:00:00' AND f.date < TIMESTAMP '2001-07-01 00:00:00'
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'measure filter on a multiplied measure uses the deduplicated value',
    query: {
      measures: ['flights.count', 'airports.count'],
      dimensions: ['airports.state'],
      timeDimensions: [{ dimension: 'flights.date', dateRange: ['2001-06-01', '2001-06-30'] }],
      filters: [{ member: 'airports.count', operator: 'gte', values: ['5'] }],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(f.id) AS "flights.count", count(DISTINCT a.iata) AS "airports.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE f.date >= TIMESTAMP '2001-06-01 00:00:00' AND f.date < TIMESTAMP '2001-07-01 00:00:00'
      GROUP BY a.state
      HAVING count(DISTINCT a.iata) >= 5`,
    ordered: false,
  },
  {
    name: 'rooted at destinations: destinations.count and average arrival delay by state',
    query: {
      measures: ['destinations.count', 'flights.avg_delay'],
      dimensions: ['destinations.state'],
      filters: [{ member: 'destinations.state', operator: 'startsWith', values: ['M'] }],
    },
    expectedSql: `
      SELECT d.state AS "destinations.state", count(DISTINCT d.iata) AS "destinations.count",
             avg(f.delay) AS "flights.avg_delay"
      FROM airports d LEFT JOIN flights f ON d.iata = f.destination
      WHERE lower(d.state) LIKE 'm%'
      GROUP BY d.state`,
    ordered: false,
  },
  {
    name: 'distinct destinations under fan-out, rooted at airports, per airport',
    query: {
      measures: ['airports.count', 'flights.distinct_destinations'],
      dimensions: ['airports.iata'],
      filters: [{ member: 'airports.state', operator: 'equals', values: ['NV', 'UT'] }],
    },
    expectedSql: `
      SELECT a.iata AS "airports.iata", count(DISTINCT a.iata) AS "airports.count",
             count(DISTINCT f.destination) AS "flights.distinct_destinations"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE a.state IN ('NV', 'UT')
      GROUP BY a.iata`,
    ordered: false,
  },
  {
    name: 'order object form with limit',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      order: { 'flights.count': 'desc' },
      limit: 5,
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count"
      FROM flights GROUP BY origin ORDER BY count(*) DESC LIMIT 5`,
    ordered: true,
  },
  {
    name: 'order array form over three keys',
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.state', 'flights.origin'],
      filters: [{ member: 'airports.state', operator: 'equals', values: ['AK', 'AL', 'AR', 'AZ', 'CA'] }],
      order: [
        ['airports.state', 'asc'],
        ['flights.count', 'desc'],
        ['flights.origin', 'asc'],
      ],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", f.origin AS "flights.origin", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state IN ('AK', 'AL', 'AR', 'AZ', 'CA')
      GROUP BY a.state, f.origin
      ORDER BY a.state ASC, count(f.id) DESC, f.origin ASC`,
    ordered: true,
  },
  {
    name: 'limit and offset',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      order: { 'flights.origin': 'asc' },
      limit: 10,
      offset: 20,
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count"
      FROM flights GROUP BY origin ORDER BY origin ASC LIMIT 10 OFFSET 20`,
    ordered: true,
  },
  {
    name: 'total counts every row regardless of limit and offset',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.destination'],
      filters: [{ member: 'flights.count', operator: 'gte', values: ['1000'] }],
      order: [['flights.destination', 'desc']],
      limit: 7,
      offset: 3,
      total: true,
    },
    expectedSql: `
      SELECT destination AS "flights.destination", count(*) AS "flights.count"
      FROM flights GROUP BY destination HAVING count(*) >= 1000
      ORDER BY destination DESC LIMIT 7 OFFSET 3`,
    expectedTotalSql: `
      SELECT count(*) AS "total" FROM (
        SELECT destination FROM flights GROUP BY destination HAVING count(*) >= 1000
      ) t`,
    ordered: true,
  },
  {
    name: 'dimensions only, joined, ordered',
    query: {
      dimensions: ['flights.origin', 'airports.name'],
      filters: [{ member: 'airports.state', operator: 'equals', values: ['CA'] }],
      order: { 'flights.origin': 'asc' },
    },
    expectedSql: `
      SELECT DISTINCT f.origin AS "flights.origin", a.name AS "airports.name"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state = 'CA'
      ORDER BY 1 ASC`,
    ordered: true,
  },
];
