import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importModule } from '@inlay/core/import-module';
import * as esbuild from 'esbuild';
import { type BuildProblem, esbuildProblems } from './problems.js';
import { runtimeModulesPlugin } from './runtime-modules.js';

/**
 * Reads every component's meta by running its module in Node (as Embeddable's SDK does): a meta
 * may be computed, imported or spread, so only evaluating it gives what the runtime will see.
 * React and `@inlay/react` are stubs here (`runtime-modules.ts`), so nothing renders. The same
 * esbuild pass tells, from its metafile, which CSS files each component imports.
 */

/** Loaders shared with the browser bundle: CSS becomes text (see `bundle.ts`), images data URLs. */
export const FILE_LOADERS = {
  '.css': 'text',
  '.svg': 'dataurl',
  '.png': 'dataurl',
  '.jpg': 'dataurl',
  '.gif': 'dataurl',
  '.webp': 'dataurl',
} as const;

export interface EvaluatedComponent {
  /** From the file name: `components/FlightCount.tsx` is `FlightCount`. */
  name: string;
  /** The project-relative module whose default export is the definition (`X.emb.ts` or `X.tsx`). */
  entry: string;
  /** Its source files (`X.tsx`, `X.emb.ts`), where problems with its meta are looked up. */
  sources: string[];
  meta: unknown;
  /** Absolute paths of the CSS files it imports, directly or not, in import order. */
  css: string[];
}

export interface Evaluation {
  components: EvaluatedComponent[];
  /** The standard library's metas by name, when `@inlay/components` was found. */
  standard: Map<string, unknown> | undefined;
  problems: BuildProblem[];
}

const STD_NAMESPACE = 'inlay-standard';
const stemOf = (file: string) => file.replace(/(?:\.emb\.ts|\.tsx)$/, '');
const posix = (p: string) => p.split('\\').join('/');

interface Definition {
  meta?: unknown;
  Component?: unknown;
}
const isDefinition = (d: unknown): d is Definition =>
  typeof d === 'object' && d !== null && 'meta' in d && 'Component' in d;

/**
 * `files` are project-relative (`components/X.tsx`, `components/X.emb.ts`); `registry` is the
 * absolute path of `@inlay/components`' registry, or undefined when it cannot be found.
 */
