import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { compileModel, readModelDir } from '@inlay/engine';
import { flightsProjectDir } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createStoreWorkspace, hashApiKey, type InlayApp } from '../../src/index.js';
import { API_KEY, AUTH } from '../helpers.js';
import { SECRET_KEY } from '../store/helpers.js';
import { type StoreTestApp, storeTestApp } from '../store-app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CA = { states: ['CA'] };

/** A second server on the same store and workspace: what another replica behind a balancer is. */
async function replica(t: StoreTestApp, redisUrl: string, logs: string[]): Promise<InlayApp> {
  const files = await readModelDir(flightsProjectDir);
  const app = buildApp({
    config: {
      apiKeyHash: hashApiKey(API_KEY),
      secretKey: SECRET_KEY,
      maxBodyBytes: 1024 * 1024,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
      cacheMaxBytes: 8 * 1024 * 1024,
      redisUrl,
    },
    workspace: createStoreWorkspace({
      store: t.store,
      workspaceId: t.workspaceId,
      loadModel: async () => compileModel(files),
    }),
    store: t.store,
    logger: { level: 'info', stream: { write: (line) => void logs.push(line) } },
  });
  await app.ready();
  return app;
}

async function load(app: InlayApp, query: unknown) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/load',
    headers: AUTH,
    payload: { query, securityContext: CA },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { data: unknown[]; cache: { level: string } };
}

const query = (n: number) => ({ measures: ['flights.count'], dimensions: ['flights.origin'], limit: n });

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe(`L1 shared through Redis (${REDIS_URL})`, () => {
  let t: StoreTestApp;
  let a: InlayApp;
  let b: InlayApp;
  beforeAll(async () => {
    t = await storeTestApp('sqlite');
    a = await replica(t, REDIS_URL, []);
    b = await replica(t, REDIS_URL, []);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await t?.close();
  });

  it('an answer computed by one replica is an L1 hit on another', async () => {
    const q = query(11);
    const first = await load(a, q);
    expect(first.cache.level).toBe('none');
    // b never ran this query: its answer can only come from Redis.
    const shared = await load(b, q);
    expect(shared.cache.level).toBe('l1');
    expect(shared.data).toEqual(first.data);
  });

  it('identical requests arriving at both replicas at once run one statement between them', async () => {
    const statements = async (app: InlayApp): Promise<number> => {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      return [...text.matchAll(/^inlay_db_query_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
    };
    const before = (await statements(a)) + (await statements(b));
    // A query neither replica has seen: a slow-ish aggregate over every flight.
    const q = {
      measures: ['flights.count', 'flights.avg_delay'],
      dimensions: ['flights.destination'],
      limit: 23,
    };
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => load(i % 2 ? b : a, q)));
    expect((await statements(a)) + (await statements(b)) - before).toBe(1);
    expect(new Set(answers.map((r) => JSON.stringify(r.data))).size).toBe(1);
    expect(answers.filter((r) => r.cache.level === 'none').length).toBeGreaterThan(0);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('Ready to accept connections')) resolve(child);
    });
  });
}

describe('Redis killed mid-run (own redis-server on a free port)', () => {
  let t: StoreTestApp;
  let port: number;
  let redis: ChildProcess;
  const logsA: string[] = [];
  let a: InlayApp;
  let b: InlayApp;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await storeTestApp('sqlite');
    a = await replica(t, `redis://127.0.0.1:${port}`, logsA);
    b = await replica(t, `redis://127.0.0.1:${port}`, []);
  });
  afterAll(async () => {
    redis?.kill('SIGKILL');
    await a?.close();
    await b?.close();
    await t?.close();
  });

  const warnings = () => logsA.filter((l) => l.includes('Redis cache unavailable')).length;
  const reconnects = () => logsA.filter((l) => l.includes('Redis cache reconnected')).length;

  it('keeps answering every request, logs the outage once, and shares again after Redis is back', async () => {
    const statuses: number[] = [];
    const levels: string[] = [];
    for (let i = 0; i < 60; i++) {
      if (i === 20) {
        redis.kill('SIGKILL');
        await new Promise((r) => redis.once('exit', r));
      }
      const app = i % 2 ? b : a;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/load',
        headers: AUTH,
        payload: { query: query(20 + (i % 7)), securityContext: CA },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 200) levels.push(res.json().cache.level);
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The local tier keeps serving repeats while Redis is gone.
    expect(levels.slice(30)).toContain('l1');
    await waitFor(() => warnings() >= 1);
    expect(warnings()).toBe(1);

    redis = await startRedis(port);
    await waitFor(() => reconnects() === 1);
    const q = query(31);
    expect((await load(a, q)).cache.level).toBe('none');
    expect((await load(b, q)).cache.level).toBe('l1');
    expect(warnings()).toBe(1);
  });
});
