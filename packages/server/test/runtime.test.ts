import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDataPaths } from '@inlay/example-flights';
import { flightsProject } from '@inlay/example-flights/setup';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSecretKey, startServer } from '../src/index.js';
import { openStore } from '../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'inlay-runtime-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = (lines: string[]) =>
  startServer({
    ...flightsProject,
    env: { INLAY_DATA_DIR: dir },
    port: 0,
    print: (l) => lines.push(l),
    handleSignals: false,
    logger: false,
  });

describe('startServer on the metadata store', () => {
  it('seeds workspace, API key, default connection and model version once, and serves the connection routes', async () => {
    symlinkSync(testDataPaths().duckdbPath, join(dir, 'flights.duckdb'));
    const lines: string[] = [];
    const server = await start(lines);
    const key = /API key[^:]*: (inlay_\S+)/.exec(lines.join('\n'))?.[1];
    expect(key).toBeDefined();
    const res = await fetch(`${server.url}/api/v1/connections`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(await res.json()).toEqual({ connections: ['default'] });
    await server.close();

    const again: string[] = [];
    const second = await start(again);
    expect(again.join('\n')).not.toContain('API key');
    await second.close();

    const store = await openStore(
      { dataDir: dir },
      { secretKey: parseSecretKey(readFileSync(join(dir, 'secret.key'), 'utf8')) },
    );
    try {
      expect((await store.apiKeys.verify(key!))?.id).toBe('default');
      expect(await store.apiKeys.list('default')).toHaveLength(1);
      expect((await store.connections.list('default')).map((c) => [c.name, c.type])).toEqual([
        ['default', 'duckdb'],
      ]);
      expect(await store.connections.credentials('default', 'default')).toEqual({
        path: join(dir, 'flights.duckdb'),
      });
      const versions = await store.modelVersions.list('default');
      expect(versions).toHaveLength(1);
      const files = Object.keys((await store.modelVersions.get('default', versions[0]!.version)).files);
      expect(files.sort()).toEqual(['models/airports.cube.yml', 'models/flights.cube.yml']);
    } finally {
      await store.close();
    }
  });
});
