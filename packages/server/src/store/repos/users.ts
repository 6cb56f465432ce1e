import { createHash, randomUUID } from 'node:crypto';
import { InlayError } from '@inlay/core';
import type { Selectable } from 'kysely';
import { conflictAs, StoreNotFoundError } from '../errors.js';
import { type Db, inTransaction, now, type UsersTable } from '../schema.js';

export const USER_ROLES = ['admin', 'editor', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface User {
  id: string;
  workspaceId: string;
  /** Lower-cased. */
  email: string;
  displayName: string | null;
  role: UserRole;
  createdAt: string;
  disabledAt: string | null;
}

export interface NewUser {
  email: string;
  role: UserRole;
  displayName?: string | null;
}

/** A user's row without the password hash, which only the accounts code reads. */
export type UserRow = Omit<Selectable<UsersTable>, 'password_hash'>;

export const toUser = (r: UserRow): User => ({
  id: r.id,
  workspaceId: r.workspace_id,
  email: r.email,
  displayName: r.display_name,
  role: r.role as UserRole,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

const invalid = (message: string, hint?: string) =>
  new InlayError('QUERY_INVALID', message, hint ? { hint } : {});

/**
 * One spelling per address, so `Ann@X.com` and `ann@x.com` are the same person (the unique
 * constraint compares the stored text). Only the shape is checked: delivery proves the rest.
 */
export function normalizeEmail(email: string): string {
  const e = email.trim().normalize('NFC').toLowerCase();
  if (e.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(e)) {
    throw invalid(`'${email}' is not an email address`, 'Write it as name@domain (at most 254 characters).');
  }
  return e;
}

/** The stored spelling of an address, or undefined for text that is no address (found: nobody). */
export function normalizedOrNone(email: string): string | undefined {
  try {
    return normalizeEmail(email);
  } catch {
    return undefined;
  }
}

function checkRole(role: string): UserRole {
  if (!(USER_ROLES as readonly string[]).includes(role)) {
    throw invalid(`role '${role}' is not one of ${USER_ROLES.join(', ')}`);
  }
  return role as UserRole;
}

/** The same digest `api_keys.hash` holds, so a key can be named without storing it. */
const keyHash = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** Refuses to take away the workspace's last active admin (nobody could manage it afterwards). */
async function lastAdminCheck(trx: Db, workspaceId: string, row: UserRow, verb: string): Promise<void> {
  const others = await trx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('id', '<>', row.id)
    .executeTakeFirstOrThrow();
  if (Number(others.n) === 0) {
    throw new InlayError('CONFLICT', `'${row.email}' is the last active admin of this workspace`, {
      hint: `Make another admin first, then ${verb} this one.`,
    });
  }
}

/**
 * People of a workspace. Nothing here decides what a role may do: that is the routes' business.
 * Disabling is the only way out (rows stay for the audit trail), and it revokes the user's keys.
 */
export class UsersRepo {
  constructor(private readonly db: Db) {}

  async create(workspaceId: string, input: NewUser): Promise<User> {
    const row: UserRow = {
      id: randomUUID(),
      workspace_id: workspaceId,
      email: normalizeEmail(input.email),
      display_name: input.displayName ?? null,
      role: checkRole(input.role),
      created_at: now(),
      disabled_at: null,
    };
    await conflictAs(`a user with email '${row.email}' already exists in this workspace`, () =>
      this.db.insertInto('users').values(row).execute(),
    );
    return toUser(row);
  }

  /**
   * The user with this email, created with `input` if missing; an existing one is returned as it
   * is (role and disabled state untouched). Safe when several replicas start together.
   */
  async ensure(workspaceId: string, input: NewUser): Promise<User> {
    const email = normalizeEmail(input.email);
    await this.db
      .insertInto('users')
      .values({
        id: randomUUID(),
        workspace_id: workspaceId,
        email,
        display_name: input.displayName ?? null,
        role: checkRole(input.role),
        created_at: now(),
        disabled_at: null,
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'email']).doNothing())
      .execute();
    const user = await this.findByEmail(workspaceId, email);
    if (!user) throw new StoreNotFoundError(`user '${email}' not found`);
    return user;
  }

  /** Oldest first; disabled users only when asked for. */
  async list(workspaceId: string, opts: { includeDisabled?: boolean } = {}): Promise<User[]> {
    let q = this.db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId);
    if (!opts.includeDisabled) q = q.where('disabled_at', 'is', null);
    const rows = await q.orderBy('created_at').orderBy('email').execute();
    return rows.map(toUser);
  }

  async find(workspaceId: string, id: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row);
  }

  /** Case-insensitive, as emails are stored lower-cased. */
  async findByEmail(workspaceId: string, email: string): Promise<User | undefined> {
    const normalized = normalizedOrNone(email);
    if (normalized === undefined) return undefined;
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('email', '=', normalized)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async get(workspaceId: string, id: string): Promise<User> {
    const user = await this.find(workspaceId, id);
    if (!user) throw new StoreNotFoundError(`user '${id}' not found`);
    return user;
  }

  /**
   * Disables the user and revokes their live API keys, in one transaction. Disabling a disabled
   * user changes nothing. The last active admin cannot be disabled (409): nobody could manage
   * the workspace afterwards.
   */
  async disable(workspaceId: string, id: string): Promise<User> {
    return this.changeLocked(workspaceId, id, async (trx, row) => {
      if (row.disabled_at) return toUser(row);
      if (row.role === 'admin') await lastAdminCheck(trx, workspaceId, row, 'disable');
      const at = now();
      await trx.updateTable('users').set({ disabled_at: at }).where('id', '=', id).execute();
      await trx
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('workspace_id', '=', workspaceId)
        .where('user_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      return toUser({ ...row, disabled_at: at });
    });
  }

  /**
   * Gives an active user another role (their sessions see it on their next request). The last
   * active admin cannot become less (409), as in `disable`.
   */
  async setRole(workspaceId: string, id: string, role: UserRole): Promise<User> {
    const next = checkRole(role);
    return this.changeLocked(workspaceId, id, async (trx, row) => {
      if (row.disabled_at) {
        throw new InlayError('CONFLICT', `'${row.email}' is disabled: their role cannot change`);
      }
      if (row.role === next) return toUser(row);
      if (row.role === 'admin') await lastAdminCheck(trx, workspaceId, row, 'change the role of');
      await trx.updateTable('users').set({ role: next }).where('id', '=', id).execute();
      return toUser({ ...row, role: next });
    });
  }

  /** `change` on the user's row inside a transaction holding the workspace's lock. */
  private changeLocked<T>(
    workspaceId: string,
    id: string,
    change: (trx: Db, row: UserRow) => Promise<T>,
  ): Promise<T> {
    return inTransaction(this.db, async (trx) => {
      // Write first: it takes the workspace's row lock on PostgreSQL (two changes cannot both
      // pass the last-admin check) and the write lock at once on SQLite (no SQLITE_BUSY upgrade).
      const locked = await trx
        .updateTable('workspaces')
        .set((eb) => ({ name: eb.ref('name') }))
        .where('id', '=', workspaceId)
        .executeTakeFirst();
      if (locked.numUpdatedRows === 0n) throw new StoreNotFoundError(`workspace '${workspaceId}' not found`);
      const row = await trx
        .selectFrom('users')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw new StoreNotFoundError(`user '${id}' not found`);
      return change(trx, row);
    });
  }

  /**
   * Makes a live API key of the workspace act for an active user of the same workspace. The key
   * is named by its id, or by the key itself (found by its hash: the bootstrap key on start).
   */
  async linkApiKey(
    workspaceId: string,
    userId: string,
    apiKey: { id: string } | { key: string },
  ): Promise<void> {
    // One statement, so no transaction is needed: the user check rides along as a subquery.
    let q = this.db
      .updateTable('api_keys')
      .set({ user_id: userId })
      .where('workspace_id', '=', workspaceId)
      .where('revoked_at', 'is', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('users')
            .select('users.id')
            .where('users.id', '=', userId)
            .where('users.workspace_id', '=', workspaceId)
            .where('users.disabled_at', 'is', null),
        ),
      );
    q = 'id' in apiKey ? q.where('id', '=', apiKey.id) : q.where('hash', '=', keyHash(apiKey.key));
    const res = await q.executeTakeFirst();
    if (res.numUpdatedRows > 0n) return;
    // Nothing changed: say which side was missing.
    const user = await this.find(workspaceId, userId);
    if (!user) throw new StoreNotFoundError(`user '${userId}' not found`);
    if (user.disabledAt) {
      throw new InlayError('CONFLICT', `user '${user.email}' is disabled and cannot own an API key`);
    }
    throw new StoreNotFoundError(
      'id' in apiKey
        ? `live API key '${apiKey.id}' not found`
        : 'this API key is not a live key of the workspace',
    );
  }

  /** Ids of the API keys (live or revoked) that act for the user. */
  async apiKeyIds(workspaceId: string, userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }
}
