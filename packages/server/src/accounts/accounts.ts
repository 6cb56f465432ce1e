import { InlayError } from '@inlay/core';
import type { SessionIdentity } from '../plugins/auth.js';
import type { SessionUser, Store, User, UserRole } from '../store/index.js';
import { normalizedOrNone, normalizeEmail } from '../store/index.js';
import { checkNewPassword, hashPassword, verifyPassword } from './passwords.js';

/**
 * Signing in, sessions and sign-up links for one workspace: the policy (how long a session lives,
 * when sign-ins are throttled) over the store's mechanics (`store/repos/accounts.ts`).
 */
export const SESSION_IDLE_MS = 7 * 24 * 3600_000;
export const SESSION_MAX_MS = 30 * 24 * 3600_000;
/** A session's last use is written at most this often (not on every request). */
const TOUCH_EVERY_MS = 3600_000;
export const SIGN_UP_LINK_MS = 24 * 3600_000;
export const INVITE_LINK_MS = 7 * 24 * 3600_000;

/** Failures counted over this window; past the allowance, a lock that doubles per failure. */
const THROTTLE_WINDOW_MS = 15 * 60_000;
const FIRST_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
/** One account: a few typos. One address: several people behind one office NAT. */
const ALLOWED_FAILURES = { email: 5, ip: 20 };

const WRONG = 'wrong email or password';

/** A 429 whose answer carries `retry-after` (the errors plugin sets it from `retryAfterSeconds`). */
export class ThrottledError extends InlayError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `too many failed sign-ins: try again in ${retryAfterSeconds} s`, {
      hint: 'Repeated wrong passwords lock the account and the address for a while; each further failure doubles the wait.',
    });
  }
}

export interface SignedIn {
  sessionId: string;
  csrfToken: string;
  user: User;
}

export interface Accounts {
  signIn(email: string, password: string, ip: string): Promise<SignedIn>;
  signUp(token: string, email: string, password: string): Promise<SignedIn>;
  /** The session's user while the session is valid and the user active; undefined otherwise. */
  session(sessionId: string): Promise<SessionUser | undefined>;
  signOut(sessionId: string): Promise<void>;
  /** A link for `email` to create an account with `role` (an admin's invitation). */
  invite(email: string, role: UserRole): Promise<{ email: string; token: string; expiresAt: string }>;
  /** Disables a user and ends their sessions. */
  disable(userId: string): Promise<User>;
}

export function createAccounts(store: Store, workspaceId: string, clock: () => number = Date.now): Accounts {
  const iso = (ms: number) => new Date(ms).toISOString();
  const lockFor = (allowed: number) => (failures: number) =>
    failures <= allowed
      ? null
      : iso(clock() + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - allowed - 1)));

  const throttled = (until: string) =>
    new ThrottledError(Math.max(1, Math.ceil((Date.parse(until) - clock()) / 1000)));

  async function open(user: User): Promise<SignedIn> {
    const { id, csrfToken } = await store.accounts.createSession(workspaceId, user.id, iso(clock()));
    return { sessionId: id, csrfToken, user };
  }

  return {
    async signIn(email, password, ip) {
      const address = normalizedOrNone(email);
      const keys = [...(address ? [`email:${address}`] : []), `ip:${ip}`];
      const locked = await store.accounts.lockedUntil(keys);
      // A locked account is not even checked: the lock is not an oracle for the right password.
      if (locked && Date.parse(locked) > clock()) throw throttled(locked);

      const found = address ? await store.accounts.credentials(workspaceId, address) : undefined;
      const ok = await verifyPassword(password, found?.hash);
      if (ok && found && !found.user.disabledAt) {
        if (address) await store.accounts.clearFailures([`email:${address}`]);
        return open(found.user);
      }
      const windowStart = iso(clock() - THROTTLE_WINDOW_MS);
      if (address)
        await store.accounts.recordFailure(`email:${address}`, windowStart, lockFor(ALLOWED_FAILURES.email));
      await store.accounts.recordFailure(`ip:${ip}`, windowStart, lockFor(ALLOWED_FAILURES.ip));
      // One answer for an unknown email, a wrong password and a disabled user.
      throw new InlayError('UNAUTHENTICATED', WRONG);
    },

    async signUp(token, email, password) {
      checkNewPassword(password);
      const user = await store.accounts.useSignUpLink(
        token,
        email,
        await hashPassword(password),
        iso(clock()),
      );
      return open(user);
    },

    async session(sessionId) {
      const s = await store.accounts.session(sessionId);
      if (!s || s.user.workspaceId !== workspaceId) return undefined;
      const t = clock();
      const expired =
        s.user.disabledAt !== null ||
        t - Date.parse(s.createdAt) > SESSION_MAX_MS ||
        t - Date.parse(s.lastSeenAt) > SESSION_IDLE_MS;
      if (expired) {
        await store.accounts.deleteSession(sessionId);
        return undefined;
      }
      if (t - Date.parse(s.lastSeenAt) > TOUCH_EVERY_MS) await store.accounts.touchSession(sessionId, iso(t));
      return s;
    },

    signOut: (sessionId) => store.accounts.deleteSession(sessionId),

    async invite(email, role) {
      const expiresAt = iso(clock() + INVITE_LINK_MS);
      const address = normalizeEmail(email);
      const token = await store.accounts.createSignUpLink(
        workspaceId,
        { email: address, role, expiresAt },
        iso(clock()),
      );
      return { email: address, token, expiresAt };
    },

    async disable(userId) {
      const user = await store.users.disable(workspaceId, userId);
      await store.accounts.deleteSessionsOf(workspaceId, userId);
      return user;
    },
  };
}

/** What the auth hook needs from a session cookie (see `plugins/auth.ts`). */
export function sessionIdentity(
  accounts: Accounts,
): (sessionId: string) => Promise<SessionIdentity | undefined> {
  return async (sessionId) => {
    const s = await accounts.session(sessionId);
    if (!s) return undefined;
    const { id, email, role, displayName, workspaceId } = s.user;
    return { workspaceId, user: { id, email, role, displayName }, csrfToken: s.csrfToken };
  };
}
