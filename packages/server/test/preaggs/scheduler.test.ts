import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, type SemanticModel } from '@inlay/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreaggs, type Preaggs, preaggsScheduleFromEnv } from '../../src/preaggs/index.js';
import { sourceLookup, type Workspace } from '../../src/workspaces/index.js';
import { BACKENDS } from '../store/helpers.js';
import { eventually, type PreaggPlace, preaggPlace, rollupOf, storeWorkspace } from './helpers.js';
import { addSmallConnection, SMALL_MODEL, smallSource } from './small.js';

/** The small model with a one-second `every`, so its timer fires during the test. */
const fastModel = (): SemanticModel =>
  compileModel([
    { path: 'models/events.cube.yml', content: SMALL_MODEL.replace('every: 10 minutes', 'every: 1 second') },
  ]);

describe('INLAY_PREAGGS_WORKER', () => {
  it('schedules in the server unless it says external', () => {
    expect(preaggsScheduleFromEnv({})).toBe(true);
    expect(preaggsScheduleFromEnv({ INLAY_PREAGGS_WORKER: 'internal' })).toBe(true);
    expect(preaggsScheduleFromEnv({ INLAY_PREAGGS_WORKER: ' External ' })).toBe(false);
    expect(() => preaggsScheduleFromEnv({ INLAY_PREAGGS_WORKER: 'yes' })).toThrow(/internal' or 'external/);
  });
});

describe.each(BACKENDS)('the scheduler (metadata on %s)', (backend) => {
  let place: PreaggPlace;
  let model = fastModel();
  let workspace: Workspace;
  let preaggs: Preaggs;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    place = await preaggPlace(backend);
    for (const name of ['default', 'other']) {
      // Closed at once: the workspace opens these files read-only, which a writer in this process forbids.
      await (await smallSource(place.dataDir, name, 40, name === 'other' ? 2 : 1)).close();
      await addSmallConnection(place.store, place.workspaceId, name, place.dataDir);
    }
    await place.store.environments.create(place.workspaceId, {
      name: 'tenant-x',
      datasources: [{ data_source: 'default', connection: 'other' }],
    });
    await place.store.environments.create(place.workspaceId, {
      name: 'unmapped',
      datasources: [{ data_source: 'elsewhere', connection: 'other' }],
    });
    const base = storeWorkspace(place.store, place.workspaceId, model);
    workspace = { ...base, getModel: async () => model };
    closers.push(() => base.close());
  });
  afterAll(async () => {
    await preaggs?.close();
    for (const c of closers) await c();
    await place.cleanup();
  });

  const ws = () => place.workspaceId;
  const partitions = (environment?: string) =>
    place.store.preaggs.listPartitions({ workspaceId: ws(), ...(environment ? { environment } : {}) });

  it('builds every rollup on start without anyone asking, then on each rollup’s timer', async () => {
    preaggs = createPreaggs({
      store: place.store,
      sources: () => sourceLookup(place.store),
      workspaces: { get: async () => workspace },
      dataDir: place.dataDir,
      schedule: true,
      graceMs: 0,
      orphanAfterMs: 0,
      retryMs: 200,
    });
    await preaggs.start();
    const byDay = rollupOf(model, 'events.by_kind_day');
    const keyed = rollupOf(model, 'events.by_kind_keyed');
    await eventually(async () => (await partitions()).filter((r) => r.file).length === 3);
    await eventually(
      () => preaggs.locator(ws())(byDay) !== undefined && preaggs.locator(ws())(keyed) !== undefined,
    );
    // Not registered: nothing built for tenant-x yet.
    expect(preaggs.locator(ws(), 'tenant-x')(byDay)).toBeUndefined();
    // by_kind_day refreshes every second; by_kind_keyed only when its refresh_key value changes.
    await eventually(
      async () => (await partitions()).some((r) => r.rollupHash === byDay.hash && r.generation >= 2),
      10_000,
    );
    expect((await partitions()).filter((r) => r.rollupHash === keyed.hash).map((r) => r.generation)).toEqual([
      1,
    ]);
  });

  it('builds for registered environments that map the data source, and reports status', async () => {
    await place.store.preaggs.setRefreshContexts(ws(), { scheduledRefreshContexts: [] }, [
      'tenant-x',
      'unmapped',
    ]);
    preaggs.changed();
    const byDay = rollupOf(model, 'events.by_kind_day');
    await eventually(() => preaggs.locator(ws(), 'tenant-x')(byDay) !== undefined);
    expect(await partitions('unmapped')).toEqual([]);
    const status = await preaggs.status(ws());
    const row = status.find((s) => s.rollupId === 'events.by_kind_day' && s.environment === 'tenant-x');
    expect(row).toMatchObject({
      state: 'built',
      partitions: 2,
      builtPartitions: 2,
      rows: 40,
      connection: 'other',
      served: true,
    });
    expect(row?.ageMs).toBeGreaterThanOrEqual(0);
    expect(status.map((s) => s.environment).sort()).toEqual(['default', 'default', 'tenant-x', 'tenant-x']);
  });

  it('builds now on request and prints why', async () => {
    const reports = await preaggs.buildNow(ws(), {
      rollupId: 'events.by_kind_keyed',
      environment: 'default',
      force: true,
    });
    expect(reports).toHaveLength(1);
    expect(reports[0]?.partitions.map((p) => [p.status, p.reason])).toEqual([['built', 'forced']]);
    await expect(preaggs.buildNow(ws(), { rollupId: 'events.nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      hint: expect.stringMatching(/^Known: events\.by_kind_day \(default\), /),
    });
  });

  it('forgets rollups no served model has any more, files included', async () => {
    const old = (await partitions()).filter((r) => r.file);
    // The model changes: by_kind_day buckets by hour now, so its hash (and table) is a new one.
    model = compileModel([
      {
        path: 'models/events.cube.yml',
        content: SMALL_MODEL.replace('granularity: day', 'granularity: hour'),
      },
    ]);
    preaggs.changed();
    const fresh = rollupOf(model, 'events.by_kind_day');
    await eventually(() => preaggs.locator(ws())(fresh) !== undefined);
    await preaggs.scheduler.replan();
    const hashes = new Set((await partitions()).map((r) => r.rollupHash));
    const gone = old.filter((r) => !hashes.has(r.rollupHash));
    expect(gone.length).toBeGreaterThan(0);
    for (const r of gone) expect(existsSync(join(place.dataDir, 'preaggs', r.file!))).toBe(false);
  });

  it('stops its timers on close', async () => {
    await preaggs.close();
    const before = (await partitions()).map((r) => r.generation);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await partitions()).map((r) => r.generation)).toEqual(before);
  });
});
