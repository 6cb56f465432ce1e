import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';

export type RouteAuth = 'public' | 'apiKey';

export interface RouteEntry {
  method: string;
  url: string;
  auth: RouteAuth;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; under `/api/` the default is `apiKey`. */
    auth?: RouteAuth;
  }
  interface FastifyInstance {
    /** Every route with the auth it got, for the route × identity test matrix. */
    routeTable: RouteEntry[];
  }
  interface FastifyRequest {
    /** Set once the caller proved who it is. */
    caller?: { kind: 'apiKey'; workspaceId: string };
  }
}

export interface AuthOptions {
  apiKeyHash: Buffer;
  workspaceId: string;
}

function deny(reply: FastifyReply, errorMessage: string): void {
  reply
    .code(401)
    .header('www-authenticate', 'Bearer')
    .type('application/json; charset=utf-8')
    .serializer(JSON.stringify)
    .send({ errorMessage });
}

/**
 * Routes are classified where they are declared (`config.auth`). Anything under `/api/` that
 * says nothing requires the API key, so a route added without thinking is closed, not open.
 * The check runs on `onRequest`, before the body is read or validated: an anonymous caller
 * learns nothing about the schema and cannot make us parse a large body.
 */
export const authPlugin = fp<AuthOptions>(
  async (app: FastifyInstance, opts) => {
    const requireApiKey: onRequestHookHandler = (req: FastifyRequest, reply: FastifyReply, done) => {
      const header = req.headers.authorization;
      const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (!m) return deny(reply, 'missing API key: send Authorization: Bearer <workspace API key>');
      const presented = createHash('sha256').update(m[1]!, 'utf8').digest();
      // Both sides are sha256 digests, so lengths match and the comparison time says nothing.
      if (!timingSafeEqual(presented, opts.apiKeyHash)) return deny(reply, 'invalid API key');
      req.caller = { kind: 'apiKey', workspaceId: opts.workspaceId };
      done();
    };

    app.decorate('routeTable', [] as RouteEntry[]);
    app.addHook('onRoute', (route) => {
      const auth: RouteAuth = route.config?.auth ?? (route.url.startsWith('/api/') ? 'apiKey' : 'public');
      for (const method of [route.method].flat()) app.routeTable.push({ method, url: route.url, auth });
      if (auth === 'apiKey') {
        const existing = route.onRequest ? [route.onRequest].flat() : [];
        route.onRequest = [requireApiKey, ...existing];
      }
    });
  },
  { name: 'inlay-auth' },
);
