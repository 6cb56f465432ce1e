import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { type OpenStoreOptions, openStore, type Store } from '../../src/store/index.js';

export const PGURL = process.env.PGURL || 'postgres://postgres@127.0.0.1:5432/test';
export const SECRET_KEY = randomBytes(32);

export type BackendName = 'sqlite' | 'postgres';
export const BACKENDS: BackendName[] = ['sqlite', 'postgres'];

/**
 * One isolated metadata database per test file: a temp directory for SQLite, a fresh schema
 * for PostgreSQL. `open` may be called several times (reopen, second replica).
 */
export interface TestPlace {
  /** The SQLite data directory (undefined for PostgreSQL). */
  dataDir: string | undefined;
  open(opts?: Partial<OpenStoreOptions>): Promise<Store>;
  /** Closes every store this place opened and removes the database. */
  cleanup(): Promise<void>;
}

export function testPlace(backend: BackendName): TestPlace {
  const opened: Store[] = [];
  const dir = backend === 'sqlite' ? mkdtempSync(join(tmpdir(), 'inlay-store-')) : undefined;
  const schema = `inlay_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    dataDir: dir,
    async open(opts = {}) {
      const options = { secretKey: SECRET_KEY, ...opts };
      const store = dir
        ? await openStore({ dataDir: dir }, options)
        : await openStore(PGURL, { schema, ...options });
      opened.push(store);
      return store;
    },
    async cleanup() {
      for (const s of opened.splice(0)) await s.close().catch(() => {});
      if (dir) rmSync(dir, { recursive: true, force: true });
      else {
        const client = new pg.Client({ connectionString: PGURL });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      }
    },
  };
}

/** A fresh workspace per test, so tests in one file share a database without seeing each other. */
export async function newWorkspace(store: Store): Promise<string> {
  const ws = await store.workspaces.create({ name: `ws-${randomBytes(3).toString('hex')}` });
  return ws.id;
}

export async function countRows(store: Store, table: string, workspaceId?: string): Promise<number> {
  const where = workspaceId ? sql` where workspace_id = ${workspaceId}` : sql``;
  const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}${where}`.execute(
    store.db,
  );
  return Number(r.rows[0]?.n ?? 0);
}
