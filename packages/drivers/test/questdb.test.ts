/**
 * The QuestDB driver without a QuestDB: credentials, value conversion, error classification and
 * introspection helpers as pure functions; pooling, timeouts and cancellation against a fake
 * wire-protocol server (fake-questdb.ts). The same driver against a real server runs in
 * questdb-live.test.ts when QUESTDB_URL is set.
 */
import { InlayError } from '@inlay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver, QuestDBDriver } from '../src/index.js';
import { cancelRequestPacket } from '../src/questdb/cancel.js';
import { questdbSettings } from '../src/questdb/config.js';
import { classifyQuestDBMessage, questdbError } from '../src/questdb/errors.js';
import { columnInfosOf, columnsSql, tableNamesOf } from '../src/questdb/introspect.js';
import { parseQuestDBTimestamp, questdbTypeParsers, toQuestDBParams } from '../src/questdb/types.js';
import { FAKE_SECRET, type FakeQuestDB, startFakeQuestDB, withoutMarker } from './fake-questdb.js';
import { elapsed, failure } from './helpers.js';

describe('QuestDB credentials', () => {
  it("reads Embeddable's shape, with the port as a string and qdb as default database", () => {
    const s = questdbSettings({ host: 'qdb.example', port: '8812', user: 'admin', password: 'quest' }, {});
    expect(s.config).toMatchObject({ host: 'qdb.example', port: 8812, user: 'admin', password: 'quest' });
    expect(s.config.database).toBe('qdb');
    expect(s.endpoint).toEqual({ host: 'qdb.example', port: 8812 });
    expect(s.secrets).toEqual(['quest']);
    // No session options: QuestDB ignores them, the driver enforces timeouts itself.
    expect(s.config.options).toBeUndefined();
    expect(s.config.types).toBe(questdbTypeParsers);
    expect(questdbSettings({ host: 'h', user: 'u', port: 9000, database: 'other' }, {}).config).toMatchObject(
      {
        port: 9000,
        database: 'other',
      },
    );
    expect(questdbSettings({ host: 'h', user: 'u' }, { poolSize: 3 }).config).toMatchObject({
      port: 8812,
      max: 3,
    });
  });

  it('reads a URL with defaults for port and database, and sslmode', () => {
    const s = questdbSettings({ url: 'postgres://admin:p%40ss@127.0.0.1/' }, {});
    expect(s.config).toMatchObject({
      host: '127.0.0.1',
      port: 8812,
      user: 'admin',
      password: 'p@ss',
      database: 'qdb',
    });
    expect(s.secrets).toContain('p@ss');
    expect(s.secrets).toContain('p%40ss');
    const t = questdbSettings({ url: 'postgresql://u:pw@[::1]:8813/qdb2?sslmode=require' }, {});
    expect(t.config).toMatchObject({
      host: '::1',
      port: 8813,
      database: 'qdb2',
      ssl: { rejectUnauthorized: false },
    });
    // questdb:// names the server; the protocol is PostgreSQL's wire all the same.
    expect(questdbSettings({ url: 'questdb://admin:quest@127.0.0.1:8812/qdb' }, {}).config).toMatchObject({
      host: '127.0.0.1',
      port: 8812,
      user: 'admin',
      password: 'quest',
      database: 'qdb',
    });
  });

  it('refuses incomplete or malformed credentials with CONNECTION_INVALID', () => {
    const missing = failure(() => questdbSettings({ port: '8812' } as never, {}));
    expect(missing.code).toBe('CONNECTION_INVALID');
    expect(missing.message).toContain('host, user');
    for (const port of ['88x', '0', '70000', '-1']) {
      expect(failure(() => questdbSettings({ host: 'h', user: 'u', port }, {})).code).toBe(
        'CONNECTION_INVALID',
      );
    }
    expect(failure(() => questdbSettings({ url: 'http://admin@h:8812/qdb' }, {})).code).toBe(
      'CONNECTION_INVALID',
    );
    expect(failure(() => questdbSettings({ url: 'not a url' }, {})).code).toBe('CONNECTION_INVALID');
    expect(failure(() => questdbSettings({ url: 'postgres://h:8812/qdb' }, {})).message).toContain('no user');
    expect(failure(() => questdbSettings({ url: 'postgres://u@h/qdb?sslmode=bogus' }, {})).code).toBe(
      'CONNECTION_INVALID',
    );
  });

  it('is what createDriver builds for type questdb', async () => {
    const d = createDriver('questdb', { host: '127.0.0.1', port: '8812', user: 'admin', password: 'quest' });
    expect(d).toBeInstanceOf(QuestDBDriver);
    expect(d.dialect).toBe('questdb');
    await d.close();
    expect(failure(() => createDriver('questdb', { host: 'h' })).code).toBe('CONNECTION_INVALID');
  });
});

