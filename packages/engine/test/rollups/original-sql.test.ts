/**
 * original_sql pre-aggregations: a copy of the cube's FROM built from the source, and rollups
 * with `use_original_sql_pre_aggregations` built from that copy in DuckDB. The copy never
 * answers queries; rollups built from it answer exactly as the source does.
 */
import type { Driver, ParamValue, QueryInput } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileFromRollup,
  compileModel,
  ModelErrors,
  originalSqlBuildQuery,
  originalSqlRollupBuildQuery,
  originalSqlRollupRangeQuery,
  type RollupDef,
  type RollupLocator,
  type RollupPartition,
  rollupBuildQuery,
  rollupPartitions,
  rollupsOf,
} from '../../src/index.js';
import { compareAnswers } from './harness.js';
import { SHOP_DATA_SQL } from './shop.js';

/** The cube's SQL stands for an expensive query; its rollups are declared before the original_sql. */
export const COPY_YAML = `
cubes:
  - name: orders
    sql: "SELECT o.*, o.amount * 2 AS doubled FROM orders AS o WHERE o.id > 0"
    joins:
      - name: customers
        relationship: many_to_one
        sql: "{CUBE}.customer_id = {customers}.id"
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: status
        sql: status
        type: string
      - name: created_at
        sql: created_at
        type: time
      - name: region
        sql: "{customers.region}"
        type: string
    measures:
      - name: count
        type: count
      - name: doubled
        sql: doubled
        type: sum
      - name: avg_amount
        sql: amount
        type: avg
    segments:
      - name: shipped
        sql: "{CUBE}.status = 'shipped'"
    pre_aggregations:
      - name: by_status_day
        use_original_sql_pre_aggregations: true
        measures: [count, doubled, avg_amount]
        dimensions: [status]
        segments: [shipped]
        time_dimension: created_at
        granularity: day
        partition_granularity: month
      - name: by_status
        use_original_sql_pre_aggregations: true
        measures: [count, doubled]
        dimensions: [status]
      - name: base
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
    measures:
      - name: count
        type: count
`;

const PARTITIONED =
  '        type: original_sql\n        time_dimension: created_at\n        partition_granularity: month\n';
const partitioned = (yaml = COPY_YAML) => yaml.replace('        type: original_sql\n', PARTITIONED);

type Model = ReturnType<typeof compileModel>;
const modelOf = (yaml = COPY_YAML): Model =>
  compileModel([{ path: 'models/orders.cube.yml', content: yaml }]);
const byId = (model: Model, id: string): RollupDef => rollupsOf(model).find((r) => r.id === id)!;

function errorsOf(yaml: string): ModelErrors {
  try {
    modelOf(yaml);
  } catch (e) {
    if (e instanceof ModelErrors) return e;
    throw e;
  }
  throw new Error('the model compiled');
}

const ts = (utc: string): ParamValue => ({ kind: 'timestamp', utc });
const FEBRUARY: RollupPartition = {
  id: '2024-02',
  start: new Date('2024-02-01T00:00:00Z'),
  end: new Date('2024-03-01T00:00:00Z'),
};

