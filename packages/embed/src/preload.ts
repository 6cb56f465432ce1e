import type { ComponentRegistry } from './element.js';
import type { ModuleGraph } from './module-graph.js';

/**
 * The registry with each loader also asking for every chunk its component will need (its
 * imports, its chart type, ECharts) at once, instead of level by level as the browser finds
 * them (see `module-graph.ts`). The runtime calls the loaders of a dashboard's components in one
 * go; the preloads follow in a microtask so the browser queues, in this order, the components,
 * what they need to mount, then what they need to draw. `import()` and not
 * `<link rel=modulepreload>`: nothing is added to the host's document, and the host's CSP already
 * allows our scripts. A chunk that fails here fails again, and is reported, where it is imported.
 */
export function withPreload(
  registry: ComponentRegistry,
  graph: ModuleGraph,
  base: string,
): ComponentRegistry {
  const requested = new Set<string>();
  const queued: string[] = [];
  const flush = () => {
    const names = queued.splice(0);
    const files = [
      ...names.flatMap((n) => graph[n]?.imports ?? []),
      ...names.flatMap((n) => graph[n]?.lazy ?? []),
    ];
    for (const file of files) {
      if (requested.has(file)) continue;
      requested.add(file);
      import(new URL(file, base).href).catch(() => {});
    }
  };
  return Object.fromEntries(
    Object.entries(registry).map(([name, load]) => [
      name,
      () => {
        if (queued.length === 0) queueMicrotask(flush);
        queued.push(name);
        return load();
      },
    ]),
  );
}
