import { compileModel, type ModelFile } from '../../src/index.js';

/**
 * A small model with what the flights example lacks: segments, a sub_query dimension, a
 * one_to_many join that multiplies, custom granularities, number, count_distinct and
 * rolling-window measures, a view, member-level rules and rollups that break each rule.
 */
export const SHOP_YAML = `
cubes:
  - name: orders
    sql_table: orders
    joins:
      - name: customers
        relationship: many_to_one
        sql: "{CUBE}.customer_id = {customers}.id"
      - name: items
        relationship: one_to_many
        sql: "{CUBE}.id = {items}.order_id"
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: status
        sql: status
        type: string
      - name: amount_value
        sql: amount
        type: number
      - name: created_at
        sql: created_at
        type: time
        granularities:
          - name: fiscal_year
            interval: 1 year
            offset: 3 months
      - name: item_count
        sql: "{items.count}"
        type: number
        sub_query: true
    measures:
      - name: count
        type: count
      - name: amount
        sql: amount
        type: sum
      - name: max_amount
        sql: amount
        type: max
      - name: avg_amount
        sql: amount
        type: avg
      - name: big_count
        type: count
        filters:
          - sql: "{CUBE}.amount > 100"
      - name: customers_n
        sql: customer_id
        type: count_distinct
      - name: amount_per_order
        sql: "{amount} / NULLIF({count}, 0)"
        type: number
      - name: rolling_amount
        sql: amount
        type: sum
        rolling_window:
          trailing: 7 day
    segments:
      - name: shipped
        sql: "{CUBE}.status = 'shipped'"
      - name: big
        sql: "{CUBE}.amount > 100"
    access_policy:
      - role: default
        row_level:
          filters:
            - member: customers.region
              operator: equals
              values: ["{ securityContext.region }"]
      - role: admin
        row_level:
          allow_all: true
      - role: viewer
        member_level:
          excludes: [amount]
        row_level:
          filters:
            - member: status
              operator: equals
              values: ["{ securityContext.status }"]
    pre_aggregations:
      - name: by_day
        measures: [count, amount, max_amount, avg_amount, big_count, customers_n, amount_per_order]
        dimensions: [status, customers.region]
        segments: [shipped]
        time_dimension: created_at
        granularity: day
      - name: by_month
        measures: [CUBE.count, CUBE.amount]
        dimensions: [CUBE.status]
        time_dimension: "{CUBE}.created_at"
        granularity: month
        partition_granularity: month
      - name: with_items
        measures: [orders.count, orders.amount]
        dimensions: [items.sku, status]
      - name: ranged
        measures: [count]
        dimensions: [status, customers.region]
        time_dimension: created_at
        granularity: day
        build_range_start:
          sql: SELECT now() - interval '1 year'
      - name: raw
        type: original_sql
  - name: customers
    sql_table: customers
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: region
        sql: region
        type: string
      - name: since
        sql: since
        type: time
    measures:
      - name: count
        type: count
  - name: items
    sql_table: items
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: sku
        sql: sku
        type: string
    measures:
      - name: count
        type: count
views:
  - name: orders_view
    cubes:
      - join_path: orders
        includes: [count, status]
`;

export const SHOP_DATA_SQL = `
  CREATE TABLE customers (id INTEGER PRIMARY KEY, region VARCHAR, since TIMESTAMP);
  INSERT INTO customers VALUES (1, 'EU', '2020-01-01'), (2, 'US', '2021-06-01'), (3, NULL, NULL);
  CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, status VARCHAR, amount DOUBLE,
    created_at TIMESTAMP);
  INSERT INTO orders VALUES
    (1, 1, 'shipped', 120, '2024-01-03 10:00'), (2, 1, 'pending', 80, '2024-01-03 23:59'),
    (3, 2, 'shipped', NULL, '2024-01-20 08:00'), (4, 2, NULL, 300, '2024-02-01 00:00'),
    (5, 3, 'shipped', 50, '2024-02-14 12:00'), (6, 1, 'cancelled', 10, NULL),
    (7, 2, 'shipped', 200, '2024-03-31 23:00'), (8, NULL, 'pending', 5, '2024-03-01 00:00');
  CREATE TABLE items (id INTEGER PRIMARY KEY, order_id INTEGER, sku VARCHAR);
  INSERT INTO items VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'a'), (4, 4, 'c'), (5, 7, 'a'), (6, 7, 'a');`;

export function shopModel(yaml = SHOP_YAML): ReturnType<typeof compileModel> {
  const files: ModelFile[] = [{ path: 'models/shop.cube.yml', content: yaml }];
  return compileModel(files);
}
