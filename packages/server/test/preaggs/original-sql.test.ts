import type { Driver, QueryInput } from '@inlay/core';
import { compileFromRollup, compileModel, executeCompiled, runQuery } from '@inlay/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreaggs, RollupBuilder, RollupReader } from '../../src/preaggs/index.js';
import { sourceLookup } from '../../src/workspaces/index.js';
import {
  addFlightsConnection,
  canonical,
  flightsDriver,
  type PreaggPlace,
  preaggPlace,
  rollupOf,
  storeWorkspace,
  target,
} from './helpers.js';

/**
 * original_sql on real databases: the copy is built once from the source, the rollups that say
 * use_original_sql_pre_aggregations are built from its Parquet files (not the source) and answer
 * as the source does, and a rebuilt copy makes them due.
 */
const CUBE_SQL =
  "SELECT id, date, origin, delay, distance, CAST(date AS DATE) AS day, distance * 1.5 AS scaled FROM flights WHERE origin = 'SJC'";
const model = compileModel([
  {
    path: 'models/trips.cube.yml',
    content: `
cubes:
  - name: trips
    sql: "${CUBE_SQL}"
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: date
        sql: date
        type: time
      - name: day
        sql: day
        type: time
      - name: origin
        sql: origin
        type: string
    measures:
      - name: count
        type: count
      - name: total_distance
        sql: distance
        type: sum
      - name: avg_delay
        sql: delay
        type: avg
      - name: scaled
        sql: scaled
        type: sum
    pre_aggregations:
      - name: by_origin
        use_original_sql_pre_aggregations: true
        measures: [count, total_distance, avg_delay, scaled]
        dimensions: [origin]
      - name: by_month
        use_original_sql_pre_aggregations: true
        measures: [count, total_distance]
        time_dimension: day
        granularity: month
        partition_granularity: month
      - name: base
        type: original_sql
`,
  },
]);
const base = rollupOf(model, 'trips.base');
const dependents = [rollupOf(model, 'trips.by_origin'), rollupOf(model, 'trips.by_month')];

/** A driver that records every statement it is given. */
function counting(inner: Driver): Driver & { statements: string[] } {
  const statements: string[] = [];
  return Object.assign(Object.create(inner) as Driver, {
    statements,
    dialect: inner.dialect,
    query: (
      sql: string,
      params: Parameters<Driver['query']>[1],
      options?: Parameters<Driver['query']>[2],
    ) => {
      statements.push(sql);
      return inner.query(sql, params, options);
    },
  });
}

const QUERIES: [QueryInput, string][] = [
  [
    { measures: ['trips.count', 'trips.total_distance', 'trips.avg_delay', 'trips.scaled'] },
    'trips.by_origin',
  ],
  [
    {
      measures: ['trips.count', 'trips.total_distance'],
      timeDimensions: [
        { dimension: 'trips.day', granularity: 'month', dateRange: ['2001-02-01', '2001-04-30'] },
      ],
    },
    'trips.by_month',
  ],
];

