import path from 'node:path';
import type { Metafile } from 'esbuild';

/**
 * Which chunks each component needs beyond its own, from esbuild's metafile: every chunk reachable
 * from the component's chunk through static and dynamic imports (a chart's chart-type module and
 * the ECharts chunks under it). The browser otherwise finds them one level at a time — component,
 * then its imports, then after mounting the chart type, then ECharts — one round trip each; the
 * runtime asks for them all as soon as it knows the dashboard's components (`preload.ts`).
 *
 * The components are the modules the registry imports dynamically, each named by its file
 * (`BarChart.tsx` is `BarChart`, the convention of the standard library and of `inlay build`); a
 * registry entry named otherwise is simply not preloaded. Paths are relative to `inlay.js`; chunks
 * `inlay.js` imports statically are left out (they are loaded before any component).
 */
export type ModuleGraph = Record<string, ComponentModules>;

export interface ComponentModules {
  /** What the component's chunk imports, all the way down: needed before it can mount. */
  imports: string[];
  /** What it imports lazily (a chart type and ECharts), and their imports: needed to draw. */
  lazy: string[];
}

export function moduleGraph(metafile: Metafile, outDir: string, registry: string): ModuleGraph {
  const rel = (output: string) => path.relative(outDir, path.resolve(output)).split(path.sep).join('/');
  const outputs = new Map(Object.entries(metafile.outputs).map(([file, out]) => [rel(file), out]));
  const importsOf = (file: string, kinds: readonly string[]) =>
    (outputs.get(file)?.imports ?? [])
      .filter((i) => kinds.includes(i.kind) && !i.external)
      .map((i) => rel(i.path));

  const loaded = closure(['inlay.js'], (f) => importsOf(f, ['import-statement']));
  const registryInput = Object.values(metafile.inputs)
    .flatMap((input) => input.imports)
    .find((i) => i.original === registry)?.path;
  const components = (registryInput ? (metafile.inputs[registryInput]?.imports ?? []) : [])
    .filter((i) => i.kind === 'dynamic-import')
    .map((i) => i.path);
  const chunkOf = new Map<string, string>();
  for (const [file, out] of outputs) if (out.entryPoint) chunkOf.set(out.entryPoint, file);

  const graph: ModuleGraph = {};
  for (const source of components) {
    const own = chunkOf.get(source);
    if (!own) continue;
    const name = path.basename(source).replace(/\.[cm]?[jt]sx?$/, '');
    const statics = closure([own], (f) => importsOf(f, ['import-statement']));
    const all = closure([own], (f) => importsOf(f, ['import-statement', 'dynamic-import']));
    const fresh = (f: string) => f !== own && !loaded.includes(f);
    graph[name] = {
      imports: statics.filter(fresh),
      lazy: all.filter((f) => fresh(f) && !statics.includes(f)),
    };
  }
  return graph;
}

/** Every file reachable from `start` (breadth first, `start` included). */
function closure(start: string[], next: (file: string) => string[]): string[] {
  const seen = new Set(start);
  const queue = [...start];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const dep of next(file)) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      queue.push(dep);
    }
  }
  return [...seen];
}
