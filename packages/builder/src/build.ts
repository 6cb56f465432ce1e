import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BROWSER_BUILD,
  buildStaged,
  isBuildCurrent,
  type OutputFile,
  outputFiles,
} from '@inlay/embed/build-output';
import * as esbuild from 'esbuild';

/**
 * Builds what the server serves for the builder: `index.html` (at `/` and `/sign-up`; no inline
 * script or style, so `script-src 'self'; style-src 'self'` holds), `app.js` and `app.css`
 * (unhashed, revalidated), content-hashed `chunks/*` (immutable; the lazily loaded pages), and
 * `manifest.json` with every file and every source that went in.
 */

export interface BuildBuilderOptions {
  outDir: string;
}

export interface BuilderManifest {
  entry: 'app.js';
  stylesheet: 'app.css';
  files: OutputFile[];
  /** When it was built (ms), and every source file that went in: an edit to one makes the build stale. */
  builtAt: number;
  inputs: string[];
}

/** Where the server mounts the built files (see packages/server/src/routes/builder-assets.ts). */
export const ASSET_BASE = '/builder/';

const SRC_DIR = path.dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIR = path.dirname(SRC_DIR);
export const DEFAULT_DIST_DIR = path.join(PACKAGE_DIR, 'dist');

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>Inlay</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSET_BASE}app.css">
<script type="module" src="${ASSET_BASE}app.js"></script>
</head>
<body>
<div id="root"></div>
<noscript><p class="noscript">The Inlay builder needs JavaScript.</p></noscript>
</body>
</html>
`;

export async function buildBuilder(options: BuildBuilderOptions): Promise<BuilderManifest> {
  const builtAt = Date.now();
  return buildStaged(options.outDir, builtAt, async (staging) => {
    const result = await esbuild.build({
      ...BROWSER_BUILD,
      absWorkingDir: PACKAGE_DIR,
      metafile: true,
      entryPoints: [
        { in: path.join(SRC_DIR, 'main.tsx'), out: 'app' },
        { in: path.join(SRC_DIR, 'styles.css'), out: 'app' },
      ],
      outdir: staging,
    });
    await writeFile(path.join(staging, 'index.html'), INDEX_HTML);
    const inputs = [
      ...Object.keys(result.metafile.inputs).map((input) => path.resolve(PACKAGE_DIR, input)),
      // index.html is written from here.
      fileURLToPath(import.meta.url),
    ];
    const manifest: BuilderManifest = {
      entry: 'app.js',
      stylesheet: 'app.css',
      files: await outputFiles(staging, ['app.js', 'app.css']),
      builtAt,
      inputs,
    };
    await writeFile(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  });
}

/** Whether `outDir` holds a complete build newer than every source file that went into it. */
export function isBuilderBuildCurrent(outDir: string): Promise<boolean> {
  return isBuildCurrent(outDir, ['index.html']);
}
