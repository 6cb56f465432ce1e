import { tokenRequestSchema } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DashboardSource } from '../dashboards/index.js';
import { errorBody } from '../plugins/errors.js';
import type { TokenService } from '../tokens/index.js';

export interface SecurityTokenRouteOptions {
  /** Where `embeddableId` and `savedVersion` are looked up (the caller's workspace only). */
  dashboards: DashboardSource;
  tokens: TokenService;
}

const tokenResponse = z.object({ token: z.string() }).meta({ id: 'SecurityToken' });

/**
 * `POST /api/v1/security-token` (Embeddable's shape): the host backend, holding the workspace API
 * key, asks for a short-lived token for one dashboard, user and security context. The browser only
 * ever holds the answer.
 */
export const securityTokenRoutes: FastifyPluginAsyncZod<SecurityTokenRouteOptions> = async (app, opts) => {
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
      const workspaceId = req.caller!.workspaceId;
      // 404 naming what exists, for an unknown dashboard or version of the caller's workspace.
      const dashboard = await opts.dashboards.resolve(workspaceId, body.embeddableId, body.savedVersion);
      const token = await opts.tokens.sign(workspaceId, { ...body, embeddableId: dashboard.id });
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
