import { randomBytes } from 'node:crypto';
import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, hashApiKey, type InlayApp, type Workspace } from '../src/index.js';
import { createLimiter, limitDriver } from '../src/limits/concurrency.js';
import { API_KEY, AUTH, flightsWorkspace } from './helpers.js';

/** About a third of a second of DuckDB work on one core; the count proves it really ran. */
const SLOW_SQL = 'SELECT count(*) AS n FROM range(10000) a, range(10000) b WHERE a.range + b.range >= 0';

describe('per-connection limiter', () => {
  it('with limit 1 and a queue of 1 a second slow query waits for the first and a third gets 503', async () => {
    const duck = createDriver('duckdb', {}, { readOnly: false });
    const limiter = createLimiter({ maxConcurrent: 1, maxQueued: 1, maxWaitMs: 30_000 });
    const driver = limitDriver(duck, limiter);
    try {
      const done: string[] = [];
      const first = driver.query(SLOW_SQL, []).then((r) => {
        done.push('first');
        return r;
      });
      const second = driver.query('SELECT 42 AS n', []).then((r) => {
        done.push('second');
        return r;
      });
      expect([limiter.active, limiter.queued]).toEqual([1, 1]);
      const third = await driver.query('SELECT 1', []).catch((e: unknown) => e);
      expect(third).toMatchObject({ status: 503, code: 'OVERLOADED' });
      expect((third as Error).message).toMatch(/too many queries waiting/);
      // The quick second query would finish first if it had not waited for the slot.
      expect((await first).rows).toEqual([{ n: 100_000_000 }]);
      expect((await second).rows).toEqual([{ n: 42 }]);
      expect(done).toEqual(['first', 'second']);
      expect([limiter.active, limiter.queued]).toEqual([0, 0]);
    } finally {
      await duck.close();
    }
  });

  it('refuses a waiter past the wait limit, drops one whose caller hung up, and frees slots on errors', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const limiter = createLimiter({ maxConcurrent: 1, maxQueued: 5, maxWaitMs: 50 });
    const held = limiter.run(() => gate);
    const late = limiter.run(async () => 'never');
    await expect(late).rejects.toMatchObject({
      status: 503,
      message: /no free slot on this connection within 50 ms/,
    });
    const ac = new AbortController();
    const gone = limiter.run(async () => 'never', ac.signal);
    expect(limiter.queued).toBe(1);
    ac.abort();
    await expect(gone).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(limiter.queued).toBe(0);
    release();
    await held;
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'ok')).toBe('ok');
    expect([limiter.active, limiter.queued]).toEqual([0, 0]);
  });
});

describe('over HTTP', () => {
  const apps: InlayApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  /**
   * The flights workspace whose driver holds each statement until `open()` is called: the first
   * /load then occupies the only slot for as long as the test wants.
   */
  function gatedWorkspace() {
    const base = flightsWorkspace();
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    let started = 0;
    const gated = new WeakMap<Driver, Driver>();
    const workspace: Workspace = {
      ...base,
      async driverFor(source) {
        const d = await base.driverFor(source);
        let g = gated.get(d);
        if (!g) {
          g = {
            ...d,
            dialect: d.dialect,
            close: () => d.close(),
            query: async (sql, params, options) => {
              started++;
              await gate;
              return d.query(sql, params, options);
            },
          };
          gated.set(d, g);
        }
        return g;
      },
    };
    return { workspace, open: () => open(), started: () => started };
  }

  async function app(workspace: Workspace, queryTimeoutMs = 30_000): Promise<InlayApp> {
    const a = buildApp({
      config: {
        apiKeyHash: hashApiKey(API_KEY),
        secretKey: randomBytes(32),
        maxBodyBytes: 1024 * 1024,
        queryTimeoutMs,
        maxRows: 50_000,
        maxConcurrentQueriesPerConnection: 1,
        queryQueueSize: 1,
      },
      workspace,
      logger: false,
    });
    apps.push(a);
    await a.ready();
    return a;
  }

  // Distinct queries (by limit): identical ones would share one statement (single flight).
  let n = 0;
  const load = (a: InlayApp) =>
    a.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: AUTH,
      payload: { query: { measures: ['flights.count'], limit: 100 + ++n }, roles: ['admin'] },
    });
  const gauge = async (a: InlayApp, name: string) =>
    Number(
      new RegExp(`^${name}\\{type="duckdb"\\} (\\d+)`, 'm').exec(
        (await a.inject({ url: '/metrics' })).body,
      )?.[1],
    );

  async function until(check: () => Promise<boolean> | boolean): Promise<void> {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await check()).toBe(true);
  }

  it('a second /load waits for the slot and a third past a queue of 1 is a 503 {errorMessage}', async () => {
    const g = gatedWorkspace();
    const a = await app(g.workspace);
    const first = load(a);
    await until(() => g.started() === 1);
    const second = load(a);
    await until(async () => (await gauge(a, 'inlay_db_queries_queued')) === 1);
    expect(await gauge(a, 'inlay_db_queries_running')).toBe(1);

    const third = await load(a);
    expect(third.statusCode).toBe(503);
    expect(third.json().errorMessage).toMatch(/too many queries waiting on this connection/);
    expect(third.json().code).toBe('OVERLOADED');

    g.open();
    const [r1, r2] = await Promise.all([first, second]);
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    expect(r2.json().data).toEqual(r1.json().data);
    const metrics = (await a.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/inlay_db_queries_rejected_total\{type="duckdb",reason="queue_full"\} 1/);
    expect(metrics).toMatch(/inlay_http_errors_total\{code="OVERLOADED",status="503"\} 1/);
    expect(await gauge(a, 'inlay_db_queries_running')).toBe(0);
  });

  it('a query that waits longer than the query timeout is a 503', async () => {
    const g = gatedWorkspace();
    const a = await app(g.workspace, 150);
    const first = load(a);
    await until(() => g.started() === 1);
    const second = await load(a);
    expect(second.statusCode).toBe(503);
    expect(second.json().errorMessage).toMatch(/no free slot on this connection within 150 ms/);
    g.open();
    // The held statement then meets the driver's own timeout or finishes; either way it answers.
    expect([200, 504]).toContain((await first).statusCode);
  });
});
