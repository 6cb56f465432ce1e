import { InlayError, isInlayError, type Query, type SecurityOptions, type TokenClaims } from '@inlay/core';
import type { FastifyRequest } from 'fastify';
import type { DashboardSource, ResolvedDashboard } from '../dashboards/index.js';
import { drillDashboard, drillPath } from './drill.js';
import { assertQueryInScope } from './scope.js';

/** What a preview body may say about who runs the query; with a token, none of it is allowed. */
export interface PreviewSecurity {
  securityContext?: Record<string, unknown> | undefined;
  roles?: string[] | undefined;
  environment?: string | undefined;
}

export interface CallerScope {
  security: SecurityOptions;
  environment: string | undefined;
  /** Set for a token: the dashboard version whose datasets bound what it may read. */
  dashboard?: ResolvedDashboard;
  /** The stored model version to query (a token's dashboard version pins it); undefined → current. */
  modelVersion?: string | undefined;
}

// A token's claims are one frozen object for as long as it is remembered as verified, so its
// security options are made once too, frozen: compiled queries find them by identity and text.
const tokenSecurity = new WeakMap<TokenClaims, SecurityOptions>();
function securityOfClaims(claims: TokenClaims): SecurityOptions {
  let security = tokenSecurity.get(claims);
  if (!security) {
    security = Object.freeze({
      securityContext: claims.securityContext,
      ...(claims.roles.length ? { roles: claims.roles } : {}),
      ...(claims.filters.length ? { filters: claims.filters } : {}),
    });
    tokenSecurity.set(claims, security);
  }
  return security;
}

/** The dashboard version a token was issued for; gone since means the token no longer opens anything. */
export async function tokenDashboard(
  claims: TokenClaims,
  source: DashboardSource,
): Promise<ResolvedDashboard> {
  try {
    return await source.resolve(claims.workspaceId, claims.embeddableId, claims.savedVersion);
  } catch (e) {
    if (!isInlayError(e) || e.code !== 'NOT_FOUND') throw e;
    throw new InlayError('ACCESS_DENIED', "this token's dashboard no longer exists.", {
      hint: 'Ask your backend for a new token.',
    });
  }
}

/**
 * Who a data request runs as. With the API key, the preview body says it (no context and no
 * roles is role `default` with `{}`). With a token, everything comes from its claims: a body that
 * also names a context, roles or an environment is refused rather than merged, and the query may
 * only touch the cubes and views of the token's dashboard.
 */
export async function callerScope(
  req: FastifyRequest,
  body: PreviewSecurity & { query?: Query },
  dashboards: DashboardSource,
): Promise<CallerScope> {
  const caller = req.caller;
  if (caller?.kind !== 'token') {
    return {
      security: {
        securityContext: body.securityContext ?? {},
        ...(body.roles ? { roles: body.roles } : {}),
      },
      environment: body.environment,
    };
  }
  if (body.securityContext !== undefined || body.roles !== undefined || body.environment !== undefined) {
    const extra = (['securityContext', 'roles', 'environment'] as const).filter((k) => body[k] !== undefined);
    throw new InlayError(
      'QUERY_INVALID',
      `with a security token, ${extra.join(', ')} come${extra.length === 1 ? 's' : ''} from the token: remove ${extra.join(', ')} from the body.`,
    );
  }
  const { claims } = caller;
  // Inside a drill-down modal the query is for the dashboard linked from the token's (checked there).
  const dashboard = await drillDashboard(claims, drillPath(req), dashboards);
  if (body.query) assertQueryInScope(body.query, dashboard);
  return {
    security: securityOfClaims(claims),
    environment: claims.environment,
    dashboard,
    modelVersion: dashboard.modelVersion,
  };
}
