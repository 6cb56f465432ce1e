import type { ComponentMeta } from '@inlay/core';

/**
 * The standard library beside every workspace's own components. Its names come from the registry
 * module alone (cheap: every component sits behind a dynamic import); the metas need each module
 * loaded once (ECharts included), so only `GET /api/v1/components` asks for them, on first use.
 */
const registry = () => import('@inlay/components/registry').then((m) => m.standardComponents);

let names: Promise<ReadonlySet<string>> | undefined;
let metas: Promise<ComponentMeta[]> | undefined;

export function standardNames(): Promise<ReadonlySet<string>> {
  names ??= registry().then((r) => new Set(Object.keys(r)));
  return names;
}

export function standardMetas(): Promise<ComponentMeta[]> {
  metas ??= registry()
    .then((r) => Promise.all(Object.values(r).map(async (load) => (await load()).default.meta)))
    .catch((e: unknown) => {
      metas = undefined;
      throw e;
    });
  return metas;
}
