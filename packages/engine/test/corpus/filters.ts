import type { CorpusCase } from './types.js';

/**
 * Every dimension filter operator. Flights columns have no NULLs, so the NULL-keeping operators
 * (notEquals, notContains, notStartsWith, notEndsWith) are also tested from the airports side,
 * where `flights.*` is NULL for an airport without flights (LEFT JOIN from the root).
 */
export const filterCases: CorpusCase[] = [
  {
    name: 'equals one value',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.destination'],
      filters: [{ member: 'flights.origin', operator: 'equals', values: ['SFO'] }],
    },
    expectedSql: `
      SELECT destination AS "flights.destination", count(*) AS "flights.count"
      FROM flights WHERE origin = 'SFO' GROUP BY destination`,
    ordered: false,
  },
  {
    name: 'equals several values means IN',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      filters: [{ member: 'flights.origin', operator: 'equals', values: ['SFO', 'LAX', 'SAN'] }],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count"
      FROM flights WHERE origin IN ('SFO', 'LAX', 'SAN') GROUP BY origin`,
    ordered: false,
  },
  {
    name: 'equals on a number dimension with a string value',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin', 'flights.destination'],
      filters: [{ member: 'flights.distance', operator: 'equals', values: ['2475'] }],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", destination AS "flights.destination", count(*) AS "flights.count"
      FROM flights WHERE distance = 2475 GROUP BY origin, destination`,
    ordered: false,
  },
  {
    name: 'notEquals one value (no NULLs on this column)',
    query: {
      measures: ['flights.count'],
      filters: [{ member: 'flights.origin', operator: 'notEquals', values: ['ATL'] }],
    },
    expectedSql: `SELECT count(*) AS "flights.count" FROM flights WHERE origin <> 'ATL'`,
    ordered: true,
  },
  {
    name: 'notEquals keeps NULL rows: airports without flights stay',
    query: {
      measures: ['airports.count'],
      dimensions: ['airports.state'],
      filters: [
        { member: 'flights.destination', operator: 'notEquals', values: ['LAX'] },
        { member: 'airports.state', operator: 'equals', values: ['CA', 'NV', 'WY', 'NY'] },
      ],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(DISTINCT a.iata) AS "airports.count"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE (f.destination <> 'LAX' OR f.destination IS NULL) AND a.state IN ('CA', 'NV', 'WY', 'NY')
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'notEquals several values means NOT IN, and keeps NULL rows',
    query: {
      measures: ['airports.count'],
      dimensions: ['airports.state'],
      filters: [
        { member: 'flights.origin', operator: 'notEquals', values: ['SFO', 'LAX', 'JFK'] },
        { member: 'airports.state', operator: 'equals', values: ['CA', 'NV', 'WY', 'NY'] },
      ],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(DISTINCT a.iata) AS "airports.count"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE (f.origin NOT IN ('SFO', 'LAX', 'JFK') OR f.origin IS NULL) AND a.state IN ('CA', 'NV', 'WY', 'NY')
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'contains ignores case',
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.name'],
      filters: [{ member: 'airports.name', operator: 'contains', values: ['INTERNATIONAL'] }],
    },
    expectedSql: `
      SELECT a.name AS "airports.name", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE lower(a.name) LIKE '%international%'
      GROUP BY a.name`,
    ordered: false,
  },
  {
    name: 'contains with several values means any of them',
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.city'],
      filters: [{ member: 'airports.city', operator: 'contains', values: ['san ', 'LOS'] }],
    },
    expectedSql: `
      SELECT a.city AS "airports.city", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE lower(a.city) LIKE '%san %' OR lower(a.city) LIKE '%los%'
      GROUP BY a.city`,
    ordered: false,
  },
  {
    name: 'notContains ignores case (joined dimension)',
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.state'],
      filters: [{ member: 'airports.city', operator: 'notContains', values: ['San'] }],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE lower(a.city) NOT LIKE '%san%' OR a.city IS NULL
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'notContains with several values keeps NULL rows',
    query: {
      measures: ['airports.count'],
      dimensions: ['airports.state'],
      filters: [
        { member: 'flights.destination', operator: 'notContains', values: ['x', 'W'] },
        { member: 'airports.state', operator: 'equals', values: ['CA', 'NV', 'WY', 'NY'] },
      ],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(DISTINCT a.iata) AS "airports.count"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE ((lower(f.destination) NOT LIKE '%x%' AND lower(f.destination) NOT LIKE '%w%')
             OR f.destination IS NULL)
        AND a.state IN ('CA', 'NV', 'WY', 'NY')
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'startsWith ignores case',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      filters: [{ member: 'flights.origin', operator: 'startsWith', values: ['s'] }],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count"
      FROM flights WHERE lower(origin) LIKE 's%' GROUP BY origin`,
    ordered: false,
  },
  {
    name: 'notStartsWith keeps NULL rows',
    query: {
      measures: ['airports.count'],
      dimensions: ['airports.country'],
      filters: [
        { member: 'flights.destination', operator: 'notStartsWith', values: ['A', 'b'] },
        { member: 'airports.latitude', operator: 'lt', values: ['25'] },
      ],
    },
    expectedSql: `
      SELECT a.country AS "airports.country", count(DISTINCT a.iata) AS "airports.count"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE ((lower(f.destination) NOT LIKE 'a%' AND lower(f.destination) NOT LIKE 'b%')
             OR f.destination IS NULL)
        AND a.latitude < 25
      GROUP BY a.country`,
    ordered: false,
  },
  {
    name: 'endsWith ignores case, several values',
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.city'],
      filters: [{ member: 'airports.city', operator: 'endsWith', values: ['VILLE', 'burg'] }],
    },
    expectedSql: `
      SELECT a.city AS "airports.city", count(f.id) AS "flights.count"
      FROM flights f LEFT JOIN airports a ON f.origin = a.iata
      WHERE lower(a.city) LIKE '%ville' OR lower(a.city) LIKE '%burg'
      GROUP BY a.city`,
    ordered: false,
  },
  {
    name: 'notEndsWith on the root cube',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      filters: [
        { member: 'flights.origin', operator: 'notEndsWith', values: ['x'] },
        { member: 'flights.origin', operator: 'startsWith', values: ['L'] },
      ],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count"
      FROM flights
      WHERE (lower(origin) NOT LIKE '%x' OR origin IS NULL) AND lower(origin) LIKE 'l%'
      GROUP BY origin`,
    ordered: false,
  },
  {
    name: 'notEndsWith keeps NULL rows',
    query: {
      measures: ['airports.count'],
      filters: [
        { member: 'flights.origin', operator: 'notEndsWith', values: ['O'] },
        { member: 'airports.state', operator: 'equals', values: ['TX', 'OK', 'NM'] },
      ],
    },
    expectedSql: `
      SELECT count(DISTINCT a.iata) AS "airports.count"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE (lower(f.origin) NOT LIKE '%o' OR f.origin IS NULL) AND a.state IN ('TX', 'OK', 'NM')`,
    ordered: true,
  },
  {
    name: 'gt with a string value on a number dimension',
    query: {
      measures: ['flights.count', 'flights.avg_delay'],
      dimensions: ['flights.origin'],
      filters: [{ member: 'flights.delay', operator: 'gt', values: ['60'] }],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count", avg(delay) AS "flights.avg_delay"
      FROM flights WHERE delay > 60 GROUP BY origin`,
    ordered: false,
  },
  {
    name: 'gte and lt together (boundaries included / excluded)',
    query: {
      measures: ['flights.count', 'flights.min_delay', 'flights.max_delay'],
      filters: [
        { member: 'flights.delay', operator: 'gte', values: [0] },
        { member: 'flights.delay', operator: 'lt', values: [15] },
      ],
    },
    expectedSql: `
      SELECT count(*) AS "flights.count", min(delay) AS "flights.min_delay", max(delay) AS "flights.max_delay"
      FROM flights WHERE delay >= 0 AND delay < 15`,
    ordered: true,
  },
  {
    name: 'lte on distance',
    query: {
      measures: ['flights.count', 'flights.total_distance'],
      dimensions: ['flights.origin', 'flights.destination'],
      filters: [{ member: 'flights.distance', operator: 'lte', values: ['100'] }],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", destination AS "flights.destination",
             count(*) AS "flights.count", sum(distance) AS "flights.total_distance"
      FROM flights WHERE distance <= 100 GROUP BY origin, destination`,
    ordered: false,
  },
  {
    name: 'set: airports that have flights',
    query: {
      measures: ['airports.count'],
      dimensions: ['airports.state'],
      filters: [
        { member: 'flights.id', operator: 'set' },
        { member: 'airports.state', operator: 'equals', values: ['CA', 'NV', 'WY', 'NY'] },
      ],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(DISTINCT a.iata) AS "airports.count"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE f.id IS NOT NULL AND a.state IN ('CA', 'NV', 'WY', 'NY')
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'notSet: airports without flights',
    query: {
      measures: ['airports.count'],
      dimensions: ['airports.state'],
      filters: [{ member: 'flights.id', operator: 'notSet' }],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", count(*) AS "airports.count"
      FROM airports a LEFT JOIN flights f ON a.iata = f.origin
      WHERE f.id IS NULL
      GROUP BY a.state`,
    ordered: false,
  },
  {
    name: 'or of a condition and a nested and',
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      filters: [
        {
          or: [
            { member: 'flights.origin', operator: 'equals', values: ['SFO'] },
            {
              and: [
                { member: 'flights.origin', operator: 'equals', values: ['LAX'] },
                { member: 'flights.delay', operator: 'gt', values: ['30'] },
              ],
            },
          ],
        },
      ],
    },
    expectedSql: `
      SELECT origin AS "flights.origin", count(*) AS "flights.count"
      FROM flights
      WHERE origin = 'SFO' OR (origin = 'LAX' AND delay > 30)
      GROUP BY origin`,
    ordered: false,
  },
  {
    name: 'and of two ors across cubes',
    query: {
      measures: ['flights.count'],
      dimensions: ['airports.state', 'destinations.state'],
      filters: [
        {
          and: [
            {
              or: [
                { member: 'airports.state', operator: 'equals', values: ['CA'] },
                { member: 'airports.state', operator: 'equals', values: ['NV'] },
              ],
            },
            {
              or: [
                { member: 'destinations.state', operator: 'equals', values: ['TX'] },
                { member: 'flights.distance', operator: 'lt', values: ['300'] },
              ],
            },
          ],
        },
      ],
    },
    expectedSql: `
      SELECT a.state AS "airports.state", d.state AS "destinations.state", count(f.id) AS "flights.count"
      FROM flights f
      LEFT JOIN airports a ON f.origin = a.iata
      LEFT JOIN airports d ON f.destination = d.iata
      WHERE (a.state = 'CA' OR a.state = 'NV') AND (d.state = 'TX' OR f.distance < 300)
      GROUP BY a.state, d.state`,
    ordered: false,
  },
  {
    name: 'contains matches % literally (wildcards in values are escaped)',
    query: {
      measures: ['airports.count'],
      dimensions: ['airports.name'],
      filters: [{ member: 'airports.name', operator: 'contains', values: ['%', 'LOGAN'] }],
    },
    expectedSql: `
      SELECT name AS "airports.name", count(*) AS "airports.count"
      FROM airports
      WHERE strpos(name, '%') > 0 OR lower(name) LIKE '%logan%'
      GROUP BY name`,
    ordered: false,
  },
  {
    name: 'notContains matches _ literally',
    query: {
      measures: ['flights.count'],
      filters: [
        { member: 'flights.origin', operator: 'notContains', values: ['_'] },
        { member: 'flights.destination', operator: 'equals', values: ['BOS'] },
      ],
    },
    expectedSql: `
      SELECT count(*) AS "flights.count"
      FROM flights
      WHERE (strpos(origin, '_') = 0 OR origin IS NULL) AND destination = 'BOS'`,
    ordered: true,
  },
];
