#!/usr/bin/env node
// Bundles the `inlay` CLI (and the workspace packages it imports) into packages/sdk/dist/inlay.mjs,
// so a start runs compiled JavaScript instead of compiling TypeScript through tsx. npm packages
// stay external (they resolve from node_modules; native ones cannot be bundled). bin/inlay.js runs
// the bundle only while it is newer than every source (the stamp below), else falls back to tsx.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { newestSourceMtime } from './sources.mjs';

const SDK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES_DIR = resolve(SDK_DIR, '..');
const OUT_DIR = join(SDK_DIR, 'dist');

/**
 * Modules that find files next to themselves (templates, the builder's and embed's sources, demo
 * assets) keep their own location: `import.meta.url` outside a string literal becomes the source
 * file's URL rather than the bundle's.
 */
const keepSourceUrls = {
  name: 'keep-source-urls',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      const contents = text
        .split('\n')
        .map((line) =>
          line.replace(/import\.meta\.url/g, (m, at) => {
            const before = line.slice(0, at);
            const quotes = (before.match(/['"`]/g) ?? []).length;
            return quotes % 2 === 1 ? m : url;
          }),
        )
        .join('\n');
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

/**
 * Every bare specifier but the workspace's own `@inlay/*` packages stays an import. One that the
 * importing workspace package has its own copy of (packages/server/node_modules/tar-stream, a
 * version other than the root's) is imported by that copy's file path: from dist/ it would
 * resolve to the root's.
 */
const npmExternal = {
  name: 'npm-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@inlay/')) return undefined;
      return { path: nestedCopy(args.path, args.resolveDir) ?? args.path, external: true };
    });
  },
};

function nestedCopy(specifier, fromDir) {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  for (let dir = fromDir; dir.startsWith(PACKAGES_DIR) && dir !== PACKAGES_DIR; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name))) {
      return createRequire(join(dir, 'package.json')).resolve(specifier);
    }
  }
  return undefined;
}

const started = performance.now();
// Taken before bundling: a source saved meanwhile is newer than the stamp, so the bundle is stale.
const stamp = newestSourceMtime(PACKAGES_DIR);
// Chunks are named by hash: the old ones would pile up.
rmSync(OUT_DIR, { recursive: true, force: true });
/**
 * Every export of the workspace packages a project's own Node code may import (its `setup` module
 * imports `@inlay/drivers`), as entries of the same build: they share chunks with the CLI, so a
 * project module the bin loads through tsx gets the very modules the server runs (one zod
 * registry, one DuckDB instance per file), through the aliases in `dist/aliases.json`.
 */
const SHARED_PACKAGES = ['core', 'drivers', 'engine', 'server', 'sdk'];
const aliases = {};
const entryPoints = { inlay: join(SDK_DIR, 'src/cli/main.ts') };
for (const pkg of SHARED_PACKAGES) {
  const dir = join(PACKAGES_DIR, pkg);
  const { name, exports } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const [sub, file] of Object.entries(exports)) {
    const entry = join('packages', pkg, sub === '.' ? 'index' : sub.slice(2));
    entryPoints[entry] = join(dir, file);
    aliases[sub === '.' ? name : `${name}/${sub.slice(2)}`] = pathToFileURL(
      join(OUT_DIR, `${entry}.mjs`),
    ).href;
  }
}

await build({
  entryPoints,
  outdir: OUT_DIR,
  // Without splitting, a module the sources import lazily (the standard components with ECharts,
  // the builder's and embed's builds) would hoist its npm imports into the start.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [npmExternal, keepSourceUrls],
});
writeFileSync(join(OUT_DIR, 'aliases.json'), `${JSON.stringify(aliases, null, 2)}\n`);
writeFileSync(join(OUT_DIR, 'stamp'), `${stamp}\n`);
console.log(`inlay CLI bundled to ${OUT_DIR}/inlay.mjs in ${Math.round(performance.now() - started)} ms`);
