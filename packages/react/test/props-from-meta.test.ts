import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Runs the compiler on `types/props-from-meta.ts`, the tsd-style type test, so a broken typing
 * fails this suite too (not only `npm run typecheck`). Each `@ts-expect-error` is also removed in a
 * copy of its own: that copy must then fail to compile below the marker, which proves the marked
 * line is an error for the reason it names rather than the directive being silently satisfied.
 */

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..', '..');
const source = join(here, 'types', 'props-from-meta.ts');
/** Beside the original, so its relative imports (`../../src/index.js`) resolve the same way. */
const work = join(here, 'types', `.mutants-${process.pid}`);
const DIRECTIVE = '// @ts-expect-error';

// tsc skips dot folders, biome does not: a run that died before cleaning up must not break the lint.
beforeAll(() => {
  for (const name of readdirSync(join(here, 'types'))) {
    if (name.startsWith('.mutants-')) rmSync(join(here, 'types', name), { recursive: true, force: true });
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tsc(project: string): Promise<string> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project, '--pretty', 'false'],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
      (_err, stdout, stderr) => done(`${stdout}${stderr}`),
    );
  });
}

/** `file(line,col): error TSxxxx` lines, per file name. */
function errorsByFile(output: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of output.matchAll(/^(.+?)\((\d+),\d+\): error TS\d+/gm)) {
    const name = m[1]!.split('/').pop()!;
    out.set(name, [...(out.get(name) ?? []), Number(m[2])]);
  }
  return out;
}

describe('component props typed from meta (tsc)', () => {
  it('compiles as written, and each @ts-expect-error line fails once its marker is gone', async () => {
    const text = readFileSync(source, 'utf8');
    const lines = text.split('\n');
    const markers = lines.flatMap((l, i) => (l.trim().startsWith(DIRECTIVE) ? [i + 1] : []));
    expect(markers.length).toBeGreaterThanOrEqual(6);

    mkdirSync(work, { recursive: true });
    const files = ['original.ts'];
    // Mutants sit one folder deeper than the original: their relative imports get one more `../`.
    const relocated = text.replaceAll("'../../src/", "'../../../src/");
    writeFileSync(join(work, 'original.ts'), relocated);
    markers.forEach((line, i) => {
      const copy = relocated.split('\n');
      // Same line count, so the compiler's line numbers still match the markers'.
      copy[line - 1] = copy[line - 1]!.replace(DIRECTIVE, '// (marker removed)');
      const name = `mutant-${i}.ts`;
      writeFileSync(join(work, name), copy.join('\n'));
      files.push(name);
    });
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        extends: join(repoRoot, 'tsconfig.base.json'),
        compilerOptions: { lib: ['ES2023', 'DOM'], typeRoots: [join(repoRoot, 'node_modules', '@types')] },
        files,
      }),
    );
    const output = await tsc(join(work, 'tsconfig.json'));
    const errors = errorsByFile(output);

    expect(errors.get('original.ts') ?? [], output).toEqual([]);
    markers.forEach((line, i) => {
      const at = errors.get(`mutant-${i}.ts`) ?? [];
      // The statement the marker stands above fails, and nothing else in the file does.
      expect(at.length, `line ${line + 1} of props-from-meta.ts compiles without its marker`).toBeGreaterThan(
        0,
      );
      for (const l of at) expect(l, `mutant ${i}: an error away from its marker`).toBeGreaterThan(line);
      const nextMarker = markers[i + 1] ?? Number.POSITIVE_INFINITY;
      for (const l of at) expect(l).toBeLessThan(nextMarker);
    });
  }, 120_000);
});
