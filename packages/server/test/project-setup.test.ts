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

  it('passes on `ready` while the data is being prepared; a failure names the setup and the cause', async () => {
    const later = project(
      'later',
      `export async function prepare({ dataDir }) {
         const ready = new Promise((resolve) => setTimeout(resolve, 50)).then(() => { globalThis.preparedLater = true; });
         return { connection: { type: 'duckdb', credentials: { path: dataDir + '/x.duckdb' } }, ready };
       }`,
    );
    const out = await runProjectSetup(later, './setup.mjs', { dataDir: '/data' });
    expect(out.connection).toEqual({ type: 'duckdb', credentials: { path: '/data/x.duckdb' } });
    expect((globalThis as { preparedLater?: boolean }).preparedLater).toBeUndefined();
    await out.ready;
    expect((globalThis as { preparedLater?: boolean }).preparedLater).toBe(true);

    const failing = project(
      'failing',
      `export async function prepare() {
         return { ready: new Promise((_, reject) => setTimeout(() => reject(new Error('disk full\\nat …')), 10)) };
       }`,
    );
    const failed = await runProjectSetup(failing, './setup.mjs', { dataDir: dir });
    // Nobody awaits it while it rejects (a server answers meanwhile): that must not be an
    // unhandled rejection (vitest fails the run on one).
    await new Promise((r) => setTimeout(r, 50));
    await expect(failed.ready).rejects.toMatchObject({
      code: 'CONFIG',
      message: "the project's setup './setup.mjs' failed to prepare its data: disk full",
    });

    const notAPromise = project(
      'not-a-promise',
      'export async function prepare() { return { ready: true }; }',
    );
    await expect(runProjectSetup(notAPromise, './setup.mjs', { dataDir: dir })).rejects.toMatchObject({
      message: expect.stringContaining('returned a ready that is not a promise'),
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
