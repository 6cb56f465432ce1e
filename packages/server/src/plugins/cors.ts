import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** What a browser holding a security token calls; nothing else answers CORS. */
export const CORS_ROUTES = ['/api/v1/load', '/api/v1/meta'];

export interface CorsOptions {
  /** Exact origins (`https://app.example.com`), or `*`; none means no CORS headers at all. */
  origins: string[];
  routes?: string[];
}

/**
 * CORS for the browser-facing data routes (`@fastify/cors`). An allowed origin is echoed in
 * `access-control-allow-origin`; any other gets no such header, so the browser keeps the answer
 * from the page. Preflights are answered in the hook, before auth (a preflight carries no
 * credentials). Credentials travel in `Authorization`, not cookies, so `allow-credentials` is off.
 */
export const corsPlugin = fp<CorsOptions>(
  async (app: FastifyInstance, opts) => {
    if (opts.origins.length === 0) return;
    const routes = new Set(opts.routes ?? CORS_ROUTES);
    const allowed: FastifyCorsOptions = {
      origin: opts.origins,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
      maxAge: 600,
    };
    const off: FastifyCorsOptions = { origin: false };
    await app.register(cors, {
      hideOptionsRoute: true,
      delegator: (req: FastifyRequest, callback) => {
        const path = req.url.split('?')[0] ?? '';
        callback(null, routes.has(path) ? allowed : off);
      },
    });
  },
  { name: 'inlay-cors' },
);
