import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBDriver, duckdbResourceSettings } from '../src/index.js';

describe('embedded DuckDB resource settings', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env.INLAY_DUCKDB_MEMORY_LIMIT = saved.INLAY_DUCKDB_MEMORY_LIMIT;
    process.env.INLAY_DUCKDB_THREADS = saved.INLAY_DUCKDB_THREADS;
    for (const k of ['INLAY_DUCKDB_MEMORY_LIMIT', 'INLAY_DUCKDB_THREADS'] as const) {
      if (saved[k] === undefined) delete process.env[k];
    }
  });

  it('bounds memory and threads by default, and takes both from the environment', () => {
    const defaults = duckdbResourceSettings({});
    expect(defaults.memory_limit).toBe('512MB');
    expect(Number(defaults.threads)).toBeGreaterThanOrEqual(1);
    expect(Number(defaults.threads)).toBeLessThanOrEqual(4);
    expect(
      duckdbResourceSettings({ INLAY_DUCKDB_MEMORY_LIMIT: '2GB', INLAY_DUCKDB_THREADS: '8' }),
    ).toMatchObject({
      memory_limit: '2GB',
      threads: '8',
    });
  });

  it('names the setting and the fix when a value is not usable', () => {
    expect(() => duckdbResourceSettings({ INLAY_DUCKDB_MEMORY_LIMIT: 'lots' })).toThrow(
      /INLAY_DUCKDB_MEMORY_LIMIT=lots is not a size/,
    );
    expect(() => duckdbResourceSettings({ INLAY_DUCKDB_THREADS: '0' })).toThrow(/INLAY_DUCKDB_THREADS=0/);
  });

  it('opens an instance with them', async () => {
    process.env.INLAY_DUCKDB_MEMORY_LIMIT = '300MB';
    process.env.INLAY_DUCKDB_THREADS = '1';
    const d = new DuckDBDriver({});
    try {
      const r = await d.query(
        `SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory,
           current_setting('allocator_background_threads') AS purging,
           current_setting('allocator_flush_threshold') AS flush`,
        [],
      );
      // Freed memory goes back to the system after a burst, not at DuckDB's 128 MiB default.
      expect(r.rows[0]).toMatchObject({ threads: 1, purging: true, flush: '7.6 MiB' });
      expect(String(r.rows[0]!.memory)).toMatch(/^28\d(\.\d+)? MiB$|^300\.0 MB$/);
    } finally {
      await d.close();
    }
  });
});
