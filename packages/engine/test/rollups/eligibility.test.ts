/**
 * When a query may be answered from a rollup: one case per rule, each naming its reason. No
 * database: the locator only names tables.
 */
import type { QueryInput, SecurityOptions } from '@inlay/core';
import { flightsProjectDir } from '@inlay/example-flights';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFromRollup, compileModel, type RollupLocator, readModelDir } from '../../src/index.js';
import { shopModel } from './shop.js';

type Model = ReturnType<typeof compileModel>;

const ADMIN: SecurityOptions = { roles: ['admin'] };
const CA: SecurityOptions = { roles: ['default'], securityContext: { states: ['CA'] } };
const EU: SecurityOptions = { roles: ['default'], securityContext: { region: 'EU' } };
const all: RollupLocator = (r) => `rollup_${r.name}`;
const only =
  (...ids: string[]): RollupLocator =>
  (r) =>
    ids.includes(r.id) ? `rollup_${r.name}` : undefined;

let flights: Model;
const shop = shopModel();

beforeAll(async () => {
  flights = compileModel(await readModelDir(flightsProjectDir));
});

const monthRange = { dimension: 'flights.date', dateRange: ['2001-02-01', '2001-03-31'] as [string, string] };

interface Case {
  name: string;
  model: () => Model;
  query: QueryInput;
  security?: SecurityOptions;
  locate?: RollupLocator;
  /** The rollup that answers, or a piece of the reason it is not answered. */
  want: { rollup: string } | { reason: string };
}

const F = () => flights;
const S = () => shop;

