import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBDriver } from '@inlay/drivers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueReason, RollupBuilder, RollupReader } from '../../src/preaggs/index.js';
import type { PartitionRecord } from '../../src/store/repos/preaggs.js';
import { sourceLookup } from '../../src/workspaces/index.js';
import { BACKENDS } from '../store/helpers.js';
import { type PreaggPlace, preaggPlace, rollupOf, target } from './helpers.js';
import { addSmallConnection, smallModel, smallSource } from './small.js';

const model = smallModel();
const byDay = rollupOf(model, 'events.by_kind_day');
const keyed = rollupOf(model, 'events.by_kind_keyed');
const T0 = Date.parse('2030-01-01T00:00:00Z');
const MIN = 60_000;

describe('dueReason', () => {
  const built: PartitionRecord = {
    workspaceId: 'w',
    environment: 'default',
    rollupHash: 'h',
    partitionId: '2024-01',
    rollupId: 'r',
    kind: 'rollup',
    dataSource: 'default',
    source: 'default@1',
    start: '',
    end: '',
    generation: 1,
    file: 'x.parquet',
    rows: 1,
    builtAt: new Date(T0).toISOString(),
    refreshValue: '1',
    buildMs: 1,
    lastError: undefined,
    lastErrorAt: undefined,
  };
  const ctx = { source: 'default@1', refreshSql: false, refreshValue: undefined, refreshEveryMs: 10 * MIN };
  it('says why, or undefined when fresh', () => {
    expect(dueReason(undefined, { ...ctx, now: T0 })).toBe('never built');
    expect(dueReason({ ...built, file: undefined }, { ...ctx, now: T0 })).toBe('never built');
    expect(dueReason(built, { ...ctx, now: T0 + 10 * MIN - 1 })).toBeUndefined();
    expect(dueReason(built, { ...ctx, now: T0 + 10 * MIN })).toBe('every elapsed');
    expect(dueReason(built, { ...ctx, now: T0, force: true })).toBe('forced');
    expect(dueReason(built, { ...ctx, now: T0, source: 'default@2' })).toBe('connection changed');
    const sqlKey = { ...ctx, refreshSql: true, now: T0 + 99 * MIN };
    expect(dueReason(built, { ...sqlKey, refreshValue: '1' })).toBeUndefined();
    expect(dueReason(built, { ...sqlKey, refreshValue: '2' })).toBe('refresh_key changed');
  });
});

