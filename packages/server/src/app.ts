import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServerConfig } from './config.js';
import { createCatalog, type DashboardCatalog, loadDashboards } from './dashboards/index.js';
import { authPlugin } from './plugins/auth.js';
import { errorsPlugin } from './plugins/errors.js';
import { healthRoutes } from './plugins/health.js';
import { openapiPlugin } from './plugins/openapi.js';
import { connectionRoutes } from './routes/connections.js';
import { dataRoutes } from './routes/data.js';
import { environmentRoutes } from './routes/environments.js';
import { metaRoutes } from './routes/meta.js';
import { securityTokenRoutes } from './routes/security-token.js';
import type { Store } from './store/index.js';
import { createTokenService } from './tokens/index.js';
import type { Workspace } from './workspace.js';

export interface BuildAppOptions {
  /** Without `secretKey`, tokens are signed with a random key and valid only for this app instance. */
  config: Pick<ServerConfig, 'apiKeyHash' | 'maxBodyBytes' | 'queryTimeoutMs' | 'maxRows'> &
    Partial<Pick<ServerConfig, 'secretKey'>>;
  workspace: Workspace;
  /** Dashboards tokens are issued for; default: the `*.embeddable.yml` files of the workspace's project. */
  dashboards?: DashboardCatalog;
  /** The metadata store; with it come the connection and environment routes. */
  store?: Store;
  /** Pino options (level, stream); `false` for silence. Redaction is always added. */
  logger?: false | { level?: string; stream?: { write(line: string): void } };
}

/**
 * Log paths that may hold a secret. Headers are logged (they help debugging), so the
 * Authorization header is the one that matters most; bodies are never logged whole.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.credentials',
  '*.token',
  'securityContext',
  '*.securityContext',
];

/** A secret put in a URL by mistake (`?token=…` is refused, but the request is still logged). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|api_key|apiKey|key)=)[^&#]*/gi, '$1[redacted]');
}

function loggerOptions(logger: BuildAppOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false) return false;
  return {
    level: logger?.level ?? 'info',
    ...(logger?.stream ? { stream: logger.stream } : {}),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; headers: Record<string, unknown>; ip?: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        headers: req.headers,
        remoteAddress: req.ip,
      }),
    },
  };
}

/** The HTTP API for one workspace; closing the app closes the workspace's drivers. */
export function buildApp(options: BuildAppOptions) {
  const app = Fastify({
    logger: loggerOptions(options.logger),
    bodyLimit: options.config.maxBodyBytes,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Order matters: errors and auth hook into every route registered after them.
  app.register(errorsPlugin);
  const tokens = createTokenService(options.config.secretKey ?? randomBytes(32));
  const dashboards = options.dashboards
    ? Promise.resolve(options.dashboards)
    : options.workspace.projectDir
      ? loadDashboards(options.workspace.projectDir)
      : Promise.resolve(createCatalog([]));
  // A broken dashboard file fails `ready()` (where the routes await it), not the process.
  dashboards.catch(() => {});
  app.register(authPlugin, {
    apiKeyHash: options.config.apiKeyHash,
    workspaceId: options.workspace.id,
    verifyToken: tokens.verify,
  });
  app.register(openapiPlugin);
  app.register(healthRoutes, { workspace: options.workspace });
  app.register(dataRoutes, {
    workspace: options.workspace,
    queryTimeoutMs: options.config.queryTimeoutMs,
    maxRows: options.config.maxRows,
    dashboards,
  });
  app.register(metaRoutes, { workspace: options.workspace, dashboards });
  app.register(securityTokenRoutes, { workspace: options.workspace, dashboards, tokens });
  if (options.store) {
    app.register(connectionRoutes, { store: options.store, workspace: options.workspace });
    app.register(environmentRoutes, { store: options.store, workspace: options.workspace });
  }
  app.addHook('onClose', () => options.workspace.close());
  return app;
}

export type InlayApp = ReturnType<typeof buildApp>;
