/**
 * `pre_aggregations` are checked when the model compiles: every mistake is a ModelErrors entry
 * naming the file, the line of the cube and the pre-aggregation, with a hint where one helps.
 */
import { describe, expect, it } from 'vitest';
import { ModelErrors, rollupsOf } from '../../src/index.js';
import { SHOP_YAML, shopModel } from './shop.js';

/** The shop model with its rollups replaced by `preaggs` (YAML list items, indented 6). */
function withRollups(preaggs: string, yaml = SHOP_YAML): string {
  return yaml.replace(
    / {4}pre_aggregations:\n[\s\S]*?(?=\n {2}- name: customers)/,
    `    pre_aggregations:\n${preaggs}`,
  );
}

function errorsOf(preaggs: string, yaml?: string): ModelErrors {
  try {
    shopModel(withRollups(preaggs, yaml));
  } catch (e) {
    if (e instanceof ModelErrors) return e;
    throw e;
  }
  throw new Error('the model compiled');
}

const ORDERS_LINE = SHOP_YAML.split('\n').findIndex((l) => l.includes('- name: orders')) + 1;

describe('pre_aggregations validation', () => {
  const cases: [string, string, RegExp, RegExp?][] = [
    [
      'unknown measure',
      '      - name: p\n        measures: [cnt]',
      /pre_aggregation 'p': unknown measure 'orders\.cnt' in measures\./,
      /Did you mean 'count'/,
    ],
    [
      'a measure listed as a dimension',
      '      - name: p\n        dimensions: [count]',
      /'orders\.count' in dimensions is a measure, not a dimension\./,
    ],
    [
      'unknown cube',
      '      - name: p\n        dimensions: [custmers.region]',
      /'custmers\.region' in dimensions names unknown cube 'custmers'\./,
      /Did you mean 'customers'/,
    ],
    [
      'unknown segment',
      '      - name: p\n        measures: [count]\n        segments: [shiped]',
      /unknown segment 'orders\.shiped' in segments\./,
      /Did you mean 'shipped'/,
    ],
    [
      'time_dimension not a time',
      '      - name: p\n        measures: [count]\n        time_dimension: status\n        granularity: day',
      /time_dimension 'orders\.status' is a string dimension; it must be a time dimension\./,
    ],
    [
      'unknown granularity',
      '      - name: p\n        measures: [count]\n        time_dimension: created_at\n        granularity: monthly',
      /unknown granularity 'monthly'\./,
      /Use second, minute/,
    ],
    [
      'custom granularity',
      '      - name: p\n        measures: [count]\n        time_dimension: created_at\n        granularity: fiscal_year',
      /custom granularity 'fiscal_year' cannot be pre-aggregated\./,
    ],
    [
      'time_dimension without granularity',
      '      - name: p\n        measures: [count]\n        time_dimension: created_at',
      /time_dimension needs a granularity\./,
    ],
    [
      'granularity without time_dimension',
      '      - name: p\n        measures: [count]\n        granularity: day',
      /granularity needs a time_dimension\./,
    ],
    [
      'partition_granularity without time_dimension',
      '      - name: p\n        measures: [count]\n        partition_granularity: month',
      /partition_granularity needs a time_dimension\./,
    ],
    [
      'partition_granularity that splits buckets',
      '      - name: p\n        measures: [count]\n        time_dimension: created_at\n        granularity: month\n        partition_granularity: week',
      /partition_granularity 'week' would split month buckets between partitions\./,
    ],
    [
      'unknown partition_granularity',
      '      - name: p\n        measures: [count]\n        time_dimension: created_at\n        granularity: hour\n        partition_granularity: hour',
      /unknown partition_granularity 'hour'\./,
    ],
    [
      'rollup_join',
      '      - name: p\n        type: rollup_join\n        measures: [count]',
      /type rollup_join is not supported\./,
    ],
    [
      'rollup_lambda',
      '      - name: p\n        type: rollup_lambda',
      /type rollup_lambda is not supported\./,
    ],
    [
      'index on a column outside the rollup',
      '      - name: p\n        measures: [count]\n        dimensions: [status]\n        indexes:\n          - name: i\n            columns: [amount_value]',
      /index 'i' names 'amount_value', which is not a dimension, segment or time_dimension of this rollup\./,
    ],
    [
      'rolling_window measure',
      '      - name: p\n        measures: [rolling_amount]',
      /measure 'orders\.rolling_amount' has a rolling_window, which cannot be pre-aggregated\./,
    ],
    [
      'a member listed twice',
      '      - name: p\n        measures: [count, CUBE.count]',
      /lists 'orders\.count' twice in measures\./,
    ],
    [
      'two rollups with one name',
      '      - name: p\n        measures: [count]\n      - name: p\n        measures: [amount]',
      /pre_aggregation 'p': is defined twice in this cube\./,
    ],
    [
      'nothing to store',
      '      - name: p\n        type: rollup',
      /lists no measures, dimensions, segments or time_dimension\./,
    ],
    [
      'cron refresh_key',
      '      - name: p\n        measures: [count]\n        refresh_key:\n          every: "0 * * * *"',
      /refresh_key\.every: cannot read the duration/,
      /cron schedules are not supported/,
    ],
    [
      'references in refresh_key.sql',
      '      - name: p\n        measures: [count]\n        refresh_key:\n          sql: SELECT max(id) FROM {CUBE}',
      /refresh_key\.sql cannot use \{…\} references\./,
    ],
    [
      'a member of a cube it cannot join',
      '      - name: p\n        measures: [count]\n        dimensions: [customers.region, items.sku, customers.count]',
      /'customers\.count' in dimensions is a measure/,
    ],
  ];
  for (const [name, preaggs, message, hint] of cases) {
    it(name, () => {
      const e = errorsOf(preaggs);
      const first = e.errors[0]!;
      expect(first.message).toMatch(message);
      if (hint) expect(first.hint).toMatch(hint);
      expect(first.where).toMatchObject({ file: 'models/shop.cube.yml', line: ORDERS_LINE, cube: 'orders' });
      expect(first.describe()).toMatch(
        new RegExp(`^models/shop\\.cube\\.yml:${ORDERS_LINE} cube 'orders': pre_aggregation`),
      );
    });
  }

  it('reports a join the rollup cannot make, from the planner', () => {
    const yaml = SHOP_YAML.replace(
      '    measures:\n      - name: count\n        type: count\n  - name: items',
      '    measures:\n      - name: count\n        type: count\n    pre_aggregations:\n      - name: p\n        measures: [count]\n        dimensions: [orders.status]\n  - name: items',
    );
    const e = errorsOf('      - name: ok\n        measures: [count]', yaml);
    expect(e.errors[0]!.message).toMatch(
      /pre_aggregation 'p': cannot be built: cannot join 'orders' to 'customers'/,
    );
    expect(e.errors[0]!.where).toMatchObject({ cube: 'customers' });
  });

  it('refuses a rollup whose SQL needs the security context', () => {
    const yaml = withRollups('      - name: p\n        measures: [count]').replace(
      'sql_table: orders',
      'sql: "SELECT * FROM orders WHERE tenant = {SECURITY_CONTEXT.tenant}"',
    );
    expect(() => shopModel(yaml)).toThrow(/pre_aggregation 'p': reads SQL that uses the security context\./);
  });

  it('lists every problem at once', () => {
    const e = errorsOf(
      '      - name: a\n        measures: [cnt]\n      - name: b\n        type: rollup_lambda',
    );
    expect(e.errors.map((x) => x.message)).toEqual([
      "pre_aggregation 'a': unknown measure 'orders.cnt' in measures.",
      "pre_aggregation 'b': type rollup_lambda is not supported.",
    ]);
    expect(e.message).toMatch(/^2 problems in the models:/);
  });
});

