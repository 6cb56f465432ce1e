import { isInlayError } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import {
  createDriver,
  DRIVER_TYPES,
  DuckDBDriver,
  driverType,
  driverTypeOfUrl,
  MySQLDriver,
  PostgresDriver,
  QuestDBDriver,
} from '../src/index.js';

function configFailure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isInlayError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a CONFIG error');
}

describe('createDriver', () => {
  it('builds the driver for each type with its dialect', async () => {
    const d = createDriver('duckdb', {});
    const p = createDriver('postgres', { url: 'postgres://postgres@127.0.0.1:5432/test' });
    expect(d).toBeInstanceOf(DuckDBDriver);
    expect(d.dialect).toBe('duckdb');
    expect(p).toBeInstanceOf(PostgresDriver);
    expect(p.dialect).toBe('postgres');
    await Promise.all([d.close(), p.close()]);
  });

  it('knows each type by its name, its alias and its URL scheme', async () => {
    expect(DRIVER_TYPES.map(driverType)).toEqual(['duckdb', 'postgres', 'questdb', 'mysql']);
    expect(driverType('postgresql')).toBe('postgres');
    expect(driverType('mariadb')).toBe('mysql');
    expect(driverType('oracle')).toBeUndefined();
    expect(driverType('toString')).toBeUndefined();
    expect(driverTypeOfUrl('postgres://u@h/db')).toBe('postgres');
    expect(driverTypeOfUrl('PostgreSQL://u@h/db')).toBe('postgres');
    expect(driverTypeOfUrl('questdb://admin:quest@127.0.0.1:8812/qdb')).toBe('questdb');
    expect(driverTypeOfUrl('mysql://u@h/db')).toBe('mysql');
    expect(driverTypeOfUrl('mariadb://u@h/db')).toBe('mysql');
    expect(driverTypeOfUrl('oracle://u@h/db')).toBeUndefined();
    expect(driverTypeOfUrl('data/flights.duckdb')).toBeUndefined();
    // Every listed type builds a driver that prints SQL in the dialect of the same name.
    for (const type of DRIVER_TYPES) {
      const credentials = type === 'duckdb' ? {} : { url: `${type}://admin@127.0.0.1/qdb` };
      const d = createDriver(type, credentials);
      expect(d.dialect).toBe(type);
      await d.close();
    }
    const q = createDriver('questdb', { url: 'questdb://admin:quest@127.0.0.1:8812/qdb' });
    expect(q).toBeInstanceOf(QuestDBDriver);
    await q.close();
    const m = createDriver('mariadb', { host: '127.0.0.1', database: 'test', user: 'root' });
    expect(m).toBeInstanceOf(MySQLDriver);
    await m.close();
  });

  it('rejects unknown types and incomplete credentials with CONNECTION_INVALID', () => {
    expect(configFailure(() => createDriver('oracle', {}))).toMatchObject({ code: 'CONNECTION_INVALID' });
    const missing = configFailure(() => createDriver('postgres', { host: 'h' } as never));
    expect(missing.code).toBe('CONNECTION_INVALID');
    expect(missing.message).toContain('database, user');
    expect(configFailure(() => createDriver('postgres', { url: 'mysql://u:pw@h/db' })).code).toBe(
      'CONNECTION_INVALID',
    );
    expect(configFailure(() => createDriver('postgres', { url: 'not a url' })).code).toBe(
      'CONNECTION_INVALID',
    );
  });

  it('refuses a read-only in-memory DuckDB', async () => {
    const d = createDriver('duckdb', {}, { readOnly: true });
    await expect(d.test()).rejects.toMatchObject({ code: 'CONNECTION_INVALID' });
    await d.close();
  });
});
