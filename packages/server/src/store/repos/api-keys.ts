import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { conflictAs, StoreNotFoundError } from '../errors.js';
import { type Db, now } from '../schema.js';
import type { Workspace } from './workspaces.js';

export interface ApiKeyInfo {
  id: string;
  /** The admin's label for it; null for keys made without one (the bootstrap key). */
  name: string | null;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Returned once by `create`; only the hash is kept. */
export interface NewApiKey extends ApiKeyInfo {
  key: string;
}

const KEY_PREFIX = 'inlay_';
// Enough of the key to find its row and to show in a UI, too little to help a guess.
const LOOKUP_CHARS = KEY_PREFIX.length + 8;

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export class ApiKeysRepo {
  constructor(private readonly db: Db) {}

  /**
   * A fresh random key, or `key` when the operator supplies one (`INLAY_API_KEY`). `userId`: the
   * user who made it, so disabling them revokes it (`UsersRepo.disable`).
   */
  async create(
    workspaceId: string,
    opts: { key?: string; name?: string; userId?: string } = {},
  ): Promise<NewApiKey> {
    const key = opts.key ?? KEY_PREFIX + randomBytes(32).toString('base64url');
    if (key.length < 24) throw new RangeError('an API key must be at least 24 characters');
    const row = {
      id: randomUUID(),
      workspace_id: workspaceId,
      hash: sha256(key).toString('hex'),
      prefix: key.slice(0, LOOKUP_CHARS),
      created_at: now(),
      revoked_at: null,
      name: opts.name ?? null,
      user_id: opts.userId ?? null,
    };
    await conflictAs('this API key is already registered', () =>
      this.db.insertInto('api_keys').values(row).execute(),
    );
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      createdAt: row.created_at,
      revokedAt: null,
      key,
    };
  }

  /** The workspace a live key belongs to, or undefined for an unknown or revoked key. */
  async verify(key: string): Promise<Workspace | undefined> {
    const candidates = await this.db
      .selectFrom('api_keys')
      .innerJoin('workspaces', 'workspaces.id', 'api_keys.workspace_id')
      .select(['api_keys.hash', 'workspaces.id', 'workspaces.name', 'workspaces.created_at'])
      .where('api_keys.prefix', '=', key.slice(0, LOOKUP_CHARS))
      .where('api_keys.revoked_at', 'is', null)
      .execute();
    const given = sha256(key);
    let match: Workspace | undefined;
    // Compare against every candidate so the time taken does not depend on which one matched.
    for (const c of candidates) {
      const stored = Buffer.from(c.hash, 'hex');
      if (stored.length === given.length && timingSafeEqual(stored, given) && !match) {
        match = { id: c.id, name: c.name, createdAt: c.created_at };
      }
    }
    return match;
  }

  async list(workspaceId: string): Promise<ApiKeyInfo[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'prefix', 'created_at', 'revoked_at'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    }));
  }

  async revoke(workspaceId: string, id: string): Promise<void> {
    const res = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now() })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) throw new StoreNotFoundError(`live API key '${id}' not found`);
  }

  /** The id of the workspace's live key with this sha256 (hex), if any: which key the server is configured with. */
  async idOfHash(workspaceId: string, hashHex: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('hash', '=', hashHex)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row?.id;
  }
}
