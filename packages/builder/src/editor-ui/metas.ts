import { standardComponents } from '@inlay/components/registry';
import type { ComponentMeta } from '@inlay/core';
import { api } from '../api.js';
import { registerWorkspaceComponents } from './runtime.js';

/** Every standard component's meta (each module loads once; the palette and inputs panel read them). */
let loading: Promise<Record<string, ComponentMeta>> | undefined;

function standardMetas(): Promise<Record<string, ComponentMeta>> {
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

/**
 * The workspace's own components at its current version (`GET /api/v1/components`), asked each
 * time an editor opens so a push shows up without a page reload, and registered with the embed
 * runtime so the canvas previews them. Without them (an older server, a failed request) the
 * builder still works with the standard ones.
 */
async function workspaceMetas(): Promise<Record<string, ComponentMeta>> {
  const listed = await api.components().catch(() => []);
  const own = listed.filter((c) => !c.standard && c.url);
  await registerWorkspaceComponents(Object.fromEntries(own.map((c) => [c.name, c.url!]))).catch(() => {});
  return Object.fromEntries(own.map((c) => [c.name, c.meta]));
}

/** The standard components' metas, then the workspace's (a standard name is never a workspace one). */
export async function loadComponentMetas(): Promise<Record<string, ComponentMeta>> {
  const [standard, own] = await Promise.all([standardMetas(), workspaceMetas()]);
  return { ...standard, ...own };
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
