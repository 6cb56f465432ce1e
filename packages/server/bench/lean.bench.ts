/**
 * Lean benchmark (issue 15): what the product costs as a user runs it. Start → first answer on an
 * existing and on a fresh data dir, idle and loaded RSS, and the uncached overhead over the
 * database's own time, each beside its target, with a bare node:http process as the floor.
 *
 *   npm run bench:lean
 *
 * Exits 0 whether or not targets pass (non-zero only when something breaks); writes
 * `.bench/lean.json`. Every process and temp dir it starts goes away when it ends, failed or not.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_SAMPLE } from '../../sdk/src/cli/start.js';
import { cannon, type Figure, figure, MB, machine, median, requireCurrentBundle } from './harness.js';
import {
  call,
  commandOf,
  descendants,
  freePort,
  killAll,
  rssOf,
  type Started,
  startDemo,
  until,
} from './lean-start.js';
import {
  distinctQuery,
  openUncachedPairs,
  overheadOf,
  UNCACHED_WARM,
  type UncachedPair,
} from './lean-uncached.js';
import { startBareHttp } from './product-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..', '..');
const START_RUNS = Number(process.env.BENCH_START_RUNS || 5);
const FRESH_RUNS = Number(process.env.BENCH_FRESH_RUNS || 2);
const NPM_RUNS = Number(process.env.BENCH_NPM_RUNS || 2);
const QUERIES = Number(process.env.BENCH_QUERIES || 40);
const BURST = Number(process.env.BENCH_BURST_REQUESTS || 2_000);
/** Bursts after the two the figure compares, printed only: where the peak levels off. */
const EXTRA_BURSTS = Number(process.env.BENCH_EXTRA_BURSTS || 0);
const IDLE_WAIT_MS = 5_000;
const TARGETS = { answerMs: 1_000, freshHealthyMs: 3_000, idleRssMb: 150, overheadMs: 2, loadedGrowth: 0.1 };

