import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript run by bin/inlay.js before anything compiles TypeScript
import { compiledNodeModule } from '../scripts/compile-node-module.mjs';

const compile = compiledNodeModule as (
  url: string,
  aliases: Record<string, string>,
) => Promise<string | undefined>;

describe('a project module under the compiled CLI (esbuild into node_modules/.cache/inlay)', () => {
  const project = mkdtempSync(join(tmpdir(), 'inlay-node-module-'));
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  writeFileSync(join(project, 'package.json'), '{"type":"module"}');
  mkdirSync(join(project, 'src'));
  const shared = join(project, 'shared.mjs');
  writeFileSync(shared, 'export const marker = "the server\'s own module";');
  const helper = join(project, 'src', 'helper.ts');
  writeFileSync(helper, 'export const here: string = import.meta.url;\nexport const n: number = 1;\n');
  const setup = join(project, 'src', 'setup.ts');
  writeFileSync(
    setup,
    "import { marker } from '@inlay/shared';\nimport { here, n } from './helper.js';\nexport const answer = { marker, here, n };\n",
  );
  const aliases = { '@inlay/shared': pathToFileURL(shared).href };
  let version = 0;
  const load = async (url: string) =>
    ((await import(`${url}?v=${++version}`)) as { answer: { marker: string; here: string; n: number } })
      .answer;

  it('bundles relative imports, sends @inlay/* to the aliases, and keeps each file its own URL', async () => {
    const out = await compile(pathToFileURL(setup).href, aliases);
    expect(out).toMatch(/\/node_modules\/\.cache\/inlay\/[0-9a-f]{16}\.mjs$/);
    expect(out!.startsWith(pathToFileURL(project).href)).toBe(true);
    expect(await load(out!)).toEqual({
      marker: "the server's own module",
      here: pathToFileURL(helper).href,
      n: 1,
    });
  });

  it('reuses the cached module while its inputs are unchanged, and rebuilds when one changes', async () => {
    const first = (await compile(pathToFileURL(setup).href, aliases))!;
    const file = new URL(first);
    const built = statSync(file).mtimeMs;
    const text = readFileSync(file, 'utf8');
    await new Promise((r) => setTimeout(r, 20));
    expect(await compile(pathToFileURL(setup).href, aliases)).toBe(first);
    expect(statSync(file).mtimeMs).toBe(built);

    writeFileSync(helper, 'export const here: string = import.meta.url;\nexport const n: number = 22;\n');
    const again = (await compile(pathToFileURL(setup).href, aliases))!;
    expect(readFileSync(new URL(again), 'utf8')).not.toBe(text);
    expect((await load(again)).n).toBe(22);
  });

  it('says nothing is cached where no package.json is above the module (the caller falls back)', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'inlay-node-module-bare-'));
    try {
      writeFileSync(join(bare, 'x.ts'), 'export const x = 1;');
      // tmpdir has no package.json above it on these machines; a module there has no project.
      expect(await compile(pathToFileURL(join(bare, 'x.ts')).href, {})).toBeUndefined();
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
