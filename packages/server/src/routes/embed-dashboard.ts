import { dashboardDocumentSchema, InlayError } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DashboardSource } from '../dashboards/index.js';
import { errorBody } from '../plugins/errors.js';
import { DRILL_HEADER, drillDashboard, drillPath } from '../tokens/index.js';

export interface EmbedDashboardRouteOptions {
  /** Where the token's dashboard version is found (the store, or dashboards as code). */
  dashboards: DashboardSource;
}

const embedDashboardResponse = z
  .object({
    dashboard: dashboardDocumentSchema,
    expiresAt: z
      .string()
      .describe("When the token expires (ISO 8601): renew it before, e.g. on 'tokenExpiring'."),
  })
  .meta({ id: 'EmbedDashboard' });

/**
 * `GET /api/v1/embed/dashboard`: what `<inlay-dashboard>` asks first. The dashboard document of the
 * token's dashboard at the version the token was issued for (a later save or push changes nothing
 * for it), and when the token expires. A security token only: the API key has no dashboard.
 * With the `x-inlay-drill` header, a dashboard the token's dashboard drills down to instead.
 */
export const embedDashboardRoutes: FastifyPluginAsyncZod<EmbedDashboardRouteOptions> = async (
  app,
  { dashboards },
) => {
  app.get(
    '/api/v1/embed/dashboard',
    {
      config: { auth: 'token' },
      schema: {
        tags: ['embed'],
        security: [{ securityToken: [] }],
        summary: "The token's dashboard document (at its saved version) and the token's expiry",
        description: `With the \`${DRILL_HEADER}\` header (ids or names, comma-separated): a dashboard the token's dashboard opens by DRILLDOWN, at the token's tag; any other is a 403.`,
        response: {
          200: embedDashboardResponse,
          400: errorBody,
          401: errorBody,
          403: errorBody,
          404: errorBody,
          422: errorBody,
        },
      },
    },
    async (req, reply) => {
      // The auth hook admits tokens only on this route.
      if (req.caller?.kind !== 'token')
        throw new InlayError('ACCESS_DENIED', 'this route takes a security token.');
      const { claims } = req.caller;
      // With the drill header: a dashboard the token's links to (403 when it does not, 404 when the
      // link's target is gone), with the same claims.
      const resolved = await drillDashboard(claims, drillPath(req), dashboards);
      if (!resolved.document) {
        throw new InlayError(
          'MODEL_INVALID',
          `saved version ${resolved.version} of dashboard '${resolved.name}' is not a valid dashboard document: ${resolved.documentProblem ?? 'unknown problem'}.`,
          { hint: 'Save or push the dashboard again, then issue a new token.' },
        );
      }
      // Per token and short-lived: no shared cache may keep it.
      reply.header('cache-control', 'no-store');
      return { dashboard: resolved.document, expiresAt: new Date(claims.exp * 1000).toISOString() };
    },
  );
};