const started = Date.now();
const tmpRoot = mkdtempSync(join(os.tmpdir(), 'inlay-lean-'));
process.on('exit', () => {
  killAll();
  rmSync(tmpRoot, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

await requireCurrentBundle(repoRoot);
const m = machine();
console.log(
  `machine: ${m.cores} cores (${m.cpu}), ${m.memory} RAM, node ${m.node}, ${m.platform}, load ${m.load.join(' ')}`,
);
const apiKey = `inlay_bench_${randomBytes(24).toString('hex')}`;
const auth = `Bearer ${apiKey}`;
// Defaults but two: a known API key (instead of reading the one a first start prints) and no
// per-caller rate limit (the burst is one caller sending far more than 600 requests a minute).
const env = { INLAY_API_KEY: apiKey, INLAY_RATE_LIMIT_PER_MINUTE: '0' };
// The query the start banner suggests (one definition: the CLI's).
const SAMPLE = JSON.stringify(DEMO_SAMPLE);
const profileFlags = process.env.BENCH_PROFILE
  ? ['--cpu-prof', '--cpu-prof-interval=200', `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE)}`]
  : [];

const figures: Figure[] = [];
const sayFigure = (f: Figure, digits: number, strict = false) => {
  if (strict) f.pass = f.value < f.target;
  figures.push(f);
  console.log(
    `  ${f.label}: ${f.value.toFixed(digits)} ${f.unit}  (target ${strict ? '<' : '≤'} ${f.target} ${f.unit}, ratio ${f.ratio.toFixed(2)}) ${f.pass ? 'PASS' : 'FAIL'}`,
  );
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

let logs = 0;
function start(dataDir: string, port: number, viaNpm = false): Started {
  return startDemo({
    repoRoot,
    dataDir,
    port,
    env,
    logFile: join(tmpRoot, `server-${++logs}.log`),
    viaNpm,
    nodeFlags: profileFlags,
  });
}

/** Healthy (`/healthz`), ready (`/readyz`), then the first `/load` answer, each timed from the spawn. */
async function comeUp(s: Started) {
  const healthy = await until(s, '/healthz');
  const ready = await until(s, '/readyz');
  const answer = await until(s, '/api/v1/load', { body: SAMPLE, auth });
  return { healthyMs: healthy.ms, readyMs: ready.ms, answerMs: answer.ms, answerAt: performance.now() };
}

/** RSS of the server process `IDLE_WAIT_MS` after its first answer. */
async function idleRss(s: Started, answerAt: number) {
  await sleep(Math.max(0, answerAt + IDLE_WAIT_MS - performance.now()));
  return rssOf(s.serverPid());
}

/** Until the demo's rollups are built (the state a data dir is in after a first start has run a while). */
async function rollupsBuilt(s: Started) {
  const t0 = performance.now();
  if (process.env.INLAY_PREAGGS === 'off') return 0;
  for (;;) {
    const res = await call(s.port, 'GET', '/api/v1/caching/pre-aggregations', undefined, auth);
    const list = (JSON.parse(res.body || '{}').preAggregations ?? []) as { state: string }[];
    if (list.length > 0 && list.every((p) => p.state === 'built')) return performance.now() - t0;
    if (performance.now() - t0 > 180_000) throw new Error('the demo rollups did not build within 3 minutes');
    await sleep(250);
  }
}

// 1. Fresh data dir: the first start builds the demo's DuckDB file.
console.log(`\nfresh data dir (the first \`npm start\`), ${FRESH_RUNS} runs:`);
const fresh: { healthyMs: number; readyMs: number; answerMs: number; rss: number }[] = [];
let existingDir = '';
for (let r = 0; r < FRESH_RUNS; r++) {
  const dataDir = join(tmpRoot, `fresh-${r}`);
  const s = start(dataDir, await freePort());
  const up = await comeUp(s);
  const rss = await idleRss(s, up.answerAt);
  fresh.push({ ...up, rss });
  const last = r === FRESH_RUNS - 1;
  const waited = last ? await rollupsBuilt(s) : 0;
  await s.stop();
  console.log(
    `  run ${r + 1}: healthy ${ms(up.healthyMs)}, ready ${ms(up.readyMs)}, first answer ${ms(up.answerMs)}, idle RSS ${mb(rss)}` +
      (last
        ? ` (then ${(waited / 1000).toFixed(1)} s more until its rollups were built; this data dir is reused below)`
        : ''),
  );
  if (last) existingDir = dataDir;
  else rmSync(dataDir, { recursive: true, force: true });
}

// 2. Existing data dir: every later start.
console.log(
  `\nexisting data dir, ${START_RUNS} runs of \`node packages/sdk/bin/inlay.js start --project examples/flights\`:`,
);
const existing: { healthyMs: number; answerMs: number; rss: number }[] = [];
let server: Started | undefined;
for (let r = 0; r < START_RUNS; r++) {
  const s = start(existingDir, await freePort());
  const up = await comeUp(s);
  const rss = await idleRss(s, up.answerAt);
  existing.push({ healthyMs: up.healthyMs, answerMs: up.answerMs, rss });
  const others = descendants(s.child.pid!);
  console.log(
    `  run ${r + 1}: healthy ${ms(up.healthyMs)}, ready ${ms(up.readyMs)}, first answer ${ms(up.answerMs)}, idle RSS ${mb(rss)}` +
      (others.length
        ? ` (+ ${others.map((p) => `${commandOf(p).slice(0, 40)}: ${mb(rssOf(p))}`).join(', ')})`
        : ''),
  );
  if (r === START_RUNS - 1) server = s;
  else await s.stop();
}

// 3. The same through `npm start`: its wrapper processes stay resident beside the server.
console.log(`\n\`npm start\` on the same data dir, ${NPM_RUNS} runs (RSS of each process it keeps):`);
const viaNpm: { answerMs: number; server: number; wrappers: number }[] = [];
for (let r = 0; r < NPM_RUNS; r++) {
  const s = start(existingDir, await freePort(), true);
  const up = await comeUp(s);
  const serverRss = await idleRss(s, up.answerAt);
  const wrapperPids = [s.child.pid!, ...descendants(s.child.pid!)].filter((p) => p !== s.serverPid());
  const wrappers = wrapperPids.map((p) => ({ cmd: commandOf(p).slice(0, 30), rss: rssOf(p) }));
  viaNpm.push({
    answerMs: up.answerMs,
    server: serverRss,
    wrappers: wrappers.reduce((a, w) => a + w.rss, 0),
  });
  await s.stop();
  console.log(
    `  run ${r + 1}: first answer ${ms(up.answerMs)}, server ${mb(serverRss)}, ${wrappers.map((w) => `${w.cmd} ${mb(w.rss)}`).join(', ')}`,
  );
}

// 4. The floor: a bare node:http process, spawned and asked once.
const bareRuns: number[] = [];
let bareRss = 0;
for (let r = 0; r < START_RUNS; r++) {
  const t0 = performance.now();
  const bare = await startBareHttp('{"data":[]}');
  const first = await call(Number(new URL(bare.url).port), 'GET', '/');
  if (first.status !== 200) throw new Error(`the bare node:http process answered ${first.status}`);
  bareRuns.push(performance.now() - t0);
  if (r === START_RUNS - 1) {
    await sleep(IDLE_WAIT_MS);
    bareRss = bare.rssBytes();
  }
  await bare.stop();
}
console.log(
  `\nbare node:http process: spawn → first answer ${bareRuns.map(ms).join(', ')} (median ${ms(median(bareRuns))}), idle RSS ${mb(bareRss)}`,
);

console.log('\nstart:');
const answerMs = median(existing.map((e) => e.answerMs));
sayFigure(
  figure(
    'start.existing',
    'start → first answer, existing data dir (median)',
    answerMs,
    TARGETS.answerMs,
    'ms',
  ),
  0,
);
console.log(
  `    ${(answerMs / median(bareRuns)).toFixed(1)}× the bare node:http process's ${ms(median(bareRuns))}`,
);
sayFigure(
  figure(
    'start.fresh_healthy',
    'start → healthy, fresh data dir (median)',
    median(fresh.map((f) => f.healthyMs)),
    TARGETS.freshHealthyMs,
    'ms',
  ),
  0,
);
console.log(`    start → first answer, fresh data dir (median): ${ms(median(fresh.map((f) => f.answerMs)))}`);
console.log(`    \`npm start\` → first answer (median): ${ms(median(viaNpm.map((v) => v.answerMs)))}`);

console.log('\nmemory:');
const idle = median(existing.map((e) => e.rss));
sayFigure(
  figure(
    'rss.idle',
    `server RSS ${IDLE_WAIT_MS / 1000} s after the first answer (median)`,
    idle / MB,
    TARGETS.idleRssMb,
    'MB',
  ),
  0,
);
console.log(
  `    ${(idle / bareRss).toFixed(1)}× the bare node:http process's ${mb(bareRss)}; under \`npm start\` the wrappers add ${mb(median(viaNpm.map((v) => v.wrappers)))}`,
);
if (!server) throw new Error('no server left running for the load and overhead phases');
const live = server;
const metrics = await call(live.port, 'GET', '/metrics', undefined, auth);
const gauge = (name: string) =>
  Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(metrics.body)?.[1]);
if (metrics.status === 200) {
  console.log(
    `    inside the server (prom-client): V8 heap used ${mb(gauge('nodejs_heap_size_used_bytes'))} of ${mb(gauge('nodejs_heap_size_total_bytes'))}, external ${mb(gauge('nodejs_external_memory_bytes'))}; the rest of the RSS is native (DuckDB, SQLite, code)`,
  );
}

// 5. Loaded RSS: two bursts, each of distinct (uncached) and repeated (cached) queries.
async function burst(offset: number) {
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(live.serverPid()));
  }, 50);
  const run = await cannon(`http://127.0.0.1:${live.port}`, '/api/v1/load', 10, BURST, (i) => ({
    body: i % 4 === 0 ? distinctQuery(offset + (i >> 2)) : SAMPLE,
    authorization: auth,
  }));
  clearInterval(sampler);
  if (run.non2xx || run.errors) throw new Error(`burst: ${run.non2xx} non-2xx answers, ${run.errors} errors`);
  await sleep(IDLE_WAIT_MS);
  return { peak, after: rssOf(live.serverPid()), rps: run.rps };
}
const b1 = await burst(1_000);
const b2 = await burst(1_000 + BURST);
console.log(
  `  ${BURST} requests, 10 connections, 1 in 4 a distinct uncached query, the rest the banner's query: burst 1 at ${b1.rps.toFixed(0)} req/s, peak RSS ${mb(b1.peak)}, ${mb(b1.after)} ${IDLE_WAIT_MS / 1000} s after; burst 2 peak ${mb(b2.peak)}, ${mb(b2.after)} after`,
);
for (let n = 3; n < 3 + EXTRA_BURSTS; n++) {
  const b = await burst(1_000 + (n - 1) * BURST);
  console.log(`  burst ${n}: peak RSS ${mb(b.peak)}, ${mb(b.after)} after`);
}
sayFigure(
  figure(
    'rss.loaded_growth',
    // Peaks, not the reads after: those depend on when the last collection ran.
    'peak RSS growth from burst 1 to burst 2 (bounded)',
    ((b2.peak - b1.peak) / b1.peak) * 100,
    TARGETS.loadedGrowth * 100,
    '%',
  ),
  1,
);

