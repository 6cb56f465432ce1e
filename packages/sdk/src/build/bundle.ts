import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type ComponentsManifest, componentsManifestSchema } from '@inlay/core';
import { BROWSER_BUILD } from '@inlay/embed/build-output';
import * as esbuild from 'esbuild';
import { type EvaluatedComponent, FILE_LOADERS } from './evaluate.js';
import { type BuildProblem, esbuildProblems } from './problems.js';
import { runtimeModulesPlugin } from './runtime-modules.js';

/**
 * The browser bundle of a project's components: one ES module per component
 * (`components/Name-HASH.js`, default export = its definition), shared code in
 * `chunks/chunk-HASH.js`, minified, React and `@inlay/react` taken from the runtime. CSS a
 * component imports is inlined as text into its definition's `styles`, which the runtime adopts
 * into the embed's shadow root — as the standard components carry theirs — so a component is one
 * request and its styles never leak into the host page.
 */

export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface BundleResult {
  manifest: ComponentsManifest;
  files: BuiltFile[];
}

const ENTRY_NAMESPACE = 'inlay-component';

/** The entry of component X: its definition with the CSS it imports appended to `styles`. */
function entrySource(c: EvaluatedComponent, projectDir: string): string {
  const css = c.css.map((file, i) => `import css${i} from ${JSON.stringify(file)};`);
  const list = c.css.map((_, i) => `css${i}`).join(', ');
  return [
    `import definition from ${JSON.stringify(resolve(projectDir, c.entry))};`,
    ...css,
    // A component that passes the same text as `styles` itself is not given it twice.
    `const css = [${list}].filter((s) => !(definition.styles ?? '').includes(s));`,
    'export default css.length ? { ...definition, styles: [definition.styles, ...css].filter(Boolean).join("\\n") } : definition;',
  ].join('\n');
}

function entriesPlugin(components: EvaluatedComponent[], projectDir: string): esbuild.Plugin {
  const byName = new Map(components.map((c) => [c.name, c]));
  return {
    name: ENTRY_NAMESPACE,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${ENTRY_NAMESPACE}:`) }, (args) => ({
        path: args.path.slice(ENTRY_NAMESPACE.length + 1),
        namespace: ENTRY_NAMESPACE,
      }));
      build.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => ({
        contents: entrySource(byName.get(args.path)!, projectDir),
        resolveDir: projectDir,
        loader: 'js',
      }));
    },
  };
}

/** Bundles into `outDir` (a fresh staging folder) and writes `manifest.json` there. */
export async function bundleComponents(
  projectDir: string,
  components: EvaluatedComponent[],
  outDir: string,
): Promise<BundleResult | { problems: BuildProblem[] }> {
  let result: esbuild.BuildResult<{ metafile: true }>;
  try {
    result = await esbuild.build({
      ...BROWSER_BUILD,
      absWorkingDir: projectDir,
      entryPoints: components.map((c) => ({
        in: `${ENTRY_NAMESPACE}:${c.name}`,
        out: `components/${c.name}`,
      })),
      entryNames: '[dir]/[name]-[hash]',
      chunkNames: 'chunks/chunk-[hash]',
      outdir: outDir,
      jsxImportSource: 'react',
      loader: FILE_LOADERS,
      metafile: true,
      plugins: [runtimeModulesPlugin('browser'), entriesPlugin(components, projectDir)],
    });
  } catch (err) {
    const errors = (err as esbuild.BuildFailure).errors;
    if (!errors) throw err;
    return { problems: esbuildProblems(errors, projectDir) };
  }
  const rel = (output: string) => relative(outDir, resolve(projectDir, output)).split('\\').join('/');
  const outputs = new Map(Object.entries(result.metafile.outputs).map(([file, out]) => [rel(file), out]));
  const files: BuiltFile[] = [];
  const hashes: ComponentsManifest['files'] = {};
  for (const file of [...outputs.keys()].sort()) {
    const bytes = await readFile(join(outDir, file));
    hashes[file] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    files.push({ file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length });
  }
  const fileOf = new Map<string, string>();
  for (const [file, out] of outputs) if (out.entryPoint) fileOf.set(out.entryPoint, file);
  const manifest = componentsManifestSchema.parse({
    format: 1,
    react: 'compat',
    components: components.map((c) => {
      const file = fileOf.get(`${ENTRY_NAMESPACE}:${c.name}`)!;
      return { name: c.name, meta: c.meta, file, imports: staticImports(outputs, file, rel) };
    }),
    files: hashes,
  });
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, files };
}

/** The chunks a component's module imports statically, all the way down: fetched with it. */
function staticImports(
  outputs: Map<string, esbuild.Metafile['outputs'][string]>,
  file: string,
  rel: (output: string) => string,
): string[] {
  const seen = new Set<string>([file]);
  const queue = [file];
  for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
    for (const i of outputs.get(f)?.imports ?? []) {
      if (i.kind !== 'import-statement' || i.external) continue;
      const dep = rel(i.path);
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  seen.delete(file);
  return [...seen].sort();
}
