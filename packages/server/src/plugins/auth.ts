import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenClaims } from '@inlay/core';
import { parseCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { UserRole } from '../store/index.js';

/**
 * `apiKeyOrToken`: the workspace API key or a security token (the embedded data API); `token`: a
 * security token only (what only an embed asks, e.g. its dashboard document); `session`: a
 * signed-in builder user only. `apiKey` and `apiKeyOrToken` routes also take a signed-in user
 * whose role is at least the route's `role` (admin unless the route says less).
 */
export type RouteAuth = 'public' | 'apiKey' | 'apiKeyOrToken' | 'token' | 'session';

export interface RouteEntry {
  method: string;
  url: string;
  auth: RouteAuth;
  /** The least role a signed-in user needs (routes that take sessions). */
  role?: UserRole;
}

/** The builder's sign-in cookie. */
export const SESSION_COOKIE = 'inlay_session';
/** The header a signed-in page proves it is ours with, on every change it asks for. */
export const CSRF_HEADER = 'x-inlay-csrf';

/** What a valid session tells the auth hook. */
export interface SessionIdentity {
  workspaceId: string;
  user: { id: string; email: string; role: UserRole; displayName: string | null };
  csrfToken: string;
}

const RANK: Record<UserRole, number> = { viewer: 0, editor: 1, admin: 2 };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; under `/api/` the default is `apiKey`. */
    auth?: RouteAuth;
    /** The least role of a signed-in user on a route that takes sessions; default `admin`. */
    role?: UserRole;
  }
  interface FastifyInstance {
    /** Every route with the auth it got, for the route × identity test matrix. */
    routeTable: RouteEntry[];
  }
  interface FastifyRequest {
    /** Set once the caller proved who it is. */
    caller?:
      | { kind: 'apiKey'; workspaceId: string }
      | { kind: 'token'; workspaceId: string; claims: TokenClaims }
      | ({ kind: 'session'; sessionId: string } & SessionIdentity);
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
  /** The identity behind a session cookie (undefined: ended, unknown, or its user disabled). */
  session?: (sessionId: string) => Promise<SessionIdentity | undefined>;
}

/** Three base64url segments: a JWT, never an API key (`inlay_…` has no dots). */
const JWT_SHAPE = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const BAD_TOKEN = 'invalid or expired token';
const BEARER = /^Bearer\s+(\S+)\s*$/i;

function refuse(reply: FastifyReply, errorMessage: string): void {
  reply.code(403).type('application/json; charset=utf-8').serializer(JSON.stringify).send({ errorMessage });
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The session cookie's value, when the request has one. */
export function sessionIdOf(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] || undefined : undefined;
}

/** Why the browser's own Origin / Sec-Fetch-Site (when sent) say the request is not from this server. */
export function foreignOriginReason(req: FastifyRequest): string | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `${req.protocol}://${req.host}`) {
    return `cross-site request refused: Origin ${origin} is not this server`;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `cross-site request refused: the browser says it is ${site}`;
  }
  return undefined;
}

/**
 * A change asked with the cookie must come from our own page: it carries the session's CSRF token
 * (a cross-site form cannot set a header, and a cross-site script is stopped by CORS before it
 * could), and a browser's own Origin / Sec-Fetch-Site, when sent, must say same origin.
 */
