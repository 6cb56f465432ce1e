import type { SharedFlights } from './shared-flights.js';
import type { CachedResult, CacheTier } from './tiers.js';

export type CacheLevel = 'l1' | 'l2' | 'none';

/** What every `/load` answer says about where it came from. */
export interface CacheInfo {
  level: CacheLevel;
  age_ms: number;
  refreshed_at: string;
  /** Served past its freshness while one background refresh runs. */
  stale?: boolean;
}

export interface Computed {
  /** The answer as UTF-8 JSON bytes. */
  body: Buffer;
  rows: number;
  source: 'l2' | 'none';
  /** When the rows were read from the source, if earlier than now (a rollup's build time). */
  dataAt?: number;
}

export interface LoadThrough {
  key: string;
  /** Age after which the answer is stale by time. */
  everyMs: number;
  /**
   * The touched cubes' current `refresh_key.sql` values; a change makes an entry stale. Absent
   * when they have none (the value is then '', and a hit needs no promise for it).
   */
  refreshValues?: (() => Promise<string>) | undefined;
  /** Skip the cache (the query's `renewQuery`); the fresh answer is still stored. */
  renew?: boolean;
  /** Runs the query; `signal` aborts when every caller waiting for it has gone. */
  compute: (signal: AbortSignal) => Promise<Computed>;
  /** The caller's hang-up, made only when the request has to wait for a computation. */
  signal?: () => AbortSignal;
}

export interface ResultCacheOptions {
  tier: CacheTier;
  now?: () => number;
  /** How long past its freshness an answer may still be served while it is refreshed. */
  maxStaleMs: number;
  /** Background refresh failures (the caller already has its stale answer). */
  onError?: (err: unknown) => void;
  /** With Redis: identical requests on several replicas run one query between them. */
  shared?: SharedFlights | undefined;
  /** How long one replica's claim on a computation lasts (and others wait for it): the query timeout and a margin. */
  sharedFlightMs?: number;
}

interface Flight {
  promise: Promise<CachedResult>;
  waiters: number;
  abort: AbortController;
}

/**
 * L1: answers keyed by everything that changes them, fresh by the model's refresh keys, served
 * stale while one background refresh runs, and computed once however many identical requests
 * arrive together (single flight: per process, and between replicas when they share Redis).
 */
export class ResultCache {
  private readonly flights = new Map<string, Flight>();
  private readonly now: () => number;

  constructor(private readonly options: ResultCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Queries being computed now (for tests and metrics). */
  get inFlight(): number {
    return this.flights.size;
  }

  async load(req: LoadThrough): Promise<{ entry: CachedResult; cache: CacheInfo }> {
    // What another replica's answer must be newer than to serve this request: anything on a miss,
    // a fresher one than ours when stale or expired, one finished after this request asked when renewing.
    let newerThan = 0;
    if (!req.renew) {
      const { tier } = this.options;
      const entry = tier.peek?.(req.key) ?? (await tier.get(req.key));
      const now = this.now();
      if (entry) newerThan = entry.refreshedAt;
      if (entry && now < entry.expiresAt) {
        const age = Math.max(0, now - entry.refreshedAt);
        const fresh =
          age < req.everyMs &&
          (req.refreshValues
            ? await this.sameRefreshValues(entry, req.refreshValues)
            : entry.refreshValues === '');
        if (fresh) return { entry, cache: info('l1', entry, age) };
        // Stale: answer now, refresh once in the background (no caller's hang-up cancels it).
        this.join(req.key, req, undefined, newerThan).catch((err) => this.options.onError?.(err));
        return { entry, cache: { ...info('l1', entry, age), stale: true } };
      }
    } else newerThan = this.now();
    const entry = await this.join(req.key, req, req.signal?.(), newerThan);
    // Another replica's answer came through the shared cache, as old as it is.
    if (fromOtherReplica.has(entry)) {
      return { entry, cache: info('l1', entry, Math.max(0, this.now() - entry.refreshedAt)) };
    }
    // Just computed (or joined while it ran): the data is as of now.
    return { entry, cache: info(entry.source, entry, 0) };
  }

  /**
   * A fresh answer this process holds for `key`, at once; undefined for anything else (not held
   * here, stale, expired, or with refresh-key values to compare), which `load` then decides.
   */
  peekFresh(key: string, everyMs: number): { entry: CachedResult; cache: CacheInfo } | undefined {
    const entry = this.options.tier.peek?.(key);
    if (entry === undefined) return undefined;
    const now = this.now();
    // Refresh-key values are compared by `load`, which may have to read them.
    if (entry.refreshValues !== '' || now >= entry.expiresAt) return undefined;
    const age = Math.max(0, now - entry.refreshedAt);
    return age < everyMs ? { entry, cache: info('l1', entry, age) } : undefined;
  }

  private async sameRefreshValues(
    entry: CachedResult,
    refreshValues: () => Promise<string>,
  ): Promise<boolean> {
    try {
      return (await refreshValues()) === entry.refreshValues;
    } catch (err) {
      // An unreadable refresh key cannot vouch for the entry: treat it as stale.
      this.options.onError?.(err);
      return false;
    }
  }

  /** Joins the running computation of `key`, or starts it. */
  private join(
    key: string,
    req: LoadThrough,
    signal: AbortSignal | undefined,
    newerThan: number,
  ): Promise<CachedResult> {
    let flight = this.flights.get(key);
    if (!flight) {
      const abort = new AbortController();
      const promise = this.computeOnce(req, abort.signal, newerThan).finally(() => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
      });
      flight = { promise, waiters: 0, abort };
      this.flights.set(key, flight);
    }
    const f = flight;
    f.waiters++;
    if (signal) {
      // The database work stops only when the last caller waiting for it has hung up; a request
      // arriving after that starts its own computation instead of joining one being stopped.
      const leave = () => {
        if (--f.waiters > 0) return;
        if (this.flights.get(key) === f) this.flights.delete(key);
        f.abort.abort();
      };
      if (signal.aborted) leave();
      else signal.addEventListener('abort', leave, { once: true });
    }
    return f.promise;
  }

