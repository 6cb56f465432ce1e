import { createRequire } from 'node:module';
import type { Redis as RedisClient } from 'ioredis';
import { redisFlights, type SharedFlights } from './shared-flights.js';
import { type CachedResult, type CacheTier, entryFromText, entryToText } from './tiers.js';

/**
 * ioredis loads only for a server that has a Redis URL (~25 MB and a tenth of a second of start
 * otherwise); it is CommonJS, so a synchronous require keeps `redisTier` synchronous.
 */
const loadRedis = () => (createRequire(import.meta.url)('ioredis') as { Redis: typeof RedisClient }).Redis;

export interface RedisTierOptions {
  /** Prefix of every key, so several Inlay deployments can share one Redis. */
  keyPrefix?: string;
  /** Told once when Redis goes away and once when it is back. */
  log?: { warn(msg: string): void; info(msg: string): void };
  /** Longest wait for one command before answering without Redis. */
  commandTimeoutMs?: number;
}

export interface RedisTier extends CacheTier {
  /** Whether commands are being sent (false while disconnected). */
  readonly ready: boolean;
  /** Single flight between the replicas sharing this Redis. */
  readonly flights: SharedFlights;
}

/**
 * The shared L1 tier (`ioredis`). Redis is an optimisation, never a dependency: while it is down
 * every read is a miss and every write is dropped at once (no offline queue, short timeouts), the
 * client keeps reconnecting in the background, and the outage is logged once, not per request.
 */
export function redisTier(url: string, options: RedisTierOptions = {}): RedisTier {
  const prefix = options.keyPrefix ?? 'inlay:l1:';
  const Redis = loadRedis();
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: options.commandTimeoutMs ?? 500,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
    lazyConnect: false,
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    options.log?.warn(
      `Redis cache unavailable (${err.message}); answering from the local cache and the database`,
    );
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    options.log?.info('Redis cache reconnected');
  });
  const ready = () => client.status === 'ready';

  const get = async (key: string): Promise<CachedResult | undefined> => {
    if (!ready()) return undefined;
    try {
      const text = await client.get(prefix + key);
      return text ? entryFromText(text) : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    get ready() {
      return ready();
    },
    flights: redisFlights(client, prefix, ready, get),
    get,
    async set(key, entry, now) {
      const ttl = Math.ceil(entry.expiresAt - now);
      if (!ready() || ttl <= 0) return;
      try {
        await client.set(prefix + key, entryToText(entry), 'PX', ttl);
      } catch {
        // A lost write only costs a later miss.
      }
    },
    async close() {
      client.disconnect();
    },
  };
}
