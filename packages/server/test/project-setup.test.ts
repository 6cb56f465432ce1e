import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDataPaths } from '@inlay/example-flights';
import { flightsProject } from '@inlay/example-flights/setup';
import { afterAll, describe, expect, it } from 'vitest';
import { runProjectSetup } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'inlay-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A project folder holding one setup module with the given source. */
function project(name: string, source: string): string {
  const p = join(dir, name);
  mkdirSync(p, { recursive: true });
  writeFileSync(join(p, 'setup.mjs'), source);
  return p;
}

describe('runProjectSetup', () => {
  it('runs a module relative to the project and returns the connection it offers', async () => {
    const p = project(
      'relative',
      `export async function prepare({ dataDir, log }) {
         log('preparing');
         return { connection: { type: 'duckdb', credentials: { path: dataDir + '/x.duckdb' } } };
       }`,
    );
    const lines: string[] = [];
    const out = await runProjectSetup(p, './setup.mjs', { dataDir: '/data', log: (l) => lines.push(l) });
    expect(out).toEqual({ connection: { type: 'duckdb', credentials: { path: '/data/x.duckdb' } } });
    expect(lines).toEqual(['preparing']);
  });

  it('resolves a package specifier from the project folder (the flights demo’s setup)', async () => {
    // A setup that offers no connection is fine: the config may name one.
    const p = project('none', 'export async function prepare() { return undefined; }');
    expect(await runProjectSetup(p, './setup.mjs', { dataDir: dir })).toEqual({});
    const demoData = join(dir, 'demo-data');
    mkdirSync(demoData);
    // The demo file is already built for the tests: the setup finds it and builds nothing.
    symlinkSync(testDataPaths().duckdbPath, join(demoData, 'flights.duckdb'));
    const out = await runProjectSetup(flightsProject.projectDir, '@inlay/example-flights/setup', {
      dataDir: demoData,
    });
    expect(out.connection).toEqual({
      type: 'duckdb',
      credentials: { path: join(demoData, 'flights.duckdb') },
    });
  });

  it('names the module and what to do when it cannot load, has no prepare, or offers no type', async () => {
    const p = project('bad', 'export const prepare = 1;');
    await expect(runProjectSetup(p, './missing.mjs', { dataDir: dir })).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringContaining("the project's setup './missing.mjs' could not be loaded"),
    });
    await expect(runProjectSetup(p, '@inlay/no-such-package/setup', { dataDir: dir })).rejects.toMatchObject({
      code: 'CONFIG',
      hint: expect.stringContaining('npm install'),
    });
    await expect(runProjectSetup(p, './setup.mjs', { dataDir: dir })).rejects.toMatchObject({
      message: expect.stringContaining('exports no prepare function'),
    });
    const typeless = project('typeless', 'export async function prepare() { return { connection: {} }; }');
    await expect(runProjectSetup(typeless, './setup.mjs', { dataDir: dir })).rejects.toMatchObject({
      message: expect.stringContaining('returned a connection without a type'),
    });
  });
});
