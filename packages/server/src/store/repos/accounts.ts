import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { InlayError } from '@inlay/core';
import { StoreNotFoundError } from '../errors.js';
import { type Db, inTransaction, now } from '../schema.js';
import { normalizedOrNone, normalizeEmail, toUser, type User, type UserRole, type UserRow } from './users.js';

/**
 * What signing in needs from the store: password hashes, sessions, one-time sign-up links and
 * failure counts. Secrets handed to a browser (session ids, link tokens) are random and kept here
 * only as sha256 digests. How long things last and when to throttle is the caller's policy
 * (`accounts/`); this is the mechanics.
 */
const digest = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export interface SessionUser {
  user: User;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
}

const USER_COLUMNS = [
  'users.id',
  'users.workspace_id',
  'users.email',
  'users.display_name',
  'users.role',
  'users.created_at',
  'users.disabled_at',
] as const;

export class AccountsRepo {
  constructor(private readonly db: Db) {}

  /** The user with this email and their password hash (null: never set), if such a user exists. */
  async credentials(
    workspaceId: string,
    email: string,
  ): Promise<{ user: User; hash: string | null } | undefined> {
    const normalized = normalizedOrNone(email);
    if (normalized === undefined) return undefined;
    const row = await this.db
      .selectFrom('users')
      .select([...USER_COLUMNS, 'users.password_hash'])
      .where('workspace_id', '=', workspaceId)
      .where('email', '=', normalized)
      .executeTakeFirst();
    return row && { user: toUser(row), hash: row.password_hash };
  }

