/**
 * The SQL the server runs on the source database to build rollups: snapshots per dialect, plus
 * the properties that matter whatever the text (privileged, UTC buckets, partition bounds bound
 * as parameters, columns named as the rollup says). QuestDB is checked as text only.
 */
import { flightsProjectDir } from '@inlay/example-flights';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileModel,
  type RollupDef,
  readModelDir,
  rollupBuildQuery,
  rollupPartitions,
  rollupRangeQuery,
  rollupsOf,
} from '../../src/index.js';
import { shopModel } from './shop.js';

type Model = ReturnType<typeof compileModel>;
const DIALECTS = ['duckdb', 'postgres', 'questdb', 'mysql'] as const;

let flights: Model;
let shop: Model;
const byId = (model: Model, id: string): RollupDef => rollupsOf(model).find((r) => r.id === id)!;

beforeAll(async () => {
  flights = compileModel(await readModelDir(flightsProjectDir));
  shop = shopModel();
});

/** The outermost select's aliases, in order. */
function outerAliases(sql: string): string[] {
  const head = sql.slice(0, sql.indexOf('\nFROM ('));
  return [...head.matchAll(/ ["`]([a-z0-9_]+)["`](?:,|$)/gm)].map((m) => m[1]!);
}

describe('rollupBuildQuery', () => {
  for (const dialect of DIALECTS) {
    /** SQL written with ANSI quotes, as this dialect quotes it. */
    const asDialect = (text: string) => (dialect === 'mysql' ? text.replaceAll('"', '`') : text);
    it(`flights.by_month, partition 2001-02, ${dialect}`, () => {
      const rollup = byId(flights, 'flights.by_month');
      const [, february] = rollupPartitions(rollup, {
        min: new Date('2001-01-01T00:00:00Z'),
        max: new Date('2001-06-30T23:59:00Z'),
      });
      const q = rollupBuildQuery(flights, rollup, dialect, february);
      expect(q.sql).toMatchSnapshot();
      expect(q.params).toEqual([
        { kind: 'timestamp', utc: '2001-02-01T00:00:00.000' },
        { kind: 'timestamp', utc: '2001-03-01T00:00:00.000' },
      ]);
      expect(q.columns).toBe(rollup.columns);
      expect(outerAliases(q.sql)).toEqual(rollup.columns.map((c) => c.name));
      // Built for every tenant: the default policy's airports.state filter is not applied.
      expect(q.sql).not.toMatch(/["`]airports["`]\.["`]state["`] (=|IN)/);
    });

    it(`orders.by_day (segment, average, filtered count, distinct count), ${dialect}`, () => {
      const rollup = byId(shop, 'orders.by_day');
      const q = rollupBuildQuery(shop, rollup, dialect);
      expect(q.sql).toMatchSnapshot();
      expect(q.params).toEqual([]);
      expect(outerAliases(q.sql)).toEqual(rollup.columns.map((c) => c.name));
      expect(q.sql).toContain(asDialect(`CASE WHEN ("orders".status = 'shipped') THEN TRUE ELSE FALSE END`));
      expect(q.sql).toContain(asDialect('count("orders"."amount")'));
      expect(q.sql).not.toMatch(/customers["`]\.["`]region["`] =/);
    });

    it(`orders.with_items (measures de-duplicated under a one_to_many join), ${dialect}`, () => {
      const q = rollupBuildQuery(shop, byId(shop, 'orders.with_items'), dialect);
      expect(q.sql).toMatchSnapshot();
      expect(q.sql).toContain('SELECT DISTINCT');
    });

    it(`range queries, ${dialect}`, () => {
      expect(rollupRangeQuery(flights, byId(flights, 'flights.by_month'), dialect)).toMatchSnapshot();
      // build_range_start is the author's SQL, run as written; the end is the data's maximum.
      const ranged = rollupRangeQuery(shop, byId(shop, 'orders.ranged'), dialect);
      expect(ranged.sql).toContain(asDialect('(SELECT now() - interval \'1 year\') "min_time"'));
      expect(ranged.sql).toContain(asDialect('max("orders"."created_at") "max_time"'));
      expect(rollupRangeQuery(shop, byId(shop, 'orders.with_items'), dialect).sql).toBe(
        asDialect('SELECT NULL "min_time",\n  NULL "max_time"'),
      );
    });
  }

  it('binds partition bounds the way each dialect compares timestamps', () => {
    const rollup = byId(shop, 'orders.by_month');
    const [p] = rollupPartitions(rollup, { min: new Date('2024-01-09Z'), max: new Date('2024-01-10Z') });
    expect(rollupBuildQuery(shop, rollup, 'duckdb', p).sql).toContain(
      '"orders"."created_at" >= CAST($1 AS TIMESTAMP) AND "orders"."created_at" < CAST($2 AS TIMESTAMP)',
    );
    const quest = rollupBuildQuery(shop, rollup, 'questdb', p);
    expect(quest.sql).toContain('"orders"."created_at" >= $1 AND "orders"."created_at" < $2');
    expect(quest.sql).toContain('date_trunc(\'month\', "orders"."created_at")');
    expect(quest.sql).toContain('cast("__b"."orders__amount" AS double)');
    expect(quest.sql).not.toMatch(/HAVING|OFFSET|LIMIT/);
  });

  it('the partition "all" reads every row', () => {
    const rollup = byId(flights, 'flights.by_day');
    const [all] = rollupPartitions(rollup, { min: new Date(0), max: new Date(0) });
    expect(all!.id).toBe('all');
    const q = rollupBuildQuery(flights, rollup, 'postgres', all);
    expect(q.params).toEqual([]);
    expect(q.sql).not.toContain('WHERE');
  });

  it('refuses original_sql pre-aggregations (originalSqlBuildQuery builds those)', () => {
    expect(() => rollupBuildQuery(shop, byId(shop, 'orders.raw'), 'duckdb')).toThrow(
      /pre-aggregation 'orders.raw' is original_sql, not a rollup\./,
    );
  });
});

describe('rollupPartitions', () => {
  const range = (min: string, max: string) => ({ min: new Date(min), max: new Date(max) });
  const withGranularity = (g: RollupDef['partitionGranularity']): RollupDef => ({
    ...byId(shop, 'orders.by_month'),
    granularity: 'day',
    partitionGranularity: g,
  });

  it('covers [min, max] with whole partitions, [start, end) in UTC', () => {
    const parts = rollupPartitions(
      byId(flights, 'flights.by_month'),
      range('2001-01-05T10:00Z', '2001-06-30T23:59Z'),
    );
    expect(parts.map((p) => p.id)).toEqual([
      '2001-01',
      '2001-02',
      '2001-03',
      '2001-04',
      '2001-05',
      '2001-06',
    ]);
    expect(parts[0]).toEqual({
      id: '2001-01',
      start: new Date('2001-01-01T00:00Z'),
      end: new Date('2001-02-01T00:00Z'),
    });
    expect(parts.at(-1)!.end).toEqual(new Date('2001-07-01T00:00Z'));
  });

  it('names day, week, quarter and year partitions', () => {
    const r = range('2001-12-30T00:00Z', '2002-01-02T00:00Z');
    expect(rollupPartitions(withGranularity('day'), r).map((p) => p.id)).toEqual([
      '2001-12-30',
      '2001-12-31',
      '2002-01-01',
      '2002-01-02',
    ]);
    const weeks = rollupPartitions(withGranularity('week'), r);
    expect(weeks.map((p) => p.id)).toEqual(['2001-W52', '2002-W01']);
    expect(weeks[0]!.start).toEqual(new Date('2001-12-24T00:00Z'));
    expect(rollupPartitions(withGranularity('quarter'), r).map((p) => p.id)).toEqual(['2001-Q4', '2002-Q1']);
    expect(rollupPartitions(withGranularity('year'), r).map((p) => p.id)).toEqual(['2001', '2002']);
  });

  it('has one partition "all" without partition_granularity, none for an inverted range', () => {
    expect(rollupPartitions(byId(flights, 'flights.by_day'), range('2001-01-01Z', '2001-06-30Z'))).toEqual([
      { id: 'all', start: new Date('2001-01-01Z'), end: new Date(new Date('2001-06-30Z').getTime() + 1) },
    ]);
    expect(rollupPartitions(byId(flights, 'flights.by_month'), range('2001-06-01Z', '2001-01-01Z'))).toEqual(
      [],
    );
  });

  it('refuses an absurd number of partitions', () => {
    expect(() => rollupPartitions(withGranularity('day'), range('1970-01-01Z', '2100-01-01Z'))).toThrow(
      /more than 10000 day partitions/,
    );
  });
});
