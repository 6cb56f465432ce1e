/**
 * The QuestDB driver without a QuestDB: credentials, value conversion, error classification and
 * introspection helpers as pure functions. Pooling, timeouts and cancellation against a fake
 * wire-protocol server are in questdb-wire.test.ts; the same driver against a real server runs in
 * questdb-live.test.ts.
 */
import { InlayError } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import { createDriver, QuestDBDriver } from '../src/index.js';
import { cancelRequestPacket } from '../src/questdb/cancel.js';
import { questdbSettings } from '../src/questdb/config.js';
import { classifyQuestDBMessage, questdbError } from '../src/questdb/errors.js';
import { columnInfosOf, columnsSql, tableNamesOf } from '../src/questdb/introspect.js';
import { parseQuestDBTimestamp, questdbTypeParsers, toQuestDBParams } from '../src/questdb/types.js';
import { failure } from './helpers.js';

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
