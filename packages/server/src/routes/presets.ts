import { presetsSchema } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody } from '../plugins/errors.js';
import type { Store } from '../store/index.js';

export interface PresetRouteOptions {
  store: Store;
}

/** The builder's "view as" choices: security-context and client-context presets. */
export const presetRoutes: FastifyPluginAsyncZod<PresetRouteOptions> = async (app, { store }) => {
  app.get(
    '/api/v1/presets',
    {
      config: { auth: 'apiKey', role: 'viewer' },
      schema: {
        tags: ['builder'],
        security: [{ apiKey: [] }, { session: [] }] as Record<string, string[]>[],
        summary:
          'Security-context and client-context presets (presets/*.sc.yml, *.cc.yml, pushed with the models)',
        response: { 200: presetsSchema, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => store.workspaces.presets(req.caller!.workspaceId),
  );
};
