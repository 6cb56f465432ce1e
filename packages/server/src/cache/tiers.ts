import { LRUCache } from 'lru-cache';

/** One cached answer and what it was computed under. */
export interface CachedResult {
  /**
   * The answer (`{data, annotation, total?}`) as UTF-8 JSON bytes: serialised and encoded once,
   * written as they are on every hit (no re-encoding, no length scan).
   */
  body: Buffer;
  /** Rows in the answer, for the request log. */
  rows: number;
  /** Epoch ms when the database (or a rollup) answered. */
  refreshedAt: number;
  /** The touched cubes' `refresh_key.sql` values when the answer was computed ('' when none). */
  refreshValues: string;
  /** Which level computed the answer. */
  source: 'l2' | 'none';
  /** When a rollup that answered was built (its data is that old). */
  dataAt?: number;
  /** Epoch ms after which even a stale answer is not served. */
  expiresAt: number;
}

/** Where cached answers live: the process's memory, or Redis shared by replicas. */
export interface CacheTier {
  get(key: string): Promise<CachedResult | undefined>;
  /**
   * The entry when this process holds it, at once (no promise: most L1 hits are answered from
   * here); undefined means "ask `get`", which may still find it further away.
   */
  peek?(key: string): CachedResult | undefined;
  /** Keeps the entry until `entry.expiresAt` at most. */
  set(key: string, entry: CachedResult, now: number): Promise<void>;
  close(): Promise<void>;
}

/** An entry as text for a remote tier: its body as text inside the entry's JSON. */
export function entryToText(entry: CachedResult): string {
  return JSON.stringify({ ...entry, body: entry.body.toString('utf8') });
}

/** The entry `entryToText` wrote. */
export function entryFromText(text: string): CachedResult {
  const stored = JSON.parse(text) as Omit<CachedResult, 'body'> & { body: string };
  return { ...stored, body: Buffer.from(stored.body, 'utf8') };
}

/** The body's bytes plus bookkeeping. */
export function entryBytes(entry: CachedResult): number {
  return entry.body.length + entry.refreshValues.length + 200;
}

/**
 * In-process LRU bounded in bytes (`lru-cache`). An answer larger than the whole budget is not
 * kept rather than evicting everything else.
 */
export function localTier(
  maxBytes: number,
  now: () => number = Date.now,
): CacheTier & { readonly bytes: number; readonly size: number } {
  const lru = new LRUCache<string, CachedResult>({
    // The cache's clock, so lifetimes follow a test's fake clock too.
    perf: { now },
    maxSize: Math.max(1, maxBytes),
    maxEntrySize: Math.max(1, maxBytes),
    sizeCalculation: (entry) => Math.max(1, entryBytes(entry)),
  });
  return {
    get bytes() {
      return lru.calculatedSize;
    },
    get size() {
      return lru.size;
    },
    async get(key) {
      return lru.get(key);
    },
    peek(key) {
      return lru.get(key);
    },
    async set(key, entry, now) {
      const ttl = Math.ceil(entry.expiresAt - now);
      if (maxBytes <= 0 || ttl <= 0) return;
      lru.set(key, entry, { ttl });
    },
    async close() {
      lru.clear();
    },
  };
}

/** Looks in `near` first, then `far` (copying a far hit near); writes go to both. */
export function tiered(near: CacheTier, far: CacheTier | undefined, now: () => number): CacheTier {
  if (!far) return near;
  return {
    ...(near.peek ? { peek: near.peek } : {}),
    async get(key) {
      const hit = await near.get(key);
      if (hit) return hit;
      const remote = await far.get(key);
      if (remote) await near.set(key, remote, now());
      return remote;
    },
    async set(key, entry, at) {
      await Promise.all([near.set(key, entry, at), far.set(key, entry, at)]);
    },
    async close() {
      await Promise.all([near.close(), far.close()]);
    },
  };
}
