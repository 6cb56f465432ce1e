import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Computed,
  localTier,
  type RedisTier,
  ResultCache,
  redisTier,
  tiered,
} from '../../src/cache/index.js';
import { answer, countOf } from './answers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));

/** A gate a computation waits on, so a test decides when the "database" answers. */
function gate() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/**
 * A database stand-in: run n answers n, and waits until `open()`; `close()` makes later runs wait
 * again. `runs()` counts the computations across every replica that uses it.
 */
function gatedDatabase() {
  let runs = 0;
  let g = gate();
  return {
    compute: async (): Promise<Computed> => {
      const n = ++runs;
      await g.promise;
      return answer(n);
    },
    runs: () => runs,
    open: () => g.open(),
    close: () => {
      g = gate();
    },
  };
}

// Two replicas: each its own memory tier and result cache, one Redis (the machine's), a prefix
// of this run's own so parallel runs and other suites never meet.
const prefix = `inlay:test:${randomBytes(6).toString('hex')}:`;
const tiers: RedisTier[] = [];
function replica(now: () => number = Date.now) {
  const remote = redisTier(REDIS_URL, { keyPrefix: prefix });
  tiers.push(remote);
  const cache = new ResultCache({
    tier: tiered(localTier(1024 * 1024, now), remote, now),
    now,
    maxStaleMs: 60_000,
    shared: remote.flights,
    sharedFlightMs: 5_000,
  });
  return { cache, remote };
}
afterAll(async () => {
  for (const t of tiers) await t.close();
});

async function ready(...rs: { remote: RedisTier }[]) {
  const until = Date.now() + 5_000;
  while (!rs.every((r) => r.remote.ready)) {
    if (Date.now() > until) throw new Error(`Redis at ${REDIS_URL} is not answering`);
    await settle(20);
  }
}

describe(`single flight between replicas sharing Redis (${REDIS_URL})`, () => {
  it('identical requests on two replicas at once run one computation; the other replica answers l1', async () => {
    const a = replica();
    const b = replica();
    await ready(a, b);
    const db = gatedDatabase();
    const key = 'same-query';
    const load = (r: ReturnType<typeof replica>) =>
      r.cache.load({ key, everyMs: 10_000, refreshValues: async () => '', compute: db.compute });
    const first = Array.from({ length: 20 }, () => load(a));
    await settle(50);
    const second = Array.from({ length: 20 }, () => load(b));
    await settle(100);
    expect(db.runs()).toBe(1);
    db.open();
    const [fromA, fromB] = await Promise.all([Promise.all(first), Promise.all(second)]);
    expect(db.runs()).toBe(1);
    expect(new Set([...fromA, ...fromB].map(countOf))).toEqual(new Set([1]));
    expect(new Set(fromA.map((r) => r.cache.level))).toEqual(new Set(['none']));
    expect(new Set(fromB.map((r) => r.cache.level))).toEqual(new Set(['l1']));
    // b keeps the answer in its own memory too.
    const again = await load(b);
    expect(again.cache.level).toBe('l1');
    expect(db.runs()).toBe(1);
  });

  it("a replica whose query fails releases its claim: the waiting replica computes at once, not after the claim's lifetime", async () => {
    const a = replica();
    const b = replica();
    await ready(a, b);
    const key = 'failing-on-a';
    const broken = gate();
    const failing = a.cache.load({
      key,
      everyMs: 10_000,
      refreshValues: async () => '',
      compute: async () => {
        await broken.promise;
        return answer(0);
      },
    });
    failing.catch(() => {});
    await settle(50);
    let bRuns = 0;
    const started = Date.now();
    const waiting = b.cache.load({
      key,
      everyMs: 10_000,
      refreshValues: async () => '',
      compute: async () => answer(++bRuns + 100),
    });
    await settle(100);
    expect(bRuns).toBe(0);
    broken.fail(new Error('the database went away'));
    await expect(failing).rejects.toThrow('the database went away');
    const result = await waiting;
    expect(countOf(result)).toBe(101);
    expect(result.cache.level).toBe('none');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an answer gone stale on both replicas is refreshed once between them', async () => {
    let t = Date.now();
    const clock = () => t;
    const a = replica(clock);
    const b = replica(clock);
    await ready(a, b);
    const db = gatedDatabase();
    db.open();
    const load = (r: ReturnType<typeof replica>) =>
      r.cache.load({
        key: 'stale-on-both',
        everyMs: 10_000,
        refreshValues: async () => '',
        compute: db.compute,
      });
    expect(countOf(await load(a))).toBe(1);
    expect((await load(b)).cache.level).toBe('l1');
    t += 11_000;
    db.close();
    const stale = await Promise.all([load(a), load(b), load(a), load(b)]);
    expect(stale.map((r) => [r.cache.stale, countOf(r)])).toEqual([
      [true, 1],
      [true, 1],
      [true, 1],
      [true, 1],
    ]);
    await settle(100);
    db.open();
    await settle(300);
    expect(db.runs()).toBe(2);
    for (const r of [a, b]) {
      const fresh = await load(r);
      expect(countOf(fresh)).toBe(2);
      expect(fresh.cache.stale).toBeUndefined();
    }
    expect(db.runs()).toBe(2);
  });

  it('renewQuery on another replica takes only an answer finished after it asked', async () => {
    const a = replica();
    const b = replica();
    await ready(a, b);
    const key = 'renewed';
    let runs = 0;
    const compute = async (): Promise<Computed> => answer(++runs);
    const load = (r: ReturnType<typeof replica>, renew = false) =>
      r.cache.load({
        key,
        everyMs: 10_000,
        refreshValues: async () => '',
        compute,
        ...(renew ? { renew } : {}),
      });
    expect(countOf(await load(a))).toBe(1);
    // Nobody computing: b's renew runs the query itself instead of taking a's earlier answer.
    const renewed = await load(b, true);
    expect(countOf(renewed)).toBe(2);
    expect(renewed.cache.level).toBe('none');

    // a computing slowly when b asks to renew: b waits for that answer rather than running again.
    const slow = gate();
    const slowRun = a.cache.load({
      key,
      everyMs: 10_000,
      refreshValues: async () => '',
      renew: true,
      compute: async () => {
        runs++;
        await slow.promise;
        return answer(runs);
      },
    });
    await settle(50);
    const joined = load(b, true);
    await settle(100);
    slow.open();
    const [ra, rb] = await Promise.all([slowRun, joined]);
    expect(runs).toBe(3);
    expect(countOf(ra)).toBe(3);
    expect(countOf(rb)).toBe(3);
  });

  it('different keys are never shared between replicas', async () => {
    const a = replica();
    const b = replica();
    await ready(a, b);
    const db = gatedDatabase();
    const { compute } = db;
    const onA = a.cache.load({ key: 'tenant-1', everyMs: 10_000, refreshValues: async () => '', compute });
    await settle(50);
    const onB = b.cache.load({ key: 'tenant-2', everyMs: 10_000, refreshValues: async () => '', compute });
    await settle(50);
    expect(db.runs()).toBe(2);
    db.open();
    const [ra, rb] = await Promise.all([onA, onB]);
    expect(countOf(ra)).not.toBe(countOf(rb));
  });
});
