import { describe, expect, it } from 'vitest';
import { compileFromRollup, compileModel, compileQuery } from '../src/index.js';
import { failure } from './failure.js';

// Orders live in the warehouse (PostgreSQL), customers beside them; events in QuestDB; regions on
// the default database. Joins that cross a data source exist in the model, and only a query that
// walks one of them is refused.
const model = compileModel([
  {
    path: 'models/shop.cube.yml',
    content: `cubes:
  - name: orders
    data_source: warehouse
    sql_table: orders
    joins:
      - { name: customers, relationship: many_to_one, sql: "{CUBE}.customer_id = {customers}.id" }
      - { name: regions, relationship: many_to_one, sql: "{CUBE}.region = {regions}.code" }
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: status, sql: status, type: string }
    measures:
      - { name: count, type: count }
  - name: customers
    data_source: warehouse
    sql_table: customers
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: tenant, sql: tenant, type: string }
    access_policy:
      - role: default
        row_level:
          filters: [{ member: tenant, operator: equals, values: ["{ securityContext.tenant }"] }]
  - name: regions
    sql_table: regions
    dimensions:
      - { name: code, sql: code, type: string, primary_key: true }
      - { name: name, sql: name, type: string }
    measures:
      - { name: count, type: count }
  - name: events
    data_source: events
    sql_table: events
    joins:
      - { name: guarded, relationship: many_to_one, sql: "{CUBE}.kind = {guarded}.kind" }
    dimensions:
      - { name: kind, sql: kind, type: string }
      - { name: ts, sql: ts, type: time }
    measures:
      - { name: count, type: count }
  - name: guarded
    data_source: default
    sql_table: kinds
    dimensions:
      - { name: kind, sql: kind, type: string, primary_key: true }
      - { name: tenant, sql: tenant, type: string }
    access_policy:
      - role: default
        row_level:
          filters: [{ member: tenant, operator: equals, values: ["{ securityContext.tenant }"] }]
  - name: event_policy
    data_source: events
    sql_table: events
    joins:
      - { name: guarded, relationship: many_to_one, sql: "{CUBE}.kind = {guarded}.kind" }
    dimensions:
      - { name: kind, sql: kind, type: string, primary_key: true }
    measures:
      - { name: count, type: count }
    access_policy:
      - role: default
        row_level:
          filters: [{ member: guarded.tenant, operator: equals, values: ["{ securityContext.tenant }"] }]
views:
  - name: sales
    cubes:
      - join_path: orders
        includes: [count, status]
      - join_path: orders.customers
        includes: [tenant]
  - name: sales_by_region
    cubes:
      - join_path: orders
        includes: [count]
      - join_path: orders.regions
        includes: [name]
`,
  },
]);

const tenant = { securityContext: { tenant: 't1' } };
const admin = { roles: ['default'], securityContext: { tenant: 't1' } };

describe('a query runs on the data source its cubes share', () => {
  it('says which data source, and asks the dialect of that one', () => {
    const asked: string[] = [];
    const dialectOf = (ds: string) => {
      asked.push(ds);
      return ds === 'events' ? 'questdb' : ds === 'warehouse' ? 'postgres' : 'duckdb';
    };
    const orders = compileQuery(
      model,
      { measures: ['orders.count'], dimensions: ['customers.id'] },
      {
        dialect: dialectOf,
        security: admin,
      },
    );
    expect(orders.dataSource).toBe('warehouse');
    expect(orders.plan.dataSource).toBe('warehouse');
    const regions = compileQuery(model, { measures: ['regions.count'] }, { dialect: dialectOf });
    expect(regions.dataSource).toBe('default');
    const byDay = {
      measures: ['events.count'],
      timeDimensions: [{ dimension: 'events.ts', granularity: 'day' }],
      timezone: 'America/New_York',
    };
    const events = compileQuery(model, byDay, { dialect: dialectOf });
    expect(events.dataSource).toBe('events');
    expect(events.sql).toBe(compileQuery(model, byDay, { dialect: 'questdb' }).sql);
    expect(events.sql).not.toBe(compileQuery(model, byDay, { dialect: 'duckdb' }).sql);
    expect(asked).toEqual(['warehouse', 'default', 'events']);
  });

  it('a view over cubes of one data source runs there', () => {
    const c = compileQuery(
      model,
      { measures: ['sales.count'], dimensions: ['sales.tenant'] },
      {
        dialect: 'postgres',
        security: tenant,
      },
    );
    expect(c.dataSource).toBe('warehouse');
  });

  it('a join across data sources is a 400 naming both cubes and both data sources', () => {
    const e = failure(() =>
      compileQuery(
        model,
        { measures: ['orders.count'], dimensions: ['regions.name'] },
        {
          dialect: 'postgres',
          security: tenant,
        },
      ),
    );
    expect(e.status).toBe(400);
    expect(e.code).toBe('QUERY_INVALID');
    expect(e.message).toBe(
      "the query reads cubes on two data sources: 'orders' is on data_source 'warehouse' and 'regions' on 'default'.",
    );
    expect(e.hint).toContain('query these cubes separately');
  });

  it('through a view too', () => {
    const e = failure(() =>
      compileQuery(
        model,
        { measures: ['sales_by_region.count'], dimensions: ['sales_by_region.name'] },
        {
          dialect: 'postgres',
        },
      ),
    );
    expect(e.message).toContain("'regions' on 'default'");
  });

  it('a row-level rule that would pull in a cube on another data source refuses the query', () => {
    // The caller asks for event_policy only; its policy filters on guarded (default database).
    const e = failure(() =>
      compileQuery(model, { measures: ['event_policy.count'] }, { dialect: 'questdb', security: tenant }),
    );
    expect(e.message).toBe(
      "the query reads cubes on two data sources: 'event_policy' is on data_source 'events' and 'guarded' on 'default'.",
    );
  });

  it('the rollup planner refuses the same query the same way', () => {
    const e = failure(() =>
      compileFromRollup(
        model,
        { measures: ['orders.count'], dimensions: ['regions.name'] },
        {
          security: tenant,
          locate: () => undefined,
        },
      ),
    );
    expect(e.message).toContain('two data sources');
  });
});
