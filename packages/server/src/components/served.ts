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

/**
 * A file's URL relative to the server's base address (no leading slash), as the embed runtime
 * resolves it (`new URL(url, baseUrl + '/')`): right behind a proxy that serves Inlay under a path.
 */
export const componentFileUrl = (version: string, path: string) =>
  `${COMPONENT_FILES_PREFIX.slice(1)}/${version}/${path}`;

/**
 * What the embed's dashboard answer adds and the runtime registers before mounting: the pinned
 * version's modules by name (`components` has the shape `registerComponents` takes).
 */
export interface EmbedComponents {
  /** The pinned components version; null when the dashboard version pins none. */
  componentsVersion: string | null;
  /** Each workspace component the dashboard uses: its module's URL, by name. */
  components: Record<string, string>;
  /** The files each one imports (chunks, CSS), to fetch together with it. */
  componentImports: Record<string, string[]>;
}

export const NO_COMPONENTS: EmbedComponents = {
  componentsVersion: null,
  components: {},
  componentImports: {},
};

/** The URLs of `names` (all of them when absent) in a manifest. */
export function componentUrls(
  version: string,
  manifest: ComponentsManifest,
  names?: ReadonlySet<string>,
): EmbedComponents {
  const out: EmbedComponents = { componentsVersion: version, components: {}, componentImports: {} };
  for (const c of manifest.components) {
    if (names && !names.has(c.name)) continue;
    out.components[c.name] = componentFileUrl(version, c.file);
    out.componentImports[c.name] = c.imports.map((f) => componentFileUrl(version, f));
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
