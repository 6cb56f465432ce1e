/**
 * Engine benchmark: model compile time and memory, per-query planning latency, and engine time
 * against DuckDB execution on the flights corpus. See README.md next to this file.
 *
 *   npm run bench:engine [-- --only compile,plan,duckdb]
 *
 * Prints every figure with its target and PASS/FAIL, writes `.bench/engine.json`, and exits 0
 * whether or not targets pass (non-zero only when something breaks).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flightsProjectDir } from '@inlay/example-flights';
import { compileModel, readModelDir } from '../src/index.js';
import { benchFlights, type FlightsResult, TARGET_RATIO } from './flights-duckdb.js';
import { benchModelCompile, type CompileResult } from './model-compile.js';
import { generateModel } from './model-gen.js';
import { benchPlanning, type PlanningResult } from './planning.js';
import { type Figure, formatBytes, formatDuration, formatFigure, formatPercent } from './stats.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SECTIONS = ['compile', 'plan', 'duckdb'] as const;
type Section = (typeof SECTIONS)[number];

/** `global.gc` is needed for heap figures: re-run this same process with `--expose-gc`. */
function respawnWithGc(): never {
  if (process.env.INLAY_BENCH_CHILD) throw new Error('global.gc is still missing after --expose-gc');
  const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, INLAY_BENCH_CHILD: '1' },
  });
  if (child.error) throw child.error;
  process.exit(child.status ?? 1);
}

function parseSections(argv: string[]): Set<Section> {
  const i = argv.indexOf('--only');
  const list = i >= 0 ? (argv[i + 1] ?? '') : SECTIONS.join(',');
  const picked = list.split(',').filter(Boolean);
  for (const s of picked) {
    if (!(SECTIONS as readonly string[]).includes(s))
      throw new Error(`unknown section '${s}' (use ${SECTIONS.join(', ')})`);
  }
  return new Set(picked as Section[]);
}

function machine() {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memory: formatBytes(os.totalmem()),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    load: os.loadavg().map((l) => l.toFixed(2)),
  };
}

function printCompile(r: CompileResult): void {
  console.log(
    `\n[1] Model compile — ${r.model.cubes} cubes, ${r.model.views} views, ${r.model.files} YAML files, ` +
      `${r.model.lines} lines, ${formatBytes(r.model.chars)} (median of ${r.runs.length} fresh models)`,
  );
  r.figures.forEach((f) => console.log(formatFigure(f)));
  const show = (x: CompileResult['warmup']) =>
    `wall ${formatDuration(x.wallNs)} (cpu ${formatDuration(x.cpuNs)}), heap retained ${formatBytes(x.heapRetained)}, ` +
    `heap growth (no GC) ${formatBytes(x.heapGrowth)}, RSS delta ${formatBytes(x.rssDelta)}`;
  console.log(`    cold first compile (not in the median): ${show(r.warmup)}`);
  r.runs.forEach((x, i) => console.log(`    run ${i + 1}: ${show(x)}`));
}

function printPlanning(r: PlanningResult): void {
  console.log(
    `\n[2] Plan + SQL (compileQuery) — ${r.queries} varied queries, avg SQL ${r.avgSqlChars} chars, ` +
      `median of ${r.rounds.length} rounds after warm-up`,
  );
  r.figures.forEach((f) => console.log(formatFigure(f)));
  for (const [s, v] of Object.entries(r.bySource)) {
    console.log(
      `    ${s.padEnd(10)} ${String(v.queries).padStart(5)} queries: p50 ${formatDuration(v.p50)}, p99 ${formatDuration(v.p99)}`,
    );
  }
  r.rounds.forEach((x, i) =>
    console.log(
      `    round ${i + 1}: p50 ${formatDuration(x.p50)}, p99 ${formatDuration(x.p99)}, max ${formatDuration(x.max)}, ` +
        `cpu/wall ${x.cpuShare.toFixed(2)}`,
    ),
  );
}

function printFlights(r: FlightsResult): void {
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
  r.figures.forEach((f) => console.log(formatFigure(f)));
  console.log(
    `    queries above ${formatPercent(TARGET_RATIO)} on their own: ${r.over} of ${r.cases.length}`,
  );
  const b = r.baseline;
  console.log(
    `    plain baseline (noise floor): engine ${formatDuration(b.engineNs)} for {measures: [flights.count]} vs ` +
      `DuckDB ${formatDuration(b.duckdbNs)} for hand-written \`${b.sql}\` → ${formatPercent(b.ratio)}`,
  );
}

async function main(): Promise<void> {
  if (typeof globalThis.gc !== 'function') respawnWithGc();
  const sections = parseSections(process.argv.slice(2));
  const started = Date.now();
  const m = machine();
  console.log(
    `machine: ${m.cores} cores (${m.cpu}), ${m.memory} RAM, node ${m.node} (V8 ${m.v8}), ${m.platform}, load ${m.load.join(' ')}`,
  );

  const figures: Figure[] = [];
  const out: Record<string, unknown> = { date: new Date().toISOString(), machine: m };

  // Compile first: the process is fresh, so the memory figures see only this model.
  if (sections.has('compile')) {
    const r = benchModelCompile(5);
    printCompile(r);
    figures.push(...r.figures);
    out.compile = r;
  }
  const flights = compileModel(await readModelDir(flightsProjectDir));
  if (sections.has('plan')) {
    const generated = compileModel(generateModel(0).files);
    const r = benchPlanning(generated, flights, 10_000, 5);
    printPlanning(r);
    figures.push(...r.figures);
    out.planning = r;
  }
  if (sections.has('duckdb')) {
    const dataDir = resolve(process.env.INLAY_DATA_DIR || join(repoRoot, '.inlay'));
    const r = await benchFlights(flights, dataDir);
    printFlights(r);
    figures.push(...r.figures);
    out.flights = r;
  }

  const failed = figures.filter((f) => !f.pass);
  console.log(`\nsummary (${((Date.now() - started) / 1000).toFixed(1)} s):`);
  figures.forEach((f) => console.log(formatFigure(f)));
  console.log(
    failed.length
      ? `FAIL: ${failed.length} of ${figures.length} targets missed (${failed.map((f) => f.id).join(', ')})`
      : `PASS: all ${figures.length} targets met`,
  );
  out.figures = figures;
  out.durationMs = Date.now() - started;
  const file = join(repoRoot, '.bench', 'engine.json');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`results: ${file}`);
}

await main();
