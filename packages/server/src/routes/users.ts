import { InlayError } from '@inlay/core';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Accounts } from '../accounts/accounts.js';
import { errorBody } from '../plugins/errors.js';
import { type Store, USER_ROLES, type User } from '../store/index.js';
import { signedInUser } from './auth.js';

export interface UserRouteOptions {
  store: Store;
  accounts: Accounts;
  /** A user was disabled (their API keys revoked): forget remembered key checks. */
  onKeysRevoked?: () => void;
}

const userBody = signedInUser
  .extend({ createdAt: z.string(), disabledAt: z.string().nullable() })
  .meta({ id: 'User' });
const invitation = z.strictObject({
  email: z.string().max(320),
  role: z
    .enum(USER_ROLES)
    .describe('admin: users, API keys, connections; editor: dashboards; viewer: view and preview'),
});
const invitationAnswer = z
  .object({
    email: z.string(),
    role: z.enum(USER_ROLES),
    link: z.string().describe('One-time sign-up link for that address; give it to the person.'),
    expiresAt: z.string(),
  })
  .meta({ id: 'Invitation' });

const common = { tags: ['users'], security: [{ apiKey: [] }, { session: [] }] as Record<string, string[]>[] };
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const shown = (u: User) => ({
  id: u.id,
  email: u.email,
  role: u.role,
  displayName: u.displayName,
  createdAt: u.createdAt,
  disabledAt: u.disabledAt,
});

const userParams = z.object({ id: z.string().min(1).max(100) });

/** A signed-in admin changes others, never themself: another admin does (no one locks themself out). */
function notSelf(req: FastifyRequest, id: string, what: string): void {
  const caller = req.caller;
  if (caller?.kind === 'session' && caller.user.id === id) {
    throw new InlayError('CONFLICT', `you cannot ${what} yourself`, {
      hint: 'Another admin of the workspace can do it.',
    });
  }
}

/** The people of the workspace, managed by an admin: invite with a one-time link, change role, disable. */
export const userRoutes: FastifyPluginAsyncZod<UserRouteOptions> = async (app, opts) => {
  const { store, accounts } = opts;
  app.get(
    '/api/v1/users',
    {
      config: { auth: 'apiKey' },
      schema: {
        ...common,
        summary: 'Users of the workspace (disabled ones too)',
        response: { 200: z.object({ users: z.array(userBody) }), 401: errorBody, 403: errorBody },
      },
    },
    async (req) => ({
      users: (await store.users.list(req.caller!.workspaceId, { includeDisabled: true })).map(shown),
    }),
  );

  app.post(
    '/api/v1/users/invitations',
    {
      config: { auth: 'apiKey' },
      schema: {
        ...common,
        summary: 'Invite someone: a one-time sign-up link for their address and role (valid 7 days)',
        body: invitation,
        response: { 201: invitationAnswer, ...errors },
      },
    },
    async (req, reply) => {
      const { email, token, expiresAt } = await accounts.invite(req.body.email, req.body.role);
      const link = `${req.protocol}://${req.host}/sign-up?token=${encodeURIComponent(token)}`;
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ email, role: req.body.role, link, expiresAt });
    },
  );

  app.delete(
    '/api/v1/users/:id',
    {
      config: { auth: 'apiKey' },
      schema: {
        ...common,
        summary: 'Remove a user: disabled (kept for the record), signed out, their API keys revoked',
        params: userParams,
        response: { 200: userBody, ...errors },
      },
    },
    async (req) => {
      notSelf(req, req.params.id, 'remove');
      const user = await accounts.disable(req.params.id);
      opts.onKeysRevoked?.();
      return shown(user);
    },
  );

  app.put(
    '/api/v1/users/:id/role',
    {
      config: { auth: 'apiKey' },
      schema: {
        ...common,
        summary: "Change a user's role (at once, in their open sessions too)",
        params: userParams,
        body: z.strictObject({ role: invitation.shape.role }),
        response: { 200: userBody, ...errors },
      },
    },
    async (req) => {
      notSelf(req, req.params.id, 'change the role of');
      const user = await store.users.setRole(req.caller!.workspaceId, req.params.id, req.body.role);
      req.log.info({ user: user.id, role: user.role }, 'user role changed');
      return shown(user);
    },
  );
};
