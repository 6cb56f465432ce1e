/**
 * Fan-out, chasm traps and the less common model features, on a tiny data set whose answers are
 * written out by hand (see fixtures/fanout/models). The same tables are created in an in-memory
 * DuckDB and in the `fanout` schema of the test PostgreSQL database.
 *
 * customers: 1 Alice EU, 2 Bob EU, 3 Carol US, 4 Dave US, 5 Erin APAC, 6 Frank EU
 * orders:    101 c1 120 completed 03-01 00:00 | 102 c1 30 completed 03-03 10:00
 *            103 c1 55.5 cancelled 03-08 00:00 | 104 c2 200 completed 03-05 23:59
 *            105 c2 10 pending 03-10 12:00 | 106 c3 75 completed 03-02 08:30
 *            107 c3 40 completed 03-09 00:00 | 108 c2 5 completed 03-02 00:00   (all 2024)
 * items:     101: widget 2×50, gadget 1×20 | 102: widget 1×30 | 103: gizmo 3×18.5
 *            104: widget 2×50, gadget 5×20, gizmo 1×10 | 106: gadget 3×25 | 107: widget 1×40
 * tickets:   c1: high, low, low | c3: high | c4: low, high
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Driver, QueryInput, SecurityOptions } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel, readModelDir, runQuery } from '../src/index.js';
import { expectSameRows, type Row, withBaseTimeKeys } from './corpus/compare.js';

const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fanout');
const ADMIN: SecurityOptions = { roles: ['admin'] };

const SETUP_SQL = [
  'DROP SCHEMA IF EXISTS fanout CASCADE',
  'CREATE SCHEMA fanout',
  'CREATE TABLE fanout.customers (id INTEGER PRIMARY KEY, name VARCHAR, region VARCHAR)',
  `CREATE TABLE fanout.orders (id INTEGER PRIMARY KEY, customer_id INTEGER, amount DOUBLE PRECISION,
     status VARCHAR, created_at TIMESTAMP)`,
  `CREATE TABLE fanout.order_items (id INTEGER PRIMARY KEY, order_id INTEGER, product VARCHAR,
     quantity INTEGER, price DOUBLE PRECISION)`,
  `CREATE TABLE fanout.support_tickets (id INTEGER PRIMARY KEY, customer_id INTEGER, priority VARCHAR,
     opened_at TIMESTAMP)`,
  `INSERT INTO fanout.customers VALUES (1, 'Alice', 'EU'), (2, 'Bob', 'EU'), (3, 'Carol', 'US'),
     (4, 'Dave', 'US'), (5, 'Erin', 'APAC'), (6, 'Frank', 'EU')`,
  `INSERT INTO fanout.orders VALUES
     (101, 1, 120, 'completed', TIMESTAMP '2024-03-01 00:00:00'),
     (102, 1, 30, 'completed', TIMESTAMP '2024-03-03 10:00:00'),
     (103, 1, 55.5, 'cancelled', TIMESTAMP '2024-03-08 00:00:00'),
     (104, 2, 200, 'completed', TIMESTAMP '2024-03-05 23:59:00'),
     (105, 2, 10, 'pending', TIMESTAMP '2024-03-10 12:00:00'),
     (106, 3, 75, 'completed', TIMESTAMP '2024-03-02 08:30:00'),
     (107, 3, 40, 'completed', TIMESTAMP '2024-03-09 00:00:00'),
     (108, 2, 5, 'completed', TIMESTAMP '2024-03-02 00:00:00')`,
  `INSERT INTO fanout.order_items VALUES
     (1, 101, 'widget', 2, 50), (2, 101, 'gadget', 1, 20), (3, 102, 'widget', 1, 30),
     (4, 103, 'gizmo', 3, 18.5), (5, 104, 'widget', 2, 50), (6, 104, 'gadget', 5, 20),
     (7, 104, 'gizmo', 1, 10), (8, 106, 'gadget', 3, 25), (9, 107, 'widget', 1, 40)`,
  `INSERT INTO fanout.support_tickets VALUES
     (1, 1, 'high', TIMESTAMP '2024-03-02 09:00:00'), (2, 1, 'low', TIMESTAMP '2024-03-04 10:00:00'),
     (3, 1, 'low', TIMESTAMP '2024-03-06 11:00:00'), (4, 3, 'high', TIMESTAMP '2024-03-03 12:00:00'),
     (5, 4, 'low', TIMESTAMP '2024-03-05 13:00:00'), (6, 4, 'high', TIMESTAMP '2024-03-07 14:00:00')`,
];

interface FanoutCase {
  name: string;
  query: QueryInput;
  /** Rows as the response has them (the `cube.member` copy of a time dimension is added). */
  rows: Row[];
  ordered?: boolean;
}

