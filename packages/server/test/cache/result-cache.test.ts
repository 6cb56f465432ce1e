import { describe, expect, it } from 'vitest';
import { type Computed, localTier, ResultCache } from '../../src/cache/index.js';
import { annotation, answer, countOf } from './answers.js';

/** A cache on a fake clock and a database stand-in that counts its runs and answers 1, 2, 3… */
function setup(maxStaleMs = 60_000) {
  let t = 1_000_000;
  const clock = {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
  const cache = new ResultCache({ tier: localTier(1024 * 1024, clock.now), now: clock.now, maxStaleMs });
  let runs = 0;
  const compute = async (): Promise<Computed> => answer(++runs);
  const load = (extra: { renew?: boolean; refresh?: string; everyMs?: number; key?: string } = {}) =>
    cache.load({
      key: extra.key ?? 'k',
      everyMs: extra.everyMs ?? 10_000,
      refreshValues: async () => extra.refresh ?? '',
      compute,
      ...(extra.renew ? { renew: true } : {}),
    });
  return { cache, clock, load, runs: () => runs };
}

/** Lets the background refresh that a stale hit started finish. */
const settle = () => new Promise((r) => setTimeout(r, 10));

describe('L1 result cache', () => {
  it('answers a repeat from memory while fresh, with its age', async () => {
    const { load, clock, runs } = setup();
    const first = await load();
    expect(first.cache.level).toBe('none');
    clock.advance(4_000);
    const second = await load();
    expect(second.cache).toMatchObject({ level: 'l1', age_ms: 4_000 });
    expect(second.cache.stale).toBeUndefined();
    expect(second.entry.body).toBe(first.entry.body);
    expect(runs()).toBe(1);
  });

  it('serves a stale answer once past `every` and refreshes it in the background', async () => {
    const { load, clock, runs } = setup();
    await load();
    clock.advance(10_001);
    const stale = await load();
    expect(stale.cache).toMatchObject({ level: 'l1', stale: true });
    expect(countOf(stale)).toBe(1);
    await settle();
    expect(runs()).toBe(2);
    const fresh = await load();
    expect(fresh.cache).toMatchObject({ level: 'l1', age_ms: 0 });
    expect(fresh.cache.stale).toBeUndefined();
    expect(countOf(fresh)).toBe(2);
  });

  it('goes to the database when the entry is older than every + the stale window', async () => {
    const { load, clock, runs } = setup(5_000);
    await load();
    clock.advance(15_001);
    const r = await load();
    expect(r.cache.level).toBe('none');
    expect(runs()).toBe(2);
  });

  it('renewQuery skips the cache and stores the fresh answer', async () => {
    const { load, runs } = setup();
    await load();
    const renewed = await load({ renew: true });
    expect(renewed.cache.level).toBe('none');
    expect(countOf(renewed)).toBe(2);
    expect(countOf(await load())).toBe(2);
    expect(runs()).toBe(2);
  });

  it('a changed refresh_key.sql value makes the entry stale even within `every`', async () => {
    const { load, runs } = setup();
    await load({ refresh: 'v1' });
    expect((await load({ refresh: 'v1' })).cache.stale).toBeUndefined();
    const changed = await load({ refresh: 'v2' });
    expect(changed.cache).toMatchObject({ level: 'l1', stale: true });
    await settle();
    expect(runs()).toBe(2);
    expect((await load({ refresh: 'v2' })).cache.stale).toBeUndefined();
  });

  it('an unreadable refresh key does not vouch for an entry', async () => {
    const { cache } = setup();
    let fail = false;
    let n = 0;
    const req = () =>
      cache.load({
        key: 'k',
        everyMs: 10_000,
        refreshValues: async () => {
          if (fail) throw new Error('refresh key query failed');
          return 'v';
        },
        compute: async () => answer(++n),
      });
    await req();
    fail = true;
    const r = await req();
    expect(r.cache).toMatchObject({ level: 'l1', stale: true });
    await settle();
    // The background refresh ran the query again although the key could not be read.
    expect(n).toBe(2);
  });

  it('runs one computation for 100 concurrent identical requests', async () => {
    const { cache } = setup();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const compute = async (): Promise<Computed> => {
      runs++;
      await gate;
      return answer(runs);
    };
    const all = Array.from({ length: 100 }, () =>
      cache.load({ key: 'same', everyMs: 10_000, refreshValues: async () => '', compute }),
    );
    await settle();
    expect(cache.inFlight).toBe(1);
    release();
    const results = await Promise.all(all);
    expect(runs).toBe(1);
    expect(new Set(results.map(countOf))).toEqual(new Set([1]));
    expect(cache.inFlight).toBe(0);
  });

  it('different keys never share an entry or a computation', async () => {
    const { load, runs } = setup();
    const [a, b] = await Promise.all([load({ key: 'tenant-a' }), load({ key: 'tenant-b' })]);
    expect(runs()).toBe(2);
    expect(a.entry.body).not.toBe(b.entry.body);
    expect((await load({ key: 'tenant-a' })).entry.body).toBe(a.entry.body);
  });

  it('aborts the shared query only when every waiting caller has hung up', async () => {
    const { cache } = setup();
    let seen: AbortSignal | undefined;
    const compute = (signal: AbortSignal) =>
      new Promise<Computed>((resolve, reject) => {
        seen = signal;
        signal.addEventListener('abort', () => reject(new Error('cancelled')));
        setTimeout(() => resolve(answer(1)), 200);
      });
    const a = new AbortController();
    const b = new AbortController();
    const base = { key: 'k', everyMs: 10_000, refreshValues: async () => '', compute };
    const pa = cache.load({ ...base, signal: () => a.signal }).catch((e: Error) => e.message);
    const pb = cache.load({ ...base, signal: () => b.signal }).catch((e: Error) => e.message);
    await settle();
    a.abort();
    await settle();
    expect(seen?.aborted).toBe(false);
    b.abort();
    expect(seen?.aborted).toBe(true);
    expect(await pa).toBe('cancelled');
    expect(await pb).toBe('cancelled');
  });

  it('a request arriving after every caller hung up runs afresh instead of joining the stopped query', async () => {
    const { cache } = setup();
    let runs = 0;
    let started!: () => void;
    const firstStarted = new Promise<void>((r) => {
      started = r;
    });
    const compute = (signal: AbortSignal) =>
      new Promise<Computed>((resolve, reject) => {
        const run = ++runs;
        started();
        // Stopping takes a while on a real database: the stopped run fails only later.
        signal.addEventListener('abort', () => setTimeout(() => reject(new Error('cancelled')), 50));
        setTimeout(() => resolve(answer(run)), 100);
      });
    const base = { key: 'k', everyMs: 10_000, refreshValues: async () => '', compute };
    const gone = new AbortController();
    const first = cache.load({ ...base, signal: () => gone.signal }).catch((e: Error) => e.message);
    await firstStarted;
    gone.abort();
    const next = await cache.load({ ...base, signal: () => new AbortController().signal });
    expect(await first).toBe('cancelled');
    expect(runs).toBe(2);
    expect(countOf(next)).toBe(2);
    expect(cache.inFlight).toBe(0);
  });

  it('keeps the byte budget: an answer bigger than the budget is not stored', async () => {
    const tier = localTier(2_000);
    const cache = new ResultCache({ tier, maxStaleMs: 0 });
    const big: Computed = {
      body: Buffer.from(
        JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => ({ x: `row ${i}` })), annotation }),
      ),
      rows: 200,
      source: 'none',
    };
    let runs = 0;
    const req = () =>
      cache.load({
        key: 'big',
        everyMs: 10_000,
        refreshValues: async () => '',
        compute: async () => {
          runs++;
          return big;
        },
      });
    await req();
    const second = await req();
    expect(second.cache.level).toBe('none');
    expect(runs).toBe(2);
    expect(tier.size).toBe(0);
    expect(tier.bytes).toBeLessThanOrEqual(2_000);
  });
});
