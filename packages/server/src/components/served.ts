import type { ComponentsManifest } from '@inlay/core';
import { LRUCache } from 'lru-cache';
import type { Store } from '../store/index.js';

/**
 * Where the files of a components version are served: under the version's hash, at their path
 * inside the build folder (`/embed/v1/c/<version>/components/X-HASH.js`). The path is kept as
 * built because bundled modules import their chunks by relative URL (`../chunks/chunk-HASH.js`);
 * the version hash covers every file's SHA-256, so the URL names exactly one content and is
 * cached forever.
 */
export const COMPONENT_FILES_PREFIX = '/embed/v1/c';

export const componentFileUrl = (version: string, path: string) =>
  `${COMPONENT_FILES_PREFIX}/${version}/${path}`;

/** What the embed runtime registers before mounting: the pinned version's modules by name. */
export interface EmbedComponents {
  /** The pinned components version; null when the dashboard version pins none. */
  version: string | null;
  /** `compat`: the runtime's preact/compat; `react`: the components need real React. */
  react: 'compat' | 'react';
  /** Each component's module URL (a path on this server), by component name. */
  urls: Record<string, string>;
  /** The files each one imports (chunks, CSS), to fetch together with it. */
  imports: Record<string, string[]>;
}

export const NO_COMPONENTS: EmbedComponents = { version: null, react: 'compat', urls: {}, imports: {} };

/** The URLs of `names` (all of them when absent) in a manifest. */
export function componentUrls(version: string, manifest: ComponentsManifest, names?: ReadonlySet<string>) {
  const out: EmbedComponents = { version, react: manifest.react, urls: {}, imports: {} };
  for (const c of manifest.components) {
    if (names && !names.has(c.name)) continue;
    out.urls[c.name] = componentFileUrl(version, c.file);
    out.imports[c.name] = c.imports.map((f) => componentFileUrl(version, f));
  }
  return out;
}

/**
 * Manifests by workspace and version, kept in memory: a version never changes, and every embed
 * of a dashboard asks for its pinned one.
 */
export function manifestCache(store: Store) {
  const cache = new LRUCache<string, ComponentsManifest>({ max: 500 });
  return {
    async get(workspaceId: string, version: string): Promise<ComponentsManifest | undefined> {
      const key = `${workspaceId}\u0000${version}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const found = await store.components.find(workspaceId, version);
      if (found) cache.set(key, found.manifest);
      return found?.manifest;
    },
  };
}

export type ManifestCache = ReturnType<typeof manifestCache>;
