import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Driver } from '@inlay/core';
import { rollupsOf } from '@inlay/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RollupBuilder, RollupReader } from '../../src/preaggs/index.js';
import { sourceLookup } from '../../src/workspaces/index.js';
import { BACKENDS } from '../store/helpers.js';
import {
  addFlightsConnection,
  canonical,
  directRows,
  flightsDriver,
  flightsModel,
  type PreaggPlace,
  preaggPlace,
  target,
} from './helpers.js';

const model = flightsModel();
const rollups = rollupsOf(model);

describe.each(BACKENDS)('building the flights rollups (metadata on %s)', (backend) => {
  let place: PreaggPlace;
  let reader: RollupReader;
  const drivers: Driver[] = [];
  beforeAll(async () => {
    place = await preaggPlace(backend);
    await addFlightsConnection(place.store, place.workspaceId, 'duckdb');
    for (const [kind, connection] of [
      ['postgres', 'pg'],
      ['mysql', 'my'],
    ] as const) {
      await addFlightsConnection(place.store, place.workspaceId, kind, connection);
      await place.store.environments.create(place.workspaceId, {
        name: `on-${kind}`,
        datasources: [{ data_source: 'default', connection }],
      });
    }
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

  for (const [kind, environment, connection] of [
    ['duckdb', 'default', 'default'],
    ['postgres', 'on-postgres', 'pg'],
    ['mysql', 'on-mysql', 'my'],
  ] as const) {
    it(`builds every partition from ${kind}, and the served table equals the build query's rows`, async () => {
      const driver = flightsDriver(kind);
      drivers.push(driver);
      const builder = new RollupBuilder({ store: place.store, dataDir: place.dataDir });
      for (const rollup of rollups) {
        const t = await target(place.store, place.workspaceId, model, rollup, driver, environment);
        const report = await builder.build(t);
        expect(report.error).toBeUndefined();
        if (!rollup.partitionGranularity) expect(report.partitions.map((p) => p.partition)).toEqual(['all']);
        else expect(report.partitions.length).toBeGreaterThanOrEqual(6);
        expect(report.partitions.every((p) => p.status === 'built')).toBe(true);
        // For the report: how long the demo rollups take from each source.
        console.log(
          `[preaggs] ${backend} store, ${kind} source, ${rollup.id}: ${report.ms} ms, ` +
            report.partitions
              .map((p) => `${p.partition} ${p.rows} rows q${p.queryMs}/w${p.writeMs}`)
              .join(', '),
        );

        const rows = await place.store.preaggs.listPartitions({
          workspaceId: place.workspaceId,
          environment,
          rollupHash: rollup.hash,
        });
        for (const r of rows) {
          expect(r.generation).toBe(1);
          expect(r.file).toMatch(new RegExp(`${rollup.hash}/${r.partitionId}\\.1\\.[0-9a-f]{8}\\.parquet$`));
          expect(existsSync(join(place.dataDir, 'preaggs', r.file!))).toBe(true);
          expect(r.source.startsWith(`${connection}@`), r.source).toBe(true);
        }

        await reader.refresh();
        const table = reader.locate(place.workspaceId, environment, rollup);
        expect(table).toMatch(/^r_[0-9a-f]{24}$/);
        const served = await reader.query(`SELECT * FROM "${table}"`, []);
        const names = rollup.columns.map((c) => c.name);
        expect(served.columns.map((c) => c.name)).toEqual(names);
        const direct = await directRows(model, rollup, driver);
        expect(served.rows.length).toBe(direct.length);
        expect(canonical(served.rows, names)).toEqual(canonical(direct, names));
      }
      // MariaDB scans a month of flights in about 2 s here: its three rollups take over a minute.
    }, 240_000);
  }

  it('keeps each environment to its own tables', () => {
    for (const rollup of rollups) {
      const a = reader.locate(place.workspaceId, 'default', rollup);
      const b = reader.locate(place.workspaceId, 'on-postgres', rollup);
      const c = reader.locate(place.workspaceId, 'on-mysql', rollup);
      expect(a).toBeDefined();
      expect(b).toBeDefined();
      expect(c).toBeDefined();
      expect(new Set([a, b, c]).size).toBe(3);
      expect(reader.locate(place.workspaceId, 'elsewhere', rollup)).toBeUndefined();
      expect(reader.locate('another-workspace', 'default', rollup)).toBeUndefined();
    }
  });

  it('does not rebuild what is fresh', async () => {
    const driver = flightsDriver('duckdb');
    drivers.push(driver);
    const builder = new RollupBuilder({ store: place.store, dataDir: place.dataDir });
    for (const rollup of rollups) {
      const report = await builder.build(await target(place.store, place.workspaceId, model, rollup, driver));
      expect(report.partitions.every((p) => p.status === 'fresh')).toBe(true);
    }
  });
});