const CASES: Case[] = [
  // Eligible
  {
    name: 'count for a tenant',
    model: F,
    query: { measures: ['flights.count'] },
    security: CA,
    want: { rollup: 'flights.by_origin_month' },
  },
  {
    name: 'whole months prefer the smallest month rollup',
    model: F,
    query: { measures: ['flights.avg_delay'], timeDimensions: [{ ...monthRange, granularity: 'quarter' }] },
    want: { rollup: 'flights.by_origin_month' },
  },
  {
    name: 'a route needs the rollup that has destinations',
    model: F,
    query: {
      measures: ['flights.avg_delay'],
      dimensions: ['flights.destination'],
      timeDimensions: [{ ...monthRange, granularity: 'month' }],
    },
    want: { rollup: 'flights.by_month' },
  },
  {
    name: 'beforeDate on a day boundary',
    model: F,
    query: {
      measures: ['flights.count'],
      filters: [{ member: 'flights.date', operator: 'beforeDate', values: ['2001-02-02'] }],
    },
    want: { rollup: 'flights.by_day' },
  },
  {
    name: 'a token filter on a rollup dimension',
    model: F,
    query: { measures: ['flights.count'] },
    security: {
      roles: ['admin'],
      filters: [{ member: 'flights.origin', operator: 'equals', values: ['SFO'] }],
    },
    want: { rollup: 'flights.by_origin_month' },
  },
  // Measures
  {
    name: 'count_distinct',
    model: F,
    query: { measures: ['flights.distinct_destinations'] },
    want: {
      reason: 'rollup flights.by_day: measure flights.distinct_destinations (count_distinct) is not additive',
    },
  },
  {
    name: 'number',
    model: F,
    query: { measures: ['flights.delayed_ratio'] },
    want: { reason: 'measure flights.delayed_ratio (number) is not additive' },
  },
  {
    name: 'rolling window',
    model: S,
    query: { measures: ['orders.rolling_amount'] },
    want: { reason: 'measure orders.rolling_amount has a rolling_window' },
  },
  {
    name: 'a measure missing from the rollup',
    model: S,
    query: {
      measures: ['orders.max_amount'],
      timeDimensions: [{ dimension: 'orders.created_at', dateRange: ['2024-01-01', '2024-01-31'] }],
    },
    locate: only('orders.by_month'),
    want: { reason: 'rollup orders.by_month: measure orders.max_amount is not in the rollup' },
  },
  {
    name: 'a measure the rollup stores de-duplicated',
    model: S,
    query: { measures: ['orders.count'], dimensions: ['items.sku'] },
    want: {
      reason:
        'rollup orders.with_items: measure orders.count is stored de-duplicated per rollup row (a join repeats orders rows)',
    },
  },
  // Dimensions and segments
  {
    name: 'a dimension missing',
    model: F,
    query: { measures: ['flights.count'], dimensions: ['airports.city'] },
    want: { reason: 'dimension airports.city is not in the rollup' },
  },
  {
    name: 'a sub_query dimension',
    model: S,
    query: { measures: ['orders.count'], dimensions: ['orders.item_count'] },
    want: { reason: 'dimension orders.item_count is a sub_query dimension' },
  },
  {
    name: 'a segment missing',
    model: S,
    query: { measures: ['orders.count'], segments: ['orders.big'] },
    want: { reason: 'segment orders.big is not in the rollup' },
  },
  // Time
  {
    name: "another cube's time dimension",
    model: S,
    query: {
      measures: ['orders.count'],
      timeDimensions: [{ dimension: 'customers.since', granularity: 'year' }],
    },
    want: { reason: 'time dimension customers.since is not in the rollup' },
  },
  {
    name: 'a finer granularity',
    model: F,
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'hour' }],
    },
    want: { reason: 'rollup flights.by_day: granularity hour cannot be computed from day buckets' },
  },
  {
    name: 'weeks from months (and the day rollup not built)',
    model: F,
    query: { measures: ['flights.count'], timeDimensions: [{ ...monthRange, granularity: 'week' }] },
    locate: only('flights.by_month'),
    want: {
      reason:
        'rollup flights.by_month: granularity week cannot be computed from month buckets; rollup flights.by_day could answer but is not built',
    },
  },
  {
    name: 'a custom granularity',
    model: S,
    query: {
      measures: ['orders.count'],
      timeDimensions: [{ dimension: 'orders.created_at', granularity: 'fiscal_year' }],
    },
    want: { reason: 'custom granularity fiscal_year cannot be computed from day buckets' },
  },
  {
    name: 'a dateRange off the bucket boundaries',
    model: F,
    query: {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', dateRange: ['2001-01-01T06:00:00', '2001-01-31'] }],
    },
    want: {
      reason:
        'rollup flights.by_day: the dateRange on flights.date does not start and end on day boundaries (UTC)',
    },
  },
  {
    name: 'a partitioned rollup without a time restriction',
    model: F,
    query: { measures: ['flights.count'] },
    locate: only('flights.by_month'),
    want: {
      reason:
        'rollup flights.by_month: it is partitioned by month and holds no rows without flights.date, so the query needs a dateRange or a filter on flights.date',
    },
  },
  {
    name: 'a time zone other than UTC',
    model: F,
    query: { measures: ['flights.count'], timezone: 'America/New_York' },
    want: { reason: "the query's time zone is America/New_York; rollups are bucketed in UTC" },
  },
  // Filters
  {
    name: 'a filter member missing',
    model: F,
    query: {
      measures: ['flights.count'],
      filters: [{ member: 'flights.delay', operator: 'gt', values: [0] }],
    },
    want: { reason: 'rollup flights.by_day: filter member flights.delay is not in the rollup' },
  },
  {
    name: 'a filter member missing inside or/and',
    model: F,
    query: {
      measures: ['flights.count'],
      filters: [
        {
          or: [
            { member: 'flights.origin', operator: 'equals', values: ['SFO'] },
            { and: [{ member: 'flights.distance', operator: 'gt', values: [100] }] },
          ],
        },
      ],
    },
    want: { reason: 'filter member flights.distance is not in the rollup' },
  },
  {
    name: 'a measure filter on a non-additive measure',
    model: F,
    query: {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      filters: [{ member: 'flights.distinct_destinations', operator: 'gt', values: [5] }],
    },
    want: { reason: 'filter: measure flights.distinct_destinations (count_distinct) is not additive' },
  },
  {
    name: 'a range comparison on text',
    model: F,
    query: {
      measures: ['flights.count'],
      filters: [{ member: 'flights.origin', operator: 'gt', values: ['M'] }],
    },
    want: {
      reason:
        "filter gt on flights.origin compares text, whose order depends on the source database's collation",
    },
  },
  {
    name: 'equals on a bucketed time',
    model: F,
    query: {
      measures: ['flights.count'],
      filters: [{ member: 'flights.date', operator: 'equals', values: ['2001-01-01'] }],
    },
    want: {
      reason: 'rollup flights.by_day: filter equals on flights.date cannot be answered from day buckets',
    },
  },
  {
    name: 'afterDate on a bucketed time',
    model: F,
    query: {
      measures: ['flights.count'],
      filters: [{ member: 'flights.date', operator: 'afterDate', values: ['2001-01-01'] }],
    },
    want: { reason: 'filter afterDate on flights.date cannot be answered from day buckets' },
  },
  {
    name: 'beforeDate off a boundary',
    model: F,
    query: {
      measures: ['flights.count'],
      filters: [{ member: 'flights.date', operator: 'beforeDate', values: ['2001-01-01T12:00:00'] }],
    },
    want: { reason: 'filter beforeDate on flights.date does not fall on day boundaries (UTC)' },
  },
  // Security filters
  {
    name: 'a token filter on a member missing',
    model: F,
    query: { measures: ['flights.count'] },
    security: { roles: ['admin'], filters: [{ member: 'flights.delay', operator: 'gt', values: [0] }] },
    want: { reason: 'rollup flights.by_day: security filter member flights.delay is not in the rollup' },
  },
  {
    name: 'a tenant whose policy filter member is missing',
    model: S,
    query: {
      measures: ['orders.count'],
      timeDimensions: [{ dimension: 'orders.created_at', dateRange: ['2024-01-01', '2024-01-31'] }],
    },
    security: EU,
    locate: only('orders.by_month'),
    want: { reason: 'rollup orders.by_month: security filter member customers.region is not in the rollup' },
  },
  // The query as a whole
  {
    name: 'ungrouped',
    model: F,
    query: { dimensions: ['flights.origin'], ungrouped: true },
    want: { reason: 'ungrouped queries are not answered from rollups' },
  },
  {
    name: 'a view',
    model: S,
    query: { measures: ['orders_view.count'] },
    want: { reason: 'the query reads view orders_view; rollups answer cube queries' },
  },
  {
    name: 'a cube without rollups',
    model: F,
    query: { measures: ['airports.count'] },
    want: { reason: 'no rollup is defined on cube airports' },
  },
  {
    name: 'build_range limits the rows',
    model: S,
    query: { measures: ['orders.count'] },
    locate: only('orders.ranged'),
    want: { reason: 'rollup orders.ranged: build_range_start/end limit its rows' },
  },
  {
    name: 'original_sql',
    model: S,
    query: { measures: ['orders.customers_n'] },
    want: { reason: 'rollup orders.raw: it is an original_sql pre-aggregation' },
  },
  {
    name: 'nothing built',
    model: F,
    query: { measures: ['flights.count'] },
    locate: () => undefined,
    want: { reason: 'rollup flights.by_day could answer but is not built' },
  },
];

describe('eligibility', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const out = compileFromRollup(c.model(), c.query, {
        security: c.security ?? ADMIN,
        locate: c.locate ?? all,
      });
      if ('rollup' in c.want) {
        expect(out.rollup?.id, 'reason' in out ? out.reason : '').toBe(c.want.rollup);
      } else {
        expect(out.rollup).toBeUndefined();
        expect((out as { reason: string }).reason).toContain(c.want.reason);
      }
    });
  }
});
