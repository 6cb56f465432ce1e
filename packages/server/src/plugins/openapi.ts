import swagger from '@fastify/swagger';
import apiReference from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * The OpenAPI document is generated from the zod route schemas, so it cannot drift from what
 * the server validates. Registered before the routes: swagger collects them as they are added.
 */
export const openapiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Inlay API',
          description: 'Embeddable-compatible REST API of the Inlay server.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer', description: 'Workspace API key' },
            securityToken: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description: 'Security token from POST /api/v1/security-token (embedded dashboards)',
            },
            session: {
              type: 'apiKey',
              in: 'cookie',
              name: 'inlay_session',
              description:
                'Builder sign-in (POST /api/v1/auth/sign-in). Changes also send the x-inlay-csrf header from GET /api/v1/auth/session.',
            },
          },
        },
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });

    app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () =>
      app.swagger(),
    );

    // Nothing from another origin (self-hosters run air-gapped): the page, its script and the
    // spec are ours; Scalar's default fonts (fonts.scalar.com) are off, so system fonts show, and
    // so are its telemetry and the buttons that lead to scalar.com services.
    await app.register(apiReference, {
      routePrefix: '/docs',
      logLevel: 'warn',
      configuration: {
        withDefaultFonts: false,
        telemetry: false,
        showDeveloperTools: 'never',
        mcp: { disabled: true },
      },
    });
  },
  { name: 'inlay-openapi' },
);
