import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDriver } from '@inlay/drivers';
import { describe, expect, it } from 'vitest';
import { FLIGHT_ROWS, flightsDuckDBComplete } from '../src/index.js';
import { prepare } from '../src/setup.js';

describe('the demo setup (prepare)', () => {
  it('on a fresh data dir offers the file at once and builds it in the background; later runs wait for nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inlay-flights-setup-'));
    try {
      const lines: string[] = [];
      const log = (line: string) => void lines.push(line);
      const path = join(dir, 'flights.duckdb');
      const fresh = await prepare({ dataDir: dir, log });
      expect(fresh.connection).toEqual({ type: 'duckdb', credentials: { path } });
      // Returned before the build put the file in place: the caller answers meanwhile.
      expect(fresh.ready).toBeDefined();
      expect(existsSync(path)).toBe(false);
      await fresh.ready;
      expect(await flightsDuckDBComplete(dir)).toBe(true);
      const d = new DuckDBDriver({ path }, { readOnly: true });
      try {
        const { rows } = await d.query('SELECT count(*) AS n FROM flights', []);
        expect(rows[0]).toEqual({ n: FLIGHT_ROWS });
      } finally {
        await d.close();
      }
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain(`Preparing the flights demo data in ${dir}`);
      expect(lines[1]).toMatch(/^The flights demo data is ready \(\d+\.\d s\)\.$/);

      const again = await prepare({ dataDir: dir, log });
      expect(again).toEqual({ connection: fresh.connection });
      expect(lines).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
