import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Workspace } from '../workspace.js';
import { errorBody } from './errors.js';

const status = z.object({ status: z.string() });

/**
 * `/healthz` says the process answers (restart me if not); `/readyz` says it can serve data
 * (send me traffic): the model compiles and the default connection answers.
 */
export const healthRoutes: FastifyPluginAsyncZod<{ workspace: Workspace }> = async (app, { workspace }) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'public' },
      schema: { tags: ['operations'], summary: 'The process is up', response: { 200: status } },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'The model is compiled and the default connection answers',
        response: { 200: status, 503: errorBody },
      },
    },
    async (req, reply) => {
      try {
        await workspace.getModel();
        await (await workspace.getDriver('default')).test();
        return { status: 'ready' };
      } catch (err) {
        // Why it is not ready goes to the log; the probe only needs the verdict.
        req.log.warn({ err }, 'not ready');
        return reply
          .code(503)
          .send({ errorMessage: 'not ready: the model or the default connection failed' });
      }
    },
  );
};
