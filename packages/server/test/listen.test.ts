import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDataPaths } from '@inlay/example-flights';
import { flightsProject } from '@inlay/example-flights/setup';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/index.js';

let dir: string | undefined;
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('startServer', () => {
  it('listens on a real port, prints the URL and the new API key once, and serves with that key', async () => {
    dir = mkdtempSync(join(tmpdir(), 'inlay-listen-'));
    // The demo file is already built for the tests; the server finds it in its data dir.
    symlinkSync(testDataPaths().duckdbPath, join(dir, 'flights.duckdb'));
    const lines: string[] = [];
    server = await startServer({
      ...flightsProject,
      env: { INLAY_DATA_DIR: dir },
      port: 0,
      print: (l) => lines.push(l),
      handleSignals: false,
      logger: false,
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const banner = lines.join('\n');
    expect(banner).toContain(server.url);
    expect(banner).toContain(dir);
    const key = /API key[^:]*: (inlay_\S+)/.exec(banner)?.[1];
    expect(key).toBeDefined();

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const res = await fetch(`${server.url}/api/v1/load`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: { measures: ['flights.count'] }, securityContext: { states: ['CA'] } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, number>[] };
    expect(body.data[0]!['flights.count']).toBeGreaterThan(0);
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
