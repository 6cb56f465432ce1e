import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Driver } from '@inlay/core';
import type { DuckDBDriver } from '@inlay/drivers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RollupBuilder } from '../../src/preaggs/index.js';
import { leaseKey } from '../../src/preaggs/lease.js';
import type { Store } from '../../src/store/index.js';
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

const T0 = Date.parse('2030-01-01T00:00:00Z');

describe.each(BACKENDS)('leases (metadata on %s)', (backend) => {
  let place: PreaggPlace;
  let other: Store;
  const drivers: Driver[] = [];
  beforeAll(async () => {
    place = await preaggPlace(backend);
    // A second handle is a second process's view on PostgreSQL. One SQLite handle per process is
    // how the server runs (better-sqlite3 blocks the event loop while it waits for the file lock),
    // so on SQLite both builders share one.
    other = backend === 'postgres' ? await place.openAnother() : place.store;
    await addFlightsConnection(place.store, place.workspaceId, 'duckdb');
  });
  afterAll(async () => {
    await Promise.all(drivers.map((d) => d.close()));
    await place.cleanup();
  });

  it('are exclusive until they expire, renewable by their holder only, released by their holder only', async () => {
    const repo = place.store.preaggs;
    const key = `test/${backend}/lease`;
    expect(await repo.acquireLease(key, 'a', T0, 1000)).toBe(true);
    expect(await other.preaggs.acquireLease(key, 'b', T0 + 10, 1000)).toBe(false);
    expect(await repo.acquireLease(key, 'a', T0 + 500, 1000)).toBe(true); // re-acquire = renew
    expect(await repo.renewLease(key, 'a', T0 + 900, 1000)).toBe(true);
    expect(await other.preaggs.acquireLease(key, 'b', T0 + 1800, 1000)).toBe(false);
    expect(await other.preaggs.acquireLease(key, 'b', T0 + 1900, 1000)).toBe(true); // expired
    expect(await repo.renewLease(key, 'a', T0 + 1901, 1000)).toBe(false);
    await repo.releaseLease(key, 'a'); // not a's any more: no effect
    expect(await repo.acquireLease(key, 'c', T0 + 1902, 1000)).toBe(false);
    await other.preaggs.releaseLease(key, 'b');
    expect(await repo.acquireLease(key, 'c', T0 + 1903, 1000)).toBe(true);
  });

  it('let two builders racing on one rollup build each partition exactly once', async () => {
    const model = flightsModel();
    const rollup = rollupOf(model, 'flights.by_month');
    const [d1, d2] = [flightsDriver('duckdb'), flightsDriver('duckdb')];
    drivers.push(d1, d2);
    const a = new RollupBuilder({ store: place.store, dataDir: place.dataDir, holder: 'worker-a' });
    const b = new RollupBuilder({ store: other, dataDir: place.dataDir, holder: 'worker-b' });
    const [ra, rb] = await Promise.all([
      a.build(await target(place.store, place.workspaceId, model, rollup, d1)),
      b.build(await target(other, place.workspaceId, model, rollup, d2)),
    ]);
    const partitions = ra.partitions.map((p) => p.partition);
    expect(rb.partitions.map((p) => p.partition)).toEqual(partitions);
    for (const [i, id] of partitions.entries()) {
      const statuses = [ra.partitions[i]!.status, rb.partitions[i]!.status];
      expect(
        statuses.filter((s) => s === 'built'),
        id,
      ).toHaveLength(1);
      expect(
        statuses.filter((s) => s !== 'built' && s !== 'fresh' && s !== 'busy'),
        id,
      ).toEqual([]);
    }
    const rows = await place.store.preaggs.listPartitions({ rollupHash: rollup.hash });
    expect(rows.map((r) => r.generation)).toEqual(partitions.map(() => 1));
    const dir = join(place.dataDir, 'preaggs', rows[0]!.file!, '..');
    expect(readdirSync(dir).sort()).toEqual(rows.map((r) => r.file!.split('/').pop()).sort());
    // Both did some of the work (the race is real), or one did all of it while the other found it fresh.
    const builtBy = (r: typeof ra) => r.partitions.filter((p) => p.status === 'built').length;
    expect(builtBy(ra) + builtBy(rb)).toBe(partitions.length);
    console.log(
      `[preaggs] ${backend} race: a ${ra.partitions.map((p) => p.status).join(',')}; b ${rb.partitions.map((p) => p.status).join(',')}`,
    );
  });

  it('discard a build whose lease was taken while it ran: nothing committed, no file left', async () => {
    const source = await smallSource(place.dataDir, 'small');
    drivers.push(source);
    await addSmallConnection(place.store, place.workspaceId, 'small', place.dataDir);
    await place.store.environments.create(place.workspaceId, {
      name: 'small-env',
      datasources: [{ data_source: 'default', connection: 'small' }],
    });
    const model = smallModel();
    const rollup = rollupOf(model, 'events.by_kind_keyed');
    let now = T0;
    const builder = new RollupBuilder({
      store: place.store,
      dataDir: place.dataDir,
      holder: 'slow',
      now: () => now,
    });
    const key = { workspaceId: place.workspaceId, environment: 'small-env', rollupHash: rollup.hash };
    // While the slow builder queries, its lease runs out and another worker takes it.
    const stealing = stealDuringBuild(source, async () => {
      now = T0 + 120_000;
      expect(await other.preaggs.acquireLease(leaseKey(key, 'all'), 'thief', now, 60_000)).toBe(true);
    });
    const report = await builder.build(
      await target(place.store, place.workspaceId, model, rollup, stealing, 'small-env'),
    );
    expect(report.partitions.map((p) => p.status)).toEqual(['lost']);
    const [row] = await place.store.preaggs.listPartitions(key);
    expect(row?.file).toBeUndefined();
    expect(row?.generation).toBe(0);
    const dir = join(place.dataDir, 'preaggs', place.workspaceId, 'small-env', rollup.hash);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});

/** The driver, running `during` before it answers the first partition build. */
function stealDuringBuild(d: DuckDBDriver, during: () => Promise<void>): Driver {
  let done = false;
  return new Proxy(d, {
    get(t, prop, receiver) {
      if (prop === 'query') {
        return async (sql: string, params: never[], options: never) => {
          if (!done && sql.includes('events__count')) {
            done = true;
            await during();
          }
          return t.query(sql, params, options);
        };
      }
      return Reflect.get(t, prop, receiver);
    },
  });
}
