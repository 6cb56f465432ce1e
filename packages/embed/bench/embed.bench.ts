/**
 * Embed benchmark: the runtime's size, and a host page's navigation to `dataLoad` for
 * flights-overview in Chromium against the product as `npm start` runs it — warm (L1 hits) and
 * cold (no L1; with the demo's rollups, and without) — beside the same `/load` calls made without
 * a browser, so the runtime's own share is visible.
 *
 *   npm run bench:embed
 *
 * Prints each figure with its target, the ratio and PASS/FAIL, writes `.bench/embed.json`, and
 * exits 0 whether or not targets pass (non-zero only when something breaks: a non-200 answer, no
 * `dataLoad` within 30 s, an `embeddableError`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../../scripts/chromium.js';
import { type Figure, machine, figure as makeFigure, median } from '../../server/bench/harness.js';
import { buildEmbed } from '../src/build.js';
import type { BrowserRun } from './browser-run.js';
import { niceChromiumGroup } from './cpu.js';
import {
  levels,
  type Milestones,
  medianMilestones,
  milestones,
  Session,
  type SessionResult,
} from './session.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..', '..');
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS || 7));
const KB = 1000;
const TARGET_ENTRY_KB = 60;
const TARGET_LOADED_KB = 350;
const TARGET_WARM_MS = 800;
const TARGET_COLD_MS = 2000;

const figures: Figure[] = [];
function figure(...args: Parameters<typeof makeFigure>): Figure {
  const f = makeFigure(...args);
  figures.push(f);
  return f;
}
const show = (f: Figure, digits = 0) =>
  `${f.label}: ${f.value.toFixed(digits)} ${f.unit}  (target ≤ ${f.target} ${f.unit}, ratio ${f.ratio.toFixed(2)}) ${f.pass ? 'PASS' : 'FAIL'}`;
const ms = (n: number) => `${n.toFixed(0)} ms`;

const started = Date.now();
const m = machine();
console.log(
  `machine: ${m.cores} cores (${m.cpu}), ${m.memory} RAM, node ${m.node}, load ${m.load.join(' ')}`,
);

// ---- size: the build as the server makes it, in a temporary folder ----------------------------
const buildDir = mkdtempSync(join(os.tmpdir(), 'inlay-bench-embed-'));
process.on('exit', () => rmSync(buildDir, { recursive: true, force: true }));
const manifest = await buildEmbed({ outDir: join(buildDir, 'dist') });
const entry = manifest.files.find((f) => f.file === 'inlay.js')!;
console.log(
  `\nbuild (standard components, preact/compat): ${manifest.files.length} files, ${(manifest.totalGzipBytes / KB).toFixed(1)} kB gz in all (every component); sizes in kB = 1000 bytes, gzip level 9 as the server sends`,
);

const browser = await launchChromium();
// BENCH_BROWSER_NICE=19: Chromium yields the CPU to the server (as if it ran on the user's machine).
const browserNice = process.env.BENCH_BROWSER_NICE;
if (browserNice) console.log(`Chromium's scheduler group lowered: ${niceChromiumGroup(Number(browserNice))}`);
const log = (line: string) => console.log(line);

console.log(
  `\nnavigation → dataLoad, flights-overview for {states:["CA"]}, ${RUNS} runs per case, each in a fresh browser context`,
);
// Every server is started first (each in its own process, the DuckDB file opened read-only by
// each); then the runs go round the three in turn, a different one first each round.
const cases: [string, Record<string, string>][] = [
  ['warm (L1 on)', {}],
  ['cold (no L1, rollups on)', { INLAY_CACHE_MAX_MB: '0' }],
  ['cold (no L1, no rollups)', { INLAY_CACHE_MAX_MB: '0', INLAY_PREAGGS: 'off' }],
];
const open: Session[] = [];
for (const [name, env] of cases) open.push(await Session.open(browser, name, env, log));
for (let r = 0; r < RUNS; r++) {
  for (let i = 0; i < open.length; i++) await open[(r + i) % open.length]!.measure(log);
}
for (const s of open) await s.close();
const sessions = open.map((s) => s.result);
await browser.close();
const [warm, cold, coldRaw] = sessions as [SessionResult, SessionResult, SessionResult];

// ---- what the browser fetched: every script of the warm session's first navigation -----------
const byName = new Map(manifest.files.map((f) => [f.file, f]));
const loadedScripts = warm.warmup.scripts;
// Every navigation must have fetched the same scripts (from Resource Timing: measured runs skip the bodies).
const fileSet = (b: BrowserRun) =>
  b.resources
    .map((r) => new URL(r.name).pathname)
    .filter((p) => p.endsWith('.js'))
    .map((p) => basename(p))
    .sort()
    .join(' ');
const otherSets = sessions.flatMap((s) => s.browser).filter((b) => fileSet(b) !== fileSet(warm.warmup));
const loadedGz = loadedScripts.reduce((s, f) => s + f.gzipBytes, 0);
const foreign = loadedScripts.filter((s) => !s.url.includes('/embed/v1/'));
const mismatched = loadedScripts.filter((s) => {
  const known = byName.get(s.url.replace(/^.*\/embed\/v1\//, ''));
  return !known || known.gzipBytes !== s.gzipBytes;
});
console.log(`\nJavaScript flights-overview loaded (${loadedScripts.length} files):`);
for (const s of [...loadedScripts].sort((a, b) => b.gzipBytes - a.gzipBytes)) {
  console.log(
    `  ${basename(s.url).padEnd(34)} ${(s.gzipBytes / KB).toFixed(1).padStart(6)} kB gz  ${(s.bytes / KB).toFixed(1).padStart(6)} kB`,
  );
}
if (otherSets.length)
  console.log(
    `  ${otherSets.length} other navigations loaded another set of files: ${otherSets.map(fileSet).join(' | ')}`,
  );
if (foreign.length) console.log(`  not from /embed/v1: ${foreign.map((s) => s.url).join(', ')}`);
console.log(
  mismatched.length
    ? `  differ from the fresh build's manifest: ${mismatched.map((s) => basename(s.url)).join(', ')} (the server's packages/embed/dist is another build)`
    : '  every file and its gz size equal to the fresh build’s manifest',
);
const entryFigure = figure(
  'size.entry',
  'runtime entry inlay.js',
  entry.gzipBytes / KB,
  TARGET_ENTRY_KB,
  'kB gz',
);
const loadedFigure = figure(
  'size.loaded',
  'all JavaScript flights-overview loads',
  loadedGz / KB,
  TARGET_LOADED_KB,
  'kB gz',
);

// ---- time -------------------------------------------------------------------------------------
const fmtMilestones = (x: Milestones) =>
  `page ${ms(x.page)} → inlay.js ${ms(x.script)} → dashboard+meta ${ms(x.dashboardAndMeta)} → components ${ms(x.componentsLoad)} → /load ${ms(x.firstLoadStart)}…${ms(x.lastLoadEnd)} → dataLoad ${ms(x.dataLoad)} → charts drawn ${ms(x.chartsDrawn)}`;

function timeFigure(id: string, label: string, s: SessionResult, target: number) {
  const browserMs = median(s.browser.map((b) => b.dataLoadMs));
  const bareMs = median(s.bare.map((b) => b.loadsMs));
  const docMs = median(s.bare.map((b) => b.docMs));
  const f = figure(id, label, browserMs, target, 'ms');
  const notL1 =
    s.env.INLAY_CACHE_MAX_MB === '0' ? [] : s.browser.flatMap((b) => b.cacheLevels).filter((l) => l !== 'l1');
  if (notL1.length)
    console.log(`  note: ${notL1.length} of the browser's /load answers were not L1 hits (${levels(notL1)})`);
  console.log(`\n${show(f)}`);
  console.log(
    `  same /load calls without a browser: ${ms(bareMs)} (${levels(s.bare.flatMap((b) => b.cacheLevels))}); runtime's share ${ms(browserMs - bareMs)}` +
      ` (bare dashboard+meta ${ms(docMs)}; page's token mint ${ms(median(s.browser.map((b) => b.mintMs)))})`,
  );
  console.log(
    `  the server's own time for the slowest /load (its request log): median ${ms(median(s.serverBrowser.map((t) => t.max)))} in the navigations, ${ms(median(s.serverBare.map((t) => t.max)))} in the bare runs`,
  );
  const cpu = (k: string) => median(s.browser.map((b) => b.cpu[k] ?? 0));
  const wall = median(s.browser.map((b) => b.cpuWindowMs));
  console.log(
    `  CPU from navigating to seeing dataLoad (median, ${ms(wall)} wall, ${m.cores} cores): Chromium ${ms(cpu('chromium'))}, the Inlay server ${ms(cpu('server'))},` +
      ` everything else on the machine ${ms(Math.max(0, cpu('machine') - cpu('chromium') - cpu('server')))}`,
  );
  console.log(`  median milestones: ${fmtMilestones(medianMilestones(s.browser))}`);
  console.log(
    `  charts drawn (both canvases seen; ECharts is fetched with the chart components, drawn when the data is in): median ${ms(median(s.browser.map((b) => b.chartsDrawnMs)))}`,
  );
  return { browserMs, bareMs, runtimeShareMs: browserMs - bareMs, bareDocMs: docMs };
}

console.log(`\n${show(entryFigure, 1)}\n${show(loadedFigure, 1)}`);
const times = {
  warm: timeFigure('time.warm', 'navigation → dataLoad, warm server cache (L1 hits)', warm, TARGET_WARM_MS),
  cold: timeFigure(
    'time.cold',
    'navigation → dataLoad, cold (no L1; rollups answer what they can)',
    cold,
    TARGET_COLD_MS,
  ),
  coldNoRollups: timeFigure(
    'time.cold_no_rollups',
    'navigation → dataLoad, cold (no L1, INLAY_PREAGGS=off)',
    coldRaw,
    TARGET_COLD_MS,
  ),
};

/** The median run of a session, resource by resource: the waterfall behind the figure. */
function waterfall(s: SessionResult) {
  const sorted = [...s.browser].sort((a, b) => a.dataLoadMs - b.dataLoadMs);
  const run: BrowserRun = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`\nwaterfall of the median ${s.name} run (ms from navigation start):`);
  console.log(
    `  ${'host page (token minted server-side)'.padEnd(44)} ${'0'.padStart(6)} → ${run.pageMs.toFixed(0).padStart(5)}`,
  );
  for (const r of [...run.resources].sort((a, b) => a.start - b.start)) {
    const path = new URL(r.name).pathname.replace('/embed/v1/', '');
    console.log(`  ${path.padEnd(44)} ${r.start.toFixed(0).padStart(6)} → ${r.end.toFixed(0).padStart(5)}`);
  }
  console.log(
    `  componentsLoad ${ms(run.componentsLoadMs)}, dataLoad ${ms(run.dataLoadMs)} (runtime's own detail.ms ${run.runtimeMs}), charts drawn ${ms(run.chartsDrawnMs)}`,
  );
  return milestones(run);
}
const waterfalls = { warm: waterfall(warm), cold: waterfall(cold), coldNoRollups: waterfall(coldRaw) };

const failed = figures.filter((f) => !f.pass);
console.log(
  `\n${failed.length ? `FAIL: ${failed.length} of ${figures.length} targets missed (${failed.map((f) => f.id).join(', ')})` : `PASS: all ${figures.length} targets met`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
const file = join(repoRoot, '.bench', 'embed.json');
await mkdir(dirname(file), { recursive: true });
const strip = (s: SessionResult) => ({
  name: s.name,
  env: s.env,
  loads: s.warmup.loads.map((l) => JSON.parse(l)),
  browser: s.browser.map(({ scripts: _s, loads: _l, token: _t, ...rest }) => rest),
  bare: s.bare,
});
await writeFile(
  file,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: m,
      settings: {
        runs: RUNS,
        dashboard: 'flights-overview',
        securityContext: { states: ['CA'] },
        browserNice: browserNice ?? null,
      },
      figures,
      size: { entry, manifestTotalGzipBytes: manifest.totalGzipBytes, loaded: loadedScripts },
      times,
      waterfalls,
      sessions: sessions.map(strip),
    },
    null,
    2,
  )}\n`,
);
console.log(`results: ${file}`);
