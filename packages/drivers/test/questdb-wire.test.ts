/**
 * The QuestDB driver's pooling, timeouts and cancellation against a fake wire-protocol server
 * (fake-questdb.ts), where the server's side of each case (a cancel request honoured or not, no
 * worker free) can be chosen. The real server's behaviour is in questdb-live.test.ts.
 */
import { InlayError } from '@inlay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuestDBDriver } from '../src/index.js';
import { FAKE_SECRET, type FakeQuestDB, startFakeQuestDB, withoutMarker } from './fake-questdb.js';
import { elapsed } from './helpers.js';

describe('QuestDB driver against a fake wire-protocol server', () => {
  let fake: FakeQuestDB;
  let d: QuestDBDriver;
  beforeAll(async () => {
    fake = await startFakeQuestDB();
    d = new QuestDBDriver({ host: '127.0.0.1', port: String(fake.port), user: 'admin', password: 'quest' });
  });
  afterAll(async () => {
    await d.close();
    await fake.close();
  });

  it('normalizes values with the pool parsers (simple and extended protocol)', async () => {
    const want = {
      ts: '2001-02-03T04:05:06.789',
      ts_z: '2001-02-03T04:05:06.789',
      n: 42,
      big: 9007199254740993n,
      dec: 12.5,
      dbl: 1.25,
      i: 7,
      b: true,
      s: 'héllo',
      nul: null,
    };
    const simple = await d.query('SELECT values', []);
    expect(simple.rows).toEqual([want]);
    expect(simple.columns.map((c) => c.type)).toEqual([
      'timestamp',
      'timestamp',
      'int8',
      'int8',
      'numeric',
      'float8',
      'int4',
      'bool',
      'varchar',
      'int8',
    ]);
    const extended = await d.query('SELECT values WHERE x = $1', [
      { kind: 'timestamp', utc: '2001-01-01T00:00:00.000' },
    ]);
    expect(extended.rows).toEqual([want]);
  });

  it('reports server errors by message, without SQLSTATE 00000', async () => {
    const e = await d.query('SELECT fail', []).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InlayError);
    expect(e).toMatchObject({
      code: 'DRIVER',
      message: 'QuestDB: table does not exist [table=nope] (at character 7)',
    });
    await expect(d.query('SELECT fail WHERE a = $1', ['x'])).rejects.toMatchObject({ code: 'DRIVER' });
    // The connection stays usable after an error.
    expect((await d.query('SELECT 1', [])).rows).toEqual([{ ok: 1 }]);
  });

  it("puts its connection's marker after every statement, on a line of its own", async () => {
    const before = fake.statements.length;
    await d.query('SELECT 1 -- one', []);
    await d.query('SELECT 1 WHERE a = $1', [1]);
    const [simple, extended] = fake.statements.slice(before);
    expect(simple).toMatch(/^SELECT 1 -- one\n\/\* inlay:[0-9a-f]{16} \*\/$/);
    expect(extended).toMatch(/^SELECT 1 WHERE a = \$1\n\/\* inlay:[0-9a-f]{16} \*\/$/);
  });

  /** The statements sent since `before`, and the cancel requests and cancelled ids since then. */
  const since = (before: { statements: number; cancels: number; queries: number }) => ({
    statements: fake.statements.slice(before.statements),
    cancels: fake.cancelRequests.slice(before.cancels),
    queries: fake.cancelledQueries.slice(before.queries),
  });
  const mark = () => ({
    statements: fake.statements.length,
    cancels: fake.cancelRequests.length,
    queries: fake.cancelledQueries.length,
  });

  it('times out: a cancel request stops the statement, the connection is dropped, TIMEOUT', async () => {
    const before = mark();
    const closed = fake.closedConnections;
    const r = await elapsed(() => d.query('SELECT hang', [], { timeoutMs: 200 }));
    expect(r.error).toMatchObject({ code: 'TIMEOUT' });
    expect(r.ms).toBeGreaterThanOrEqual(190);
    expect(r.ms).toBeLessThan(1_000);
    const { statements, cancels, queries } = since(before);
    expect(cancels).toEqual([{ pid: expect.any(Number), secret: FAKE_SECRET }]);
    // Honoured at once: nothing looked up, nothing cancelled by id.
    expect(statements.map(withoutMarker)).toEqual(['SELECT hang']);
    expect(queries).toEqual([]);
    await expect.poll(() => fake.closedConnections - closed).toBeGreaterThanOrEqual(2);
    // The pool hands out a fresh connection afterwards.
    expect((await d.query('SELECT 1', [])).rows).toEqual([{ ok: 1 }]);
  });

  it('when the cancel request is not honoured, finds the statement by its marker and cancels it by id', async () => {
    fake.honoursCancelRequest = false;
    try {
      const before = mark();
      const r = await elapsed(() => d.query('SELECT hang WHERE a = $1', [1], { timeoutMs: 200 }));
      expect(r.error).toMatchObject({ code: 'TIMEOUT' });
      expect(r.ms).toBeLessThan(1_500);
      const { statements, cancels, queries } = since(before);
      expect(cancels).toHaveLength(1);
      const marker = /\/\* (inlay:[0-9a-f]{16}) \*\/$/.exec(statements[0]!)?.[1];
      expect(marker).toBeDefined();
      // The lookup binds the marker; it never appears in the lookup's own text.
      expect(statements[1]).toMatch(/query_activity\(\) WHERE query LIKE \$1/);
      expect(statements[1]).not.toContain(marker);
      expect(statements[2]).toMatch(/^CANCEL QUERY \d+$/);
      expect(queries).toEqual([statements[2]!.slice('CANCEL QUERY '.length)]);
      expect((await d.query('SELECT 1', [])).rows).toEqual([{ ok: 1 }]);
    } finally {
      fake.honoursCancelRequest = true;
    }
  });

  it('answers TIMEOUT promptly even when the server stops nothing', async () => {
    fake.honoursCancelRequest = false;
    fake.honoursCancelQuery = false;
    try {
      const before = mark();
      const r = await elapsed(() => d.query('SELECT hang', [], { timeoutMs: 200 }));
      expect(r.error).toMatchObject({ code: 'TIMEOUT' });
      expect(r.ms).toBeLessThan(1_500);
      expect(since(before).queries).toHaveLength(1);
      expect((await d.query('SELECT 1', [])).rows).toEqual([{ ok: 1 }]);
    } finally {
      fake.honoursCancelRequest = true;
      fake.honoursCancelQuery = true;
    }
  });

  it('cuts the socket at once when the server reads no new connection (all its workers busy)', async () => {
    await d.query('SELECT 1', []);
    fake.readsNewConnections = false;
    try {
      const before = mark();
      const r = await elapsed(() => d.query('SELECT hang', [], { timeoutMs: 200 }));
      expect(r.error).toMatchObject({ code: 'TIMEOUT' });
      // The cancel request's wait (500 ms), no lookup that would wait as well.
      expect(r.ms).toBeLessThan(1_000);
      expect(since(before).statements.map(withoutMarker)).toEqual(['SELECT hang']);
    } finally {
      fake.readsNewConnections = true;
    }
    expect((await d.query('SELECT 1', [])).rows).toEqual([{ ok: 1 }]);
  });

  it('uses defaultTimeoutMs, and cancels on abort with CANCELLED', async () => {
    const withDefault = new QuestDBDriver(
      { url: `postgres://admin:quest@127.0.0.1:${fake.port}/qdb` },
      { defaultTimeoutMs: 100 },
    );
    await expect(withDefault.query('SELECT hang WHERE a = $1', [1])).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    await withDefault.close();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(d.query('SELECT hang', [], { signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    await expect(d.query('SELECT 1', [], { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('probes writes by creating and dropping a table under a random name', async () => {
    expect(await d.canWrite()).toBe(true);
    const [create, drop] = fake.statements.slice(-2).map(withoutMarker);
    expect(create).toMatch(/^CREATE TABLE "__inlay_write_probe_[0-9a-f]{16}" \(x INT\)$/);
    expect(drop).toBe(`DROP TABLE ${create!.slice('CREATE TABLE '.length, -' (x INT)'.length)}`);
    fake.refuseWrites = true;
    try {
      expect(await d.canWrite()).toBe(false);
      expect(fake.statements.at(-1)).toMatch(/^CREATE TABLE/);
    } finally {
      fake.refuseWrites = false;
    }
    const readOnlyUser = new QuestDBDriver({
      host: '127.0.0.1',
      port: fake.port,
      user: 'user',
      password: 'quest',
    });
    const before = fake.statements.length;
    expect(await readOnlyUser.canWrite()).toBe(false);
    expect(fake.statements.length).toBe(before);
    await readOnlyUser.close();
    const ro = new QuestDBDriver({ host: '127.0.0.1', port: fake.port, user: 'admin' }, { readOnly: true });
    expect(await ro.canWrite()).toBe(false);
    await expect(ro.execute('DROP TABLE x')).rejects.toMatchObject({ code: 'DRIVER' });
    await ro.close();
  });

  it('fails to connect with CONNECTION_UNREACHABLE (502) naming the port to check', async () => {
    const nowhere = new QuestDBDriver({ host: '127.0.0.1', port: 1, user: 'admin', password: 'pw' });
    const e = await nowhere.test().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'CONNECTION_UNREACHABLE', status: 502 });
    expect((e as InlayError).hint).toContain('8812');
    await nowhere.close();
  });
});
