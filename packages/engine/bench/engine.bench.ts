/**
 * Engine benchmark: model compile time and memory, per-query planning latency, and engine time
 * against DuckDB execution on the flights corpus. See README.md next to this file.
 *
 *   npm run bench:engine [-- --only compile,plan,duckdb]
 *
 * Each section runs in a fresh node process (with `--expose-gc`), so one section's heap and JIT
 * state do not bend the next one's figures. Prints every figure with its target and PASS/FAIL,
 * writes `.bench/engine.json`, and exits 0 whether or not targets pass (non-zero only when
 * something breaks).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flightsProjectDir } from '@inlay/example-flights';
import { compileModel, readModelDir } from '../src/index.js';
import { benchFlights } from './flights-duckdb.js';
import { benchModelCompile } from './model-compile.js';
import { generateModel } from './model-gen.js';
import { benchPlanning } from './planning.js';
import { printCompile, printFlights, printPlanning } from './report.js';
import { type Figure, formatBytes, formatFigure } from './stats.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SECTIONS = ['compile', 'plan', 'duckdb'] as const;
type Section = (typeof SECTIONS)[number];
const RESULT_KEY: Record<Section, string> = { compile: 'compile', plan: 'planning', duckdb: 'flights' };

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function parseSections(argv: string[]): Section[] {
  const picked = (argValue(argv, '--only') ?? SECTIONS.join(',')).split(',').filter(Boolean);
  for (const s of picked) {
    if (!(SECTIONS as readonly string[]).includes(s))
      throw new Error(`unknown section '${s}' (use ${SECTIONS.join(', ')})`);
  }
  return SECTIONS.filter((s) => picked.includes(s));
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

/** Child mode: runs one section, prints it, and writes its result (with `figures`) to `resultFile`. */
async function runSection(section: Section, resultFile: string): Promise<void> {
  if (typeof globalThis.gc !== 'function') throw new Error('a section needs node --expose-gc');
  let result: { figures: Figure[] };
  if (section === 'compile') {
    // First thing in a fresh process: the memory figures see only the model.
    const r = benchModelCompile(5);
    printCompile(r);
    result = r;
  } else {
    const flights = compileModel(await readModelDir(flightsProjectDir));
    if (section === 'plan') {
      const generated = compileModel(generateModel(0).files);
      const r = await benchPlanning(generated, flights, 10_000, 5);
      printPlanning(r);
      result = r;
    } else {
      const r = await benchFlights(flights, resolve(process.env.INLAY_DATA_DIR || join(repoRoot, '.inlay')));
      printFlights(r);
      result = r;
    }
  }
  await writeFile(resultFile, JSON.stringify(result));
}

/** Parent mode: one child process per section, then the summary and `.bench/engine.json`. */
async function runAll(sections: Section[]): Promise<void> {
  const started = Date.now();
  const m = machine();
  console.log(
    `machine: ${m.cores} cores (${m.cpu}), ${m.memory} RAM, node ${m.node} (V8 ${m.v8}), ${m.platform}, ` +
      `load ${m.load.join(' ')}`,
  );
  const out: Record<string, unknown> = { date: new Date().toISOString(), machine: m, sections };
  const figures: Figure[] = [];
  const tmp = mkdtempSync(join(os.tmpdir(), 'inlay-bench-'));
  try {
    for (const section of sections) {
      const resultFile = join(tmp, `${section}.json`);
      const script = fileURLToPath(import.meta.url);
      const args = [...process.execArgv, '--expose-gc', script, '--section', section, '--result', resultFile];
      const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
      if (child.error) throw child.error;
      if (child.status !== 0)
        throw new Error(`section '${section}' failed (exit ${child.status ?? child.signal})`);
      const result = JSON.parse(await readFile(resultFile, 'utf8')) as { figures: Figure[] };
      figures.push(...result.figures);
      out[RESULT_KEY[section]] = result;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const failed = figures.filter((f) => !f.pass);
  const loadEnd = os.loadavg().map((l) => l.toFixed(2));
  console.log(
    `\nsummary (${((Date.now() - started) / 1000).toFixed(1)} s, load ${m.load.join(' ')} → ${loadEnd.join(' ')}):`,
  );
  for (const f of figures) console.log(formatFigure(f));
  console.log(
    failed.length
      ? `FAIL: ${failed.length} of ${figures.length} targets missed (${failed.map((f) => f.id).join(', ')})`
      : `PASS: all ${figures.length} targets met`,
  );
  Object.assign(out, { figures, durationMs: Date.now() - started, loadEnd });
  const file = join(repoRoot, '.bench', 'engine.json');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`results: ${file}`);
}

const argv = process.argv.slice(2);
const section = argValue(argv, '--section');
if (section) {
  const result = argValue(argv, '--result');
  if (!(SECTIONS as readonly string[]).includes(section) || !result)
    throw new Error('usage: --section compile|plan|duckdb --result <file>');
  await runSection(section as Section, result);
} else {
  await runAll(parseSections(argv));
}
