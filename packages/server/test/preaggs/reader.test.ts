import { rmSync } from 'node:fs';
import type { Driver } from '@inlay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preaggsRoot, resolveFile } from '../../src/preaggs/files.js';
import { RollupBuilder, RollupReader } from '../../src/preaggs/index.js';
import { sourceLookup } from '../../src/workspaces/index.js';
import { BACKENDS } from '../store/helpers.js';
import {
  addFlightsConnection,
  flightsDriver,
  flightsModel,
  type PreaggPlace,
  preaggPlace,
  rollupOf,
  target,
} from './helpers.js';
import { addSmallConnection, smallModel, smallSource } from './small.js';

describe.each(BACKENDS)('the rollup reader (metadata on %s)', (backend) => {
  let place: PreaggPlace;
  let reader: RollupReader;
  const drivers: Driver[] = [];
  beforeAll(async () => {
    place = await preaggPlace(backend);
    reader = new RollupReader({
      store: place.store,
      dataDir: place.dataDir,
      sources: () => sourceLookup(place.store),
    });
  });
  afterAll(async () => {
    await reader.close();
    await Promise.all(drivers.map((d) => d.close()));
    await place.cleanup();
  });

  it('swaps a rebuilt table atomically: a query never sees it empty or partial', async () => {
    await addFlightsConnection(place.store, place.workspaceId, 'duckdb');
    const model = flightsModel();
    const rollup = rollupOf(model, 'flights.by_month');
    const driver = flightsDriver('duckdb');
    drivers.push(driver);
    const builder = new RollupBuilder({
      store: place.store,
      dataDir: place.dataDir,
      onCommitted: () => void reader.refresh(),
    });
    const t = await target(place.store, place.workspaceId, model, rollup, driver);
    await builder.build(t);
    await reader.refresh();
    const table = reader.locate(place.workspaceId, 'default', rollup)!;
    const before = reader.describe(place.workspaceId, 'default', rollup)!;
    expect(before).toMatchObject({ table, rows: expect.any(Number), builtAt: expect.stringMatching(/Z$/) });
    const sql = `SELECT count(*) AS n, sum(flights__count) AS flights FROM "${table}"`;
    const expected = (await reader.query(sql, [])).rows[0];
    expect(expected?.flights).toBe(3_000_000);

    let stop = false;
    const seen: unknown[] = [];
    const loop = (async () => {
      while (!stop) seen.push((await reader.query(sql, [])).rows[0]);
    })();
    const generation = async () =>
      (await place.store.preaggs.listPartitions({ rollupHash: rollup.hash }))[0]?.generation;
    for (let i = 0; i < 2; i++) {
      await builder.build(t, { force: true });
      // Every partition commits (and triggers a reload) on its own: many swaps per build.
      await reader.refresh();
    }
    stop = true;
    await loop;
    expect(await generation()).toBe(3);
    // Same table name, new contents: the version (for result-cache keys) and the age move on.
    const after = reader.describe(place.workspaceId, 'default', rollup)!;
    expect(after.table).toBe(table);
    expect(after.version).not.toBe(before.version);
    expect(after.builtAt > before.builtAt).toBe(true);
    // What a repeat of an answer read from it checks: the version it saw is no longer served.
    expect(reader.serves(place.workspaceId, 'default', rollup, before)).toBe(false);
    expect(reader.serves(place.workspaceId, 'default', rollup, after)).toBe(true);
    expect(reader.serves(place.workspaceId, 'other', rollup, after)).toBe(false);
    expect(seen.length).toBeGreaterThan(20);
    for (const row of seen) expect(row).toEqual(expected);
  });

  it('serves a rollup only to the environment it was built for, and only while that mapping holds', async () => {
    const ws = place.workspaceId;
    const [a, b] = await Promise.all([
      smallSource(place.dataDir, 'a', 40, 1),
      smallSource(place.dataDir, 'b', 40, 10),
    ]);
    drivers.push(a, b);
    await addSmallConnection(place.store, ws, 'a', place.dataDir);
    await addSmallConnection(place.store, ws, 'b', place.dataDir);
    await place.store.environments.create(ws, {
      name: 'tenant-a',
      datasources: [{ data_source: 'default', connection: 'a' }],
    });
    await place.store.environments.create(ws, {
      name: 'tenant-b',
      datasources: [{ data_source: 'default', connection: 'b' }],
    });
    const model = smallModel();
    const rollup = rollupOf(model, 'events.by_kind_keyed');
    const builder = new RollupBuilder({ store: place.store, dataDir: place.dataDir });
    const build = async (env: string, driver: Driver) =>
      builder.build(await target(place.store, ws, model, rollup, driver, env));
    const total = async (env: string) => {
      await reader.refresh();
      const table = reader.locate(ws, env, rollup);
      if (!table) return undefined;
      return (await reader.query(`SELECT sum(events__total) AS t FROM "${table}"`, [])).rows[0]?.t;
    };

    await build('tenant-a', a);
    await build('tenant-b', b);
    const [ta, tb] = [await total('tenant-a'), await total('tenant-b')];
    expect(ta).toBe(780); // sum of 0..39
    expect(tb).toBe(7800);
    expect(reader.locate(ws, 'tenant-a', rollup)).not.toBe(reader.locate(ws, 'tenant-b', rollup));
    expect(await total('default')).toBeUndefined();

    // Remapped: tenant-a's rows came from connection a, so they stop serving at once…
    await place.store.environments.update(ws, 'tenant-a', [{ data_source: 'default', connection: 'b' }]);
    expect(await total('tenant-a')).toBeUndefined();
    // …until a build from the connection it maps now.
    const rebuilt = await build('tenant-a', b);
    expect(rebuilt.partitions.map((p) => p.reason)).toEqual(['connection changed']);
    expect(await total('tenant-a')).toBe(7800);

    // Changed credentials count as another source too; a deleted environment serves nothing.
    await new Promise((r) => setTimeout(r, 5));
    await place.store.connections.update(ws, 'b', { credentials: { path: `${place.dataDir}/b.duckdb` } });
    expect(await total('tenant-b')).toBeUndefined();
    await place.store.environments.delete(ws, 'tenant-a');
    expect(await total('tenant-a')).toBeUndefined();
  });

  it('stops serving a rollup whose Parquet file is gone, until a build writes it again', async () => {
    const ws = place.workspaceId;
    const c = await smallSource(place.dataDir, 'c', 10, 1);
    drivers.push(c);
    await addSmallConnection(place.store, ws, 'c', place.dataDir);
    await place.store.environments.create(ws, {
      name: 'tenant-c',
      datasources: [{ data_source: 'default', connection: 'c' }],
    });
    const model = smallModel();
    const rollup = rollupOf(model, 'events.by_kind_keyed');
    const builder = new RollupBuilder({ store: place.store, dataDir: place.dataDir });
    const t = await target(place.store, ws, model, rollup, c, 'tenant-c');
    await builder.build(t);
    await reader.refresh();
    const table = reader.locate(ws, 'tenant-c', rollup)!;
    expect((await reader.query(`SELECT sum(events__total) AS t FROM "${table}"`, [])).rows[0]?.t).toBe(45);

    const [partition] = await place.store.preaggs.listPartitions({
      rollupHash: rollup.hash,
      environment: 'tenant-c',
    });
    rmSync(resolveFile(preaggsRoot(place.dataDir), partition!.file!));
    await reader.refresh();
    expect(reader.locate(ws, 'tenant-c', rollup)).toBeUndefined();

    await builder.build(t, { force: true });
    await reader.refresh();
    const again = reader.locate(ws, 'tenant-c', rollup)!;
    expect((await reader.query(`SELECT sum(events__total) AS t FROM "${again}"`, [])).rows[0]?.t).toBe(45);
  });
});
