import type { CorpusCase } from './types.js';

/** Every measure and every dimension of the flights example, one at a time and together. */
export const measureCases: CorpusCase[] = [
  {
    name: 'count of all flights',
    query: { measures: ['flights.count'] },
    expectedSql: `SELECT count(*) AS "flights.count" FROM flights`,
    ordered: true,
  },
  {
    name: 'every flights measure without dimensions',
    query: {
      measures: [
        'flights.count',
        'flights.avg_delay',
        'flights.max_delay',
        'flights.min_delay',
        'flights.total_distance',
        'flights.delayed_count',
        'flights.distinct_destinations',
        'flights.delayed_ratio',
      ],
    },
    expectedSql: `
      SELECT count(*) AS "flights.count",
             avg(delay) AS "flights.avg_delay",
             max(delay) AS "flights.max_delay",
             min(delay) AS "flights.min_delay",
             sum(distance) AS "flights.total_distance",
             count(CASE WHEN delay > 15 THEN 1 END) AS "flights.delayed_count",
             count(DISTINCT destination) AS "flights.distinct_destinations",
             1.0 * count(CASE WHEN delay > 15 THEN 1 END) / NULLIF(count(*), 0) AS "flights.delayed_ratio"
      FROM flights`,
    ordered: true,
  },
  {
    name: 'every flights measure by origin',
    query: {
      measures: [
        'flights.count',
        'flights.avg_delay',
        'flights.max_delay',
        'flights.min_delay',
        'flights.total_distance',
        'flights.delayed_count',
        'flights.distinct_destinations',
        'flights.delayed_ratio',
      ],
      dimensions: ['flights.origin'],
      timeDimensions: [{ dimension: 'flights.date', dateRange: ['2001-01-01', '2001-01-31'] }],
    },
    expectedSql: `
      SELECT origin AS "flights.origin",
             count(*) AS "flights.count",
             avg(delay) AS "flights.avg_delay",
             max(delay) AS "flights.max_delay",
             min(delay) AS "flights.min_delay",
             sum(distance) AS "flights.total_distance",
             count(CASE WHEN delay > 15 THEN 1 END) AS "flights.delayed_count",
             count(DISTINCT destination) AS "flights.distinct_destinations",
             1.0 * count(CASE WHEN delay > 15 THEN 1 END) / NULLIF(count(*), 0) AS "flights.delayed_ratio"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date < TIMESTAMP '2001-02-01 00:00:00'
      GROUP BY origin`,
    ordered: false,
  },
  {
    name: 'airports.count alone counts every airport',
    query: { measures: ['airports.count'] },
    expectedSql: `SELECT count(*) AS "airports.count" FROM airports`,
    ordered: true,
  },
  {
    name: 'destinations.count (extends airports) alone',
    query: { measures: ['destinations.count'] },
    expectedSql: `SELECT count(*) AS "destinations.count" FROM airports`,
    ordered: true,
  },
  {
    name: 'count by destination',
    query: { measures: ['flights.count'], dimensions: ['flights.destination'] },
    expectedSql: `
      SELECT destination AS "flights.destination", count(*) AS "flights.count"
      FROM flights GROUP BY destination`,
    ordered: false,
  },
  {
    name: 'count and total distance by distance (number dimension)',
    query: { measures: ['flights.count', 'flights.total_distance'], dimensions: ['flights.distance'] },
    expectedSql: `
      SELECT distance AS "flights.distance", count(*) AS "flights.count", sum(distance) AS "flights.total_distance"
      FROM flights GROUP BY distance`,
    ordered: false,
  },
  {
    name: 'count by delay between -5 and 5, ordered by delay',
    query: {
      measures: ['flights.count', 'flights.avg_delay'],
      dimensions: ['flights.delay'],
      filters: [
        { member: 'flights.delay', operator: 'gte', values: ['-5'] },
        { member: 'flights.delay', operator: 'lte', values: ['5'] },
      ],
      order: { 'flights.delay': 'asc' },
    },
    expectedSql: `
      SELECT delay AS "flights.delay", count(*) AS "flights.count", avg(delay) AS "flights.avg_delay"
      FROM flights
      WHERE delay >= -5 AND delay <= 5
      GROUP BY delay
      ORDER BY delay ASC`,
    ordered: true,
  },
  {
    name: 'raw rows: every flights dimension for the first ids',
    query: {
      dimensions: [
        'flights.id',
        'flights.date',
        'flights.origin',
        'flights.destination',
        'flights.distance',
        'flights.delay',
      ],
      filters: [{ member: 'flights.id', operator: 'lte', values: [12] }],
      order: [['flights.id', 'asc']],
    },
    expectedSql: `
      SELECT id AS "flights.id", date AS "flights.date", origin AS "flights.origin",
             destination AS "flights.destination", distance AS "flights.distance", delay AS "flights.delay"
      FROM flights
      WHERE id <= 12
      ORDER BY id ASC`,
    ordered: true,
  },
  {
    name: 'time dimension listed as a plain dimension returns raw timestamps',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.date'],
      filters: [
        {
          member: 'flights.date',
          operator: 'inDateRange',
          values: ['2001-01-01T00:00:00.000', '2001-01-01T00:30:00.000'],
        },
      ],
      order: { 'flights.date': 'asc' },
    },
    expectedSql: `
      SELECT date AS "flights.date", count(*) AS "flights.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date <= TIMESTAMP '2001-01-01 00:30:00'
      GROUP BY date
      ORDER BY date ASC`,
    ordered: true,
  },
  {
    name: 'every airports dimension (dimensions only)',
    query: {
      dimensions: [
        'airports.iata',
        'airports.name',
        'airports.city',
        'airports.state',
        'airports.country',
        'airports.latitude',
        'airports.longitude',
      ],
      filters: [{ member: 'airports.iata', operator: 'equals', values: ['SFO', 'LAX', 'JFK', 'ORD', 'ROP'] }],
    },
    expectedSql: `
      SELECT iata AS "airports.iata", name AS "airports.name", city AS "airports.city",
             state AS "airports.state", country AS "airports.country",
             latitude AS "airports.latitude", longitude AS "airports.longitude"
      FROM airports
      WHERE iata IN ('SFO', 'LAX', 'JFK', 'ORD', 'ROP')`,
    ordered: false,
  },
  {
    name: 'every destinations dimension with destinations.count for Hawaii',
    query: {
      measures: ['destinations.count'],
      dimensions: [
        'destinations.iata',
        'destinations.name',
        'destinations.city',
        'destinations.state',
        'destinations.country',
        'destinations.latitude',
        'destinations.longitude',
      ],
      filters: [{ member: 'destinations.state', operator: 'equals', values: ['HI'] }],
    },
    expectedSql: `
      SELECT iata AS "destinations.iata", name AS "destinations.name", city AS "destinations.city",
             state AS "destinations.state", country AS "destinations.country",
             latitude AS "destinations.latitude", longitude AS "destinations.longitude",
             count(*) AS "destinations.count"
      FROM airports
      WHERE state = 'HI'
      GROUP BY iata, name, city, state, country, latitude, longitude`,
    ordered: false,
  },
  {
    name: 'count by airports.country and airports.city (joined dimensions)',
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.country', 'airports.city'],
    },
    expectedSql: `
      SELECT a.country AS "airports.country", a.city AS "airports.city", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      GROUP BY a.country, a.city`,
    ordered: false,
  },
  {
    name: 'count by origin latitude and longitude',
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.latitude', 'airports.longitude'],
      filters: [{ member: 'airports.state', operator: 'equals', values: ['TX'] }],
    },
    expectedSql: `
      SELECT a.latitude AS "airports.latitude", a.longitude AS "airports.longitude", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state = 'TX'
      GROUP BY a.latitude, a.longitude`,
    ordered: false,
  },
  {
    name: 'min and max delay by destination state',
    query: {
      measures: ['flights.min_delay', 'flights.max_delay'],
      dimensions: ['destinations.state'],
    },
    expectedSql: `
      SELECT d.state AS "destinations.state", min(f.delay) AS "flights.min_delay", max(f.delay) AS "flights.max_delay"
      FROM flights f LEFT JOIN airports d ON f.destination = d.iata
      GROUP BY d.state`,
    ordered: false,
  },
  {
    name: 'distinct destinations by origin state',
    query: {
      measures: ['flights.distinct_destinations'],
      dimensions: ['airports.state'],
      timeDimensions: [{ dimension: 'flights.date', dateRange: ['2001-03-01', '2001-03-31'] }],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(DISTINCT f.destination) AS "flights.distinct_destinations"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE f.date >= TIMESTAMP '2001-03-01 00:00:00' AND f.date < TIMESTAMP '2001-04-01 00:00:00'
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'delayed_count and delayed_ratio for two hubs',
    query: {
      measures: ['flights.delayed_count', 'flights.delayed_ratio'],
      dimensions: ['flights.origin'],
      filters: [{ member: 'flights.origin', operator: 'equals', values: ['ORD', 'ATL'] }],
      order: { 'flights.origin': 'asc' },
    },
    expectedSql: `
      SELECT origin AS "flights.origin",
             count(CASE WHEN delay > 15 THEN 1 END) AS "flights.delayed_count",
             1.0 * count(CASE WHEN delay > 15 THEN 1 END) / NULLIF(count(*), 0) AS "flights.delayed_ratio"
      FROM flights
      WHERE origin IN ('ORD', 'ATL')
      GROUP BY origin
      ORDER BY origin ASC`,
    ordered: true,
  },
];
