import { drilldownTargets, InlayError, isInlayError, type TokenClaims } from '@inlay/core';
import type { FastifyRequest } from 'fastify';
import type { DashboardSource, ResolvedDashboard } from '../dashboards/index.js';
import { DASHBOARD_TAGS } from '../store/index.js';
import { tokenDashboard } from './caller.js';

/**
 * Drill-down with a security token. A token names one dashboard; the embed's modal opens others
 * with the same token, saying which in this header: the dashboards opened from the token's, in
 * order (`B`, or `B,C` for a drill inside the modal). Each hop must be a DRILLDOWN target of the
 * version before it, so a token reaches exactly what its dashboard links to and nothing else;
 * the claims (security context, roles, filters, environment) stay the token's.
 */
export const DRILL_HEADER = 'x-inlay-drill';
/** Nested drills deeper than this are refused: no dashboard design needs more, a loop would. */
export const MAX_DRILL_DEPTH = 5;

const HOP = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** The header's path; empty without one. A malformed header is a 400, never ignored. */
export function drillPath(req: FastifyRequest): string[] {
  const raw = req.headers[DRILL_HEADER];
  if (raw === undefined || raw === '') return [];
  const hops = String(raw)
    .split(',')
    .map((h) => h.trim());
  if (hops.length > MAX_DRILL_DEPTH || !hops.every((h) => HOP.test(h))) {
    throw new InlayError(
      'QUERY_INVALID',
      `${DRILL_HEADER} must list at most ${MAX_DRILL_DEPTH} dashboard ids or names, separated by commas.`,
    );
  }
  return hops;
}

/**
 * Which version a drilled-to dashboard is read at: the token's tag (a production token sees the
 * target's production version); a token pinned to `vN` of its own dashboard cannot say which
 * version of another it means, so it gets the target's production one, as a new token would.
 */
function targetVersion(claims: TokenClaims): string {
  return (DASHBOARD_TAGS as readonly string[]).includes(claims.savedVersion)
    ? claims.savedVersion
    : 'production';
}

/** The dashboard a token request is for: the token's own, or the end of a checked drill path. */
export async function drillDashboard(
  claims: TokenClaims,
  path: readonly string[],
  source: DashboardSource,
): Promise<ResolvedDashboard> {
  let current = await tokenDashboard(claims, source);
  for (const hop of path) {
    // Links are read from the version the token (or the previous hop) resolved, never from the client.
    if (!current.document || !drilldownTargets(current.document).has(hop)) {
      throw new InlayError(
        'ACCESS_DENIED',
        `dashboard '${current.name}' (${current.version}) has no drill-down to '${hop}': this token may open only the dashboards its dashboard's DRILLDOWN events name.`,
      );
    }
    const version = targetVersion(claims);
    try {
      current = await source.resolve(claims.workspaceId, hop, version);
    } catch (e) {
      if (!isInlayError(e) || e.code !== 'NOT_FOUND') throw e;
      // No hint listing the workspace's dashboards: a token holder is not told what else exists.
      throw new InlayError(
        'NOT_FOUND',
        `dashboard '${current.name}' drills down to '${hop}', which does not exist or has no '${version}' version.`,
        { hint: 'Publish the target dashboard, or change the drill-down to one that exists.' },
      );
    }
  }
  return current;
}
