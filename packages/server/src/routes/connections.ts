import { InlayError } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireSchemas, requireTables } from '../connections/introspection.js';
import { keepingPassword, visibleSettings } from '../connections/settings.js';
import { type ConnectionType, checkConnection, openReadOnly, testConnection } from '../connections/types.js';
import { errorBody } from '../plugins/errors.js';
import type { Credentials, Store } from '../store/index.js';
import type { WorkspaceResolver } from '../workspaces/index.js';
import { created, namedResource, resourceName } from './named-resources.js';

export interface ConnectionRouteOptions {
  store: Store;
  /** Every route acts on the caller's workspace (the one its API key belongs to). */
  workspaces: WorkspaceResolver;
}

const credentials = z.record(z.string(), z.unknown()).describe('Per type; never returned.');
const typeAndCredentials = z.strictObject({ type: z.string().min(1).max(50), credentials });
const settings = z
  .object({ hasPassword: z.boolean() })
  .catchall(z.union([z.string(), z.number(), z.boolean()]))
  .describe(
    "The type's fields that are not secret (host, port, database, user, path, ssl…), for an edit form; never a password.",
  )
  .meta({ id: 'ConnectionSettings' });
const info = z.object({
  name: z.string(),
  type: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  settings: settings.optional(),
});
const keepPassword = z
  .boolean()
  .optional()
  .describe('With no password (and no url) in credentials: keep the saved password.');
const testResult = z.object({
  ok: z.literal(true),
  canWrite: z.boolean(),
  warning: z.string().optional(),
  latencyMs: z.number().describe('How long connecting and checking took, in milliseconds.'),
});

/** A test's answer with the time it took (the builder shows it). */
async function timedTest(type: ConnectionType, credentials: Credentials) {
  const started = performance.now();
  const result = await testConnection(type, credentials);
  return { ...result, latencyMs: Math.round(performance.now() - started) };
}
const columnInfo = z
  .object({
    schemaName: z.string(),
    tableName: z.string(),
    columnName: z.string(),
    dataType: z.string(),
    attributes: z.array(z.literal('primaryKey')),
    foreignKeys: z.array(z.object({ targetTable: z.string(), targetColumn: z.string() })),
  })
  .meta({ id: 'ColumnInfo' });

const errors = {
  400: errorBody,
  401: errorBody,
  404: errorBody,
  409: errorBody,
  502: errorBody,
  504: errorBody,
};
const { config: apiKey, common, params, wsOf, listRoute } = namedResource('connections');

/**
 * Connections of the caller's workspace (Embeddable's shapes). Credentials are checked for
 * shape, sealed by the store and never sent back; a saved connection is not contacted until it is
 * tested or queried.
 */
