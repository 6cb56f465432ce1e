import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import type { TokenClaims } from '@inlay/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { rateLimited } from '../limits/errors.js';

/** The data API a browser calls with a security token. */
export const RATE_LIMITED_ROUTES = ['/api/v1/load', '/api/v1/meta', '/api/v1/embed/dashboard'];

const WINDOW_MS = 60_000;

export interface RateLimitOptions {
  /** The counters and the requests per caller per minute, shared by the routes; 0 turns the limit off. */
  budget: RateBudget;
  routes?: string[];
}

/** What one request spent: refused, or the headers the hook puts on an allowed answer. */
export type RateSpent = { exceeded: true } | { exceeded: false; headers: Record<string, string> };

/**
 * The per-caller counters of the rate limit: `@fastify/rate-limit`'s own in-memory store, held
 * here so the front door (`routes/front-door.ts`), which answers before Fastify's hooks run, spends
 * from the same budget the same way (a fixed window of a minute from a caller's first request).
 */
export class RateBudget {
  readonly store: FastifyRateLimitStore = new LocalStore(false, false);
  /** Requests per caller per minute; 0: no limit. */
  constructor(readonly perMinute: number) {}

  /** One request of `key`: counted, and (when allowed) the plugin's `x-ratelimit-*` headers for it. */
  spend(key: string): RateSpent {
    let counted: { current: number; ttl: number } | undefined;
    // The in-memory store answers at once (its callback runs before `incr` returns).
    this.store.incr(
      key,
      (err, res) => {
        if (!err) counted = res;
      },
      WINDOW_MS,
      this.perMinute,
    );
    if (!counted || counted.current > this.perMinute) return { exceeded: true };
    return {
      exceeded: false,
      headers: {
        'x-ratelimit-limit': String(this.perMinute),
        'x-ratelimit-remaining': String(Math.max(0, this.perMinute - counted.current)),
        'x-ratelimit-reset': String(Math.ceil(counted.ttl / 1000)),
      },
    };
  }
}

/** A token's budget key: its `jti`, never the token itself (this string lives in the limiter's memory). */
export const tokenRateKey = (claims: TokenClaims): string => `token:${claims.jti}`;

/**
 * Whose budget a request spends: a token's `jti`, the API key's workspace, a signed-in user. Never the token or
 * the key itself (this string lives in the limiter's memory and would be in any log of it).
 * Auth runs first, so a request without a caller does not get here; the IP is a last resort.
 */
export function rateLimitKey(req: FastifyRequest): string {
  const caller = req.caller;
  if (caller?.kind === 'token') return tokenRateKey(caller.claims);
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
    const { store, perMinute } = opts.budget;
    if (perMinute <= 0) return;
    const routes = new Set(opts.routes ?? RATE_LIMITED_ROUTES);
    await app.register(rateLimit, {
      global: false,
      max: perMinute,
      timeWindow: WINDOW_MS,
      // A constructor that returns an object gives that object: the budget's store.
      store: function BudgetStore() {
        return store;
      } as never,
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
