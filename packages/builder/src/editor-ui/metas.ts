import { standardComponents } from '@inlay/components/registry';
import type { ComponentMeta } from '@inlay/core';

/** Every standard component's meta (each module loads once; the palette and inputs panel read them). */
let loading: Promise<Record<string, ComponentMeta>> | undefined;

export function loadComponentMetas(): Promise<Record<string, ComponentMeta>> {
  loading ??= Promise.all(
    Object.entries(standardComponents).map(
      async ([name, load]) => [name, (await load()).default.meta as ComponentMeta] as const,
    ),
  ).then(Object.fromEntries, (err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** Metas by category (in registry order), for the palette. */
export function byCategory(metas: Record<string, ComponentMeta>): [string, ComponentMeta[]][] {
  const groups = new Map<string, ComponentMeta[]>();
  for (const meta of Object.values(metas)) {
    const category = meta.category ?? 'Other';
    groups.set(category, [...(groups.get(category) ?? []), meta]);
  }
  return [...groups];
}
