import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLIGHT_ROWS, flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/index.js';

/**
 * A first start whose project setup is still preparing the data when the server listens: the
 * setup below offers `<dataDir>/flights.duckdb` and puts the (real, already built) test file there
 * only when the test settles the gate it finds on `globalThis`.
 */
const CONTROL = Symbol.for('inlay.test.setup-preparing');
const dir = mkdtempSync(join(tmpdir(), 'inlay-preparing-'));
const setupPath = join(dir, 'setup.mjs');
writeFileSync(
  setupPath,
  `import { symlinkSync } from 'node:fs';
   import { join } from 'node:path';
   export async function prepare({ dataDir }) {
     const path = join(dataDir, 'flights.duckdb');
     const control = globalThis[Symbol.for('inlay.test.setup-preparing')];
     const ready = control.gate.then(() => symlinkSync(control.source, path));
     return { connection: { type: 'duckdb', credentials: { path } }, ready };
   }`,
);

let server: RunningServer | undefined;
/** Settles the gate, so requests a failed test left waiting on it let the server close. */
let settleGate = () => {};
afterEach(async () => {
  settleGate();
  await server?.close();
  server = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the flights project with that setup in a fresh data dir; the gate is the test's to settle. */
async function startPreparing(env: Record<string, string> = {}) {
  let release!: () => void;
  let fail!: (e: Error) => void;
  const gate = new Promise<void>((res, rej) => {
    release = res;
    fail = rej;
  });
  settleGate = release;
  (globalThis as Record<symbol, unknown>)[CONTROL] = { gate, source: testDataPaths().duckdbPath };
  const lines: string[] = [];
  const logs: string[] = [];
  server = await startServer({
    projectDir: flightsProjectDir,
    setup: setupPath,
    env: { INLAY_DATA_DIR: mkdtempSync(join(dir, 'data-')), ...env },
    port: 0,
    print: (l) => lines.push(l),
    handleSignals: false,
    logger: { level: 'info', stream: { write: (l: string) => void logs.push(l) } },
  });
  const key = /API key[^:]*: (inlay_\S+)/.exec(lines.join('\n'))?.[1];
  expect(key).toBeDefined();
  const url = server.url;
  const post = (path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const get = (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { release, fail, logs, post, get };
}

const COUNT = { query: { measures: ['flights.count'] }, roles: ['admin'] };

/** Whether `p` is still pending after `ms` (it must be waiting, not answering or failing). */
async function pendingAfter(p: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = Symbol('settled');
  const outcome = await Promise.race([
    p.then(
      () => settled,
      () => settled,
    ),
    new Promise((r) => setTimeout(() => r('pending'), ms)),
  ]);
  return outcome !== settled;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('startServer while the project setup prepares its data', () => {
  it('answers at once, holds queries, connection tests and rollup builds until the data is there', async () => {
    const s = await startPreparing();
    expect((await s.get('/healthz')).status).toBe(200);
    expect((await s.get('/api/v1/meta')).status).toBe(200);
    const notReady = await s.get('/readyz');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      status: 'not ready',
      errorMessage: "preparing the project's data",
      connections: [],
    });

    const load = s.post('/api/v1/load', COUNT);
    const test = s.post('/api/v1/connections/default/test');
    expect(await pendingAfter(load, 300)).toBe(true);
    expect(await pendingAfter(test, 0)).toBe(true);

    s.release();
    const answer = await load;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { data: unknown }).data).toEqual([{ 'flights.count': FLIGHT_ROWS }]);
    expect((await test).status).toBe(200);
    await until(async () => (await s.get('/readyz')).status === 200, 10_000);

    // The rollups built at start waited for the file too, instead of failing on a missing one.
    await until(async () => {
      const list = (
        (await (await s.get('/api/v1/caching/pre-aggregations')).json()) as {
          preAggregations: { state: string }[];
        }
      ).preAggregations;
      return list.length > 0 && list.every((p) => p.state === 'built');
    }, 120_000);
    expect(s.logs.filter((l) => l.includes('pre-aggregation build failed'))).toEqual([]);
  });

  it('when the data cannot be prepared: queries fail with the cause, /readyz says so, the process stays up', async () => {
    const s = await startPreparing({ INLAY_PREAGGS: 'off' });
    const load = s.post('/api/v1/load', COUNT);
    expect(await pendingAfter(load, 200)).toBe(true);
    s.fail(new Error('ENOSPC: no space left on device'));

    const answer = await load;
    expect(answer.status).toBe(500);
    const body = (await answer.json()) as { errorMessage: string; code: string };
    expect(body.code).toBe('CONFIG');
    expect(body.errorMessage).toContain(
      `the project's setup '${setupPath}' failed to prepare its data: ENOSPC: no space left on device`,
    );
    // Again later: the same answer at once, not a hang.
    expect((await s.post('/api/v1/load', COUNT)).status).toBe(500);
    expect((await s.post('/api/v1/connections/default/test')).status).toBe(500);

    const readyz = await s.get('/readyz');
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as { errorMessage: string }).errorMessage).toBe(
      "the project's setup failed to prepare its data (the server log says why)",
    );
    expect((await s.get('/healthz')).status).toBe(200);
    // Logged once, at error level, with the cause.
    const failures = s.logs.filter((l) => l.includes('failed to prepare its data: queries fail'));
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0]!)).toMatchObject({ level: 50 });
    expect(failures[0]).toContain('ENOSPC');
  });
});
