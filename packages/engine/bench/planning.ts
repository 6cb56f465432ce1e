import { type PerformanceEntry, PerformanceObserver, performance } from 'node:perf_hooks';
import { compileQuery, type SemanticModel } from '../src/index.js';
import { Random } from './random.js';
import { type Figure, figure, median, nowNs, quantile, sum } from './stats.js';
import { type ModelQuery, planningWorkload } from './workloads.js';

export interface PlanningRound {
  p50: number;
  p99: number;
  max: number;
  /**
   * Process CPU time (all threads) over wall time for the round. About 1.2 when the machine is idle
   * (GC helper threads add to the main thread); well below 1 means other processes took the cores.
   */
  cpuShare: number;
  /** Garbage collections during the round: count, total and longest pause. */
  gc: { count: number; totalNs: number; maxNs: number };
  bySource: Record<string, { p50: number; p99: number }>;
}

export interface PlanningResult {
  figures: Figure[];
  queries: number;
  rounds: PlanningRound[];
  /** Median over rounds, per model. */
  bySource: Record<string, { queries: number; p50: number; p99: number }>;
  /**
   * Each query's median over the rounds, then percentiles across queries: what a query costs
   * without the pauses (GC, other processes) that hit a round at random. Not a target.
   */
  perQueryMedian: { p50: number; p90: number; p99: number; max: number };
  avgSqlChars: number;
}

function compileOne(q: ModelQuery) {
  return compileQuery(q.model, q.query, { dialect: q.dialect, security: q.security, now: q.now });
}

/**
 * Figure 2: `compileQuery` (parse, plan, SQL, annotation) per call over `n` varied queries. The
 * whole workload is compiled once as warm-up (and to check every query compiles), then `rounds`
 * timed passes in a fresh random order each; p50 and p99 are the medians over the rounds.
 */
export async function benchPlanning(
  generated: SemanticModel,
  flights: SemanticModel,
  n = 10_000,
  rounds = 5,
): Promise<PlanningResult> {
  const workload = planningWorkload(generated, flights, n);
  let sqlChars = 0;
  workload.forEach((q, i) => {
    try {
      sqlChars += compileOne(q).sql.length;
    } catch (e) {
      throw new Error(
        `generated query ${i} (${q.source}) does not compile: ${(e as Error).message}\n${JSON.stringify(q)}`,
      );
    }
  });
  const sources = [...new Set(workload.map((q) => q.source))];
  const results: PlanningRound[] = [];
  const perQuery = workload.map(() => [] as number[]);
  const times = new Float64Array(workload.length);
  const gcEntries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => gcEntries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const windows: [number, number][] = [];
  for (let round = 0; round < rounds; round++) {
    const order = new Random(1000 + round).shuffle(workload.map((_, i) => i));
    globalThis.gc?.();
    const cpu0 = process.cpuUsage();
    const start = nowNs();
    const startMs = performance.now();
    for (const i of order) {
      const q = workload[i]!;
      const t0 = nowNs();
      compileOne(q);
      times[i] = nowNs() - t0;
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuShare = ((cpu.user + cpu.system) * 1e3) / (nowNs() - start);
    windows.push([startMs, performance.now()]);
    for (const [i, t] of times.entries()) perQuery[i]!.push(t);
    const all = Array.from(times);
    const bySource: PlanningRound['bySource'] = {};
    for (const s of sources) {
      const mine = all.filter((_, i) => workload[i]!.source === s);
      bySource[s] = { p50: quantile(mine, 0.5), p99: quantile(mine, 0.99) };
    }
    results.push({
      p50: quantile(all, 0.5),
      p99: quantile(all, 0.99),
      max: Math.max(...all),
      cpuShare,
      gc: { count: 0, totalNs: 0, maxNs: 0 },
      bySource,
    });
  }
  // GC entries arrive on the event loop: let them in, then count them per round.
  await new Promise((r) => setTimeout(r, 50));
  observer.disconnect();
  windows.forEach(([from, to], i) => {
    const mine = gcEntries
      .filter((e) => e.startTime >= from && e.startTime < to)
      .map((e) => e.duration * 1e6);
    results[i]!.gc = { count: mine.length, totalNs: sum(mine), maxNs: Math.max(0, ...mine) };
  });
  const medians = perQuery.map((t) => median(t));
  const p50s = results.map((r) => r.p50);
  const p99s = results.map((r) => r.p99);
  const bySource: PlanningResult['bySource'] = {};
  for (const s of sources) {
    bySource[s] = {
      queries: workload.filter((q) => q.source === s).length,
      p50: median(results.map((r) => r.bySource[s]!.p50)),
      p99: median(results.map((r) => r.bySource[s]!.p99)),
    };
  }
  return {
    figures: [
      figure('plan.p50', `plan + SQL per query: p50 (${n} queries)`, median(p50s), 100e3, 'ns', p50s),
      figure('plan.p99', `plan + SQL per query: p99 (${n} queries)`, median(p99s), 1e6, 'ns', p99s),
    ],
    queries: workload.length,
    rounds: results,
    bySource,
    perQueryMedian: {
      p50: quantile(medians, 0.5),
      p90: quantile(medians, 0.9),
      p99: quantile(medians, 0.99),
      max: Math.max(...medians),
    },
    avgSqlChars: Math.round(sqlChars / workload.length),
  };
}
