import { DEFAULT_ENVIRONMENT, InlayError } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../plugins/errors.js';
import type { Preaggs } from '../preaggs/index.js';
import type { Store } from '../store/index.js';

export interface CachingRouteOptions {
  store: Store;
  preaggs: Pick<Preaggs, 'status' | 'changed'>;
}

const name = z.string().min(1).max(100);

/** Embeddable's body; each call replaces the last. */
const refreshContexts = z.strictObject({
  embeddables: z
    .array(
      z.strictObject({
        embeddableId: z.string().min(1).max(200),
        savedVersions: z.array(name).max(100).optional(),
      }),
    )
    .max(1000)
    .optional()
    .describe('Dashboards whose data to keep warm (stored; every rollup of the served models is built).'),
  scheduledRefreshContexts: z
    .array(
      z.strictObject({
        securityContext: z.record(z.string(), z.unknown()),
        environment: name.optional().describe('Default: the implicit `default` environment.'),
        timezones: z.array(z.string().min(1).max(100)).max(50).optional(),
      }),
    )
    .max(1000)
    .describe(
      'Rollups are built once per environment, without a security context (row-level rules apply when a query is answered from them), bucketed in UTC.',
    ),
  roles: z.array(name).max(50).optional(),
});

const rollupStatus = z.object({
  rollupId: z.string(),
  type: z
    .enum(['rollup', 'original_sql'])
    .describe('original_sql: a copy of the cube rollups are built from; it never answers queries'),
  hash: z.string(),
  environment: z.string(),
  dataSource: z.string(),
  connection: z.string().optional(),
  state: z.enum(['built', 'pending', 'stale source', 'orphaned']),
  partitions: z.number(),
  builtPartitions: z.number(),
  rows: z.number(),
  builtAt: z.string().optional(),
  ageMs: z.number().optional(),
  buildMs: z.number().optional(),
  refreshEveryMs: z.number().optional(),
  lastError: z.string().optional(),
  lastErrorAt: z.string().optional(),
  served: z.boolean().optional(),
});

const errors = { 400: errorBody, 401: errorBody };
const common = { tags: ['caching'], security: [{ apiKey: [] }] };
const apiKey = { auth: 'apiKey' as const };

/** L2 pre-aggregations: which environments to keep warm, and what is built. */
export const cachingRoutes: FastifyPluginAsyncZod<CachingRouteOptions> = async (app, opts) => {
  const { store, preaggs } = opts;

  app.post(
    '/api/v1/caching/refresh-contexts',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Register the environments (and contexts) whose pre-aggregations to build and refresh',
        body: refreshContexts,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      const ws = req.caller!.workspaceId;
      const environments = [
        ...new Set(req.body.scheduledRefreshContexts.map((c) => c.environment ?? DEFAULT_ENVIRONMENT)),
      ];
      for (const env of environments) {
        if (env !== DEFAULT_ENVIRONMENT && !(await store.environments.find(ws, env))) {
          throw new InlayError('UNKNOWN_ENVIRONMENT', `unknown environment '${env}'`, {
            hint: 'Create it first with POST /api/v1/environments, or leave `environment` out for the default one.',
          });
        }
      }
      await store.preaggs.setRefreshContexts(ws, req.body, environments);
      preaggs.changed();
      req.log.info({ environments }, 'refresh contexts registered');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/caching/pre-aggregations',
    {
      config: apiKey,
      schema: {
        ...common,
        summary:
          'Every pre-aggregation of the served models per environment: partitions, rows, age, last error',
        response: { 200: z.object({ preAggregations: z.array(rollupStatus) }), ...errors },
      },
    },
    async (req) => ({ preAggregations: await preaggs.status(req.caller!.workspaceId) }),
  );
};
