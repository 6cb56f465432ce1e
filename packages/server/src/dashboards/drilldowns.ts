import {
  type DashboardDocument,
  type DrilldownTarget,
  drilldownIssues,
  drilldownTargets,
  InlayError,
} from '@inlay/core';
import type { DashboardTag, Store } from '../store/index.js';

const variablesOf = (definition: unknown): string[] =>
  ((definition as Partial<DashboardDocument>).variables ?? []).map((v) => v.name);

/**
 * Refuses a version whose DRILLDOWN events open a dashboard that does not exist, or pass it a
 * variable it does not declare. Saving checks against the target's latest version (else its
 * draft); publishing to a tag checks that the target has a version at that tag too, since a token
 * of that tag opens the target at the same tag and would otherwise fail in a customer's browser.
 */
export async function assertDrilldowns(
  store: Store,
  workspaceId: string,
  definition: unknown,
  tag?: DashboardTag,
): Promise<void> {
  const doc = { widgets: (definition as Partial<DashboardDocument>).widgets ?? [] };
  const targets = drilldownTargets(doc);
  if (targets.size === 0) return;
  const all = await store.dashboards.list(workspaceId);
  const found = new Map<string, DrilldownTarget>();
  for (const t of targets) {
    const d = all.find((x) => x.id === t) ?? all.find((x) => x.name === t);
    if (!d) continue;
    let definition: unknown;
    if (tag) {
      if (d.tags[tag] === undefined) {
        const problem = `drill-down target '${d.name}' has no ${tag} version; publish it to ${tag} first.`;
        found.set(t, { name: d.name, variables: [], problem });
        continue;
      }
      definition = (await store.dashboards.version(workspaceId, d.id, tag)).definition;
    } else if (d.latestVersion > 0) {
      definition = (await store.dashboards.version(workspaceId, d.id, 'latest')).definition;
    } else definition = (await store.dashboards.draft(workspaceId, d.id))?.definition ?? {};
    found.set(t, { name: d.name, variables: variablesOf(definition) });
  }
  const issues = drilldownIssues(
    doc,
    (t) => found.get(t),
    all.map((d) => d.name),
  );
  if (issues.length === 0) return;
  throw new InlayError(
    'QUERY_INVALID',
    issues
      .slice(0, 5)
      .map((i) => `document.${i.path.join('.')}: ${i.message}`)
      .join('; '),
    {
      hint: 'Change the drill-down in the widget’s interactions, or create and publish the target dashboard.',
    },
  );
}
