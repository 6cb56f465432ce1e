import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { BROWSER_BUILD, buildStaged, isBuildCurrent, type OutputFile, outputFiles } from './build-output.js';
import { type ModuleGraph, moduleGraph } from './module-graph.js';

/**
 * Builds what `GET /embed/v1/…` serves: `inlay.js` (unhashed, revalidated by ETag) defining the
 * elements with a component registry, and content-hashed chunks (the runtime's shared code, one
 * per component) under `chunks/`, plus `manifest.json` with each file's gzip size. Every
 * component's chunks are fetched together when it is first needed (`module-graph.ts`).
 */

export interface BuildEmbedOptions {
  outDir: string;
  /** Module exporting `standardComponents` (name → dynamic import); a specifier or a path. */
  registry?: string;
  /** `preact` (default): React components run on `preact/compat`. `react`: the real React, installed. */
  react?: 'preact' | 'react';
}

export interface EmbedManifest {
  entry: 'inlay.js';
  react: 'preact' | 'react';
  files: OutputFile[];
  totalGzipBytes: number;
  /** When it was built (ms), and every source file that went in: an edit to one makes the build stale. */
  builtAt: number;
  inputs: string[];
  /** Per component, the chunks the runtime fetches with it (also written into `inlay.js`). */
  modules: ModuleGraph;
}

const SRC_DIR = path.dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIR = path.dirname(SRC_DIR);
export const DEFAULT_DIST_DIR = path.join(PACKAGE_DIR, 'dist');

const PREACT_ALIASES: Record<string, string> = {
  react: 'preact/compat',
  'react-dom': 'preact/compat',
  'react-dom/client': 'preact/compat/client',
  'react/jsx-runtime': 'preact/jsx-runtime',
  'react/jsx-dev-runtime': 'preact/jsx-runtime',
};

const ENTRY = 'inlay:entry';
const GRAPH_PLACEHOLDER = '__INLAY_MODULE_GRAPH__';

export async function buildEmbed(options: BuildEmbedOptions): Promise<EmbedManifest> {
  const registry = options.registry ?? '@inlay/components/registry';
  const react = options.react ?? 'preact';
  const registryImport = registry.startsWith('.') ? path.resolve(registry) : registry;
  const runtime = path.join(SRC_DIR, 'index.ts');
  const preload = path.join(SRC_DIR, 'preload.ts');
  // The module graph is known only once the chunks are named: the placeholder is replaced after.
  const entrySource = [
    `import { standardComponents } from ${JSON.stringify(registryImport)};`,
    `import { defineInlayElements } from ${JSON.stringify(runtime)};`,
    // The page's way to add a project's components: `import { registerComponents } from '…/inlay.js'`.
    `export { registerComponents } from ${JSON.stringify(runtime)};`,
    `import { withPreload } from ${JSON.stringify(preload)};`,
    `const graph = ${JSON.stringify(GRAPH_PLACEHOLDER)};`,
    'defineInlayElements({',
    '  components: withPreload(standardComponents, graph, import.meta.url),',
    `  runtimeModules: () => import(${JSON.stringify(path.join(SRC_DIR, 'runtime-modules.ts'))}),`,
    '});',
  ].join('\n');

  const builtAt = Date.now();
  return buildStaged(options.outDir, builtAt, async (staging) => {
    const result = await esbuild.build({
      ...BROWSER_BUILD,
      metafile: true,
      entryPoints: [{ in: ENTRY, out: 'inlay' }],
      outdir: staging,
      jsxImportSource: 'react',
      alias: react === 'preact' ? PREACT_ALIASES : {},
      plugins: [
        {
          name: 'inlay-entry',
          setup(build) {
            build.onResolve({ filter: /^inlay:entry$/ }, () => ({ path: ENTRY, namespace: 'inlay' }));
            build.onLoad({ filter: /.*/, namespace: 'inlay' }, () => ({
              contents: entrySource,
              loader: 'js',
              resolveDir: PACKAGE_DIR,
            }));
          },
        },
      ],
    });
    const modules = moduleGraph(result.metafile, staging, registryImport);
    await writeModuleGraph(staging, modules);
    const inputs = Object.keys(result.metafile.inputs)
      .filter((input) => !input.includes(':'))
      .map((input) => path.resolve(input));
    return writeManifest(staging, react, { builtAt, inputs, modules });
  });
}

/**
 * Whether `outDir` holds a build newer than every source file that went into it. A server
 * checks once, on its first embed request, so an edited component is never served stale.
 */
export function isEmbedBuildCurrent(outDir: string): Promise<boolean> {
  return isBuildCurrent(outDir);
}

async function writeModuleGraph(outDir: string, graph: ModuleGraph): Promise<void> {
  const file = path.join(outDir, 'inlay.js');
  const code = await readFile(file, 'utf8');
  const [before, ...after] = code.split(JSON.stringify(GRAPH_PLACEHOLDER));
  if (after.length !== 1)
    throw new Error(`inlay.js: expected the module graph placeholder once, found it ${after.length} times`);
  await writeFile(file, `${before}${JSON.stringify(graph)}${after[0]}`);
}

async function writeManifest(
  outDir: string,
  react: 'preact' | 'react',
  sources: Pick<EmbedManifest, 'builtAt' | 'inputs' | 'modules'>,
): Promise<EmbedManifest> {
  const files = await outputFiles(outDir, ['inlay.js']);
  const manifest: EmbedManifest = {
    entry: 'inlay.js',
    react,
    files,
    totalGzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    ...sources,
  };
  await writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