describe('QuestDB values', () => {
  const parse = (oid: number, text: string) => questdbTypeParsers.getTypeParser(oid, 'text')(text);

  it('reads zone-less timestamps as UTC, to the millisecond', () => {
    expect(parseQuestDBTimestamp('2001-02-03 04:05:06.789123')).toBe('2001-02-03T04:05:06.789');
    expect(parseQuestDBTimestamp('2001-02-03T04:05:06.789123Z')).toBe('2001-02-03T04:05:06.789');
    expect(parseQuestDBTimestamp('2001-02-03T04:05:06.789Z')).toBe('2001-02-03T04:05:06.789');
    expect(parseQuestDBTimestamp('2001-02-03 04:05:06')).toBe('2001-02-03T04:05:06.000');
    expect(parseQuestDBTimestamp('2001-02-03 04:05:06.123456789')).toBe('2001-02-03T04:05:06.123');
    expect(parseQuestDBTimestamp('2001-02-03 04:05:06+02')).toBe('2001-02-03T02:05:06.000');
    expect(parseQuestDBTimestamp('garbage Z')).toBe('garbage Z');
    expect(parse(1114, '1970-01-01 00:00:00.000000')).toBe('1970-01-01T00:00:00.000');
    expect(parse(1184, '2001-01-01 10:00:00.5+00')).toBe('2001-01-01T10:00:00.500');
  });

  it('converts long and decimals per the contract, leaves unknown types as text', () => {
    expect(parse(20, '42')).toBe(42);
    expect(parse(20, '9007199254740993')).toBe(9007199254740993n);
    expect(parse(20, '-9007199254740993')).toBe(-9007199254740993n);
    expect(parse(1700, '12.50')).toBe(12.5);
    expect(parse(701, '1.25')).toBe(1.25);
    expect(parse(23, '7')).toBe(7);
    expect(parse(16, 't')).toBe(true);
    expect(parse(1043, 'abc')).toBe('abc');
    expect(parse(2950, '11111111-2222-3333-4444-555555555555')).toBe('11111111-2222-3333-4444-555555555555');
    expect(parse(1022, '{1.5,2.5}')).toBe('{1.5,2.5}');
  });

  it('binds every parameter as text, timestamps as naive UTC ISO', () => {
    expect(
      toQuestDBParams([
        'SFO',
        42,
        -1.5,
        12345678901234567890n,
        true,
        null,
        { kind: 'timestamp', utc: '2001-01-01T00:00:00.000' },
        Number.NaN,
      ]),
    ).toEqual(['SFO', '42', '-1.5', '12345678901234567890', true, null, '2001-01-01T00:00:00.000', null]);
  });
});

