import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request's log line says about its answer besides the status: cache level, error code. */
    logFields?: { cache?: string; code?: string };
  }
}

/**
 * Log paths that may hold a secret. Headers are not in the request line, but a route that logs
 * `req` at `debug` gets them, so the Authorization header is the one that matters most; bodies
 * are never logged whole.
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

/** Pino options (level, stream) with redaction always on; `false` for silence. */
export type LoggerSettings = false | { level?: string; stream?: { write(line: string): void } };

export function loggerOptions(logger: LoggerSettings | undefined): FastifyServerOptions['logger'] {
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

/**
 * One log line per request, written when the answer has gone: method, URL (secrets redacted),
 * route, status, milliseconds, and the cache level or error code when there is one; the request
 * id comes with every line a request logs. It replaces Fastify's two lines per request (the first
 * with every header through redaction), which at a few thousand cached answers a second cost more
 * than the answers. A route's details (the query, its rows) are logged at `debug`.
 */
export const requestLogPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('logFields', undefined);
    app.addHook('onResponse', (req, reply, done) => {
      req.log.info(
        {
          method: req.method,
          url: redactUrl(req.url),
          route: req.routeOptions.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 100) / 100,
          ...req.logFields,
        },
        'request',
      );
      done();
    });
  },
  { name: 'inlay-request-log' },
);
