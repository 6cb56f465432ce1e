import { InlayError } from '@inlay/core';
import { stringifySetCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Accounts, SESSION_MAX_MS, type SignedIn } from '../accounts/accounts.js';
import { foreignOriginReason, SESSION_COOKIE, sessionIdOf } from '../plugins/auth.js';
import { errorBody } from '../plugins/errors.js';
import { USER_ROLES } from '../store/index.js';

export interface AuthRouteOptions {
  accounts: Accounts;
}

export const signedInUser = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(USER_ROLES),
    displayName: z.string().nullable(),
  })
  .meta({ id: 'SignedInUser' });
const sessionBody = z
  .object({
    user: signedInUser,
    csrfToken: z
      .string()
      .describe('Send it as the x-inlay-csrf header with every change made while signed in.'),
  })
  .meta({ id: 'Session' });

const credentials = z.strictObject({
  // No format rules here: a malformed address gets the same refusal as a wrong password.
  email: z.string().max(320),
  password: z.string().max(1024),
});
const signUpBody = z.strictObject({
  token: z.string().min(1).max(200).describe('From the one-time link /sign-up?token=…'),
  email: z.string().max(320),
  password: z.string().max(1024).describe('12 to 256 characters'),
});

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody, 429: errorBody };
const common = { tags: ['auth'] };

/**
 * Signing in is itself a change: a page of another site must not sign a visitor in to an account
 * of its choosing. The browser's Origin / Sec-Fetch-Site, when sent, must say this server.
 */
function assertSameSite(req: FastifyRequest): void {
  const foreign = foreignOriginReason(req);
  if (foreign) throw new InlayError('ACCESS_DENIED', `${foreign}: sign in from this server’s own page`);
}

function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  value: string,
  maxAgeSeconds: number,
): void {
  reply.header(
    'set-cookie',
    stringifySetCookie({
      name: SESSION_COOKIE,
      value,
      httpOnly: true,
      // Lax: a link from an email opens the builder signed in; changes are guarded by the CSRF header.
      sameSite: 'lax',
      path: '/',
      secure: req.protocol === 'https',
      maxAge: maxAgeSeconds,
    }),
  );
}

function signedIn(req: FastifyRequest, reply: FastifyReply, s: SignedIn) {
  setSessionCookie(req, reply, s.sessionId, SESSION_MAX_MS / 1000);
  reply.header('cache-control', 'no-store');
  const { id, email, role, displayName } = s.user;
  return { user: { id, email, role, displayName }, csrfToken: s.csrfToken };
}

/** The builder's sign-in: a session in an HttpOnly cookie, a CSRF token for the page. */
export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (app, { accounts }) => {
  app.post(
    '/api/v1/auth/sign-in',
    {
      config: { auth: 'public' },
      schema: {
        ...common,
        summary: 'Sign in to the builder: sets the session cookie',
        description:
          'A wrong email and a wrong password get the same 401. Repeated failures for one account or one address answer 429 with retry-after.',
        body: credentials,
        response: { 200: sessionBody, ...errors },
      },
    },
    async (req, reply) => {
      assertSameSite(req);
      return signedIn(req, reply, await accounts.signIn(req.body.email, req.body.password, req.ip));
    },
  );

  app.post(
    '/api/v1/auth/sign-up',
    {
      config: { auth: 'public' },
      schema: {
        ...common,
        summary: 'Create an account with a one-time link (an invitation, or the first admin’s), and sign in',
        body: signUpBody,
        response: { 200: sessionBody, ...errors },
      },
    },
    async (req, reply) => {
      assertSameSite(req);
      return signedIn(req, reply, await accounts.signUp(req.body.token, req.body.email, req.body.password));
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: { auth: 'session', role: 'viewer' },
      schema: {
        ...common,
        summary: 'Who is signed in, and the CSRF token their page sends with changes',
        response: { 200: sessionBody, 401: errorBody },
      },
    },
    async (req, reply) => {
      const caller = req.caller;
      if (caller?.kind !== 'session') throw new InlayError('UNAUTHENTICATED', 'not signed in');
      reply.header('cache-control', 'no-store');
      return { user: caller.user, csrfToken: caller.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/sign-out',
    {
      config: { auth: 'session', role: 'viewer' },
      schema: {
        ...common,
        summary: 'Sign out: ends the session and clears the cookie',
        response: { 204: z.null().describe('Signed out'), 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => {
      const id = sessionIdOf(req);
      if (id) await accounts.signOut(id);
      setSessionCookie(req, reply, '', 0);
      return reply.code(204).send(null);
    },
  );
};
