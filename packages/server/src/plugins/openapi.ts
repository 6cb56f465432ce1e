import swagger from '@fastify/swagger';
import type { FastifyInstance, RouteHandlerMethod, RouteOptions } from 'fastify';
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

    lazyApiReference(app);
  },
  { name: 'inlay-openapi' },
);

const DOCS_PREFIX = '/docs';

// Nothing from another origin (self-hosters run air-gapped): the page, its script and the spec are
// ours; Scalar's default fonts (fonts.scalar.com) are off, so system fonts show, and so are its
// telemetry and the buttons that lead to scalar.com services.
const API_REFERENCE_OPTIONS = {
  routePrefix: DOCS_PREFIX,
  logLevel: 'warn',
  configuration: {
    withDefaultFonts: false,
    telemetry: false,
    showDeveloperTools: 'never',
    mcp: { disabled: true },
  },
} as const;

/** The routes Scalar's plugin declares under the prefix (with @fastify/swagger as the spec). */
const API_REFERENCE_ROUTES = ['', '/', '/js/scalar.js', '/openapi.json', '/openapi.yaml'].map(
  (path) => `${DOCS_PREFIX}${path}`,
);

type PluginFunction = (instance: unknown, options: unknown, done: (err?: Error) => void) => void;

/**
 * `/docs`, Scalar's API reference, without loading Scalar at start: its module (a 4 MB script in
 * a string) is ~35 MB of the server's memory and a tenth of a second of its start, for a page few
 * open. Scalar's routes are declared now, with what Scalar gives them (hidden from the spec, log
 * level `warn`); the first request to one loads Scalar, runs its plugin against a recorder of
 * routes, and every request then runs Scalar's own handler.
 */
function lazyApiReference(app: FastifyInstance): void {
  let handlers: Promise<Map<string, RouteHandlerMethod>> | undefined;
  const load = () =>
    (handlers ??= import('@scalar/fastify-api-reference').then(async ({ default: plugin }) => {
      const recorded = new Map<string, RouteHandlerMethod>();
      const recorder = {
        hasPlugin: (name: string) => app.hasPlugin(name),
        swagger: () => app.swagger(),
        log: app.log,
        initialConfig: app.initialConfig,
        route: (route: RouteOptions) => void recorded.set(route.url, route.handler),
      };
      await new Promise<void>((resolve, reject) =>
        (plugin as unknown as PluginFunction)(recorder, API_REFERENCE_OPTIONS, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
      return recorded;
    }));
  for (const url of API_REFERENCE_ROUTES) {
    app.route({
      method: 'GET',
      url,
      schema: { hide: true },
      logLevel: API_REFERENCE_OPTIONS.logLevel,
      async handler(request, reply) {
        const handler = (await load()).get(url);
        if (!handler) return reply.callNotFound();
        return handler.call(this, request, reply);
      },
    });
  }
}
