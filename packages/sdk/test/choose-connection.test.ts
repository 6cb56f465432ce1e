import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLIGHT_ROWS, flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseConnection, openDriver, resolveProject } from '../src/cli/project.js';

const dir = mkdtempSync(join(tmpdir(), 'inlay-choose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A flights project whose setup offers `<dataDir>/flights.duckdb` and puts it there only in `ready`. */
function projectWithSetup(name: string, ready: string): string {
  const p = join(dir, name);
  mkdirSync(p);
  cpSync(join(flightsProjectDir, 'models'), join(p, 'models'), { recursive: true });
  writeFileSync(join(p, 'inlay.config.json'), JSON.stringify({ setup: './setup.mjs' }));
  writeFileSync(
    join(p, 'setup.mjs'),
    `import { symlinkSync } from 'node:fs';
     import { join } from 'node:path';
     export async function prepare({ dataDir }) {
       const path = join(dataDir, 'flights.duckdb');
       const later = new Promise((resolve) => setTimeout(resolve, 200));
       return { connection: { type: 'duckdb', credentials: { path } }, ready: ${ready} };
     }`,
  );
  return p;
}

describe('chooseConnection (the CLI) with a setup still preparing its data', () => {
  it('waits for it, so the connection it returns reads a complete file', async () => {
    const p = projectWithSetup(
      'later',
      `later.then(() => symlinkSync(${JSON.stringify(testDataPaths().duckdbPath)}, path))`,
    );
    const dataDir = mkdtempSync(join(dir, 'data-'));
    const choice = await chooseConnection(resolveProject(p), undefined, { dataDir });
    expect(existsSync(join(dataDir, 'flights.duckdb'))).toBe(true);
    const { driver } = openDriver(choice);
    try {
      const { rows } = await driver.query('SELECT count(*) AS n FROM flights', []);
      expect(rows[0]).toEqual({ n: FLIGHT_ROWS });
    } finally {
      await driver.close();
    }
  });

  it('fails with the setup and the cause when it cannot prepare it', async () => {
    const p = projectWithSetup(
      'failing',
      `later.then(() => { throw new Error('no space left on device'); })`,
    );
    await expect(
      chooseConnection(resolveProject(p), undefined, { dataDir: mkdtempSync(join(dir, 'data-')) }),
    ).rejects.toMatchObject({
      code: 'CONFIG',
      message: "the project's setup './setup.mjs' failed to prepare its data: no space left on device",
    });
  });
});
