import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Accounts } from '../accounts/accounts.js';
import { errorBody } from '../plugins/errors.js';
import { type Store, USER_ROLES, type User } from '../store/index.js';
import { signedInUser } from './auth.js';

export interface UserRouteOptions {
  store: Store;
  accounts: Accounts;
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

/** The people of the workspace, managed by an admin: invite with a one-time link, disable. */
export const userRoutes: FastifyPluginAsyncZod<UserRouteOptions> = async (app, { store, accounts }) => {
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
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: userBody, ...errors },
      },
    },
    async (req) => shown(await accounts.disable(req.params.id)),
  );
};