describe('rollupsOf', () => {
  it('reads every member syntax and keeps members of joined cubes', () => {
    const model = shopModel();
    const [byDay, byMonth, withItems] = rollupsOf(model);
    expect(byDay).toMatchObject({
      id: 'orders.by_day',
      cube: 'orders',
      dataSource: 'default',
      dimensions: ['orders.status', 'customers.region'],
      segments: ['orders.shipped'],
      timeDimension: 'orders.created_at',
      granularity: 'day',
    });
    expect(byMonth).toMatchObject({
      measures: ['orders.count', 'orders.amount'],
      dimensions: ['orders.status'],
      timeDimension: 'orders.created_at',
      partitionGranularity: 'month',
    });
    expect(withItems!.dimensions).toEqual(['items.sku', 'orders.status']);
  });

  it('names columns [a-z0-9_]+, unique, with an average as its sum and count', () => {
    const byDay = rollupsOf(shopModel())[0]!;
    expect(byDay.columns.map((c) => [c.name, c.role, c.duckdbType])).toEqual([
      ['orders__status', 'dimension', 'VARCHAR'],
      ['customers__region', 'dimension', 'VARCHAR'],
      ['orders__shipped', 'dimension', 'BOOLEAN'],
      ['orders__created_at_day', 'time', 'TIMESTAMP'],
      ['orders__count', 'measure', 'BIGINT'],
      ['orders__amount', 'measure', 'DOUBLE'],
      ['orders__max_amount', 'measure', 'DOUBLE'],
      ['orders__avg_amount__sum', 'avg_sum', 'DOUBLE'],
      ['orders__avg_amount__count', 'avg_count', 'BIGINT'],
      ['orders__big_count', 'measure', 'BIGINT'],
      ['orders__customers_n', 'measure', 'BIGINT'],
      ['orders__amount_per_order', 'measure', 'DOUBLE'],
    ]);
    for (const c of byDay.columns) expect(c.name).toMatch(/^[a-z0-9_]+$/);
  });

  it('memoises per model; a model without rollups has none', () => {
    const model = shopModel();
    expect(rollupsOf(model)).toBe(rollupsOf(model));
    const plain = shopModel(
      SHOP_YAML.replace(/ {4}pre_aggregations:\n[\s\S]*?(?=\n {2}- name: customers)/, ''),
    );
    expect(rollupsOf(plain)).toEqual([]);
  });

  it('takes refresh settings from the rollup, else the cube, else one hour', () => {
    const model = shopModel(
      withRollups(
        '      - name: a\n        measures: [count]\n        refresh_key:\n          every: 10 minutes\n          sql: SELECT max(id) FROM orders\n      - name: b\n        measures: [count]',
      ).replace('    sql_table: orders\n', '    sql_table: orders\n    refresh_key:\n      every: 1 day\n'),
    );
    const [a, b] = rollupsOf(model);
    expect(a).toMatchObject({ refreshEveryMs: 600_000, refreshSql: 'SELECT max(id) FROM orders' });
    expect(b).toMatchObject({ refreshEveryMs: 86_400_000 });
    expect(rollupsOf(shopModel())[0]!.refreshEveryMs).toBe(3_600_000);
  });

  it('hashes what decides the contents: unrelated edits keep it, member SQL changes it', () => {
    const base = rollupsOf(shopModel())[1]!;
    const commented = rollupsOf(shopModel(`# a comment\n${SHOP_YAML}`))[1]!;
    expect(commented.hash).toBe(base.hash);
    expect(base.hash).toMatch(/^[0-9a-f]{16}$/);
    const changed = rollupsOf(shopModel(SHOP_YAML.replace('sql: status\n', 'sql: upper(status)\n')))[1]!;
    expect(changed.hash).not.toBe(base.hash);
    const joinChanged = rollupsOf(
      shopModel(
        SHOP_YAML.replace('{CUBE}.customer_id = {customers}.id', '{CUBE}.customer_id = {customers}.id + 0'),
      ),
    );
    // by_day reads customers through that join; by_month does not.
    expect(joinChanged[0]!.hash).not.toBe(rollupsOf(shopModel())[0]!.hash);
    expect(joinChanged[1]!.hash).toBe(base.hash);
  });
});