  async setPassword(workspaceId: string, userId: string, hash: string): Promise<void> {
    const res = await this.db
      .updateTable('users')
      .set({ password_hash: hash })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) throw new StoreNotFoundError(`user '${userId}' not found`);
  }

  /** Whether some active user of the workspace has a password, i.e. somebody can sign in. */
  async anyoneCanSignIn(workspaceId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('disabled_at', 'is', null)
      .where('password_hash', 'is not', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** A new session: the id goes into the cookie, the CSRF token to the page. */
  async createSession(
    workspaceId: string,
    userId: string,
    at: string = now(),
  ): Promise<{ id: string; csrfToken: string }> {
    const id = secret();
    const csrfToken = secret();
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: digest(id),
        workspace_id: workspaceId,
        user_id: userId,
        csrf_token: csrfToken,
        created_at: at,
        last_seen_at: at,
      })
      .execute();
    return { id, csrfToken };
  }

  /** The session's user, whatever its state (the caller checks disabled users and ages). */
  async session(id: string): Promise<SessionUser | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        ...USER_COLUMNS,
        'sessions.csrf_token',
        'sessions.created_at as session_created_at',
        'sessions.last_seen_at',
      ])
      .where('sessions.id_hash', '=', digest(id))
      .whereRef('sessions.workspace_id', '=', 'users.workspace_id')
      .executeTakeFirst();
    return (
      row && {
        user: toUser(row),
        csrfToken: row.csrf_token,
        createdAt: row.session_created_at,
        lastSeenAt: row.last_seen_at,
      }
    );
  }

  async touchSession(id: string, at: string = now()): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: at })
      .where('id_hash', '=', digest(id))
      .execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', digest(id)).execute();
  }

  /** Signs the user out everywhere (disabled, or a new password). */
  async deleteSessionsOf(workspaceId: string, userId: string): Promise<void> {
    await this.db
      .deleteFrom('sessions')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .execute();
  }

  /**
   * A one-time link's token. `email` null: the holder chooses the address (the first admin's
   * link). `replaceOpen`: unused links of the workspace with no email are withdrawn first, so
   * only the newest first-admin link works.
   */
  async createSignUpLink(
    workspaceId: string,
    input: { email: string | null; role: UserRole; expiresAt: string; replaceOpen?: boolean },
    at: string = now(),
  ): Promise<string> {
    const token = secret();
    await inTransaction(this.db, async (trx) => {
      if (input.replaceOpen) {
        await trx
          .deleteFrom('sign_up_links')
          .where('workspace_id', '=', workspaceId)
          .where('email', 'is', null)
          .where('used_at', 'is', null)
          .execute();
      }
      await trx
        .insertInto('sign_up_links')
        .values({
          token_hash: digest(token),
          workspace_id: workspaceId,
          email: input.email === null ? null : normalizeEmail(input.email),
          role: input.role,
          created_at: at,
          expires_at: input.expiresAt,
          used_at: null,
        })
        .execute();
    });
    return token;
  }

  /**
   * Spends a link: creates its user (or gives a password to an invited user who has none) with
   * the link's role. One transaction: a link signs up one account, however many try at once.
   */
  async useSignUpLink(token: string, email: string, passwordHash: string, at: string = now()): Promise<User> {
    const address = normalizeEmail(email);
    return inTransaction(this.db, async (trx) => {
      const spent = await trx
        .updateTable('sign_up_links')
        .set({ used_at: at })
        .where('token_hash', '=', digest(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returning(['workspace_id', 'email', 'role'])
        .executeTakeFirst();
      const refused = (message: string) =>
        new InlayError('UNAUTHENTICATED', message, {
          hint: 'Ask an admin for a new link (or restart the server without users for a first-admin link).',
        });
      if (!spent)
        throw refused('this sign-up link is not valid: it was used already, has expired or never existed');
      if (spent.email !== null && spent.email !== address) {
        throw refused('this sign-up link was made for another email address');
      }
      const existing = await trx
        .selectFrom('users')
        .select([...USER_COLUMNS, 'users.password_hash'])
        .where('workspace_id', '=', spent.workspace_id)
        .where('email', '=', address)
        .executeTakeFirst();
      if (existing && (existing.password_hash !== null || existing.disabled_at !== null)) {
        throw new InlayError('CONFLICT', `an account for '${address}' exists already`, {
          hint: 'Sign in instead, or ask an admin to reset it.',
        });
      }
      if (existing) {
        await trx
          .updateTable('users')
          .set({ password_hash: passwordHash, role: spent.role })
          .where('id', '=', existing.id)
          .execute();
        return toUser({ ...existing, role: spent.role });
      }
      const row: UserRow = {
        id: randomUUID(),
        workspace_id: spent.workspace_id,
        email: address,
        display_name: null,
        role: spent.role,
        created_at: at,
        disabled_at: null,
      };
      await trx
        .insertInto('users')
        .values({ ...row, password_hash: passwordHash })
        .execute();
      return toUser(row);
    });
  }

  /** The latest `locked_until` among these throttle keys (ISO), if any is locked. */
  async lockedUntil(keys: string[]): Promise<string | undefined> {
    const rows = await this.db
      .selectFrom('sign_in_failures')
      .select('locked_until')
      .where('key', 'in', keys)
      .where('locked_until', 'is not', null)
      .execute();
    return rows
      .map((r) => r.locked_until!)
      .sort()
      .at(-1);
  }

  /**
   * Counts a failure for `key` (a new count when the last one started before `windowStart`) and
   * sets `locked_until` from the new count. Answers the count.
   */
  async recordFailure(
    key: string,
    windowStart: string,
    lockFor: (failures: number) => string | null,
    at: string = now(),
  ): Promise<number> {
    return inTransaction(this.db, async (trx) => {
      const row = await trx
        .selectFrom('sign_in_failures')
        .selectAll()
        .where('key', '=', key)
        .executeTakeFirst();
      const failures = row && row.first_at >= windowStart ? row.failures + 1 : 1;
      const values = {
        failures,
        first_at: failures === 1 ? at : row!.first_at,
        locked_until: lockFor(failures),
      };
      await trx
        .insertInto('sign_in_failures')
        .values({ key, ...values })
        .onConflict((oc) => oc.column('key').doUpdateSet(values))
        .execute();
      return failures;
    });
  }

  async clearFailures(keys: string[]): Promise<void> {
    await this.db.deleteFrom('sign_in_failures').where('key', 'in', keys).execute();
  }
}