  /** Computes here, unless another replica sharing Redis already is: then its answer is taken. */
  private async computeOnce(req: LoadThrough, signal: AbortSignal, newerThan: number): Promise<CachedResult> {
    const { shared } = this.options;
    if (!shared) return this.compute(req, signal);
    const ttl = this.options.sharedFlightMs ?? DEFAULT_SHARED_FLIGHT_MS;
    const claim = await shared.claim(req.key, ttl);
    try {
      // Theirs: wait for it. Mine: a replica may have stored the answer and released its claim
      // between our cache read and this claim.
      const theirs =
        claim === 'theirs'
          ? await shared.wait(req.key, newerThan, ttl, signal)
          : claim === 'mine'
            ? await shared.stored(req.key)
            : undefined;
      if (theirs && theirs.refreshedAt > newerThan && this.now() < theirs.expiresAt) {
        fromOtherReplica.add(theirs);
        await this.options.tier.set(req.key, theirs, this.now());
        return theirs;
      }
      // No answer from them (their query failed, they died, or none was running): compute here.
      return await this.compute(req, signal);
    } finally {
      if (claim === 'mine') await shared.release(req.key);
    }
  }

  private async compute(req: LoadThrough, signal: AbortSignal): Promise<CachedResult> {
    // Read the refresh values before the data: a change while the query runs then shows as stale.
    const refreshValues = req.refreshValues
      ? await req.refreshValues().catch((err) => {
          this.options.onError?.(err);
          return '\u0000unknown';
        })
      : '';
    const computed = await req.compute(signal);
    const refreshedAt = this.now();
    const everyMs = Number.isFinite(req.everyMs) ? req.everyMs : DAY_MS;
    const entry: CachedResult = {
      body: computed.body,
      rows: computed.rows,
      refreshedAt,
      refreshValues,
      source: computed.source,
      ...(computed.dataAt !== undefined ? { dataAt: computed.dataAt } : {}),
      expiresAt: refreshedAt + everyMs + this.options.maxStaleMs,
    };
    await this.options.tier.set(req.key, entry, refreshedAt);
    return entry;
  }
}

/** Answers another replica computed while this one waited for them. */
const fromOtherReplica = new WeakSet<CachedResult>();

/** A replica's claim on a computation without a configured query timeout: 30 s and a margin. */
const DEFAULT_SHARED_FLIGHT_MS = 35_000;

/** Answers kept only by `refresh_key.sql` are still dropped after a day. */
const DAY_MS = 86_400_000;

// An entry never changes once cached, so its time as text is made once, not on every hit.
const refreshedText = new WeakMap<CachedResult, string>();

/** The age of the data: since the computation, or since the rollup it read was built. */
function info(level: CacheLevel, entry: CachedResult, age: number): CacheInfo {
  const dataAt = Math.min(entry.dataAt ?? entry.refreshedAt, entry.refreshedAt);
  let refreshed = refreshedText.get(entry);
  if (refreshed === undefined) {
    refreshed = new Date(dataAt).toISOString();
    refreshedText.set(entry, refreshed);
  }
  return { level, age_ms: Math.round(age + (entry.refreshedAt - dataAt)), refreshed_at: refreshed };
}
