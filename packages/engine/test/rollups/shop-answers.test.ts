/**
 * Rollup answers on a tiny in-memory shop, where the flights data has nothing to show: NULL times
 * (an unpartitioned rollup keeps them in a NULL bucket), NULL amounts in averages, segments as
 * boolean columns, filtered counts, member-level rules and a second kind of tenant filter.
 */
import type { Driver, QueryInput, SecurityOptions } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFromRollup, type RollupLocator, rollupsOf } from '../../src/index.js';
import { buildRollup, compareAnswers } from './harness.js';
import { SHOP_DATA_SQL, shopModel } from './shop.js';

const model = shopModel();
let mem: Driver;
const tables = new Map<string, string>();
const locate: RollupLocator = (r) => tables.get(r.id);

const SECURITIES: [string, SecurityOptions][] = [
  ['admin', { roles: ['admin'] }],
  ['tenant EU', { roles: ['default'], securityContext: { region: 'EU' } }],
  ['viewer of shipped', { roles: ['viewer'], securityContext: { status: 'shipped' } }],
];
const MEASURES = ['orders.count', 'orders.avg_amount', 'orders.big_count', 'orders.max_amount'];

beforeAll(async () => {
  mem = createDriver('duckdb', {}, { poolSize: 1 });
  await mem.execute(SHOP_DATA_SQL);
  for (const r of rollupsOf(model).filter((x) => x.type === 'rollup')) {
    const table = `"rollup_${r.name}"`;
    await buildRollup(model, r, mem, mem, table);
    tables.set(r.id, table);
  }
});

afterAll(async () => {
  await mem?.close();
});

/** [name, query, rollup expected for admin (undefined: not eligible)] */
const CASES: [string, QueryInput, string | undefined][] = [
  ['totals include the order without a date', { measures: MEASURES }, 'orders.by_day'],
  ['a segment', { measures: MEASURES, segments: ['orders.shipped'] }, 'orders.by_day'],
  ['by status, NULL status kept', { measures: MEASURES, dimensions: ['orders.status'] }, 'orders.by_day'],
  [
    'by month: the NULL bucket comes from the unpartitioned rollup',
    {
      measures: ['orders.count'],
      timeDimensions: [{ dimension: 'orders.created_at', granularity: 'month' }],
    },
    'orders.by_day',
  ],
  [
    'weeks from days over a day-aligned range',
    {
      measures: MEASURES,
      timeDimensions: [
        { dimension: 'orders.created_at', granularity: 'week', dateRange: ['2024-01-01', '2024-03-31'] },
      ],
    },
    'orders.by_day',
  ],
  [
    'a month-aligned filter prefers the month rollup',
    {
      measures: ['orders.count', 'orders.amount'],
      dimensions: ['orders.status'],
      filters: [
        { member: 'orders.created_at', operator: 'inDateRange', values: ['2024-01-01', '2024-02-29'] },
      ],
    },
    'orders.by_month',
  ],
  [
    'a measure filter',
    {
      measures: ['orders.count'],
      dimensions: ['orders.status'],
      filters: [{ member: 'orders.count', operator: 'gt', values: [1] }],
    },
    'orders.by_day',
  ],
  [
    'notEquals keeps NULL status',
    {
      measures: ['orders.count'],
      dimensions: ['customers.region'],
      filters: [{ member: 'orders.status', operator: 'notEquals', values: ['pending'] }],
    },
    'orders.by_day',
  ],
  ['dimensions only', { dimensions: ['orders.status', 'customers.region'] }, 'orders.by_day'],
  [
    'total with a limit',
    {
      measures: ['orders.count'],
      dimensions: ['orders.status'],
      limit: 2,
      total: true,
      order: { 'orders.status': 'asc' },
    },
    'orders.by_day',
  ],
  ['a hidden member is refused for the viewer', { measures: ['orders.amount'] }, 'orders.by_day'],
  [
    'a multiplied measure is not re-aggregated',
    { measures: ['orders.count'], dimensions: ['items.sku'] },
    undefined,
  ],
];

describe('shop: rollup answers equal the database', () => {
  for (const [name, query, expected] of CASES) {
    it(name, async () => {
      for (const [label, security] of SECURITIES) {
        const outcome = await compareAnswers({
          model,
          source: mem,
          store: mem,
          locate,
          query,
          security,
          name: `${name} (${label})`,
          ordered: query.limit !== undefined,
        });
        if (label === 'admin') expect(outcome.rollup, outcome.reason).toBe(expected);
        if (label === 'viewer of shipped' && query.measures?.includes('orders.amount')) {
          expect(outcome.refused).toBe('ACCESS_DENIED');
        }
      }
    });
  }

  it('the tenant filter needs its member in the rollup', () => {
    const query: QueryInput = {
      measures: ['orders.count'],
      dimensions: ['orders.status'],
      filters: [
        { member: 'orders.created_at', operator: 'inDateRange', values: ['2024-01-01', '2024-02-29'] },
      ],
    };
    const tenant = compileFromRollup(model, query, { security: SECURITIES[1]![1], locate });
    // by_month lacks customers.region, so the tenant falls back to the day rollup.
    expect(tenant.rollup?.id).toBe('orders.by_day');
    const viewer = compileFromRollup(model, query, { security: SECURITIES[2]![1], locate });
    expect(viewer.rollup?.id).toBe('orders.by_month');
  });

  it('a partitioned rollup does not answer without a time restriction', () => {
    const onlyMonth: RollupLocator = (r) => (r.id === 'orders.by_month' ? tables.get(r.id) : undefined);
    const out = compileFromRollup(model, CASES[3]![1], { security: SECURITIES[0]![1], locate: onlyMonth });
    expect(out).toMatchObject({
      reason: expect.stringContaining(
        'rollup orders.by_month: it is partitioned by month and holds no rows without orders.created_at',
      ),
    });
  });
});
