#!/usr/bin/env node
// Bundles the `inlay` CLI (and the workspace packages it imports) into packages/sdk/dist/inlay.mjs,
// so a start runs compiled JavaScript instead of compiling TypeScript through tsx. npm packages
// stay external (they resolve from node_modules; native ones cannot be bundled). bin/inlay.js runs
// the bundle only while it is newer than every source (the stamp below), else falls back to tsx.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { keepSourceUrls } from './keep-source-urls.mjs';
import { newestSourceMtime } from './sources.mjs';

const SDK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES_DIR = resolve(SDK_DIR, '..');
const OUT_DIR = join(SDK_DIR, 'dist');

/**
 * The pure-JavaScript npm packages every start loads, with what they import, go into the bundle:
 * Node resolving, reading and lexing ~400 separate files of them was most of a start (issue 15).
 * Native packages, ones that find files next to themselves, and ones only a command or a lazy
 * route loads (React, ECharts, esbuild, chokidar, the API reference) stay imports from
 * node_modules.
 */
const BUNDLED = new Set([
  // Its JavaScript only (Node lexed ~60 files of it for their exports); the native part stays out.
  '@duckdb/node-api',
  'fastify',
  'fastify-plugin',
  'fastify-type-provider-zod',
  '@fastify/rate-limit',
  '@fastify/multipart',
  '@fastify/swagger',
  'pino',
  'prom-client',
  'kysely',
  'zod',
  'yaml',
  'luxon',
  'commander',
  'lru-cache',
  'cookie',
  'fflate',
  'cli-table3',
  'fastest-levenshtein',
  'csv-stringify',
]);
/** Reached from inside a bundled package, still not bundled. */
const NEVER_BUNDLED = new Set(['@duckdb/node-bindings', 'thread-stream', 'pino-pretty']);

const packageName = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * Every other bare specifier but the workspace's own `@inlay/*` packages stays an import. One that
 * the importing workspace package has its own copy of (packages/server/node_modules/tar-stream, a
 * version other than the root's) is imported by that copy's file path: from dist/ it would
 * resolve to the root's.
 */
const npmExternal = {
  name: 'npm-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@inlay/') || args.path.startsWith('node:')) return undefined;
      const name = packageName(args.path);
      const fromBundled = args.importer.includes('/node_modules/');
      if (!NEVER_BUNDLED.has(name) && (BUNDLED.has(name) || fromBundled)) return undefined;
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

const built = await build({
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
  // Less source to parse at every start and to keep resident (V8 holds a module's source text).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  metafile: !!process.env.INLAY_BUNDLE_META,
  // Bundled CommonJS packages call `require` for Node's own modules; an ES module has none.
  banner: {
    js: "import { createRequire as __inlayCreateRequire } from 'node:module'; const require = __inlayCreateRequire(import.meta.url);",
  },
  plugins: [npmExternal, keepSourceUrls],
});
if (built.metafile) writeFileSync(join(OUT_DIR, 'meta.json'), JSON.stringify(built.metafile));
writeFileSync(join(OUT_DIR, 'aliases.json'), `${JSON.stringify(aliases, null, 2)}\n`);
writeFileSync(join(OUT_DIR, 'stamp'), `${stamp}\n`);
console.log(`inlay CLI bundled to ${OUT_DIR}/inlay.mjs in ${Math.round(performance.now() - started)} ms`);