export function crossSiteReason(req: FastifyRequest, csrfToken: string): string | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  const foreign = foreignOriginReason(req);
  if (foreign) return foreign;
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !sameText(sent, csrfToken)) {
    return `cross-site request refused: a change made while signed in needs the ${CSRF_HEADER} header (its value comes with GET /api/v1/auth/session)`;
  }
  return undefined;
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
    /** The workspace of a valid API key: the store's answer, else the configured key's hash. */
    const keyWorkspace = async (key: string): Promise<string | undefined> => {
      if (JWT_SHAPE.test(key)) return undefined;
      const fromStore = opts.verifyApiKey ? await opts.verifyApiKey(key) : undefined;
      if (fromStore) return fromStore;
      const presented = createHash('sha256').update(key, 'utf8').digest();
      // Both sides are sha256 digests, so lengths match and the comparison time says nothing.
      return timingSafeEqual(presented, opts.apiKeyHash) ? opts.workspaceId : undefined;
    };

    /**
     * Without an Authorization header, the sign-in cookie: 'absent' when there is none (the
     * route's own refusal follows), else the request is answered (refused) or its caller set.
     */
    const bySession = async (
      req: FastifyRequest,
      reply: FastifyReply,
      role: UserRole,
    ): Promise<'absent' | 'done'> => {
      const id = opts.session ? sessionIdOf(req) : undefined;
      if (!id) return 'absent';
      const identity = await opts.session!(id);
      if (!identity) {
        deny(reply, 'your session has ended: sign in again');
        return 'done';
      }
      const crossSite = crossSiteReason(req, identity.csrfToken);
      if (crossSite) {
        refuse(reply, crossSite);
        return 'done';
      }
      if (RANK[identity.user.role] < RANK[role]) {
        refuse(reply, `this needs the ${role} role; ${identity.user.email} is ${identity.user.role}`);
        return 'done';
      }
      req.caller = { kind: 'session', sessionId: id, ...identity };
      return 'done';
    };

    const requireApiKey = async (req: FastifyRequest, reply: FastifyReply, role: UserRole) => {
      const header = req.headers.authorization;
      const m = header ? BEARER.exec(header) : null;
      if (!header && (await bySession(req, reply, role)) === 'done') return reply.sent ? reply : undefined;
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
      // Remembered tokens are exact strings without spaces: a header of another form (other
      // spacing, other case) is simply not found here and goes through the full check below.
      const claims = header.startsWith('Bearer ') ? opts.verifiedToken(header.slice(7)) : undefined;
      if (!claims || (!opts.verifyApiKey && claims.workspaceId !== opts.workspaceId)) return false;
      req.caller = { kind: 'token', workspaceId: claims.workspaceId, claims };
      return true;
    };

    // The token travels in the Authorization header only: a URL ends up in logs, history and Referer.
    const checkApiKeyOrToken = async (
      req: FastifyRequest,
      reply: FastifyReply,
      acceptKey: boolean,
      role: UserRole,
    ) => {
      const query = req.query as Record<string, unknown> | undefined;
      if (query && Object.hasOwn(query, 'token')) {
        reply.code(400).type('application/json; charset=utf-8').serializer(JSON.stringify);
        return reply.send({
          errorMessage: 'send the security token in the Authorization header (Bearer), never in the URL',
        });
      }
      const header = req.headers.authorization;
      const m = header ? BEARER.exec(header) : null;
      // The builder previews with its session where a host's page would use a token.
      if (!header && acceptKey && (await bySession(req, reply, role)) === 'done') return;
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
      (acceptKey: boolean, role: UserRole): onRequestHookHandler =>
      (req, reply, done) => {
        if (knownToken(req, req.headers.authorization)) return done();
        checkApiKeyOrToken(req, reply, acceptKey, role).then(() => {
          if (!reply.sent) done();
        }, done);
      };
    const requireSession =
      (role: UserRole): onRequestHookHandler =>
      async (req, reply) => {
        if ((await bySession(req, reply, role)) === 'done') return reply.sent ? reply : undefined;
        deny(reply, 'not signed in: sign in with POST /api/v1/auth/sign-in');
        return reply;
      };
    const hookFor = (auth: Exclude<RouteAuth, 'public'>, role: UserRole): onRequestHookHandler => {
      if (auth === 'apiKey') return (req, reply) => requireApiKey(req, reply, role);
      if (auth === 'session') return requireSession(role);
      return tokenHook(auth === 'apiKeyOrToken', role);
    };

    app.decorate('routeTable', [] as RouteEntry[]);
    app.addHook('onRoute', (route) => {
      const auth: RouteAuth = route.config?.auth ?? (route.url.startsWith('/api/') ? 'apiKey' : 'public');
      const takesSessions = auth === 'apiKey' || auth === 'apiKeyOrToken' || auth === 'session';
      const role: UserRole = route.config?.role ?? 'admin';
      for (const method of [route.method].flat()) {
        app.routeTable.push({ method, url: route.url, auth, ...(takesSessions ? { role } : {}) });
      }
      if (auth !== 'public') {
        const existing = route.onRequest ? [route.onRequest].flat() : [];
        route.onRequest = [hookFor(auth, role), ...existing];
      }
    });
  },
  { name: 'inlay-auth' },
);
