import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type CachedResult, entryFromText } from './tiers.js';

/** Whether this replica computes a key: `mine`, another replica does (`theirs`), or no one can say. */
export type Claim = 'mine' | 'theirs' | 'unavailable';

/**
 * Single flight across replicas: one claims a key's computation, the others wait for the answer
 * it stores. Only ever saves work: whenever the protocol cannot vouch for an answer (Redis down,
 * the claim ended without one, too long a wait) the caller computes it itself.
 */
export interface SharedFlights {
  claim(key: string, ttlMs: number): Promise<Claim>;
  /** Ends this replica's claim (only its own: a claim that expired and was taken stays). */
  release(key: string): Promise<void>;
  /** The answer stored in Redis for `key` now, if any. */
  stored(key: string): Promise<CachedResult | undefined>;
  /**
   * The entry another replica stores for `key` once it is newer than `newerThan` (epoch ms);
   * undefined when the claim ends without one, Redis fails, `signal` aborts or `timeoutMs` passes.
   */
  wait(
    key: string,
    newerThan: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<CachedResult | undefined>;
}

// Deletes the claim only if it is still ours: it may have expired and been taken meanwhile.
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;

/** Claims are `<prefix>flight:<key>` keys holding a random owner id, expiring with the query timeout. */
export function redisFlights(
  client: Redis,
  prefix: string,
  ready: () => boolean,
  stored: (key: string) => Promise<CachedResult | undefined>,
): SharedFlights {
  const owners = new Map<string, string>();
  const claimKey = (key: string) => `${prefix}flight:${key}`;
  return {
    stored,
    async claim(key, ttlMs) {
      if (!ready()) return 'unavailable';
      const owner = randomBytes(12).toString('base64url');
      try {
        const ok = await client.set(claimKey(key), owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
        if (ok !== 'OK') return 'theirs';
        owners.set(key, owner);
        return 'mine';
      } catch {
        return 'unavailable';
      }
    },
    async release(key) {
      const owner = owners.get(key);
      if (owner === undefined) return;
      owners.delete(key);
      try {
        await client.eval(RELEASE, 1, claimKey(key), owner);
      } catch {
        // It expires by itself.
      }
    },
    async wait(key, newerThan, timeoutMs, signal) {
      const until = Date.now() + timeoutMs;
      let pause = FIRST_POLL_MS;
      while (Date.now() < until && !signal?.aborted && ready()) {
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(MAX_POLL_MS, pause * 1.5);
        try {
          // The claim first: its owner stores the answer before releasing, so once the claim is
          // gone, the read after it sees the answer if there is one.
          const [[claimError, claimed], [getError, text]] = (await client
            .pipeline()
            .exists(claimKey(key))
            .get(`${prefix}${key}`)
            .exec()) as [[Error | null, number], [Error | null, string | null]];
          if (claimError || getError) return undefined;
          const entry = text ? entryFromText(text) : undefined;
          if (entry && entry.refreshedAt > newerThan) return entry;
          if (!claimed) return undefined;
        } catch {
          return undefined;
        }
      }
      return undefined;
    },
  };
}
