import { InlayError, tokenRequestSchema } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DashboardCatalog } from '../dashboards/index.js';
import { errorBody } from '../plugins/errors.js';
import type { TokenService } from '../tokens/index.js';
import type { Workspace } from '../workspace.js';

export interface SecurityTokenRouteOptions {
  workspace: Workspace;
  dashboards: Promise<DashboardCatalog>;
  tokens: TokenService;
}

const tokenResponse = z.object({ token: z.string() }).meta({ id: 'SecurityToken' });

/**
 * `POST /api/v1/security-token` (Embeddable's shape): the host backend, holding the workspace API
 * key, asks for a short-lived token for one dashboard, user and security context. The browser only
 * ever holds the answer.
 */
export const securityTokenRoutes: FastifyPluginAsyncZod<SecurityTokenRouteOptions> = async (app, opts) => {
  const catalog = await opts.dashboards;

  app.post(
    '/api/v1/security-token',
    {
      config: { auth: 'apiKey' },
      schema: {
        tags: ['tokens'],
        security: [{ apiKey: [] }],
        summary: 'Issue a signed security token for one dashboard, user and security context',
        body: tokenRequestSchema,
        response: { 200: tokenResponse, 400: errorBody, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const body = req.body;
      const dashboard = catalog.find(body.embeddableId);
      if (!dashboard) {
        const known = catalog.list().map((d) => d.name);
        throw new InlayError('NOT_FOUND', `no dashboard with id or name '${body.embeddableId}'.`, {
          hint: known.length
            ? `Known dashboards: ${known.sort().join(', ')}.`
            : 'This workspace has no dashboards yet.',
        });
      }
      if (!dashboard.versions.includes(body.savedVersion)) {
        throw new InlayError(
          'NOT_FOUND',
          `dashboard '${dashboard.name}' has no saved version '${body.savedVersion}'.`,
          {
            hint: `Its versions and tags: ${dashboard.versions.join(', ')}.`,
          },
        );
      }
      const token = await opts.tokens.sign(opts.workspace.id, { ...body, embeddableId: dashboard.id });
      // Who asked for what, never the context's values or the token.
      req.log.info(
        {
          embeddableId: dashboard.id,
          savedVersion: body.savedVersion,
          expiryInSeconds: body.expiryInSeconds,
        },
        'security token issued',
      );
      return { token };
    },
  );
};
