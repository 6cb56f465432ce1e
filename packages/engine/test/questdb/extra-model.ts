/**
 * Query shapes the flights model does not reach (rolling windows, custom granularities, a
 * segment, an approximate distinct count), as one more cube over the same `flights` table.
 * Used by the generated-SQL tests and, with QUESTDB_URL set, by the live run.
 */
import type { QueryInput } from '@inlay/core';
import type { ModelFile } from '../../src/index.js';

export const FLIGHT_SERIES_MODEL: ModelFile = {
  path: 'models/flight_series.cube.yml',
  content: `cubes:
  - name: flight_series
    sql_table: flights
    segments:
      - name: long_haul
        sql: "{CUBE}.distance >= 1500"
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: origin
        sql: origin
        type: string
      - name: date
        sql: date
        type: time
        granularities:
          - name: quarter_hour
            interval: 15 minutes
          - name: shifted_day
            interval: 1 day
            offset: 6 hours
          - name: half_day
            interval: 12 hours
            origin: "2001-01-01 03:00:00"
          - name: half_day_shifted
            interval: 12 hours
            origin: "2001-01-01 03:00:00"
            offset: 30 minutes
    measures:
      - name: count
        type: count
      - name: approx_destinations
        sql: destination
        type: count_distinct_approx
      - name: count_7d
        type: count
        rolling_window:
          trailing: 7 day
      - name: distance_3d_start
        sql: distance
        type: sum
        rolling_window:
          trailing: 3 day
          offset: start
`,
};

export interface ExtraCase {
  name: string;
  query: QueryInput;
  /** True when the query's order fully determines the order of the rows. */
  ordered: boolean;
  /** The answer, written by hand in DuckDB SQL over `flights` (aliases are the response keys). */
  expectedSql: string;
}

/** Local New York wall clock of the naive-UTC `date` (DuckDB). */
const NY = "timezone('America/New_York', timezone('UTC', date))";

const JAN_FIRST_WEEK: [string, string] = ['2001-01-01', '2001-01-07'];

