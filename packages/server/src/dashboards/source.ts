import {
  type DashboardDocument,
  dashboardModels,
  dashboardSchema,
  InlayError,
  isInlayError,
} from '@inlay/core';
import { DASHBOARD_TAGS, type DashboardTag, type Store, type VersionRef } from '../store/index.js';
import type { DashboardCatalog } from './load.js';

/** One saved version of a dashboard, as a token names it. */
export interface ResolvedDashboard {
  id: string;
  name: string;
  /** `vN` (or the dashboard-as-code version label without a store). */
  version: string;
  /** The cubes and views its datasets read: all a token for it may query. */
  models: Set<string>;
  /** The stored model version the dashboard version pins; undefined → the workspace's current one. */
  modelVersion?: string | undefined;
  /** The components version it pins (its widgets' code); undefined → none (standard components only). */
  componentsVersion?: string | undefined;
  /**
   * The version's document (full shape, `id`/`name`/`version` as above). Undefined only for a
   * stored definition that no longer validates; `documentProblem` then says why.
   */
  document: DashboardDocument | undefined;
  documentProblem?: string;
}

/** Where tokens find their dashboards: the store, or the in-memory catalog without one. */
export interface DashboardSource {
  /** A NOT_FOUND InlayError (with a hint listing what exists) when the dashboard or version is unknown. */
  resolve(workspaceId: string, idOrName: string, savedVersion: string): Promise<ResolvedDashboard>;
}

export interface StoreDashboardSource extends DashboardSource {
  /** Forgets cached look-ups of a workspace (after an upload moved its tags). */
  invalidate(workspaceId: string): void;
}

/** Dashboards as code loaded in memory: every version label and tag names the one definition. */
export function catalogSource(catalog: Promise<DashboardCatalog>): DashboardSource {
  return {
    async resolve(_workspaceId, idOrName, savedVersion) {
      const c = await catalog;
      const d = c.find(idOrName);
      if (!d)
        throw unknownDashboard(
          idOrName,
          c.list().map((x) => x.name),
        );
      if (!d.versions.includes(savedVersion)) throw unknownVersion(d.name, savedVersion, d.versions);
      return {
        id: d.id,
        name: d.name,
        version: savedVersion,
        models: d.models,
        document: d.definition,
      };
    },
  };
}

const CACHE_MS = 5_000;

function parseRef(savedVersion: string): VersionRef | undefined {
  if (/^v[1-9]\d{0,8}$/.test(savedVersion)) return savedVersion as `v${number}`;
  if ((DASHBOARD_TAGS as readonly string[]).includes(savedVersion)) return savedVersion as DashboardTag;
  return undefined;
}

/**
 * Dashboards saved in the store, by id or name and by `vN` or publish tag. Answers are cached a
 * few seconds (a token's every request looks its dashboard up); `invalidate` drops a workspace's.
 */
export function storeSource(store: Store): StoreDashboardSource {
  const cache = new Map<string, { at: number; value: Promise<ResolvedDashboard> }>();

  async function lookUp(ws: string, idOrName: string, savedVersion: string): Promise<ResolvedDashboard> {
    const dashboards = await store.dashboards.list(ws);
    const d = dashboards.find((x) => x.id === idOrName) ?? dashboards.find((x) => x.name === idOrName);
    if (!d)
      throw unknownDashboard(
        idOrName,
        dashboards.map((x) => x.name),
      );
    const ref = parseRef(savedVersion);
    const known = () => [
      ...Array.from({ length: d.latestVersion }, (_, i) => `v${i + 1}`),
      ...Object.keys(d.tags),
    ];
    if (!ref) throw unknownVersion(d.name, savedVersion, known());
    try {
      const v = await store.dashboards.version(ws, d.id, ref);
      const version = `v${v.version}`;
      // Saved by this server (full shape) or an earlier one (short form): both parse.
      const parsed = dashboardSchema.safeParse(v.definition);
      const loose = v.definition as { datasets?: { model: string }[] };
      return {
        id: d.id,
        name: d.name,
        version,
        models: parsed.success
          ? dashboardModels(parsed.data)
          : new Set((loose.datasets ?? []).map((s) => s.model)),
        modelVersion: v.modelVersion ?? undefined,
        componentsVersion: v.componentsVersion ?? undefined,
        document: parsed.success ? { ...parsed.data, id: d.id, name: d.name, version } : undefined,
        ...(parsed.success
          ? {}
          : {
              documentProblem: parsed.error.issues
                .slice(0, 3)
                .map((i) => `${i.path.join('.') || 'document'}: ${i.message}`)
                .join('; '),
            }),
      };
    } catch (e) {
      if (isInlayError(e) && e.code === 'NOT_FOUND') throw unknownVersion(d.name, savedVersion, known());
      throw e;
    }
  }

  return {
    resolve(ws, idOrName, savedVersion) {
      const key = `${ws}\u0000${idOrName}\u0000${savedVersion}`;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
      const value = lookUp(ws, idOrName, savedVersion);
      if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
      cache.set(key, { at: Date.now(), value });
      // Failures are not remembered: a dashboard created a moment later must be found.
      value.catch(() => {
        if (cache.get(key)?.value === value) cache.delete(key);
      });
      return value;
    },
    invalidate(ws) {
      for (const key of cache.keys()) if (key.startsWith(`${ws}\u0000`)) cache.delete(key);
    },
  };
}

function unknownDashboard(idOrName: string, known: string[]): InlayError {
  return new InlayError('NOT_FOUND', `no dashboard with id or name '${idOrName}'.`, {
    hint: known.length
      ? `Known dashboards: ${[...known].sort().join(', ')}.`
      : 'This workspace has no dashboards yet.',
  });
}

function unknownVersion(name: string, savedVersion: string, versions: string[]): InlayError {
  return new InlayError('NOT_FOUND', `dashboard '${name}' has no saved version '${savedVersion}'.`, {
    hint: `Its versions and tags: ${versions.join(', ')}.`,
  });
}