describe('QuestDB errors', () => {
  it('classifies by message, since SQLSTATE is always 00000', () => {
    const cases: [string, string][] = [
      ['connect ECONNREFUSED 127.0.0.1:8812', 'connection'],
      ['timeout exceeded when trying to connect', 'connection'],
      ['Connection terminated unexpectedly', 'connection'],
      ['invalid username/password', 'auth'],
      ['timeout, query aborted [fd=12]', 'timeout'],
      ['cancelled by user', 'cancelled'],
      ['Write permission denied', 'readOnly'],
      ['Could not write, server is in read-only mode', 'readOnly'],
      ['table does not exist [table=flightz]', 'missingTable'],
      ['Invalid column: delai', 'missingColumn'],
      ['unexpected token [HAVING]', 'syntax'],
      ['there is no matching function `date_trunc` with the argument types: (STRING, TIMESTAMP)', 'syntax'],
      ['something else entirely', 'other'],
    ];
    for (const [message, kind] of cases)
      expect([message, classifyQuestDBMessage(message)]).toEqual([message, kind]);
  });

  it('maps kinds to codes with hints, drops SQLSTATE 00000 and secrets, keeps the position', () => {
    const pgError = Object.assign(new Error('table does not exist [table=nope]'), {
      code: '00000',
      position: '15',
    });
    const e = questdbError(pgError);
    expect(e.code).toBe('DRIVER');
    expect(e.message).toBe('QuestDB: table does not exist [table=nope] (at character 15)');
    expect(e.hint).toContain('sql_table');
    expect(questdbError(new Error('timeout, query aborted')).code).toBe('TIMEOUT');
    expect(questdbError(new Error('cancelled by user')).code).toBe('CANCELLED');
    expect(questdbError(new Error('invalid username/password')).code).toBe('CONNECTION_AUTH');
    expect(
      questdbError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })),
    ).toMatchObject({ code: 'CONNECTION_UNREACHABLE', hint: expect.stringContaining('8812') });
    expect(questdbError(new Error('Connection terminated due to connection timeout')).code).toBe(
      'CONNECTION_TIMEOUT',
    );
    const leaky = questdbError(new Error('cannot reach postgres://admin:s3cret@h:8812/qdb with s3cret'), [
      's3cret',
    ]);
    expect(leaky.message).not.toContain('s3cret');
    const own = new InlayError('TIMEOUT', 'already ours');
    expect(questdbError(own)).toBe(own);
  });
});

describe('QuestDB introspection helpers', () => {
  it('lists user tables from tables(), old and new column names, without system tables', () => {
    expect(
      tableNamesOf([
        { table_name: 'flights' },
        { table_name: 'sys.telemetry_wal' },
        { table_name: 'telemetry' },
        { name: 'airports' },
        { table_name: 'telemetry_events' },
      ]),
    ).toEqual(['airports', 'flights', 'telemetry_events']);
  });

  it('quotes the table name as a string literal for table_columns', () => {
    expect(columnsSql('flights')).toBe("SELECT * FROM table_columns('flights')");
    expect(columnsSql("it's")).toBe("SELECT * FROM table_columns('it''s')");
    expect(() => columnsSql('a\u0000b')).toThrow();
  });

  it('reports no primary key, also for the designated timestamp', () => {
    expect(
      columnInfosOf('flights', [
        { column: 'id', type: 'LONG', designated: false },
        { column: 'date', type: 'TIMESTAMP', designated: true },
      ]),
    ).toEqual([
      {
        schemaName: 'public',
        tableName: 'flights',
        columnName: 'id',
        dataType: 'long',
        attributes: [],
        foreignKeys: [],
      },
      {
        schemaName: 'public',
        tableName: 'flights',
        columnName: 'date',
        dataType: 'timestamp',
        attributes: [],
        foreignKeys: [],
      },
    ]);
  });

  it('builds the PostgreSQL cancel request', () => {
    expect([...cancelRequestPacket(4242, -2)]).toEqual([
      0, 0, 0, 16, 0x04, 0xd2, 0x16, 0x2e, 0, 0, 0x10, 0x92, 0xff, 0xff, 0xff, 0xfe,
    ]);
  });
});

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
