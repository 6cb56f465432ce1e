import type { CorpusCase } from './types.js';

/**
 * Row-level security from the flights access policy: role `default` sees only flights whose
 * origin airport's state is in `securityContext.states`; `admin` sees all. Token `filters`
 * apply to every query.
 */
const CA = { roles: ['default'], securityContext: { states: ['CA'] } };
const NY_NJ = { roles: ['default'], securityContext: { states: ['NY', 'NJ'] } };

export const securityCases: CorpusCase[] = [
  {
    name: 'rls: default role, CA, count by origin',
    security: CA,
    query: { measures: ['flights.count'], dimensions: ['flights.origin'] },
    expectedSql: `
      SELECT f.origin AS "flights.origin", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state IN ('CA')
      GROUP BY f.origin`,
    ordered: false,
  },
  {
    name: 'rls: default role, NY and NJ, count and average delay by state',
    security: NY_NJ,
    query: { measures: ['flights.count', 'flights.avg_delay'], dimensions: ['airports.state'] },
    expectedSql: `
      SELECT a.state AS "airports.state", count(f.id) AS "flights.count", avg(f.delay) AS "flights.avg_delay"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state IN ('NY', 'NJ')
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'rls: no roles means default; totals only',
    security: { securityContext: { states: ['CA'] } },
    query: { measures: ['flights.count', 'flights.distinct_destinations', 'flights.total_distance'] },
    expectedSql: `
      SELECT count(f.id) AS "flights.count", count(DISTINCT f.destination) AS "flights.distinct_destinations",
             sum(f.distance) AS "flights.total_distance"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state IN ('CA')`,
    ordered: true,
  },
  {
    name: 'rls: policy filter and user filter together',
    security: NY_NJ,
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      filters: [{ member: 'flights.destination', operator: 'equals', values: ['LAX', 'SFO'] }],
    },
    expectedSql: `
      SELECT f.origin AS "flights.origin", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state IN ('NY', 'NJ') AND f.destination IN ('LAX', 'SFO')
      GROUP BY f.origin`,
    ordered: false,
  },
  {
    name: 'rls: user filter in an or cannot widen the policy',
    security: CA,
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.state'],
      filters: [
        {
          or: [
            { member: 'airports.state', operator: 'equals', values: ['TX'] },
            { member: 'flights.origin', operator: 'equals', values: ['SFO'] },
          ],
        },
      ],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state IN ('CA') AND (a.state = 'TX' OR f.origin = 'SFO')
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'rls: default role, CA, by month',
    security: CA,
    query: {
      measures: ['flights.count', 'flights.delayed_ratio'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'month' }],
      order: { 'flights.date': 'asc' },
    },
    expectedSql: `
      SELECT date_trunc('month', f.date) AS "flights.date.month", count(f.id) AS "flights.count",
             1.0 * count(CASE WHEN f.delay > 15 THEN 1 END) / NULLIF(count(f.id), 0) AS "flights.delayed_ratio"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state IN ('CA')
      GROUP BY 1
      ORDER BY 1 ASC`,
    ordered: true,
  },
  {
    name: 'rls: default role, NY and NJ, by destination state (both airport joins)',
    security: NY_NJ,
    query: { measures: ['flights.count'], dimensions: ['destinations.state'] },
    expectedSql: `
      SELECT d.state AS "destinations.state", count(f.id) AS "flights.count"
      FROM flights f
      LEFT JOIN airports a ON f.origin = a.iata
      LEFT JOIN airports d ON f.destination = d.iata
      WHERE a.state IN ('NY', 'NJ')
      GROUP BY d.state`,
    ordered: false,
  },
  {
    name: 'rls: measure filter after the policy filter',
    security: CA,
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.destination'],
      filters: [{ member: 'flights.count', operator: 'gt', values: ['5000'] }],
    },
    expectedSql: `
      SELECT f.destination AS "flights.destination", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state IN ('CA')
      GROUP BY f.destination
      HAVING count(f.id) > 5000`,
    ordered: false,
  },
  {
    name: 'rls: admin sees every state',
    security: { roles: ['admin'], securityContext: { states: ['CA'] } },
    query: { measures: ['flights.count'], dimensions: ['airports.state'] },
    expectedSql: `
      SELECT a.state AS "airports.state", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'rls: policies of several roles combine with OR (default + admin sees all)',
    security: { roles: ['default', 'admin'], securityContext: { states: ['CA'] } },
    query: { measures: ['flights.count'] },
    expectedSql: `SELECT count(*) AS "flights.count" FROM flights`,
    ordered: true,
  },
  {
    name: 'rls: token filters apply to every query',
    security: {
      roles: ['admin'],
      filters: [{ member: 'flights.destination', operator: 'equals', values: ['SFO'] }],
    },
    query: { measures: ['flights.count', 'flights.avg_delay'], dimensions: ['flights.origin'] },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count", avg(delay) AS "flights.avg_delay"
      FROM flights WHERE destination = 'SFO' GROUP BY origin`,
    ordered: false,
  },
  {
    name: 'rls: token filters and the default policy together',
    security: {
      roles: ['default'],
      securityContext: { states: ['NY', 'NJ'] },
      filters: [{ member: 'flights.delay', operator: 'gt', values: ['0'] }],
    },
    query: { measures: ['flights.count'], dimensions: ['airports.city'] },
    expectedSql: `
      SELECT a.city AS "airports.city", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE a.state IN ('NY', 'NJ') AND f.delay > 0
      GROUP BY a.city`,
    ordered: false,
  },
  {
    name: 'rls: airports has no access policy and stays open to role default',
    security: CA,
    query: { measures: ['airports.count'], dimensions: ['airports.country'] },
    expectedSql: `
      SELECT country AS "airports.country", count(*) AS "airports.count"
      FROM airports GROUP BY country`,
    ordered: false,
  },
];