describe('defining original_sql and the rollups built from it', () => {
  it('links each rollup to its cube’s original_sql, wherever it is declared', () => {
    const model = modelOf();
    const base = byId(model, 'orders.base');
    expect(base).toMatchObject({ type: 'original_sql', columns: [], measures: [], dimensions: [] });
    for (const id of ['orders.by_status_day', 'orders.by_status']) {
      expect(byId(model, id).originalSql).toEqual({ id: 'orders.base', hash: base.hash, limited: false });
    }
    expect(rollupsOf(model).map((r) => r.id)).toEqual([
      'orders.by_status_day',
      'orders.by_status',
      'orders.base',
    ]);
    const p = partitioned();
    expect(byId(modelOf(p), 'orders.by_status').originalSql).toMatchObject({
      partitionedBy: 'orders.created_at',
    });
  });

  it('changes the dependent rollups’ hashes when the cube’s SQL changes', () => {
    const before = modelOf();
    const after = modelOf(COPY_YAML.replace('o.id > 0', 'o.id > 1'));
    for (const id of ['orders.base', 'orders.by_status', 'orders.by_status_day']) {
      expect(byId(after, id).hash, id).not.toBe(byId(before, id).hash);
    }
    // A partition setting of the copy changes what it holds, so what is built from it too.
    expect(byId(modelOf(partitioned()), 'orders.by_status').hash).not.toBe(
      byId(before, 'orders.by_status').hash,
    );
    // An unrelated edit keeps every hash.
    const same = modelOf(COPY_YAML.replace('type: string\n', 'type: string\n        title: Status\n'));
    for (const r of rollupsOf(before)) expect(byId(same, r.id).hash).toBe(r.hash);
  });

  const cases: [string, string, RegExp, RegExp][] = [
    [
      'a cube without an original_sql',
      COPY_YAML.replace('      - name: base\n        type: original_sql\n', ''),
      /pre_aggregation 'by_status_day': says use_original_sql_pre_aggregations, but cube orders has no original_sql pre-aggregation\./,
      /Add one to cube orders/,
    ],
    [
      'two original_sql pre-aggregations when a rollup is built from a copy',
      COPY_YAML.replace(
        '      - name: base\n        type: original_sql\n',
        '      - name: base\n        type: original_sql\n      - name: base_again\n        type: original_sql\n',
      ),
      /pre_aggregation 'by_status_day': says use_original_sql_pre_aggregations, but cube orders has 2 original_sql pre-aggregations \('base', 'base_again'\): which copy to build from is ambiguous\./,
      /Keep one original_sql pre-aggregation in cube orders\./,
    ],
    [
      'a member of a joined cube',
      COPY_YAML.replace(
        'dimensions: [status]\n        segments',
        'dimensions: [status, customers.region]\n        segments',
      ),
      /pre_aggregation 'by_status_day': 'customers\.region' reads cube customers, whose rows the original_sql copy of cube orders does not hold\./,
      /List only members of this cube/,
    ],
    [
      'a dimension of its own cube that reads a joined cube',
      COPY_YAML.replace(
        'measures: [count, doubled]\n        dimensions: [status]',
        'measures: [count]\n        dimensions: [region]',
      ),
      /pre_aggregation 'by_status': 'orders\.region' reads cube customers/,
      /drop use_original_sql_pre_aggregations/,
    ],
    [
      'build_range on a rollup built from the copy',
      COPY_YAML.replace(
        'measures: [count, doubled]\n',
        'measures: [count, doubled]\n        build_range_start:\n          sql: SELECT 1\n',
      ),
      /pre_aggregation 'by_status': has build_range_start\/end/,
      /Put build_range_start\/end on original_sql 'base' instead\./,
    ],
    [
      'members on the original_sql',
      COPY_YAML.replace(
        '        type: original_sql\n',
        '        type: original_sql\n        measures: [count]\n',
      ),
      /pre_aggregation 'base': is original_sql, which copies the cube's rows, so it takes no measures\./,
      /use_original_sql_pre_aggregations: true/,
    ],
    [
      'a cube whose SQL needs the security context',
      COPY_YAML.replace('WHERE o.id > 0', 'WHERE o.customer_id = {SECURITY_CONTEXT.customer}'),
      /pre_aggregation 'base': reads SQL that uses the security context\./,
      /shared by every tenant/,
    ],
  ];
  it('takes two original_sql pre-aggregations when no rollup is built from a copy', () => {
    const yaml = COPY_YAML.replace(
      '      - name: base\n        type: original_sql\n',
      '      - name: base\n        type: original_sql\n      - name: base_again\n        type: original_sql\n',
    ).replaceAll('use_original_sql_pre_aggregations: true', 'use_original_sql_pre_aggregations: false');
    expect(yaml).not.toContain('use_original_sql_pre_aggregations: true');
    const model = modelOf(yaml);
    expect(byId(model, 'orders.base_again').type).toBe('original_sql');
    expect(byId(model, 'orders.by_status').originalSql).toBeUndefined();
  });

  for (const [name, yaml, message, hint] of cases) {
    it(`refuses ${name}, naming the file, cube and pre-aggregation`, () => {
      const first = errorsOf(yaml).errors[0]!;
      expect(first.message).toMatch(message);
      expect(first.hint).toMatch(hint);
      expect(first.where).toMatchObject({ file: 'models/orders.cube.yml', cube: 'orders' });
    });
  }
});

describe('build SQL', () => {
  it('copies every column of the cube’s FROM, partition bounds bound as parameters', () => {
    const model = modelOf(partitioned());
    const base = byId(model, 'orders.base');
    const pg = originalSqlBuildQuery(model, base, 'postgres', FEBRUARY);
    expect(pg.sql).toBe(
      'SELECT *\nFROM (SELECT o.*, o.amount * 2 AS doubled FROM orders AS o WHERE o.id > 0) AS "orders"\n' +
        'WHERE "orders"."created_at" >= CAST($1 AS TIMESTAMP) AND "orders"."created_at" < CAST($2 AS TIMESTAMP)',
    );
    expect(pg.params).toEqual([ts('2024-02-01T00:00:00.000'), ts('2024-03-01T00:00:00.000')]);
    const duck = originalSqlBuildQuery(model, base, 'duckdb', FEBRUARY);
    expect(duck.sql).toContain('"orders"."created_at" >= CAST($1 AS TIMESTAMP)');
    const all = originalSqlBuildQuery(modelOf(), byId(modelOf(), 'orders.base'), 'postgres');
    expect(all.params).toEqual([]);
    expect(all.sql).not.toContain('WHERE "orders"');
    expect(() => originalSqlBuildQuery(model, byId(model, 'orders.by_status'), 'postgres')).toThrow(
      /is not original_sql/,
    );
  });

  it('builds a dependent rollup in DuckDB over the trusted FROM, never the cube’s SQL', () => {
    const model = modelOf();
    const rollup = byId(model, 'orders.by_status_day');
    const q = originalSqlRollupBuildQuery(model, rollup, '"copy_t"', FEBRUARY);
    expect(q.sql).toContain('FROM "copy_t" AS "orders"');
    expect(q.sql).not.toContain('FROM orders AS o');
    expect(q.params).toEqual([ts('2024-02-01T00:00:00.000'), ts('2024-03-01T00:00:00.000')]);
    expect(q.columns).toBe(rollup.columns);
    expect(originalSqlRollupRangeQuery(model, rollup, '"copy_t"').sql).toContain('FROM "copy_t" AS "orders"');
    expect(() => originalSqlRollupBuildQuery(model, byId(model, 'orders.base'), '"copy_t"')).toThrow(
      /is not built from an original_sql/,
    );
  });
});