const cases: FanoutCase[] = [
  {
    name: 'one_to_many fan-out: order amounts are not multiplied by their items',
    // Naive SUM over orders ⋈ items gives EU 940.5.
    query: {
      measures: ['orders.total_amount', 'order_items.total_quantity'],
      dimensions: ['customers.region'],
    },
    rows: [
      { 'customers.region': 'EU', 'orders.total_amount': 420.5, 'order_items.total_quantity': 15 },
      { 'customers.region': 'US', 'orders.total_amount': 115, 'order_items.total_quantity': 4 },
    ],
  },
  {
    name: 'three levels rooted at customers: customers, orders and items each counted once',
    query: {
      measures: ['customers.count', 'orders.total_amount', 'order_items.revenue'],
      dimensions: ['customers.region'],
    },
    rows: [
      {
        'customers.region': 'APAC',
        'customers.count': 1,
        'orders.total_amount': null,
        'order_items.revenue': null,
      },
      {
        'customers.region': 'EU',
        'customers.count': 3,
        'orders.total_amount': 420.5,
        'order_items.revenue': 415.5,
      },
      {
        'customers.region': 'US',
        'customers.count': 2,
        'orders.total_amount': 115,
        'order_items.revenue': 115,
      },
    ],
  },
  {
    name: 'chasm trap: orders and tickets of the same customers, both counted',
    query: {
      measures: ['customers.count', 'orders.count', 'support_tickets.count'],
      dimensions: ['customers.region'],
    },
    rows: [
      { 'customers.region': 'APAC', 'customers.count': 1, 'orders.count': 0, 'support_tickets.count': 0 },
      { 'customers.region': 'EU', 'customers.count': 3, 'orders.count': 6, 'support_tickets.count': 3 },
      { 'customers.region': 'US', 'customers.count': 2, 'orders.count': 2, 'support_tickets.count': 3 },
    ],
  },
  {
    name: 'chasm trap without dimensions',
    query: { measures: ['customers.count', 'orders.count', 'support_tickets.count'] },
    rows: [{ 'customers.count': 6, 'orders.count': 8, 'support_tickets.count': 6 }],
  },
  {
    name: 'avg under fan-out averages orders, not order-item rows',
    query: { measures: ['orders.avg_amount', 'order_items.count'], dimensions: ['customers.region'] },
    rows: [
      { 'customers.region': 'EU', 'orders.avg_amount': 420.5 / 6, 'order_items.count': 7 },
      { 'customers.region': 'US', 'orders.avg_amount': 57.5, 'order_items.count': 2 },
    ],
  },
  {
    name: 'count_distinct and sum of orders by a dimension of the many side',
    query: {
      measures: ['orders.customer_count', 'orders.total_amount', 'order_items.count'],
      dimensions: ['order_items.product'],
    },
    rows: [
      {
        'order_items.product': 'gadget',
        'orders.customer_count': 3,
        'orders.total_amount': 395,
        'order_items.count': 3,
      },
      {
        'order_items.product': 'gizmo',
        'orders.customer_count': 2,
        'orders.total_amount': 255.5,
        'order_items.count': 2,
      },
      {
        'order_items.product': 'widget',
        'orders.customer_count': 3,
        'orders.total_amount': 390,
        'order_items.count': 4,
      },
      // Orders 105 and 108 have no items.
      {
        'order_items.product': null,
        'orders.customer_count': 1,
        'orders.total_amount': 15,
        'order_items.count': 0,
      },
    ],
  },
  {
    name: 'measure with filters under fan-out',
    query: {
      measures: ['orders.completed_amount', 'order_items.total_quantity'],
      dimensions: ['customers.region'],
    },
    rows: [
      { 'customers.region': 'EU', 'orders.completed_amount': 355, 'order_items.total_quantity': 15 },
      { 'customers.region': 'US', 'orders.completed_amount': 115, 'order_items.total_quantity': 4 },
    ],
  },
  {
    name: 'measure filter (HAVING) on a measure the join multiplies',
    // Naive SUM gives EU 940.5, which `lt 500` would drop.
    query: {
      measures: ['orders.total_amount', 'order_items.count'],
      dimensions: ['customers.region'],
      filters: [{ member: 'orders.total_amount', operator: 'lt', values: ['500'] }],
    },
    rows: [
      { 'customers.region': 'EU', 'orders.total_amount': 420.5, 'order_items.count': 7 },
      { 'customers.region': 'US', 'orders.total_amount': 115, 'order_items.count': 2 },
    ],
  },
  {
    name: 'filter on the many side keeps each matching order once',
    // Orders 101 and 104 have both a widget and a gadget; naive SUM gives EU 670.
    query: {
      measures: ['orders.total_amount', 'orders.count'],
      dimensions: ['customers.region'],
      filters: [{ member: 'order_items.product', operator: 'equals', values: ['widget', 'gadget'] }],
    },
    rows: [
      { 'customers.region': 'EU', 'orders.total_amount': 350, 'orders.count': 3 },
      { 'customers.region': 'US', 'orders.total_amount': 115, 'orders.count': 2 },
    ],
  },
  {
    name: 'count of the root cube under fan-out: customers by order status',
    query: { measures: ['customers.count'], dimensions: ['orders.status'] },
    rows: [
      { 'orders.status': 'cancelled', 'customers.count': 1 },
      { 'orders.status': 'completed', 'customers.count': 3 },
      { 'orders.status': 'pending', 'customers.count': 1 },
      { 'orders.status': null, 'customers.count': 3 },
    ],
  },
  {
    name: 'number measure over measures of two cubes',
    query: {
      measures: ['customers.revenue_per_customer', 'customers.count', 'orders.total_amount'],
      dimensions: ['customers.region'],
    },
    rows: [
      {
        'customers.region': 'APAC',
        'customers.revenue_per_customer': null,
        'customers.count': 1,
        'orders.total_amount': null,
      },
      {
        'customers.region': 'EU',
        'customers.revenue_per_customer': 420.5 / 3,
        'customers.count': 3,
        'orders.total_amount': 420.5,
      },
      {
        'customers.region': 'US',
        'customers.revenue_per_customer': 57.5,
        'customers.count': 2,
        'orders.total_amount': 115,
      },
    ],
  },
  {
    name: 'number measure over two cubes without dimensions',
    query: { measures: ['customers.revenue_per_customer'] },
    rows: [{ 'customers.revenue_per_customer': 535.5 / 6 }],
  },
  {
    name: 'rolling_window trailing 7 day: each day sums [day end - 7 days, day end)',
    // 03-08 takes 03-02 00:00 (108) up to 03-08 23:59 (not 107 at 03-09 00:00).
    query: {
      measures: ['orders.amount_7d'],
      timeDimensions: [
        { dimension: 'orders.created_at', granularity: 'day', dateRange: ['2024-03-08', '2024-03-10'] },
      ],
      order: { 'orders.created_at': 'asc' },
    },
    ordered: true,
    rows: [
      { 'orders.created_at.day': '2024-03-08T00:00:00.000', 'orders.amount_7d': 365.5 },
      { 'orders.created_at.day': '2024-03-09T00:00:00.000', 'orders.amount_7d': 325.5 },
      { 'orders.created_at.day': '2024-03-10T00:00:00.000', 'orders.amount_7d': 305.5 },
    ],
  },
  {
    name: 'rolling_window gives every day of the range, also days without orders of their own',
    query: {
      measures: ['orders.amount_7d'],
      timeDimensions: [
        { dimension: 'orders.created_at', granularity: 'day', dateRange: ['2024-03-10', '2024-03-12'] },
      ],
      order: { 'orders.created_at': 'asc' },
    },
    ordered: true,
    rows: [
      { 'orders.created_at.day': '2024-03-10T00:00:00.000', 'orders.amount_7d': 305.5 },
      { 'orders.created_at.day': '2024-03-11T00:00:00.000', 'orders.amount_7d': 305.5 },
      { 'orders.created_at.day': '2024-03-12T00:00:00.000', 'orders.amount_7d': 105.5 },
    ],
  },
  {
    name: 'segment restricts the root cube',
    query: {
      measures: ['customers.count', 'orders.total_amount'],
      dimensions: ['customers.name'],
      segments: ['customers.eu'],
    },
    rows: [
      { 'customers.name': 'Alice', 'customers.count': 1, 'orders.total_amount': 205.5 },
      { 'customers.name': 'Bob', 'customers.count': 1, 'orders.total_amount': 215 },
      { 'customers.name': 'Frank', 'customers.count': 1, 'orders.total_amount': null },
    ],
  },
  {
    name: 'case dimension on orders',
    query: { measures: ['orders.count', 'orders.total_amount'], dimensions: ['orders.size'] },
    rows: [
      { 'orders.size': 'large', 'orders.count': 2, 'orders.total_amount': 320 },
      { 'orders.size': 'medium', 'orders.count': 2, 'orders.total_amount': 130.5 },
      { 'orders.size': 'small', 'orders.count': 4, 'orders.total_amount': 85 },
    ],
  },
  {
    name: 'case dimension with else on customers',
    query: { measures: ['customers.count'], dimensions: ['customers.region_label'] },
    rows: [
      { 'customers.region_label': 'Americas', 'customers.count': 2 },
      { 'customers.region_label': 'Europe', 'customers.count': 3 },
      { 'customers.region_label': 'Rest of world', 'customers.count': 1 },
    ],
  },
  {
    name: 'sub_query dimension: lifetime value per customer (NULL without orders)',
    query: { dimensions: ['customers.name', 'customers.lifetime_value'], order: { 'customers.name': 'asc' } },
    ordered: true,
    rows: [
      { 'customers.name': 'Alice', 'customers.lifetime_value': 205.5 },
      { 'customers.name': 'Bob', 'customers.lifetime_value': 215 },
      { 'customers.name': 'Carol', 'customers.lifetime_value': 115 },
      { 'customers.name': 'Dave', 'customers.lifetime_value': null },
      { 'customers.name': 'Erin', 'customers.lifetime_value': null },
      { 'customers.name': 'Frank', 'customers.lifetime_value': null },
    ],
  },
  {
    name: 'sub_query dimension in a filter',
    query: {
      measures: ['customers.count'],
      dimensions: ['customers.region'],
      filters: [{ member: 'customers.lifetime_value', operator: 'gt', values: ['200'] }],
    },
    rows: [{ 'customers.region': 'EU', 'customers.count': 2 }],
  },
  {
    name: 'view: members from three join paths, unprefixed and prefixed',
    query: {
      measures: [
        'customer_overview.count',
        'customer_overview.orders_total_amount',
        'customer_overview.support_tickets_count',
      ],
      dimensions: ['customer_overview.region'],
    },
    rows: [
      {
        'customer_overview.region': 'APAC',
        'customer_overview.count': 1,
        'customer_overview.orders_total_amount': null,
        'customer_overview.support_tickets_count': 0,
      },
      {
        'customer_overview.region': 'EU',
        'customer_overview.count': 3,
        'customer_overview.orders_total_amount': 420.5,
        'customer_overview.support_tickets_count': 3,
      },
      {
        'customer_overview.region': 'US',
        'customer_overview.count': 2,
        'customer_overview.orders_total_amount': 115,
        'customer_overview.support_tickets_count': 3,
      },
    ],
  },
  {
    name: 'view: a prefixed dimension from includes "*"',
    query: {
      measures: ['customer_overview.count', 'customer_overview.support_tickets_count'],
      dimensions: ['customer_overview.support_tickets_priority'],
    },
    rows: [
      {
        'customer_overview.support_tickets_priority': 'high',
        'customer_overview.count': 3,
        'customer_overview.support_tickets_count': 3,
      },
      {
        'customer_overview.support_tickets_priority': 'low',
        'customer_overview.count': 2,
        'customer_overview.support_tickets_count': 3,
      },
      {
        'customer_overview.support_tickets_priority': null,
        'customer_overview.count': 3,
        'customer_overview.support_tickets_count': 0,
      },
    ],
  },
  {
    name: 'view: customers by prefixed order status',
    query: { measures: ['customer_overview.count'], dimensions: ['customer_overview.orders_status'] },
    rows: [
      { 'customer_overview.orders_status': 'cancelled', 'customer_overview.count': 1 },
      { 'customer_overview.orders_status': 'completed', 'customer_overview.count': 3 },
      { 'customer_overview.orders_status': 'pending', 'customer_overview.count': 1 },
      { 'customer_overview.orders_status': null, 'customer_overview.count': 3 },
    ],
  },
  {
    name: 'extends: inherited table, measures and join plus an own segment and measure',
    query: {
      measures: ['big_orders.count', 'big_orders.max_amount', 'big_orders.total_amount'],
      dimensions: ['customers.region'],
      segments: ['big_orders.big'],
    },
    rows: [
      {
        'customers.region': 'EU',
        'big_orders.count': 2,
        'big_orders.max_amount': 200,
        'big_orders.total_amount': 320,
      },
    ],
  },
  {
    name: 'extends: inherited case dimension',
    query: { measures: ['big_orders.count'], dimensions: ['big_orders.size'] },
    rows: [
      { 'big_orders.size': 'large', 'big_orders.count': 2 },
      { 'big_orders.size': 'medium', 'big_orders.count': 2 },
      { 'big_orders.size': 'small', 'big_orders.count': 4 },
    ],
  },
];

