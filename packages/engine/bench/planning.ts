import { compileQuery, type SemanticModel } from '../src/index.js';
import { Random } from './random.js';
import { type Figure, figure, median, nowNs, quantile } from './stats.js';
import { type ModelQuery, planningWorkload } from './workloads.js';

export interface PlanningRound {
  p50: number;
  p99: number;
  max: number;
  /** Process CPU time over wall time for the round: well below 1 means other processes took the cores. */
  cpuShare: number;
  bySource: Record<string, { p50: number; p99: number }>;
}

export interface PlanningResult {
  figures: Figure[];
  queries: number;
  rounds: PlanningRound[];
  /** Median over rounds, per model. */
  bySource: Record<string, { queries: number; p50: number; p99: number }>;
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
export function benchPlanning(
  generated: SemanticModel,
  flights: SemanticModel,
  n = 10_000,
  rounds = 5,
): PlanningResult {
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
  const times = new Float64Array(workload.length);
  for (let round = 0; round < rounds; round++) {
    const order = new Random(1000 + round).shuffle(workload.map((_, i) => i));
    globalThis.gc?.();
    const cpu0 = process.cpuUsage();
    const start = nowNs();
    for (const i of order) {
      const q = workload[i]!;
      const t0 = nowNs();
      compileOne(q);
      times[i] = nowNs() - t0;
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuShare = ((cpu.user + cpu.system) * 1e3) / (nowNs() - start);
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
      bySource,
    });
  }
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
    avgSqlChars: Math.round(sqlChars / workload.length),
  };
}
