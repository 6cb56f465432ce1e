/** Console output of the three sections. */
import { type FlightsResult, TARGET_RATIO } from './flights-duckdb.js';
import type { CompileResult } from './model-compile.js';
import type { PlanningResult } from './planning.js';
import { formatBytes, formatDuration, formatFigure, formatPercent } from './stats.js';

export function printCompile(r: CompileResult): void {
  console.log(
    `\n[1] Model compile — ${r.model.cubes} cubes, ${r.model.views} views, ${r.model.files} YAML files, ` +
      `${r.model.lines} lines, ${formatBytes(r.model.chars)} (median of ${r.runs.length} fresh models)`,
  );
  for (const f of r.figures) console.log(formatFigure(f));
  const show = (x: CompileResult['warmup']) =>
    `wall ${formatDuration(x.wallNs)} (cpu ${formatDuration(x.cpuNs)}), heap retained ${formatBytes(x.heapRetained)}, ` +
    `heap growth (no GC) ${formatBytes(x.heapGrowth)}, RSS delta ${formatBytes(x.rssDelta)}`;
  console.log(`    cold first compile (not in the median): ${show(r.warmup)}`);
  for (const [i, x] of r.runs.entries()) console.log(`    run ${i + 1}: ${show(x)}`);
}

export function printPlanning(r: PlanningResult): void {
  console.log(
    `\n[2] Plan + SQL (compileQuery) — ${r.queries} varied queries, avg SQL ${r.avgSqlChars} chars, ` +
      `median of ${r.rounds.length} rounds after warm-up`,
  );
  for (const f of r.figures) console.log(formatFigure(f));
  for (const [s, v] of Object.entries(r.bySource)) {
    console.log(
      `    ${s.padEnd(10)} ${String(v.queries).padStart(5)} queries: p50 ${formatDuration(v.p50)}, p99 ${formatDuration(v.p99)}`,
    );
  }
  for (const [i, x] of r.rounds.entries()) {
    console.log(
      `    round ${i + 1}: p50 ${formatDuration(x.p50)}, p99 ${formatDuration(x.p99)}, max ${formatDuration(x.max)}, ` +
        `cpu/wall ${x.cpuShare.toFixed(2)}, GC ${x.gc.count}× ${formatDuration(x.gc.totalNs)} ` +
        `(longest ${formatDuration(x.gc.maxNs)})`,
    );
  }
  const q = r.perQueryMedian;
  console.log(
    `    per-query median over rounds (not a target; rounds' random pauses removed): p50 ${formatDuration(q.p50)}, ` +
      `p90 ${formatDuration(q.p90)}, p99 ${formatDuration(q.p99)}, max ${formatDuration(q.max)}`,
  );
}

export function printFlights(r: FlightsResult): void {
  console.log(
    `\n[3] Engine vs DuckDB — flights corpus on ${r.duckdbPath}` +
      (r.setupMs > 1000 ? ` (built in ${(r.setupMs / 1000).toFixed(1)} s)` : ''),
  );
  console.log(`    ${'engine'.padStart(10)} ${'duckdb'.padStart(10)} ${'ratio'.padStart(9)}  query`);
  for (const c of r.cases) {
    const flag = c.ratio > TARGET_RATIO ? ' >2%' : '    ';
    console.log(
      `    ${formatDuration(c.engineNs).padStart(10)} ${formatDuration(c.duckdbNs).padStart(10)} ${formatPercent(
        c.ratio,
      ).padStart(9)}${flag} ${c.name}`,
    );
  }
  for (const f of r.figures) console.log(formatFigure(f));
  console.log(
    `    queries above ${formatPercent(TARGET_RATIO)} on their own: ${r.over} of ${r.cases.length}`,
  );
  const b = r.baseline;
  console.log(
    `    plain baseline (noise floor): engine ${formatDuration(b.engineNs)} for {measures: [flights.count]} vs ` +
      `DuckDB ${formatDuration(b.duckdbNs)} for hand-written \`${b.sql}\` → ${formatPercent(b.ratio)}`,
  );
}
