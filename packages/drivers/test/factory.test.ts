import { isInlayError } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import { createDriver, DuckDBDriver, PostgresDriver } from '../src/index.js';

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