// 6. Uncached overhead: distinct queries through HTTP against the same SQL on DuckDB (lean-uncached.ts).
const uncached = await openUncachedPairs({
  port: live.port,
  auth,
  serverPid: live.serverPid,
  flightsFile: join(existingDir, 'flights.duckdb'),
  queries: QUERIES,
});
const pairs = await uncached.pairs(10_000);
const floor: number[] = [];
const bare = await startBareHttp('{"data":[]}');
for (let i = 0; i < UNCACHED_WARM + QUERIES; i++) {
  const res = await call(Number(new URL(bare.url).port), 'POST', '/', distinctQuery(i));
  if (i >= UNCACHED_WARM) floor.push(res.ms);
}
await bare.stop();
const p50 = (list: UncachedPair[], key: keyof UncachedPair) => median(list.map((p) => p[key])).toFixed(2);
console.log(
  `\nuncached overhead (${QUERIES} distinct queries, one at a time, every answer checked cache.level none):`,
);
const overhead = overheadOf(pairs);
sayFigure(
  figure(
    'overhead.uncached',
    'HTTP time − DuckDB time (raw @duckdb/node-api) of the same SQL, each a first run (median of pairs)',
    overhead,
    TARGETS.overheadMs,
    'ms',
  ),
  2,
  true,
);
console.log(
  `    HTTP p50 ${p50(pairs, 'http')} ms, DuckDB p50 ${p50(pairs, 'db')} ms (its first run of each SQL; repeats ${p50(pairs, 'dbRepeat')} ms; the same SQL through Inlay's DuckDB driver ${p50(pairs, 'viaDriver')} ms); a bare node:http round trip p50 ${median(floor).toFixed(2)} ms (overhead / floor ${(overhead / median(floor)).toFixed(1)}×)`,
);
console.log(
  `    server CPU per /load p50: ${p50(pairs, 'cpuMain')} ms on its main thread, ${p50(pairs, 'cpuAll')} ms on all its threads (DuckDB's work included)`,
);

