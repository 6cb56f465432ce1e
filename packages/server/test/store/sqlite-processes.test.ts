import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { testPlace } from './helpers.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/save-many.ts', import.meta.url));

/**
 * Two server processes on one SQLite file (e.g. `inlay start` and `inlay worker` on a laptop):
 * SQLite's file lock, the busy timeout and writing first in each transaction keep numbering right.
 */
describe('SQLite shared by several processes', () => {
  const place = testPlace('sqlite');
  afterAll(() => place.cleanup());

  it('gives concurrent saves from three processes distinct consecutive versions', async () => {
    const store = await place.open();
    const ws = (await store.workspaces.create({ name: 'multi' })).id;
    const dataDir = place.dataDir!;
    const startAt = String(Date.now() + 2500);
    const children = await Promise.all(
      [0, 1, 2].map(() => run(process.execPath, ['--import', 'tsx', script, dataDir, ws, '40', startAt])),
    );
    const versions = children.flatMap((c) => JSON.parse(c.stdout) as number[]);
    expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect((await store.dashboards.get(ws, 'shared')).latestVersion).toBe(120);
  });
});