export const extraCases: ExtraCase[] = [
  {
    name: 'rolling window: trailing 7 days by day',
    query: {
      measures: ['flight_series.count_7d', 'flight_series.count'],
      timeDimensions: [{ dimension: 'flight_series.date', granularity: 'day', dateRange: JAN_FIRST_WEEK }],
      order: { 'flight_series.date': 'asc' },
    },
    ordered: true,
    expectedSql: `
      SELECT d AS "flight_series.date.day",
        (SELECT count(*) FROM flights WHERE date >= d - INTERVAL 6 DAY AND date < d + INTERVAL 1 DAY)
          AS "flight_series.count_7d",
        (SELECT count(*) FROM flights WHERE date >= d AND date < d + INTERVAL 1 DAY) AS "flight_series.count"
      FROM generate_series(TIMESTAMP '2001-01-01', TIMESTAMP '2001-01-07', INTERVAL 1 DAY) AS s(d)
      ORDER BY d`,
  },
  {
    name: 'rolling window with offset start, by origin, in New York',
    query: {
      measures: ['flight_series.distance_3d_start'],
      dimensions: ['flight_series.origin'],
      timeDimensions: [{ dimension: 'flight_series.date', granularity: 'day', dateRange: JAN_FIRST_WEEK }],
      filters: [{ member: 'flight_series.origin', operator: 'equals', values: ['SFO', 'JFK'] }],
      timezone: 'America/New_York',
      order: [
        ['flight_series.date', 'asc'],
        ['flight_series.origin', 'asc'],
      ],
    },
    ordered: true,
    expectedSql: `
      WITH l AS (SELECT origin, distance, ${NY} AS t FROM flights WHERE origin IN ('SFO', 'JFK'))
      SELECT o.origin AS "flight_series.origin", d AS "flight_series.date.day",
        (SELECT sum(distance) FROM l WHERE l.origin = o.origin AND t >= d - INTERVAL 3 DAY AND t < d)
          AS "flight_series.distance_3d_start"
      FROM generate_series(TIMESTAMP '2001-01-01', TIMESTAMP '2001-01-07', INTERVAL 1 DAY) AS s(d)
      CROSS JOIN (SELECT unnest(['JFK', 'SFO']) AS origin) AS o
      ORDER BY 2, 1`,
  },
  {
    name: 'custom granularity: 15 minutes',
    query: {
      measures: ['flight_series.count'],
      timeDimensions: [
        {
          dimension: 'flight_series.date',
          granularity: 'quarter_hour',
          dateRange: ['2001-01-02T06:00:00', '2001-01-02T08:59:59'],
        },
      ],
      order: { 'flight_series.date': 'asc' },
    },
    ordered: true,
    expectedSql: `
      SELECT time_bucket(INTERVAL 15 MINUTE, date) AS "flight_series.date.quarter_hour",
        count(*) AS "flight_series.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-02 06:00:00' AND date < TIMESTAMP '2001-01-02 09:00:00'
      GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'custom granularity: days starting at 06:00',
    query: {
      measures: ['flight_series.count'],
      timeDimensions: [
        { dimension: 'flight_series.date', granularity: 'shifted_day', dateRange: JAN_FIRST_WEEK },
      ],
      order: { 'flight_series.date': 'asc' },
    },
    ordered: true,
    expectedSql: `
      SELECT date_trunc('day', date - INTERVAL 6 HOUR) + INTERVAL 6 HOUR AS "flight_series.date.shifted_day",
        count(*) AS "flight_series.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date < TIMESTAMP '2001-01-08 00:00:00'
      GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'custom granularity: 12 hours from an origin',
    query: {
      measures: ['flight_series.count'],
      timeDimensions: [
        { dimension: 'flight_series.date', granularity: 'half_day', dateRange: ['2001-01-01', '2001-01-03'] },
      ],
      order: { 'flight_series.date': 'asc' },
    },
    ordered: true,
    expectedSql: `
      SELECT time_bucket(INTERVAL 12 HOUR, date, TIMESTAMP '2001-01-01 03:00:00') AS "flight_series.date.half_day",
        count(*) AS "flight_series.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date < TIMESTAMP '2001-01-04 00:00:00'
      GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'custom granularity: 12 hours from an origin plus 30 minutes',
    query: {
      measures: ['flight_series.count'],
      timeDimensions: [
        {
          dimension: 'flight_series.date',
          granularity: 'half_day_shifted',
          dateRange: ['2001-01-01', '2001-01-03'],
        },
      ],
      order: { 'flight_series.date': 'asc' },
    },
    ordered: true,
    expectedSql: `
      SELECT time_bucket(INTERVAL 12 HOUR, date, TIMESTAMP '2001-01-01 03:30:00')
          AS "flight_series.date.half_day_shifted",
        count(*) AS "flight_series.count"
      FROM flights
      WHERE date >= TIMESTAMP '2001-01-01 00:00:00' AND date < TIMESTAMP '2001-01-04 00:00:00'
      GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'segment and approximate distinct count',
    query: {
      measures: ['flight_series.count', 'flight_series.approx_destinations'],
      dimensions: ['flight_series.origin'],
      segments: ['flight_series.long_haul'],
      filters: [{ member: 'flight_series.origin', operator: 'equals', values: ['SFO', 'BOS'] }],
      order: { 'flight_series.origin': 'asc' },
    },
    ordered: true,
    // QuestDB's count_distinct is exact, so the exact count is the answer there.
    expectedSql: `
      SELECT origin AS "flight_series.origin", count(*) AS "flight_series.count",
        count(DISTINCT destination) AS "flight_series.approx_destinations"
      FROM flights
      WHERE origin IN ('SFO', 'BOS') AND distance >= 1500
      GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'ungrouped rows with offset and no limit',
    query: {
      dimensions: ['flight_series.id', 'flight_series.origin', 'flight_series.date'],
      filters: [{ member: 'flight_series.id', operator: 'lte', values: [30] }],
      ungrouped: true,
      order: { 'flight_series.id': 'asc' },
      offset: 25,
    },
    ordered: true,
    expectedSql: `
      SELECT id AS "flight_series.id", origin AS "flight_series.origin", date AS "flight_series.date"
      FROM flights WHERE id <= 30 ORDER BY id OFFSET 25`,
  },
];
