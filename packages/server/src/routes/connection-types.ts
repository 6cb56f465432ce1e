import { type CredentialsField, databasePlugins } from '@inlay/drivers';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../plugins/errors.js';

const field = z
  .object({
    name: z.string(),
    label: z.string(),
    expects: z.string().describe('What the field takes, in words: the form shows it as help.'),
    required: z.boolean(),
    secret: z.boolean().describe('A password: never sent back once saved.'),
    input: z.enum(['text', 'number', 'checkbox']),
    initial: z.string().optional().describe("A new connection's starting value (a default port)."),
    placeholder: z.string().optional(),
    blank: z.string().optional().describe('What leaving it out means, e.g. "in memory".'),
  })
  .meta({ id: 'ConnectionField' });

const connectionType = z
  .object({
    type: z.string(),
    label: z.string(),
    aliases: z.array(z.string()),
    fields: z.array(field),
    url: z
      .object({ expects: z.string() })
      .optional()
      .describe('Present when the type also takes a `url` alone.'),
  })
  .meta({ id: 'ConnectionType' });

function describeField(name: string, f: CredentialsField): z.infer<typeof field> {
  return {
    name,
    label: f.label ?? `${name.charAt(0).toUpperCase()}${name.slice(1)}`,
    expects: f.expects,
    required: f.required,
    secret: f.secret === true,
    input: f.input ?? 'text',
    ...(f.initial !== undefined ? { initial: f.initial } : {}),
    ...(f.placeholder !== undefined ? { placeholder: f.placeholder } : {}),
    ...(f.blank !== undefined ? { blank: f.blank } : {}),
  };
}

/** Built once: the registry does not change while the server runs. */
const CONNECTION_TYPES = databasePlugins().map((p) => ({
  type: p.type,
  label: p.label,
  aliases: [...(p.aliases ?? [])],
  fields: Object.entries(p.credentialsSchema.fields).map(([name, f]) => describeField(name, f)),
  ...(p.credentialsSchema.url ? { url: { expects: p.credentialsSchema.url.expects } } : {}),
}));

/**
 * The databases a connection may be and the fields each takes, from the drivers' registry: the
 * builder draws its connection form from this, so a new database needs no builder change.
 */
export const connectionTypeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/connection-types',
    {
      config: { auth: 'apiKey' as const },
      schema: {
        tags: ['connections'],
        security: [{ apiKey: [] }],
        summary: 'Connection types and their credentials fields',
        response: {
          200: z.object({ connectionTypes: z.array(connectionType) }),
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async () => ({ connectionTypes: CONNECTION_TYPES }),
  );
};
