import { dashboardDocumentSchema, InlayError } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type EmbedComponents, NO_COMPONENTS } from '../components/served.js';
import type { DashboardSource } from '../dashboards/index.js';
import { errorBody } from '../plugins/errors.js';
import { DRILL_HEADER, drillDashboard, drillPath } from '../tokens/index.js';

export interface EmbedDashboardRouteOptions {
  /** Where the token's dashboard version is found (the store, or dashboards as code). */
  dashboards: DashboardSource;
  /**
   * The URLs of a pinned components version's modules (`names` only); without a store there are
   * no workspace components and every answer carries none.
   */
  components?: (workspaceId: string, version: string, names: ReadonlySet<string>) => Promise<EmbedComponents>;
}

const embedComponents = {
  componentsVersion: z
    .string()
    .nullable()
    .describe('The components version this dashboard version pins (null: none, standard components only)'),
  components: z
    .record(z.string(), z.string())
    .describe(
      "Each workspace component the dashboard uses: its module's URL relative to the server's base address. Register them before mounting; standard components come with the runtime.",
    ),
  componentImports: z
    .record(z.string(), z.array(z.string()))
    .describe('The files each of those imports (chunks, CSS), to fetch together with it'),
};

const embedDashboardResponse = z
  .object({
    dashboard: dashboardDocumentSchema,
    ...embedComponents,
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
  { dashboards, components },
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
      // The pinned version's code, never the newest push's: what was published is what shows.
      const used = new Set(resolved.document.widgets.map((w) => w.component));
      const code =
        components && resolved.componentsVersion
          ? await components(req.caller.workspaceId, resolved.componentsVersion, used)
          : NO_COMPONENTS;
      // Per token and short-lived: no shared cache may keep it.
      reply.header('cache-control', 'no-store');
      return {
        dashboard: resolved.document,
        ...code,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
      };
    },
  );
};
