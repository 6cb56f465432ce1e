import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_ALLOWED_ORIGINS, type OriginPolicy, originProblem } from '../plugins/cors.js';
import { errorBody } from '../plugins/errors.js';

export interface WorkspaceSettingsRouteOptions {
  /** Where the caller's workspace's origins are kept, and the CORS cache to refresh on a change. */
  origins: OriginPolicy;
}

const origin = z
  .string()
  .max(300, 'an origin has at most 300 characters')
  .superRefine((value, ctx) => {
    const problem = originProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `'${value}' ${problem}` });
  })
  .meta({ description: 'scheme://host[:port] exactly as browsers send it (no path), or * for any' });

const settings = z
  .object({
    allowedOrigins: z
      .array(z.string())
      .describe('Browser origins this workspace’s security tokens may be used from; [] = no restriction'),
  })
  .meta({ id: 'WorkspaceSettings' });

const errors = { 400: errorBody, 401: errorBody };
const common = { tags: ['workspace'], security: [{ apiKey: [] }] };
const apiKey = { auth: 'apiKey' as const };

/**
 * Settings of the caller's workspace (the one its API key belongs to). So far: the origins
 * allowed to call `/api/v1/load` and `/api/v1/meta` from a browser, on top of the server-wide
 * `INLAY_CORS_ORIGINS`. A non-empty list also refuses (403) this workspace's tokens sent from
 * any other origin.
 */
export const workspaceSettingsRoutes: FastifyPluginAsyncZod<WorkspaceSettingsRouteOptions> = async (
  app,
  opts,
) => {
  app.get(
    '/api/v1/workspace/settings',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'The workspace settings',
        response: { 200: settings, ...errors },
      },
    },
    async (req) => ({ allowedOrigins: await opts.origins.get(req.caller!.workspaceId) }),
  );

  app.put(
    '/api/v1/workspace/settings',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Replace the workspace settings',
        description:
          'Takes effect at once on this server, within 5 seconds on the others. Duplicates are dropped.',
        body: z.strictObject({
          allowedOrigins: z
            .array(origin)
            .max(MAX_ALLOWED_ORIGINS, `at most ${MAX_ALLOWED_ORIGINS} allowed origins per workspace`),
        }),
        response: { 200: settings, ...errors },
      },
    },
    async (req) => ({
      allowedOrigins: await opts.origins.set(req.caller!.workspaceId, req.body.allowedOrigins),
    }),
  );
};
