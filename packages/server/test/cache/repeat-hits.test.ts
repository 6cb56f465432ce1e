import type { TokenClaims } from '@inlay/core';
import type { RollupDef, SemanticModel } from '@inlay/engine';
import { describe, expect, it } from 'vitest';
import { createL1 } from '../../src/cache/index.js';
import type { DashboardSource, ResolvedDashboard } from '../../src/dashboards/index.js';
import type { Preaggs } from '../../src/preaggs/index.js';
import type { RepeatRoute } from '../../src/query/answer.js';
import { RepeatHits } from '../../src/query/repeat-hits.js';
import type { SourceMap, Workspace } from '../../src/workspaces/index.js';
import { answer } from './answers.js';

const claimsOf = (tenant: string) =>
  Object.freeze({
    workspaceId: 'ws',
    embeddableId: 'd',
    savedVersion: 'production',
    sub: tenant,
  }) as unknown as TokenClaims;
const body = () => Object.freeze({ query: Object.freeze({ measures: ['flights.count'] }) });

/**
 * RepeatHits over a real L1 on a fake clock, with a dashboard source, a workspace and a rollup
 * reader whose answers (promises, a served table) each test can swap, as a publish, a model push,
 * a remapped connection or a rebuilt rollup would.
 */
function setup() {
  let t = 1_000_000;
  const clock = {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
  const l1 = createL1(
    { cacheMaxBytes: 1024 * 1024, cacheRefreshEveryMs: 10_000, cacheMaxStaleMs: 60_000 },
    { now: clock.now },
  );
  const dashboard = { id: 'd', name: 'd', version: 'v1', models: new Set(['flights']) } as ResolvedDashboard;
  const model = { version: 'm1' } as unknown as SemanticModel;
  const sources = { environment: 'default' } as unknown as SourceMap;
  const now = {
    dashboard: Promise.resolve(dashboard),
    model: Promise.resolve(model),
    sources: Promise.resolve(sources),
    served: { table: 't', version: 'v1', source: 'default@1', builtAt: '', rows: 1 },
  };
  const dashboards: DashboardSource = { resolve: () => now.dashboard };
  const workspace = { getModel: () => now.model, sources: () => now.sources } as unknown as Workspace;
  // The reader's `serves`: the table it serves now is the one seen.
  const serves = (_ws: string, _env: string, _def: unknown, seen: typeof now.served) =>
    seen.table === now.served.table &&
    seen.version === now.served.version &&
    seen.source === now.served.source;
  const preaggs = { reader: { serves } } as unknown as Preaggs;
  const hits = new RepeatHits(l1, dashboards, preaggs);
  const used = { workspace, modelVersion: 'm1', dashboard, model, sources };
  const store = (key: string) =>
    l1.results.load({ key, everyMs: 10_000, compute: async () => answer(1) }).then(() => undefined);
  return { hits, l1, clock, now, used, store };
}

const route = (key: string, rollup?: RepeatRoute['rollup']): RepeatRoute => ({
  key,
  everyMs: 10_000,
  environment: 'default',
  ...(rollup ? { rollup } : {}),
});

describe('repeat hits', () => {
  it('answers a remembered request from L1 while fresh, and nothing else', async () => {
    const { hits, clock, used, store } = setup();
    const claims = claimsOf('a');
    const b = body();
    await store('k');
    expect(hits.answer(claims, b)).toBeUndefined();
    await hits.remember(claims, b, used, route('k'));
    expect(hits.answer(claims, b)?.cache).toMatchObject({ level: 'l1', age_ms: 0 });
    // Another token (another claims object, even with equal content), another body object: not found.
    expect(hits.answer(claimsOf('a'), b)).toBeUndefined();
    expect(hits.answer(claims, body())).toBeUndefined();
    // Stale: left to the full path, which serves it and refreshes it.
    clock.advance(10_000);
    expect(hits.answer(claims, b)).toBeUndefined();
  });

  it('takes the full path again once the dashboard, the model or the source map is a new one', async () => {
    for (const change of ['dashboard', 'model', 'sources'] as const) {
      const { hits, now, used, store } = setup();
      const claims = claimsOf('a');
      const b = body();
      await store('k');
      await hits.remember(claims, b, used, route('k'));
      expect(hits.answer(claims, b), change).toBeDefined();
      // Same value, new promise: what a publish, a push or a remap (or a TTL) hands out.
      (now as Record<string, unknown>)[change] = Promise.resolve(await now[change]);
      expect(hits.answer(claims, b), change).toBeUndefined();
    }
  });

  it('an answer read from a rollup is a hit only while the same table version, built from the same connection, is served', async () => {
    const { hits, now, used, store } = setup();
    const claims = claimsOf('a');
    const b = body();
    await store('k');
    const rollup = { def: {} as RollupDef, table: 't', version: 'v1', source: 'default@1' };
    await hits.remember(claims, b, used, route('k', rollup));
    expect(hits.answer(claims, b)).toBeDefined();
    now.served = { ...now.served, version: 'v2' };
    expect(hits.answer(claims, b)).toBeUndefined();
    now.served = { ...now.served, version: 'v1', source: 'default@2' };
    expect(hits.answer(claims, b)).toBeUndefined();
  });

  it('is not remembered when what is handed out now is not what the answer used', async () => {
    const { hits, now, used, store } = setup();
    const claims = claimsOf('a');
    const b = body();
    await store('k');
    // A publish landed while the answer was computed: the source now hands out another dashboard.
    now.dashboard = Promise.resolve({ ...used.dashboard });
    await hits.remember(claims, b, used, route('k'));
    expect(hits.answer(claims, b)).toBeUndefined();
  });

  it('a failing dashboard look-up on the way is left to the full path, never an unhandled rejection', async () => {
    const { hits, now, used, store } = setup();
    const claims = claimsOf('a');
    const b = body();
    await store('k');
    await hits.remember(claims, b, used, route('k'));
    now.dashboard = Promise.reject(new Error('deleted'));
    expect(hits.answer(claims, b)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 5));
  });
});
