import type { DashboardDocument } from '@inlay/core';
import { InlayError } from '@inlay/core';
import type { Repos } from '../store/index.js';

export interface PublishedDashboard {
  name: string;
  /** `vN`, tagged `production`. */
  version: string;
  /** False when the latest version already had this definition, model and components versions. */
  created: boolean;
}

/** Key order must not make two equal definitions look different. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** What the store keeps: the `version` label of a dashboard as code is the store's to number. */
/** The stored form of a document: without its version label (each saved version carries its number). */
export function storedDefinition(def: DashboardDocument): Omit<DashboardDocument, 'version'> {
  const { version: _label, ...rest } = def;
  return rest;
}

/**
 * Saves `defs` as new dashboard versions and re-pins every other dashboard from code of the
 * workspace to `modelVersion` and `componentsVersion` (for code, a push is the publish);
 * `production` moves to each one's newest version. A dashboard whose latest version already has
 * the same definition and pins the same versions gets no new version, so restarts and repeated
 * pushes add nothing. Run it inside `store.transaction` to make
 * a push all-or-nothing.
 */
export async function publishDashboards(
  repos: Pick<Repos, 'dashboards'>,
  workspaceId: string,
  modelVersion: string | null,
  defs: DashboardDocument[] = [],
  componentsVersion: string | null = null,
): Promise<PublishedDashboard[]> {
  const wanted = new Map<string, unknown>(defs.map((d) => [d.name, storedDefinition(d)]));
  const stored = await repos.dashboards.list(workspaceId);
  const builders = stored.filter((d) => d.source === 'builder' && wanted.has(d.name)).map((d) => d.name);
  if (builders.length > 0) {
    throw new InlayError(
      'CONFLICT',
      `dashboard${builders.length > 1 ? 's' : ''} ${builders.map((n) => `'${n}'`).join(', ')} ${builders.length > 1 ? 'were' : 'was'} made in the builder: code may not overwrite ${builders.length > 1 ? 'them' : 'it'}`,
      { hint: 'Give the dashboard in the file another name (or delete the builder one).' },
    );
  }
  // Builder dashboards are saved and published by people, never by a start or a push.
  for (const d of stored) {
    if (d.source === 'code' && !wanted.has(d.name) && d.latestVersion > 0) {
      wanted.set(d.name, (await repos.dashboards.version(workspaceId, d.id, 'latest')).definition);
    }
  }
  const out: PublishedDashboard[] = [];
  for (const [name, definition] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const latest = await repos.dashboards.version(workspaceId, name, 'latest').catch(() => undefined);
    const same =
      latest &&
      latest.modelVersion === modelVersion &&
      latest.componentsVersion === componentsVersion &&
      canonical(latest.definition) === canonical(definition);
    const version = same
      ? latest
      : await repos.dashboards.save(workspaceId, name, definition, modelVersion, null, componentsVersion);
    if (!version.tags.includes('production')) {
      await repos.dashboards.tag(workspaceId, name, 'production', version.version);
    }
    out.push({ name, version: `v${version.version}`, created: !same });
  }
  return out;
}