export const connectionRoutes: FastifyPluginAsyncZod<ConnectionRouteOptions> = async (app, opts) => {
  const { store, workspaces } = opts;

  async function saved(
    ws: string,
    name: string,
  ): Promise<{ type: ConnectionType; credentials: Credentials }> {
    const found = await store.connections.get(ws, name);
    return { type: found.type as ConnectionType, credentials: await store.connections.credentials(ws, name) };
  }

  /**
   * Before a route opens a driver itself (tests, introspection): the workspace's data the project's
   * setup still prepares, as every driver the workspace opens waits for it (its error if it failed).
   */
  async function dataPrepared(ws: string): Promise<void> {
    await (await workspaces.get(ws)).dataPreparation?.done;
  }

  app.post(
    '/api/v1/connections',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Create a connection',
        body: typeAndCredentials.extend({ name: resourceName }),
        response: { 201: created, ...errors },
      },
    },
    async (req, reply) => {
      const ws = wsOf(req);
      const checked = checkConnection(req.body.type, req.body.credentials);
      await store.connections.create(ws, { name: req.body.name, ...checked });
      req.log.info({ connection: req.body.name, type: checked.type }, 'connection created');
      return reply.code(201).send({ errorMessage: null });
    },
  );

  listRoute(app, 'List connection names', errors, (ws) => store.connections.list(ws));

  app.get(
    '/api/v1/connections/:name',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'A connection, without its credentials',
        params,
        response: { 200: info, ...errors },
      },
    },
    async (req) => {
      const ws = wsOf(req);
      const found = await store.connections.get(ws, req.params.name);
      const creds = await store.connections.credentials(ws, req.params.name);
      return { ...found, settings: visibleSettings(found.type, creds) };
    },
  );

  app.put(
    '/api/v1/connections/:name',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Replace type and credentials',
        params,
        body: typeAndCredentials.extend({ keepPassword }),
        response: { 200: info, ...errors },
      },
    },
    async (req) => {
      const ws = wsOf(req);
      const given = req.body.keepPassword
        ? keepingPassword(req.body.credentials, (await saved(ws, req.params.name)).credentials)
        : req.body.credentials;
      const checked = checkConnection(req.body.type, given);
      const out = await store.connections.update(ws, req.params.name, checked);
      await (await workspaces.get(ws)).connectionChanged?.(req.params.name);
      req.log.info({ connection: req.params.name, type: checked.type }, 'connection updated');
      return out;
    },
  );

  app.delete(
    '/api/v1/connections/:name',
    {
      config: apiKey,
      schema: { ...common, summary: 'Delete a connection', params, response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      const ws = wsOf(req);
      const { name } = req.params;
      await store.connections.get(ws, name);
      const users = (await store.environments.list(ws))
        .filter((e) => e.datasources.some((d) => d.connection === name))
        .map((e) => e.name);
      if (users.length > 0) {
        throw new InlayError(
          'CONFLICT',
          `connection '${name}' is used by environment(s) ${users.join(', ')}`,
          {
            hint: 'Change or delete those environments first.',
          },
        );
      }
      await store.connections.delete(ws, name);
      await (await workspaces.get(ws)).connectionChanged?.(name);
      req.log.info({ connection: name }, 'connection deleted');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/connections/test',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Test an unsaved connection',
        body: typeAndCredentials.extend({
          passwordFrom: resourceName
            .optional()
            .describe(
              'With no password (and no url) in credentials: use the password saved for this connection.',
            ),
        }),
        response: { 200: testResult, ...errors },
      },
    },
    async (req) => {
      const from = req.body.passwordFrom;
      const given = from
        ? keepingPassword(req.body.credentials, (await saved(wsOf(req), from)).credentials)
        : req.body.credentials;
      const checked = checkConnection(req.body.type, given);
      await dataPrepared(wsOf(req));
      return timedTest(checked.type, checked.credentials);
    },
  );

  app.post(
    '/api/v1/connections/:name/test',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Test a saved connection',
        params,
        response: { 200: testResult, ...errors },
      },
    },
    async (req) => {
      const c = await saved(wsOf(req), req.params.name);
      await dataPrepared(wsOf(req));
      return timedTest(c.type, c.credentials);
    },
  );

  /** A short-lived read-only driver for introspection, closed after the call. */
  async function withDriver<T>(
    ws: string,
    name: string,
    fn: (d: Awaited<ReturnType<typeof openReadOnly>>) => Promise<T>,
  ) {
    const c = await saved(ws, name);
    await dataPrepared(ws);
    const driver = await openReadOnly(c.type, c.credentials);
    try {
      return await fn(driver);
    } finally {
      await driver.close().catch(() => {});
    }
  }

  app.post(
    '/api/v1/connections/:name/schemas',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Schemas of the database',
        params,
        response: { 200: z.object({ schemas: z.array(z.string()) }), ...errors },
      },
    },
    async (req) => ({ schemas: await withDriver(wsOf(req), req.params.name, (d) => d.schemas()) }),
  );

  app.post(
    '/api/v1/connections/:name/tables',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Tables of the given schemas',
        params,
        body: z.array(z.string().min(1).max(200)).min(1).max(100),
        response: {
          200: z.object({ tables: z.array(z.object({ schemaName: z.string(), tableName: z.string() })) }),
          ...errors,
        },
      },
    },
    async (req) => {
      const tables = await withDriver(wsOf(req), req.params.name, async (d) => {
        await requireSchemas(d, req.body);
        const out: { schemaName: string; tableName: string }[] = [];
        for (const schemaName of req.body) {
          for (const tableName of await d.tables(schemaName)) out.push({ schemaName, tableName });
        }
        return out;
      });
      return { tables };
    },
  );

  app.post(
    '/api/v1/connections/:name/columns',
    {
      config: apiKey,
      schema: {
        ...common,
        summary: 'Columns of the given tables',
        params,
        body: z
          .array(
            z.strictObject({ schemaName: z.string().min(1).max(200), tableName: z.string().min(1).max(200) }),
          )
          .min(1)
          .max(500),
        response: { 200: z.object({ columns: z.array(columnInfo) }), ...errors },
      },
    },
    async (req) => ({
      columns: await withDriver(wsOf(req), req.params.name, async (d) => {
        await requireTables(d, req.body);
        return d.columns(req.body);
      }),
    }),
  );
};
