// How the compiled CLI loads a project's own Node-side TypeScript (its `setup`, `*.cube.ts`
// models): esbuild bundles the module with its relative imports into one ES module under the
// project's node_modules/.cache/inlay, once; later starts import that file after a few stats.
// tsx would register module hooks, which Node 20 runs on a loader thread: ~15 MB more resident and
// every later import of the server, lazy ones included, passing through that thread.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { keepSourceUrls } from './keep-source-urls.mjs';

/** Bumped when the output's shape changes, so an old cache is rebuilt rather than trusted. */
const FORMAT = 1;

/**
 * The URL to import for `url` (a `.ts` file): the cached bundle while every input it was built
 * from is unchanged (same mtime and size), else a fresh one. `aliases` maps `@inlay/*` specifiers
 * to the CLI bundle's entries, so the module shares the server's modules (one DuckDB instance per
 * file, one zod registry). Returns undefined where no cache folder can be written (a read-only
 * install): the caller falls back to compiling in memory.
 */
export async function compiledNodeModule(url, aliases) {
  const source = fileURLToPath(url);
  const cacheDir = cacheDirFor(source);
  if (!cacheDir) return undefined;
  const key = createHash('sha256')
    .update(`${FORMAT}\0${source}\0${JSON.stringify(aliases)}`)
    .digest('hex');
  const out = join(cacheDir, `${key.slice(0, 16)}.mjs`);
  const manifestFile = `${out}.inputs.json`;
  if (existsSync(out) && inputsUnchanged(manifestFile)) return pathToFileURL(out).href;

  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [source],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    metafile: true,
    write: false,
    logLevel: 'silent',
    plugins: [projectExternals(aliases), keepSourceUrls],
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const abs = resolve(file);
    inputs[abs] = fingerprint(abs);
  }
  // The module is written before its manifest: a crash between the two leaves a stale manifest
  // that no longer matches, never a manifest vouching for a half-written module.
  writeFileSync(out, result.outputFiles[0].contents);
  writeFileSync(manifestFile, JSON.stringify(inputs));
  return pathToFileURL(out).href;
}

/**
 * Under the nearest folder with a package.json, so the bundle resolves the npm packages it leaves
 * external from the same node_modules as its source did.
 */
function cacheDirFor(source) {
  for (let dir = dirname(source); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const cacheDir = join(dir, 'node_modules', '.cache', 'inlay');
      try {
        mkdirSync(cacheDir, { recursive: true });
        return cacheDir;
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function fingerprint(file) {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? `${s.mtimeMs}:${s.size}` : 'missing';
}

function inputsUnchanged(manifestFile) {
  try {
    const inputs = JSON.parse(readFileSync(manifestFile, 'utf8'));
    return Object.entries(inputs).every(([file, print]) => fingerprint(file) === print);
  } catch {
    return false;
  }
}

/** Relative imports are bundled; `@inlay/*` goes to the CLI bundle; other packages stay imports. */
function projectExternals(aliases) {
  return {
    name: 'project-externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => ({
        path: aliases[args.path] ?? args.path,
        external: true,
      }));
    },
  };
}
