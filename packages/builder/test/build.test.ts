import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuilderManifest, buildBuilder, isBuilderBuildCurrent } from '../src/build.js';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

describe('buildBuilder', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'inlay-builder-build-'));
    dirs.push(dir);
    return dir;
  }

  it('writes index.html without inline code, app.js, app.css and hashed chunks, all in the manifest', async () => {
    const outDir = path.join(await tempDir(), 'dist');
    const manifest = await buildBuilder({ outDir });

    const html = await readFile(path.join(outDir, 'index.html'), 'utf8');
    expect(html).toContain('<script type="module" src="/builder/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/builder/app.css">');
    // A CSP of `script-src 'self'; style-src 'self'` allows none of these.
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|javascript:/i);
    expect(html).not.toMatch(/https?:\/\//);

    const chunks = (await readdir(path.join(outDir, 'chunks'))).sort();
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    for (const chunk of chunks) expect(chunk).toMatch(/^[A-Za-z0-9_]+-[A-Z0-9]{8}\.js$/);
    expect(manifest.files.map((f) => f.file).sort()).toEqual(
      ['app.css', 'app.js', ...chunks.map((c) => `chunks/${c}`)].sort(),
    );
    for (const f of manifest.files) {
      const bytes = await readFile(path.join(outDir, f.file));
      expect(f.bytes, f.file).toBe(bytes.length);
      expect(f.gzipBytes, f.file).toBeGreaterThan(0);
    }
    // The signed-in home and the sign-up page are their own chunks, loaded from app.js on demand.
    const app = await readFile(path.join(outDir, 'app.js'), 'utf8');
    const lazy = [...app.matchAll(/import\("\.\/(chunks\/[^"]+)"\)/g)].map((m) => m[1]);
    expect(lazy.some((f) => f?.startsWith('chunks/Home-'))).toBe(true);
    expect(lazy.some((f) => f?.startsWith('chunks/SignUp-'))).toBe(true);
    // Nothing from another origin in the code or the stylesheet.
    const css = await readFile(path.join(outDir, 'app.css'), 'utf8');
    expect(css).not.toMatch(/@import|url\(\s*['"]?https?:/);
    expect(css).toContain('prefers-color-scheme:dark');

    const written = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')) as BuilderManifest;
    expect(written).toEqual(manifest);
    expect(manifest.entry).toBe('app.js');
    expect(manifest.builtAt).toBeLessThanOrEqual(Date.now());
    for (const source of ['main.tsx', 'App.tsx', 'styles.css', 'build.ts', 'pages/Home.tsx']) {
      expect(manifest.inputs).toContain(path.join(SRC, source));
    }
    expect(manifest.inputs.some((input) => input.includes(`${path.sep}react-dom${path.sep}`))).toBe(true);
  });

  it('is current until a source is newer than the build or a file is missing; a rebuild swaps in whole', async () => {
    const dir = await tempDir();
    const outDir = path.join(dir, 'dist');
    expect(await isBuilderBuildCurrent(outDir)).toBe(false);
    const first = await buildBuilder({ outDir });
    expect(await isBuilderBuildCurrent(outDir)).toBe(true);

    // Stand-in for an edited source (the repository's own files are left alone): a file the
    // manifest lists, saved after the build.
    const source = path.join(dir, 'edited.tsx');
    await writeFile(source, 'export {};\n');
    const manifestFile = path.join(outDir, 'manifest.json');
    const withSource: BuilderManifest = { ...first, inputs: [...first.inputs, source] };
    await writeFile(manifestFile, JSON.stringify(withSource));
    const past = new Date(first.builtAt - 60_000);
    await utimes(source, past, past);
    expect(await isBuilderBuildCurrent(outDir)).toBe(true);
    const later = new Date(first.builtAt + 60_000);
    await utimes(source, later, later);
    expect(await isBuilderBuildCurrent(outDir)).toBe(false);
    // A source that is gone counts as changed.
    await rm(source);
    expect(await isBuilderBuildCurrent(outDir)).toBe(false);

    // A listed output that is missing makes it incomplete.
    await writeFile(manifestFile, JSON.stringify(first));
    expect(await isBuilderBuildCurrent(outDir)).toBe(true);
    const chunk = first.files.find((f) => f.file.startsWith('chunks/'))!;
    await rm(path.join(outDir, chunk.file));
    expect(await isBuilderBuildCurrent(outDir)).toBe(false);
    await writeFile(manifestFile, '{not json');
    expect(await isBuilderBuildCurrent(outDir)).toBe(false);

    const second = await buildBuilder({ outDir });
    expect(second.builtAt).toBeGreaterThanOrEqual(first.builtAt);
    expect(await isBuilderBuildCurrent(outDir)).toBe(true);
    // The staging and old folders are gone: only the build itself is left beside the test's files.
    expect((await readdir(dir)).sort()).toEqual(['dist']);
  });
});
