import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { errorBody } from '../plugins/errors.js';

/** A connection's or an environment's name, as URLs and bodies carry it. */
export const resourceName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/, 'letters, digits, _ . - (up to 100)');

/** `POST` answers Embeddable's clients expect after a create. */
export const created = z.object({ errorMessage: z.null() });

type Plural = 'connections' | 'environments';
type ZodApp = Parameters<FastifyPluginAsyncZod>[0];

/**
 * What the connections and environments routes share: API-key auth in the caller's workspace,
 * their OpenAPI tag, the `:name` parameter and the route listing the names.
 */
export function namedResource(plural: Plural) {
  const common = { tags: [plural], security: [{ apiKey: [] }] };
  return {
    config: { auth: 'apiKey' as const },
    common,
    params: z.object({ name: resourceName }),
    /** Every route acts on the caller's workspace (the one its API key belongs to). */
    wsOf: (req: FastifyRequest): string => req.caller!.workspaceId,
    /** `GET /api/v1/<plural>`: `{ <plural>: names }` in name order. */
    listRoute(
      app: ZodApp,
      summary: string,
      errors: Record<number, typeof errorBody>,
      list: (workspaceId: string) => Promise<{ name: string }[]>,
    ): void {
      app.get(
        `/api/v1/${plural}`,
        {
          config: { auth: 'apiKey' as const },
          schema: {
            ...common,
            summary,
            response: { 200: z.object({ [plural]: z.array(z.string()) }), ...errors },
          },
        },
        async (req) => ({ [plural]: (await list(req.caller!.workspaceId)).map((r) => r.name) }),
      );
    },
  };
}
