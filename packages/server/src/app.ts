import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServerConfig } from './config.js';
import { authPlugin } from './plugins/auth.js';
import { errorsPlugin } from './plugins/errors.js';
import { healthRoutes } from './plugins/health.js';
import { openapiPlugin } from './plugins/openapi.js';
import { dataRoutes } from './routes/data.js';
import { metaRoutes } from './routes/meta.js';
import type { Workspace } from './workspace.js';

export interface BuildAppOptions {
  config: Pick<ServerConfig, 'apiKeyHash' | 'maxBodyBytes' | 'queryTimeoutMs' | 'maxRows'>;
  workspace: Workspace;
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

function loggerOptions(logger: BuildAppOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false) return false;
  return {
    level: logger?.level ?? 'info',
    ...(logger?.stream ? { stream: logger.stream } : {}),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; headers: Record<string, unknown>; ip?: string }) => ({
        method: req.method,
        url: req.url,
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
  app.register(authPlugin, { apiKeyHash: options.config.apiKeyHash, workspaceId: options.workspace.id });
  app.register(openapiPlugin);
  app.register(healthRoutes, { workspace: options.workspace });
  app.register(dataRoutes, {
    workspace: options.workspace,
    queryTimeoutMs: options.config.queryTimeoutMs,
    maxRows: options.config.maxRows,
  });
  app.register(metaRoutes, { workspace: options.workspace });
  app.addHook('onClose', () => options.workspace.close());
  return app;
}

export type InlayApp = ReturnType<typeof buildApp>;