describe.each(BACKENDS)('refreshing rollups (metadata on %s)', (backend) => {
  let place: PreaggPlace;
  let source: DuckDBDriver;
  let now = T0;
  const clock = () => now;
  let reader: RollupReader;
  beforeAll(async () => {
    place = await preaggPlace(backend);
    source = await smallSource(place.dataDir, 'default');
    await addSmallConnection(place.store, place.workspaceId, 'default', place.dataDir);
    reader = new RollupReader({
      store: place.store,
      dataDir: place.dataDir,
      sources: () => sourceLookup(place.store),
    });
  });
  afterAll(async () => {
    await reader.close();
    await source.close();
    await place.cleanup();
  });
  const builder = (graceMs?: number) =>
    new RollupBuilder({
      store: place.store,
      dataDir: place.dataDir,
      now: clock,
      ...(graceMs !== undefined ? { graceMs } : {}),
    });
  const t = (rollup = byDay) => target(place.store, place.workspaceId, model, rollup, source);
  const generations = async (rollup = byDay) =>
    (
      await place.store.preaggs.listPartitions({ workspaceId: place.workspaceId, rollupHash: rollup.hash })
    ).map((r) => r.generation);
  const servedRows = async (rollup = byDay) => {
    await reader.refresh();
    const table = reader.locate(place.workspaceId, 'default', rollup);
    if (!table) return undefined;
    const sql = `SELECT events__kind AS kind, sum(events__count) AS n, sum(events__total) AS total
      FROM "${table}" GROUP BY 1 ORDER BY 1`;
    return (await reader.query(sql, [])).rows;
  };

  it('rebuilds when `every` has elapsed on the injected clock, not before', async () => {
    now = T0;
    const b = builder();
    const first = await b.build(await t());
    expect(first.partitions.map((p) => [p.partition, p.status, p.reason])).toEqual([
      ['2024-01', 'built', 'never built'],
      ['2024-02', 'built', 'never built'],
    ]);
    now = T0 + 10 * MIN - 1;
    expect((await b.build(await t())).partitions.map((p) => p.status)).toEqual(['fresh', 'fresh']);
    expect(await generations()).toEqual([1, 1]);
    now = T0 + 10 * MIN;
    const again = await b.build(await t());
    expect(again.partitions.map((p) => [p.status, p.reason])).toEqual([
      ['built', 'every elapsed'],
      ['built', 'every elapsed'],
    ]);
    expect(await generations()).toEqual([2, 2]);
  });

  it('rebuilds when the refresh_key.sql value changes, however much time passes otherwise', async () => {
    now = T0;
    const b = builder();
    expect((await b.build(await t(keyed))).partitions.map((p) => p.status)).toEqual(['built']);
    now = T0 + 1000 * MIN;
    expect((await b.build(await t(keyed))).partitions.map((p) => p.status)).toEqual(['fresh']);
    await source.execute('UPDATE stamp SET v = v + 1');
    const changed = await b.build(await t(keyed));
    expect(changed.partitions.map((p) => [p.status, p.reason])).toEqual([['built', 'refresh_key changed']]);
    const [row] = await place.store.preaggs.listPartitions({
      workspaceId: place.workspaceId,
      rollupHash: keyed.hash,
    });
    expect(row?.refreshValue).toBe('2');
    expect(row?.generation).toBe(2);
  });

  it('keeps serving the previous generation when a rebuild fails, and records the error', async () => {
    const before = await servedRows();
    expect(before?.length).toBe(3);
    const filesBefore = (await place.store.preaggs.listPartitions({ rollupHash: byDay.hash })).map(
      (r) => r.file,
    );
    await source.execute('ALTER TABLE events RENAME TO events_gone');
    try {
      const report = await builder().build(await t(), { force: true });
      // The range query fails first: nothing is rebuilt, every partition notes why.
      expect(report.error).toMatch(/events/);
      const rows = await place.store.preaggs.listPartitions({ rollupHash: byDay.hash });
      expect(rows.map((r) => r.file)).toEqual(filesBefore);
      expect(rows.every((r) => r.lastError?.includes('events'))).toBe(true);
      expect(await servedRows()).toEqual(before);
    } finally {
      await source.execute('ALTER TABLE events_gone RENAME TO events');
    }
    // A failure in one partition's build (not the range) also leaves that partition's file.
    const broken = { ...(await t()), driver: failingOnBuild(source) };
    const report = await builder().build(broken, { force: true });
    expect(report.partitions.map((p) => p.status)).toEqual(['failed', 'failed']);
    expect(report.partitions[0]?.error).toMatch(/boom/);
    expect((await place.store.preaggs.listPartitions({ rollupHash: byDay.hash })).map((r) => r.file)).toEqual(
      filesBefore,
    );
    expect(await servedRows()).toEqual(before);
    // The next good build clears the error.
    await builder().build(await t(), { force: true });
    const rows = await place.store.preaggs.listPartitions({ rollupHash: byDay.hash });
    expect(rows.every((r) => r.lastError === undefined)).toBe(true);
    expect(await servedRows()).toEqual(before);
  });

  it('removes superseded files after the grace period, and only then', async () => {
    const dir = async () => {
      const [r] = await place.store.preaggs.listPartitions({ rollupHash: byDay.hash });
      return join(place.dataDir, 'preaggs', r!.file!, '..');
    };
    const current = async () =>
      (await place.store.preaggs.listPartitions({ rollupHash: byDay.hash }))
        .map((r) => r.file!.split('/').pop()!)
        .sort();
    // Long grace: the previous generation stays on disk for replicas still loading it.
    const kept = builder(60 * MIN);
    await kept.build(await t(), { force: true });
    const names = readdirSync(await dir()).sort();
    expect(names.length).toBeGreaterThan(2);
    expect(names).toEqual(expect.arrayContaining(await current()));
    // No grace: only the files the manifest names remain.
    const eager = builder(0);
    await eager.build(await t(), { force: true });
    expect(readdirSync(await dir()).sort()).toEqual(await current());
    for (const f of await current()) expect(existsSync(join(await dir(), f))).toBe(true);
  });
});

/** The source driver, except that partition builds (not the range query) fail. */
function failingOnBuild(d: DuckDBDriver): DuckDBDriver {
  return new Proxy(d, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (sql: string, params: never[], options: never) =>
          sql.includes('min_time') ? target.query(sql, params, options) : Promise.reject(new Error('boom'));
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
