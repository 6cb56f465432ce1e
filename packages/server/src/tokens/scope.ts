import { type Filter, InlayError, type Query } from '@inlay/core';

function filterMembers(filters: Filter[], out: string[]): void {
  for (const f of filters) {
    if ('and' in f) filterMembers(f.and, out);
    else if ('or' in f) filterMembers(f.or, out);
    else out.push(f.member);
  }
}

/** Every member a query names: measures, dimensions, time dimensions, filters (nested), segments, order. */
export function queryMembers(query: Query): string[] {
  const out = [...query.measures, ...query.dimensions, ...query.segments];
  for (const t of query.timeDimensions) out.push(t.dimension);
  filterMembers(query.filters, out);
  if (Array.isArray(query.order)) for (const [m] of query.order) out.push(m);
  else if (query.order) out.push(...Object.keys(query.order));
  return out;
}

// Frozen queries (the shared bodies of repeated requests) already checked against a dashboard.
const checked = new WeakMap<Query, WeakSet<object>>();

/**
 * A token may only query the cubes and views its dashboard's datasets name. Checked on every
 * member before the engine sees the query, so a join to another cube cannot widen what it reads.
 */
export function assertQueryInScope(query: Query, dashboard: { name: string; models: Set<string> }): void {
  if (checked.get(query)?.has(dashboard)) return;
  for (const member of queryMembers(query)) {
    const cube = member.split('.')[0]!;
    if (!dashboard.models.has(cube)) {
      throw new InlayError(
        'ACCESS_DENIED',
        `this token's dashboard '${dashboard.name}' may not query '${cube}' (member '${member}').`,
        { hint: `Its datasets use: ${[...dashboard.models].sort().join(', ')}.` },
      );
    }
  }
  if (!Object.isFrozen(query)) return;
  let dashboards = checked.get(query);
  if (!dashboards) {
    dashboards = new WeakSet();
    checked.set(query, dashboards);
  }
  dashboards.add(dashboard);
}
