import type { ServerConfig } from '../config/index.js';
import { CompiledQueries } from './compiled.js';
import { RefreshKeyChecker } from './freshness.js';
import { redisTier } from './redis-tier.js';
import { ResultCache } from './result-cache.js';
import { localTier, tiered } from './tiers.js';

export { CompiledQueries } from './compiled.js';
export { everyToMs, type Freshness, freshnessOf, RefreshKeyChecker } from './freshness.js';
export { type ResultKeyParts, resultKey } from './key.js';
export { type RedisTier, redisTier } from './redis-tier.js';
export {
  type CacheInfo,
  type CacheLevel,
  type Computed,
  type LoadThrough,
  ResultCache,
} from './result-cache.js';
export type { SharedFlights } from './shared-flights.js';
export { type CachedResult, type CacheTier, localTier, tiered } from './tiers.js';

export type L1Settings = Pick<ServerConfig, 'cacheMaxBytes' | 'cacheRefreshEveryMs' | 'cacheMaxStaleMs'> &
  Partial<Pick<ServerConfig, 'redisUrl' | 'queryTimeoutMs'>>;

/** The L1 result cache as configured, with its refresh-key checker. */
export interface L1 {
  results: ResultCache;
  refreshKeys: RefreshKeyChecker;
  /** Compiling is most of an L1 hit's work: repeats of a query reuse its compiled form. */
  compiled: CompiledQueries;
  defaultEveryMs: number;
  close(): Promise<void>;
}

export function createL1(
  settings: L1Settings,
  options: {
    now?: () => number;
    log?: { warn(m: string): void; info(m: string): void; error(e: unknown): void };
  } = {},
): L1 {
  const now = options.now ?? Date.now;
  const local = localTier(settings.cacheMaxBytes, now);
  const remote = settings.redisUrl
    ? redisTier(settings.redisUrl, options.log ? { log: options.log } : {})
    : undefined;
  const tier = tiered(local, remote, now);
  return {
    results: new ResultCache({
      tier,
      now,
      maxStaleMs: settings.cacheMaxStaleMs,
      ...(options.log ? { onError: options.log.error } : {}),
      ...(remote
        ? {
            shared: remote.flights,
            ...(settings.queryTimeoutMs ? { sharedFlightMs: settings.queryTimeoutMs + 5_000 } : {}),
          }
        : {}),
    }),
    refreshKeys: new RefreshKeyChecker(now),
    compiled: new CompiledQueries(now),
    defaultEveryMs: settings.cacheRefreshEveryMs,
    close: () => tier.close(),
  };
}
