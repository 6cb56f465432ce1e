import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

/** React names resolved to Preact, as the embed build does by default. */
export const PREACT_ALIAS = {
  react: 'preact/compat',
  'react-dom': 'preact/compat',
  'react/jsx-runtime': 'preact/jsx-runtime',
};

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
  /** Whether ECharts code is in it, and which standard component modules. */
  echarts: boolean;
  components: string[];
}

/**
 * Bundles the smoke page like the embed build bundles components: browser platform (a node
 * built-in anywhere in the SDK or components fails the build), ESM, splitting, minified.
 */
export async function buildSmoke(outDir: string, react: 'preact' | 'react' = 'preact'): Promise<ChunkSize[]> {
  const result = await build({
    entryPoints: { page: path.join(here, 'page.ts') },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    jsx: 'automatic',
    chunkNames: 'chunks/[name]-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
    ...(react === 'preact' ? { alias: PREACT_ALIAS } : {}),
    logLevel: 'silent',
  });
  await copyFile(path.join(here, 'index.html'), path.join(outDir, 'index.html'));
  const sizes: ChunkSize[] = [];
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.js')) continue;
    const bytes = await readFile(file);
    const inputs = Object.keys(out.inputs);
    sizes.push({
      file: path.relative(outDir, file),
      bytes: bytes.length,
      gzip: gzipSync(bytes).length,
      echarts: inputs.some((i) => i.includes('node_modules/echarts/') || i.includes('node_modules/zrender/')),
      components: inputs.filter((i) => i.includes('src/components/')).map((i) => path.basename(i, '.tsx')),
    });
  }
  return sizes;
}
