import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BuildOptions } from 'esbuild';

/**
 * What every browser build the server makes shares (the embed runtime here, the builder app):
 * a build written beside the old one and swapped in, the list of its files with their gzip sizes,
 * and whether a build on disk is still current.
 */

/** The esbuild options both browser builds share: ES modules, split, minified, modern browsers. */
export const BROWSER_BUILD = {
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
  minify: true,
  legalComments: 'none',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'silent',
} as const satisfies BuildOptions;

export interface OutputFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * Runs `write(staging)` into a fresh folder beside `outDir`, then swaps it in, so a server
 * reading the old build never sees half of either. A failed build leaves the old one in place.
 */
export async function buildStaged<T>(
  outDir: string,
  builtAt: number,
  write: (staging: string) => Promise<T>,
): Promise<T> {
  const dir = path.resolve(outDir);
  const staging = `${dir}.building-${process.pid}-${builtAt}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  let result: T;
  try {
    result = await write(staging);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  const old = `${dir}.old-${process.pid}-${builtAt}`;
  await rename(dir, old).catch(() => undefined);
  try {
    await rename(staging, dir);
  } catch (err) {
    // Another process swapped in its build of the same sources first: keep that one.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    await rm(staging, { recursive: true, force: true });
  }
  await rm(old, { recursive: true, force: true });
  return result;
}

/** `entries` and everything under `chunks/`, with sizes (gzip level 9, as the server sends them). */
export async function outputFiles(outDir: string, entries: string[]): Promise<OutputFile[]> {
  const chunks = await readdir(path.join(outDir, 'chunks')).catch(() => [] as string[]);
  const names = [...entries, ...chunks.sort().map((f) => `chunks/${f}`)];
  return Promise.all(
    names.map(async (file) => {
      const bytes = await readFile(path.join(outDir, file));
      return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
    }),
  );
}

/**
 * Whether `outDir` holds a complete build (its `manifest.json`, and each file it lists plus
 * `alsoRequired`) newer than every source file that went into it (`inputs`, `builtAt`).
 */
export async function isBuildCurrent(outDir: string, alsoRequired: string[] = []): Promise<boolean> {
  let manifest: { builtAt?: unknown; inputs?: unknown; files?: unknown };
  try {
    manifest = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8'));
  } catch {
    return false;
  }
  const { builtAt, inputs, files } = manifest;
  if (typeof builtAt !== 'number' || !Array.isArray(inputs) || !Array.isArray(files)) return false;
  const mtime = (file: string) =>
    stat(file).then(
      (s) => s.mtimeMs,
      () => Infinity,
    );
  const outputs = [...alsoRequired, ...files.map((f: OutputFile) => f.file)].map((f) => path.join(outDir, f));
  const [sources, built] = await Promise.all([
    Promise.all((inputs as string[]).map(mtime)),
    Promise.all(outputs.map(mtime)),
  ]);
  // Whole milliseconds, as `builtAt` is: a source saved in the millisecond the build started was
  // read after it was saved, so the build has it.
  return sources.every((t) => Math.floor(t) <= builtAt) && built.every((t) => t !== Infinity);
}
