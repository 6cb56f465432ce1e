import { InlayError } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../plugins/errors.js';
import type { ApiKeyInfo, Store } from '../store/index.js';

export interface ApiKeyRouteOptions {
  store: Store;
  /** sha256 of the key the server is configured with (`INLAY_API_KEY`): it works whatever the store says. */
  configuredKeyHash: Buffer;
  /** A key was revoked: forget every remembered verification, so it stops at once. */
  onRevoked: () => void;
}

const apiKeyInfo = z
  .object({
    id: z.string(),
    name: z.string().nullable().describe('What the key is for, as labelled when it was made.'),
    prefix: z.string().describe('The first characters of the key: enough to recognise it, not to use it.'),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    configured: z
      .boolean()
      .describe("The server's own INLAY_API_KEY: it cannot be revoked here (change the variable instead)."),
  })
  .meta({ id: 'ApiKey' });
const newApiKey = apiKeyInfo
  .extend({
    key: z.string().describe('The key itself, shown this once: only its hash is kept.'),
  })
  .meta({ id: 'NewApiKey' });

const common = {
  tags: ['api-keys'],
  security: [{ apiKey: [] }, { session: [] }] as Record<string, string[]>[],
};
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const admin = { auth: 'apiKey' as const, role: 'admin' as const };

/**
 * The workspace's API keys, managed by an admin: list (never the keys: only a prefix), make one
 * (the key is answered once, `cache-control: no-store`; only its sha256 is stored), revoke.
 */
export const apiKeyRoutes: FastifyPluginAsyncZod<ApiKeyRouteOptions> = async (app, opts) => {
  const { store, onRevoked } = opts;
  const configuredHash = opts.configuredKeyHash.toString('hex');
  const shown = (k: ApiKeyInfo, configuredId: string | undefined) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt,
    revokedAt: k.revokedAt,
    configured: k.id === configuredId,
  });

  app.get(
    '/api/v1/api-keys',
    {
      config: admin,
      schema: {
        ...common,
        summary: 'API keys of the workspace (revoked ones too), without the keys',
        response: { 200: z.object({ apiKeys: z.array(apiKeyInfo) }), 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const ws = req.caller!.workspaceId;
      const configuredId = await store.apiKeys.idOfHash(ws, configuredHash);
      return { apiKeys: (await store.apiKeys.list(ws)).map((k) => shown(k, configuredId)) };
    },
  );

  app.post(
    '/api/v1/api-keys',
    {
      config: admin,
      schema: {
        ...common,
        summary: 'Make an API key: the answer holds the key, once',
        body: z.strictObject({
          name: z
            .string()
            .trim()
            .min(1, 'name the key, e.g. "billing backend"')
            .max(100, 'a name is at most 100 characters')
            .describe('What the key is for, e.g. "billing backend".'),
        }),
        response: { 201: newApiKey, ...errors },
      },
    },
    async (req, reply) => {
      const caller = req.caller!;
      // A key made by a signed-in admin acts for them: disabling that admin revokes it.
      const made = await store.apiKeys.create(caller.workspaceId, {
        name: req.body.name,
        ...(caller.kind === 'session' ? { userId: caller.user.id } : {}),
      });
      // The id and prefix only: the key never reaches a log line.
      req.log.info({ apiKey: made.id, prefix: made.prefix }, 'API key created');
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...shown(made, undefined), key: made.key });
    },
  );

  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: admin,
      schema: {
        ...common,
        summary: 'Revoke an API key: it stops working at once',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      const ws = req.caller!.workspaceId;
      const { id } = req.params;
      if ((await store.apiKeys.idOfHash(ws, configuredHash)) === id) {
        throw new InlayError('CONFLICT', "this is the server's own API key (INLAY_API_KEY)", {
          hint: 'The server accepts it whatever the store says: set INLAY_API_KEY to a new key and restart to replace it.',
        });
      }
      await store.apiKeys.revoke(ws, id);
      onRevoked();
      req.log.info({ apiKey: id }, 'API key revoked');
      return reply.code(204).send(null);
    },
  );
};