describe.each(['duckdb', 'postgres', 'mysql'] as const)('original_sql from %s', (kind) => {
  let place: PreaggPlace;
  let reader: RollupReader;
  let driver: ReturnType<typeof counting>;
  let builder: RollupBuilder;
  const environment = 'default';
  const targetOf = (r: (typeof dependents)[number]) =>
    target(place.store, place.workspaceId, model, r, driver);
  beforeAll(async () => {
    place = await preaggPlace('sqlite');
    await addFlightsConnection(place.store, place.workspaceId, kind);
    driver = counting(flightsDriver(kind));
    builder = new RollupBuilder({ store: place.store, dataDir: place.dataDir });
    reader = new RollupReader({
      store: place.store,
      dataDir: place.dataDir,
      sources: () => sourceLookup(place.store),
    });
  });
  afterAll(async () => {
    await reader.close();
    await driver.close();
    await place.cleanup();
  });

  it('builds the copy once; the rollups read it, not the source', async () => {
    const early = await builder.build(await targetOf(dependents[0]!));
    expect(early.error).toMatch(/original_sql trips\.base is not built yet for environment default/);

    const copy = await builder.build(await targetOf(base));
    expect(copy.error).toBeUndefined();
    expect(copy.partitions).toMatchObject([{ partition: 'all', status: 'built' }]);
    expect(copy.partitions[0]!.rows).toBeGreaterThan(10_000);
    for (const r of dependents) {
      const report = await builder.build(await targetOf(r));
      expect(report.error, r.id).toBeUndefined();
      expect(report.partitions.length, r.id).toBeGreaterThan(0);
      expect(report.partitions.every((p) => p.status === 'built')).toBe(true);
    }
    // One statement ran the cube's SQL on the source: the copy's. No range or refresh query either.
    expect(driver.statements.filter((s) => s.includes("origin = 'SJC'"))).toHaveLength(1);
    expect(driver.statements).toHaveLength(1);
  });

  it('answers from the rollups as the source does, never from the copy', async () => {
    await reader.refresh();
    const locate = reader.locator(place.workspaceId, environment);
    expect(locate(base)).toBeUndefined();
    expect(reader.loaded().map((l) => l.hash)).not.toContain(base.hash);
    for (const [query, rollupId] of QUERIES) {
      const plan = compileFromRollup(model, query, { locate });
      if (!plan.rollup) throw new Error(`not answered from a rollup: ${plan.reason}`);
      expect(plan.rollup.id).toBe(rollupId);
      const fromRollup = await executeCompiled(reader, plan.compiled);
      const fromSource = await runQuery(model, driver, query, {});
      const keys = Object.keys(fromSource.data[0] ?? {});
      expect(fromRollup.data.length).toBeGreaterThan(0);
      expect(canonical(fromRollup.data, keys)).toEqual(canonical(fromSource.data, keys));
    }
  });

  it('rebuilds the rollups only when the copy was rebuilt', async () => {
    for (const r of dependents) {
      const report = await builder.build(await targetOf(r));
      expect(report.partitions.every((p) => p.status === 'fresh')).toBe(true);
    }
    await builder.build(await targetOf(base), { force: true });
    for (const r of dependents) {
      const report = await builder.build(await targetOf(r));
      expect(
        report.partitions.every((p) => p.status === 'built' && p.reason === 'original_sql rebuilt'),
      ).toBe(true);
    }
  });
});

describe('status and the scheduler', () => {
  let place: PreaggPlace;
  beforeAll(async () => {
    place = await preaggPlace('sqlite');
    await addFlightsConnection(place.store, place.workspaceId, 'duckdb');
  });
  afterAll(async () => {
    await place.cleanup();
  });

  it('builds the copy first, lists it with its type, and never serves it', async () => {
    const ws = storeWorkspace(place.store, place.workspaceId, model);
    const preaggs = createPreaggs({
      store: place.store,
      sources: () => sourceLookup(place.store),
      workspaces: { get: async () => ws },
      dataDir: place.dataDir,
      schedule: false,
    });
    try {
      await preaggs.start();
      const reports = await preaggs.buildNow(place.workspaceId);
      expect(reports.map((r) => r.rollupId)).toEqual(['trips.base', 'trips.by_origin', 'trips.by_month']);
      expect(reports.every((r) => r.error === undefined)).toBe(true);
      const status = await preaggs.status(place.workspaceId);
      expect(status.map((s) => [s.rollupId, s.type, s.state, s.served])).toEqual([
        ['trips.base', 'original_sql', 'built', false],
        ['trips.by_month', 'rollup', 'built', true],
        ['trips.by_origin', 'rollup', 'built', true],
      ]);
      // Forcing the copy builds the rollups read from it again, after it.
      const forced = await preaggs.buildNow(place.workspaceId, { rollupId: 'trips.base', force: true });
      expect(forced.map((r) => r.rollupId)).toEqual(['trips.base', 'trips.by_origin', 'trips.by_month']);
      expect(forced[1]!.partitions.every((p) => p.reason === 'original_sql rebuilt')).toBe(true);
    } finally {
      await preaggs.close();
      await ws.close();
    }
  });
});
