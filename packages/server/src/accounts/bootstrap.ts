import { InlayError } from '@inlay/core';
import type { Store } from '../store/index.js';
import { SIGN_UP_LINK_MS } from './accounts.js';
import { hashPassword } from './passwords.js';

export type FirstAdmin =
  /** Somebody can sign in already: nothing to do. */
  | { kind: 'ready' }
  /** INLAY_ADMIN_EMAIL/INLAY_ADMIN_PASSWORD made (or gave a password to) this admin. */
  | { kind: 'created'; email: string }
  /** Nobody can sign in and no admin was configured: a one-time link for the first admin. */
  | { kind: 'link'; token: string; expiresAt: string };

/**
 * On start, makes sure somebody can sign in to the builder. An account that has a password is
 * never changed from the environment (a restart with the variables still set is harmless); while
 * nobody can sign in, each start issues a new first-admin link and withdraws the older ones.
 */
export async function ensureFirstAdmin(
  store: Store,
  workspaceId: string,
  admin: { email: string; password: string } | undefined,
  clock: () => number = Date.now,
): Promise<FirstAdmin> {
  if (await store.accounts.anyoneCanSignIn(workspaceId)) return { kind: 'ready' };
  if (admin) {
    const hash = await hashPassword(admin.password);
    const user = await store.transaction(async (tx) => {
      const u = await tx.users.ensure(workspaceId, { email: admin.email, role: 'admin' });
      if (u.disabledAt || u.role !== 'admin') {
        throw new InlayError(
          'CONFIG',
          `INLAY_ADMIN_EMAIL names ${u.email}, who exists already as a${u.disabledAt ? ' disabled' : ''} ${u.role}: not made an admin from the environment`,
          {
            hint: 'Use another address for the first admin, or unset INLAY_ADMIN_EMAIL/INLAY_ADMIN_PASSWORD for a sign-up link.',
          },
        );
      }
      await tx.accounts.setPassword(workspaceId, u.id, hash);
      return u;
    });
    return { kind: 'created', email: user.email };
  }
  const expiresAt = new Date(clock() + SIGN_UP_LINK_MS).toISOString();
  const token = await store.accounts.createSignUpLink(
    workspaceId,
    { email: null, role: 'admin', expiresAt, replaceOpen: true },
    new Date(clock()).toISOString(),
  );
  return { kind: 'link', token, expiresAt };
}
