import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { openPreaggsRuntime } from '../../src/worker.js';
import { eventually } from './helpers.js';
import { addSmallConnection, SMALL_MODEL, smallSource } from './small.js';

/**
 * What `inlay worker` and `inlay preaggs` open: a data dir a server has used (its secret key,
 * its SQLite store with a served model version), never seeding or changing it.
 */
describe('the worker runtime', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'inlay-worker-'));
  const secret = randomBytes(32);
  beforeAll(async () => {
    writeFileSync(join(dataDir, 'secret.key'), `${secret.toString('hex')}\n`);
    const store = await openStore({ dataDir }, { secretKey: secret });
    const ws = (await store.workspaces.ensure({ id: 'default', name: 'Default' })).id;
    await (await smallSource(dataDir, 'default')).close();
    await addSmallConnection(store, ws, 'default', dataDir);
    const put = await store.modelVersions.put(ws, { 'models/events.cube.yml': SMALL_MODEL }, 'test');
    await store.workspaces.setModelVersion(ws, put.version);
    await store.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('builds the served models’ rollups on request and reports them', async () => {
    const rt = await openPreaggsRuntime({ dataDir, env: {}, schedule: false });
    try {
      expect(rt.describeStore).toBe(join(dataDir, 'inlay.db'));
      const reports = await rt.preaggs.buildNow('default');
      expect(reports.map((r) => [r.rollupId, r.partitions.map((p) => p.status)])).toEqual([
        ['events.by_kind_day', ['built', 'built']],
        ['events.by_kind_keyed', ['built']],
      ]);
      const status = await rt.preaggs.status('default');
      expect(status.map((s) => [s.rollupId, s.state, s.rows])).toEqual([
        ['events.by_kind_day', 'built', 40],
        ['events.by_kind_keyed', 'built', 3],
      ]);
      // The worker serves nothing itself.
      expect(status.every((s) => s.served === undefined)).toBe(true);
    } finally {
      await rt.close();
    }
  });

  it('schedules builds when it is the worker', async () => {
    const rt = await openPreaggsRuntime({ dataDir, env: {}, schedule: true });
    try {
      await rt.store.preaggs.deletePartitions(await rt.store.preaggs.listPartitions());
      await rt.preaggs.start();
      await eventually(
        async () => (await rt.store.preaggs.listPartitions()).filter((r) => r.file).length === 3,
      );
    } finally {
      await rt.close();
    }
  });

  it('refuses to make up a secret key in a data dir no server has used', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'inlay-worker-empty-'));
    try {
      await expect(openPreaggsRuntime({ dataDir: empty, env: {}, schedule: true })).rejects.toMatchObject({
        code: 'CONFIG',
        message: expect.stringMatching(/no INLAY_SECRET_KEY/),
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