describe('answers', () => {
  let mem: Driver;
  beforeAll(async () => {
    mem = createDriver('duckdb', {}, { poolSize: 1 });
    await mem.execute(SHOP_DATA_SQL);
  });
  afterAll(async () => {
    await mem?.close();
  });

  for (const [name, yaml] of [
    ['unpartitioned', COPY_YAML],
    ['partitioned', partitioned()],
  ] as const) {
    it(`rollups built from the ${name} copy equal those built from the source, and answer as it does`, async () => {
      const model = modelOf(yaml);
      const base = byId(model, 'orders.base');
      const copy = `"copy_${name}"`;
      const parts = base.partitionGranularity
        ? rollupPartitions(base, { min: new Date('2024-01-03Z'), max: new Date('2024-03-31T23:00Z') })
        : [undefined];
      for (const [i, p] of parts.entries()) {
        const q = originalSqlBuildQuery(model, base, 'duckdb', p);
        await mem.execute(
          i === 0 ? `CREATE TABLE ${copy} AS ${q.sql}` : `INSERT INTO ${copy} ${q.sql}`,
          q.params,
        );
      }
      const tables = new Map<string, string>();
      for (const r of rollupsOf(model).filter((x) => x.originalSql)) {
        const table = `"${name}_${r.name}"`;
        const fromCopy = originalSqlRollupBuildQuery(model, r, copy);
        await mem.execute(`CREATE TABLE ${table} AS ${fromCopy.sql}`, fromCopy.params);
        const direct = rollupBuildQuery(model, r, 'duckdb');
        const count = async (sql: string) => Number((await mem.query(sql, direct.params)).rows[0]!.n);
        const onlyInCopy = await count(
          `SELECT count(*) AS n FROM (SELECT * FROM ${table} EXCEPT ALL (${direct.sql}))`,
        );
        const onlyInSource = await count(
          `SELECT count(*) AS n FROM ((${direct.sql}) EXCEPT ALL SELECT * FROM ${table})`,
        );
        expect(onlyInCopy, r.id).toBe(0);
        // A partitioned copy holds no order without created_at (one cancelled order): its group is missing.
        expect(onlyInSource, r.id).toBe(name === 'partitioned' ? 1 : 0);
        tables.set(r.id, table);
      }
      const locate: RollupLocator = (r) => (r.type === 'original_sql' ? '"copy_leak"' : tables.get(r.id));
      const queries: QueryInput[] = [
        { measures: ['orders.count', 'orders.doubled'], dimensions: ['orders.status'] },
        {
          measures: ['orders.count', 'orders.avg_amount'],
          segments: ['orders.shipped'],
          timeDimensions: [
            {
              dimension: 'orders.created_at',
              granularity: 'month',
              dateRange: ['2024-01-01', '2024-03-31'],
            },
          ],
        },
      ];
      for (const [i, query] of queries.entries()) {
        const outcome = await compareAnswers({
          model,
          source: mem,
          store: mem,
          locate,
          query,
          security: {},
          name: JSON.stringify(query),
          ordered: false,
        });
        // Without a date range only the unpartitioned copy holds every order (one has no created_at).
        const answered = i === 1 || name === 'unpartitioned';
        if (answered) expect(outcome.rollup, JSON.stringify(query)).toMatch(/^orders\.by_status/);
        else expect(outcome.rollup, JSON.stringify(query)).toBeUndefined();
      }
      // Without a date range only the unpartitioned copy holds every order (one has no created_at).
      const totals = compileFromRollup(model, { measures: ['orders.count'] }, { locate });
      if (name === 'partitioned') {
        expect(totals.rollup).toBeUndefined();
        expect(totals.rollup ? '' : totals.reason).toContain(
          'it is built from orders.base, which is partitioned, and holds no rows without orders.created_at',
        );
      } else {
        expect(totals.rollup?.id).toBe('orders.by_status');
      }
    });
  }

  it('never answers from the original_sql copy itself', () => {
    const model = modelOf(COPY_YAML.replace(/ {6}- name: by_status_day[\s\S]*?(?= {6}- name: base)/, ''));
    const out = compileFromRollup(model, { measures: ['orders.count'] }, { locate: () => '"copy_leak"' });
    expect(out.rollup).toBeUndefined();
    expect(out.rollup ? '' : out.reason).toBe('rollup orders.base: it is an original_sql pre-aggregation');
  });
});