let model: ReturnType<typeof compileModel>;
const drivers: { name: string; driver: Driver }[] = [];

async function setUp(driver: Driver): Promise<void> {
  for (const statement of SETUP_SQL) await driver.execute(statement);
}

beforeAll(async () => {
  model = compileModel(await readModelDir(FIXTURE_DIR));
  const duck = createDriver('duckdb', {});
  const pg = createDriver('postgres', { url: testDataPaths().pgUrl });
  drivers.push({ name: 'duckdb', driver: duck }, { name: 'postgres', driver: pg });
  await Promise.all([setUp(duck), setUp(pg)]);
});

afterAll(async () => {
  for (const { name, driver } of drivers) {
    if (name === 'postgres') await driver.execute('DROP SCHEMA IF EXISTS fanout CASCADE').catch(() => {});
    await driver.close();
  }
});

describe('fan-out fixture', () => {
  for (const c of cases) {
    describe(c.name, () => {
      for (const name of ['duckdb', 'postgres']) {
        it(name, async () => {
          const driver = drivers.find((d) => d.name === name)!.driver;
          const response = await runQuery(model, driver, c.query, { security: ADMIN });
          expectSameRows(response.data, withBaseTimeKeys(c.rows, c.query), {
            name: c.name,
            ordered: c.ordered ?? false,
            measures: c.query.measures,
          });
        });
      }
    });
  }

  it('view excludes and prefixes hide the original names', async () => {
    const duck = drivers.find((d) => d.name === 'duckdb')!.driver;
    for (const member of ['customer_overview.support_tickets_id', 'customer_overview.priority']) {
      await expect(
        runQuery(model, duck, { dimensions: [member] }, { security: ADMIN }),
        `${member} should not exist`,
      ).rejects.toThrow();
    }
  });
});