export async function evaluateComponents(
  projectDir: string,
  files: string[],
  registry: string | undefined,
): Promise<Evaluation> {
  const out = await mkdtemp(join(tmpdir(), 'inlay-meta-'));
  try {
    let result: esbuild.BuildResult<{ metafile: true }>;
    try {
      result = await esbuild.build({
        absWorkingDir: projectDir,
        entryPoints: [...files, ...(registry ? [`${STD_NAMESPACE}:registry`] : [])],
        outdir: out,
        outExtension: { '.js': '.mjs' },
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        jsx: 'automatic',
        loader: FILE_LOADERS,
        define: { 'process.env.NODE_ENV': '"production"' },
        metafile: true,
        logLevel: 'silent',
        plugins: [
          runtimeModulesPlugin('node'),
          standardRegistryPlugin(registry),
          lazyImportsLeftOut(registry),
        ],
      });
    } catch (err) {
      const errors = (err as esbuild.BuildFailure).errors;
      if (!errors) throw err;
      return { components: [], standard: undefined, problems: esbuildProblems(errors, projectDir) };
    }
    const outputOf = new Map<string, string>();
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      if (output.entryPoint) outputOf.set(output.entryPoint, resolve(projectDir, file));
    }
    const problems: BuildProblem[] = [];
    const defaults = new Map<string, Definition>();
    for (const file of files) {
      try {
        const mod = (await import(pathToFileURL(outputOf.get(file)!).href)) as { default?: unknown };
        if (isDefinition(mod.default)) defaults.set(file, mod.default);
      } catch (err) {
        problems.push({
          file,
          message: `running it in Node to read its meta failed: ${(err as Error).message}`,
        });
      }
    }
    const components = pickComponents(files, defaults, problems);
    for (const c of components) c.css = cssOf(result.metafile, c.entry, projectDir);
    const standard = registry
      ? await standardMetas(outputOf.get(`${STD_NAMESPACE}:registry`)!, problems)
      : undefined;
    return { components, standard, problems };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/**
 * One component per stem (`components/X`): `X.emb.ts` when it default-exports the definition
 * (Embeddable's layout), else `X.tsx`. A `.tsx` directly in `components/` must be a component;
 * one in a subfolder without a definition is a helper module.
 */
function pickComponents(
  files: string[],
  defaults: Map<string, Definition>,
  problems: BuildProblem[],
): EvaluatedComponent[] {
  const stems = [...new Set(files.map(stemOf))].sort();
  const components: EvaluatedComponent[] = [];
  for (const stem of stems) {
    const sources = [`${stem}.tsx`, `${stem}.emb.ts`].filter((f) => files.includes(f));
    const entry = [`${stem}.emb.ts`, `${stem}.tsx`].find((f) => defaults.has(f));
    if (!entry) {
      if (dirname(stem) === 'components' && !problems.some((p) => sources.includes(p.file ?? ''))) {
        problems.push({
          file: sources[0]!,
          line: 1,
          message:
            'a component file must `export default defineComponent(Component, meta, {...})` (from @inlay/react); move helper modules into a subfolder of components/.',
        });
      }
      continue;
    }
    components.push({ name: basename(stem), entry, sources, meta: defaults.get(entry)!.meta, css: [] });
  }
  return components;
}

/** Every CSS input reachable from `entry` through its imports, depth first (the order they apply). */
function cssOf(metafile: esbuild.Metafile, entry: string, projectDir: string): string[] {
  const seen = new Set<string>();
  const css: string[] = [];
  const visit = (input: string) => {
    if (seen.has(input)) return;
    seen.add(input);
    if (input.endsWith('.css')) css.push(resolve(projectDir, input));
    for (const i of metafile.inputs[input]?.imports ?? []) visit(i.path);
  };
  visit(posix(entry));
  return css;
}

/** The standard registry as an entry: `export default standardComponents`. */
function standardRegistryPlugin(registry: string | undefined): esbuild.Plugin {
  return {
    name: STD_NAMESPACE,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${STD_NAMESPACE}:`) }, () => ({
        path: 'registry',
        namespace: STD_NAMESPACE,
      }));
      build.onLoad({ filter: /.*/, namespace: STD_NAMESPACE }, () => ({
        contents: `export { standardComponents as default } from ${JSON.stringify(registry)};`,
        resolveDir: dirname(registry ?? '.'),
        loader: 'js',
      }));
    },
  };
}

/**
 * Code a module imports on demand (`import()`: a chart library) runs at render time, never while a
 * meta is read: left out, it costs no bundling (ECharts alone took 2 s). The standard registry's
 * own `import()`s are the components, so those stay.
 */
function lazyImportsLeftOut(registry: string | undefined): esbuild.Plugin {
  return {
    name: 'inlay-lazy-imports-left-out',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) =>
        args.kind === 'dynamic-import' && args.importer !== registry
          ? { path: args.path, external: true }
          : undefined,
      );
    },
  };
}

type Registry = Record<string, () => Promise<{ default?: unknown }>>;

async function standardMetas(file: string, problems: BuildProblem[]): Promise<Map<string, unknown>> {
  const metas = new Map<string, unknown>();
  try {
    const registry = (await importModule<{ default: Registry }>(pathToFileURL(file).href)).default;
    for (const [name, load] of Object.entries(registry)) {
      const definition = (await load()).default;
      metas.set(name, isDefinition(definition) ? definition.meta : undefined);
    }
  } catch (err) {
    problems.push({ message: `the standard components' metas could not be read: ${(err as Error).message}` });
  }
  return metas;
}

/** `relative(projectDir, abs)` with `/`, as paths inside a project are written. */
export const projectPath = (projectDir: string, abs: string) => posix(relative(projectDir, abs));
