import { DEFAULT_ENVIRONMENT, InlayError } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../plugins/errors.js';
import type { DatasourceMapping, Store } from '../store/index.js';
import type { WorkspaceResolver } from '../workspaces/index.js';
import { created, namedResource, resourceName } from './named-resources.js';

export interface EnvironmentRouteOptions {
  store: Store;
  /** Every route acts on the caller's workspace (the one its API key belongs to). */
  workspaces: WorkspaceResolver;
}

const datasources = z
  .array(z.strictObject({ data_source: z.string().min(1).max(100), connection: resourceName }))
  .max(100);
const environment = z.object({
  name: z.string(),
  datasources: z.array(z.object({ data_source: z.string(), connection: z.string() })),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
const errors = { 400: errorBody, 401: errorBody, 404: errorBody, 409: errorBody };
const { config: apiKey, common, params, wsOf, listRoute } = namedResource('environments');

const bad = (message: string) => new InlayError('QUERY_INVALID', message);

/**
 * Environments: which connection serves each model `data_source`. `default` is implicit (each
 * data_source → the connection of the same name), so it cannot be created, changed or deleted.
 */
export const environmentRoutes: FastifyPluginAsyncZod<EnvironmentRouteOptions> = async (app, opts) => {
  const { store, workspaces } = opts;
  /** Queries of this replica read the new mapping at once (others within their source-map TTL). */
  const changed = async (ws: string, name: string) => (await workspaces.get(ws)).environmentChanged?.(name);

  function notDefault(name: string, verb: string): void {
    if (name === DEFAULT_ENVIRONMENT) {
      throw bad(
        `the '${DEFAULT_ENVIRONMENT}' environment is implicit (each data_source uses the connection of the same name) and cannot be ${verb}`,
      );
    }
  }

  async function checked(ws: string, list: DatasourceMapping[]): Promise<DatasourceMapping[]> {
    const seen = new Set<string>();
    for (const d of list) {
      if (seen.has(d.data_source)) throw bad(`data_source '${d.data_source}' is mapped twice`);
      seen.add(d.data_source);
      if (!(await store.connections.find(ws, d.connection))) {
        throw bad(`data_source '${d.data_source}' names an unknown connection '${d.connection}'`);
      }
    }
    return list;
  }

  app.post(
    '/api/v1/environments',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Create an environment',
        body: z.strictObject({ name: resourceName, datasources }),
        response: { 201: created, ...errors },
      },
    },
    async (req, reply) => {
      const ws = wsOf(req);
      notDefault(req.body.name, 'created');
      await store.environments.create(ws, {
        name: req.body.name,
        datasources: await checked(ws, req.body.datasources),
      });
      return reply.code(201).send({ errorMessage: null });
    },
  );

  listRoute(app, 'List stored environment names (the implicit default is not listed)', errors, (ws) =>
    store.environments.list(ws),
  );

  app.get(
    '/api/v1/environments/:name',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'An environment and its mappings',
        params,
        response: { 200: environment, ...errors },
      },
    },
    async (req) => {
      const ws = wsOf(req);
      if (req.params.name === DEFAULT_ENVIRONMENT) {
        const names = (await store.connections.list(ws)).map((c) => c.name);
        return {
          name: DEFAULT_ENVIRONMENT,
          datasources: names.map((n) => ({ data_source: n, connection: n })),
        };
      }
      return store.environments.get(ws, req.params.name);
    },
  );

  app.put(
    '/api/v1/environments/:name',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Replace the mappings',
        params,
        body: z.strictObject({ name: resourceName.optional(), datasources }),
        response: { 200: environment, ...errors },
      },
    },
    async (req) => {
      const ws = wsOf(req);
      notDefault(req.params.name, 'changed');
      if (req.body.name !== undefined && req.body.name !== req.params.name) {
        throw bad('an environment cannot be renamed; create a new one');
      }
      const updated = await store.environments.update(
        ws,
        req.params.name,
        await checked(ws, req.body.datasources),
      );
      await changed(ws, req.params.name);
      return updated;
    },
  );

  app.delete(
    '/api/v1/environments/:name',
    {
      config: apiKey,
      schema: { ...common, summary: 'Delete an environment', params, response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      const ws = wsOf(req);
      notDefault(req.params.name, 'deleted');
      await store.environments.delete(ws, req.params.name);
      await changed(ws, req.params.name);
      return reply.code(204).send(null);
    },
  );
};
