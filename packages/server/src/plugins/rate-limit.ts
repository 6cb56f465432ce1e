import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { rateLimited } from '../limits/errors.js';

/** The data API a browser calls with a security token. */
export const RATE_LIMITED_ROUTES = ['/api/v1/load', '/api/v1/meta', '/api/v1/embed/dashboard'];

export interface RateLimitOptions {
  /** Requests per caller per minute, shared by the routes; 0 turns the limit off. */
  perMinute: number;
  routes?: string[];
}

/**
 * Whose budget a request spends: a token's `jti`, the API key's workspace, a signed-in user. Never the token or
 * the key itself (this string lives in the limiter's memory and would be in any log of it).
 * Auth runs first, so a request without a caller does not get here; the IP is a last resort.
 */
export function rateLimitKey(req: FastifyRequest): string {
  const caller = req.caller;
  if (caller?.kind === 'token') return `token:${caller.claims.jti}`;
  if (caller?.kind === 'apiKey') return `apiKey:${caller.workspaceId}`;
  if (caller?.kind === 'session') return `user:${caller.user.id}`;
  return `ip:${req.ip}`;
}

/**
 * Per-caller rate limit (`@fastify/rate-limit`, in-memory: per process) on the data routes. Its
 * hook is appended to each route's `onRequest`, after the auth hook (which the auth plugin puts
 * first), so the key is known and an anonymous flood is refused by auth without counting.
 */
export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app: FastifyInstance, opts) => {
    if (opts.perMinute <= 0) return;
    const routes = new Set(opts.routes ?? RATE_LIMITED_ROUTES);
    await app.register(rateLimit, {
      global: false,
      max: opts.perMinute,
      timeWindow: 60_000,
      keyGenerator: rateLimitKey,
      errorResponseBuilder: (_req, ctx) =>
        rateLimited(`rate limit of ${ctx.max} requests per minute exceeded; retry in ${ctx.after}`),
    });
    const limit = app.rateLimit();
    app.addHook('onRoute', (route) => {
      if (!routes.has(route.url)) return;
      const existing = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [...existing, limit];
    });
  },
  { name: 'inlay-rate-limit' },
);