// The same after many more distinct queries (printed, not a target): how much of the figure is
// V8 still optimising the uncached path a few thousand requests after the start.
const steadyAfter = Number(process.env.BENCH_STEADY_QUERIES || 2_000);
let steady: UncachedPair[] = [];
if (steadyAfter > 0) {
  const more = await cannon(`http://127.0.0.1:${live.port}`, '/api/v1/load', 1, steadyAfter, (i) => ({
    body: distinctQuery(20_000 + i),
    authorization: auth,
  }));
  if (more.non2xx || more.errors)
    throw new Error(`steady warm-up: ${more.non2xx} non-2xx answers, ${more.errors} errors`);
  steady = await uncached.pairs(20_000 + steadyAfter);
  console.log(
    `    after ${steadyAfter} more distinct queries: overhead ${overheadOf(steady).toFixed(2)} ms (HTTP p50 ${p50(steady, 'http')}, DuckDB p50 ${p50(steady, 'db')}), server CPU per /load ${p50(steady, 'cpuMain')} ms main thread, ${p50(steady, 'cpuAll')} ms all threads`,
  );
}
await uncached.close();

await live.stop();
const failed = figures.filter((f) => !f.pass);
console.log(
  `\n${failed.length ? `FAIL: ${failed.length} of ${figures.length} targets missed (${failed.map((f) => f.id).join(', ')})` : `PASS: all ${figures.length} targets met`} in ${((Date.now() - started) / 1000).toFixed(1)} s, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const file = join(repoRoot, '.bench', 'lean.json');
await mkdir(dirname(file), { recursive: true });
await writeFile(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), machine: m, figures, fresh, existing, viaNpm, bare: { runs: bareRuns, rss: bareRss }, bursts: [b1, b2], pairs, steady, floor }, null, 2)}\n`,
);
console.log(`results: ${file}`);
