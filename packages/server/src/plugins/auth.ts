import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenClaims } from '@inlay/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';

/**
 * `apiKeyOrToken`: the workspace API key or a security token (the embedded data API); `token`: a
 * security token only (what only an embed asks, e.g. its dashboard document).
 */
export type RouteAuth = 'public' | 'apiKey' | 'apiKeyOrToken' | 'token';

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
    caller?:
      | { kind: 'apiKey'; workspaceId: string }
      | { kind: 'token'; workspaceId: string; claims: TokenClaims };
  }
}

export interface AuthOptions {
  apiKeyHash: Buffer;
  workspaceId: string;
  /** Verifies a security token (throws when invalid); without it no route accepts tokens. */
  verifyToken?: (token: string) => Promise<TokenClaims>;
  /** The claims of a token `verifyToken` already accepted (and not expired), at once; else undefined. */
  verifiedToken?: (token: string) => TokenClaims | undefined;
  /**
   * With a store: the workspace a key belongs to (undefined for an unknown or revoked key), tried
   * before `apiKeyHash` (which stays the key of `workspaceId`). Tokens then act on the workspace
   * they were signed for.
   */
  verifyApiKey?: (key: string) => Promise<string | undefined>;
}

/** Three base64url segments: a JWT, never an API key (`inlay_…` has no dots). */
const JWT_SHAPE = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const BAD_TOKEN = 'invalid or expired token';
const BEARER = /^Bearer\s+(\S+)\s*$/i;

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
    /** The workspace of a valid API key: the store's answer, else the configured key's hash. */
    const keyWorkspace = async (key: string): Promise<string | undefined> => {
      if (JWT_SHAPE.test(key)) return undefined;
      const fromStore = opts.verifyApiKey ? await opts.verifyApiKey(key) : undefined;
      if (fromStore) return fromStore;
      const presented = createHash('sha256').update(key, 'utf8').digest();
      // Both sides are sha256 digests, so lengths match and the comparison time says nothing.
      return timingSafeEqual(presented, opts.apiKeyHash) ? opts.workspaceId : undefined;
    };

    const requireApiKey: onRequestHookHandler = async (req: FastifyRequest, reply: FastifyReply) => {
      const header = req.headers.authorization;
      const m = header ? BEARER.exec(header) : null;
      if (!m) {
        deny(reply, 'missing API key: send Authorization: Bearer <workspace API key>');
        return reply;
      }
      const workspaceId = await keyWorkspace(m[1]!);
      if (!workspaceId) {
        deny(
          reply,
          JWT_SHAPE.test(m[1]!)
            ? 'this route takes the workspace API key, not a security token'
            : 'invalid API key',
        );
        return reply;
      }
      req.caller = { kind: 'apiKey', workspaceId };
    };

    /** A token already verified: the caller is known without waiting (most of a dashboard's requests). */
    const knownToken = (req: FastifyRequest, header: string | undefined): boolean => {
      if (!opts.verifiedToken || !header || req.url.includes('?')) return false;
      const m = BEARER.exec(header);
      const claims = m && opts.verifiedToken(m[1]!);
      if (!claims || (!opts.verifyApiKey && claims.workspaceId !== opts.workspaceId)) return false;
      req.caller = { kind: 'token', workspaceId: claims.workspaceId, claims };
      return true;
    };

    // The token travels in the Authorization header only: a URL ends up in logs, history and Referer.
    const checkApiKeyOrToken = async (req: FastifyRequest, reply: FastifyReply, acceptKey: boolean) => {
      const query = req.query as Record<string, unknown> | undefined;
      if (query && Object.hasOwn(query, 'token')) {
        reply.code(400).type('application/json; charset=utf-8').serializer(JSON.stringify);
        return reply.send({
          errorMessage: 'send the security token in the Authorization header (Bearer), never in the URL',
        });
      }
      const header = req.headers.authorization;
      const m = header ? BEARER.exec(header) : null;
      if (!m) {
        deny(
          reply,
          acceptKey
            ? 'missing credentials: send Authorization: Bearer <workspace API key or security token>'
            : 'missing token: send Authorization: Bearer <security token from POST /api/v1/security-token>',
        );
        return reply;
      }
      // A JWT is never an API key: the shape is checked once and the key lookup skipped.
      const jwt = JWT_SHAPE.test(m[1]!);
      const keyOf = jwt ? undefined : await keyWorkspace(m[1]!);
      if (keyOf && !acceptKey) {
        deny(
          reply,
          'this route takes a security token, not the workspace API key: mint one with POST /api/v1/security-token',
        );
        return reply;
      }
      if (keyOf) {
        req.caller = { kind: 'apiKey', workspaceId: keyOf };
        return;
      }
      if (!opts.verifyToken || !jwt) {
        deny(reply, acceptKey ? 'invalid API key or token' : BAD_TOKEN);
        return reply;
      }
      try {
        const claims = await opts.verifyToken(m[1]!);
        // Without a store, a token of another workspace is as good as a forged one. With one,
        // the signed claim names the workspace every lookup of this request is confined to.
        if (!opts.verifyApiKey && claims.workspaceId !== opts.workspaceId) throw new Error(BAD_TOKEN);
        req.caller = { kind: 'token', workspaceId: claims.workspaceId, claims };
      } catch {
        deny(reply, BAD_TOKEN);
        return reply;
      }
    };
    const tokenHook =
      (acceptKey: boolean): onRequestHookHandler =>
      (req, reply, done) => {
        if (knownToken(req, req.headers.authorization)) return done();
        checkApiKeyOrToken(req, reply, acceptKey).then(() => {
          if (!reply.sent) done();
        }, done);
      };
    const hooks = { apiKey: requireApiKey, apiKeyOrToken: tokenHook(true), token: tokenHook(false) };

    app.decorate('routeTable', [] as RouteEntry[]);
    app.addHook('onRoute', (route) => {
      const auth: RouteAuth = route.config?.auth ?? (route.url.startsWith('/api/') ? 'apiKey' : 'public');
      for (const method of [route.method].flat()) app.routeTable.push({ method, url: route.url, auth });
      if (auth !== 'public') {
        const existing = route.onRequest ? [route.onRequest].flat() : [];
        route.onRequest = [hooks[auth], ...existing];
      }
    });
  },
  { name: 'inlay-auth' },
);
