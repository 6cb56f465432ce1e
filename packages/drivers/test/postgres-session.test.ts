import { InlayError } from '@inlay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver, PostgresDriver } from '../src/index.js';
import { elapsed, PGURL, runningAfter, uniqueName } from './helpers.js';

describe('PostgreSQL driver: timeouts, cancel, sessions, errors', () => {
  let d: PostgresDriver;
  let admin: PostgresDriver;
  beforeAll(() => {
    d = new PostgresDriver({ url: PGURL });
    admin = new PostgresDriver({ url: PGURL });
  });
  afterAll(async () => {
    await d.close();
    await admin.close();
  });

  async function activeWith(marker: string): Promise<number> {
    const r = await admin.query(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()`,
      [`%${marker}%`],
    );
    return r.rows[0]?.n as number;
  }

  it('cancels a statement on the server when the timeout passes', async () => {
    const marker = uniqueName('timeout');
    const r = await elapsed(() => d.query(`SELECT pg_sleep(10) AS ${marker}`, [], { timeoutMs: 200 }));
    expect(r.error).toBeInstanceOf(InlayError);
    expect(r.error).toMatchObject({ code: 'TIMEOUT', status: 504 });
    expect(r.ms).toBeLessThan(1000);
    expect(await runningAfter(() => activeWith(marker))).toBe(0);
    expect((await d.query('SELECT 1 AS one', [])).rows).toEqual([{ one: 1 }]);
  });

  it('cancels a statement on the server when the signal aborts', async () => {
    const marker = uniqueName('abort');
    const controller = new AbortController();
    const running = elapsed(() =>
      d.query(`SELECT pg_sleep(10) AS ${marker}`, [], { signal: controller.signal }),
    );
    // Wait until the server really runs it, so the cancel has something to stop.
    for (let i = 0; i < 50 && (await activeWith(marker)) === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await activeWith(marker)).toBe(1);
    controller.abort();
    const r = await running;
    expect(r.error).toMatchObject({ code: 'CANCELLED' });
    expect(r.ms).toBeLessThan(3000);
    expect(await runningAfter(() => activeWith(marker))).toBe(0);
    await expect(d.query('SELECT 1', [], { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('applies defaultTimeoutMs, and a query that finishes in time is not affected', async () => {
    const t = new PostgresDriver({ url: PGURL }, { defaultTimeoutMs: 300 });
    await expect(t.query('SELECT pg_sleep(5)', [])).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect((await t.query('SELECT 1 AS done FROM pg_sleep(0.05)', [])).rows).toEqual([{ done: 1 }]);
    await t.close();
  });

  it('runs sessions in UTC', async () => {
    const r = await d.query("SELECT current_setting('TimeZone') AS tz, now()::text LIKE '%+00' AS utc", []);
    expect(r.rows[0]).toEqual({ tz: 'UTC', utc: true });
  });

  it('makes read-only sessions refuse writes', async () => {
    const table = uniqueName('inlay_ro');
    const ro = createDriver('postgres', { url: PGURL }, { readOnly: true });
    try {
      const r = await ro.query("SELECT current_setting('default_transaction_read_only') AS ro", []);
      expect(r.rows[0]?.ro).toBe('on');
      await expect(ro.execute(`CREATE TABLE ${table} (i int)`)).rejects.toMatchObject({
        code: 'DRIVER',
        message: expect.stringContaining('read-only transaction'),
      });
      expect(await ro.canWrite()).toBe(false);
      expect(await d.canWrite()).toBe(true);
      expect((await ro.query('SELECT count(*) AS n FROM public.airports', [])).rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await ro.close();
    }
  });

  it('reports that a SELECT-only role cannot write', async () => {
    const role = uniqueName('inlay_reader');
    const schema = uniqueName('inlay_priv');
    await admin.execute(`
      CREATE ROLE ${role} LOGIN;
      CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.t (i int);
      GRANT USAGE ON SCHEMA ${schema} TO ${role};
      GRANT SELECT ON ${schema}.t TO ${role};`);
    const url = new URL(PGURL);
    url.username = role;
    const reader = new PostgresDriver({ url: url.toString() });
    try {
      expect(await reader.canWrite()).toBe(false);
      await expect(reader.execute(`INSERT INTO ${schema}.t VALUES (1)`)).rejects.toMatchObject({
        code: 'DRIVER',
        message: expect.stringContaining('permission denied'),
      });
      await admin.execute(`GRANT INSERT ON ${schema}.t TO ${role}`);
      expect(await reader.canWrite()).toBe(true);
    } finally {
      await reader.close();
      await admin.execute(`DROP SCHEMA ${schema} CASCADE; DROP OWNED BY ${role}; DROP ROLE ${role};`);
    }
  });

  it('survives a pooled connection killed on the server', async () => {
    const one = new PostgresDriver({ url: PGURL }, { poolSize: 1 });
    try {
      const pid = (await one.query('SELECT pg_backend_pid() AS pid', [])).rows[0]?.pid;
      await admin.query('SELECT pg_terminate_backend($1)', [pid as number]);
      await new Promise((r) => setTimeout(r, 100));
      const again = await one.query('SELECT pg_backend_pid() AS pid', []);
      expect(again.rows[0]?.pid).not.toBe(pid);
    } finally {
      await one.close();
    }
  });

  it('never puts the password or connection string in error messages', async () => {
    const secret = 'Sup3r-Secret-pw';
    const cases = [
      createDriver('postgres', {
        url: `postgres://postgres:${secret}@127.0.0.1:5432/inlay_no_such_database`,
      }),
      createDriver('postgres', {
        host: '127.0.0.1',
        port: 1,
        database: 'test',
        user: 'postgres',
        password: secret,
      }),
      createDriver('postgres', { url: `postgres://nobody_${process.pid}:${secret}@127.0.0.1:5432/test` }),
    ];
    // One code and status per cause: no such database, nothing listening, a login refused.
    const expected = [
      ['CONNECTION_DATABASE', 400],
      ['CONNECTION_UNREACHABLE', 502],
      ['CONNECTION_AUTH', 400],
    ];
    const messages: string[] = [];
    for (const [i, c] of cases.entries()) {
      const e = await c.test().then(
        () => null,
        (err: unknown) => err,
      );
      await c.close();
      expect(e).toBeInstanceOf(InlayError);
      const err = e as InlayError;
      expect([err.code, err.status]).toEqual(expected[i]);
      expect(err.hint).toBeTruthy();
      messages.push(err.message, err.describe(), JSON.stringify(err.toJSON()));
    }
    expect(messages[0]).toMatch(/database "inlay_no_such_database" does not exist/);
    expect(messages[3]).toMatch(/ECONNREFUSED/);
    expect(messages[6]).toMatch(/role "nobody_\d+" does not exist/);
    for (const m of messages) {
      expect(m).not.toContain(secret);
      expect(m).not.toContain('postgres://');
    }
  });

  it('rejects calls after close', async () => {
    const c = new PostgresDriver({ url: PGURL });
    await c.test();
    await c.close();
    await expect(c.query('SELECT 1', [])).rejects.toMatchObject({ code: 'DRIVER' });
  });
});
