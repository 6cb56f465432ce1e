/**
 * One server configuration measured end to end: the product started as `npm start` runs it (plus
 * the env the session names), a host page on another origin allowed by the workspace, one
 * unmeasured navigation (the server warms up: JIT, compiled queries, DuckDB's buffers, the L1
 * entries when L1 is on; the `/load` bodies are captured from it), then `runs` navigations, each in
 * a fresh browser context and each followed by the same `/load` calls sent without a browser.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { median } from '../../server/bench/harness.js';
import { type InlayProcess, startInlay } from '../../server/bench/product-server.js';
import { type BrowserRun, browserRun } from './browser-run.js';
import { chromiumCpuMs, machineBusyMs } from './cpu.js';
import { startHostPage } from './host-page.js';

export const DASHBOARD = 'flights-overview';
/** The demo's Acme West: the flights leaving California. */
export const SECURITY_CONTEXT = { states: ['CA'] };

/** The server's own time (ms, from its request log) for a navigation's or a bare run's `/load` calls. */
export interface ServerLoadTimes {
  /** The slowest one: what the last widget waited for at the server. */
  max: number;
  all: number[];
}

export interface BareRun {
  /** All the dashboard's `/load` calls, sent in parallel as the runtime sends them. */
  loadsMs: number;
  /** `GET /api/v1/embed/dashboard` and `GET /api/v1/meta` in parallel (what the runtime asks first). */
  docMs: number;
  cacheLevels: string[];
}

export interface SessionResult {
  name: string;
  env: Record<string, string>;
  warmup: BrowserRun;
  browser: BrowserRun[];
  bare: BareRun[];
  serverBrowser: ServerLoadTimes[];
  serverBare: ServerLoadTimes[];
}

/** `POST /api/v1/load` times in the request log's lines between two offsets (bytes). */
function loadTimesBetween(srv: InlayProcess, from: number, to: number): ServerLoadTimes {
  const buf = Buffer.alloc(Math.max(0, to - from));
  const fd = openSync(join(srv.dataDir, 'server.log'), 'r');
  readSync(fd, buf, 0, buf.length, from);
  closeSync(fd);
  const all: number[] = [];
  for (const line of buf.toString('utf8').split('\n')) {
    if (!line.includes('"/api/v1/load"')) continue;
    const entry = JSON.parse(line) as { method?: string; url?: string; ms?: number };
    if (entry.method === 'POST' && entry.url === '/api/v1/load' && entry.ms !== undefined) all.push(entry.ms);
  }
  return { max: all.length ? Math.max(...all) : 0, all };
}

async function request(url: string, token: string, body?: string): Promise<string> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return res.headers.get('x-inlay-cache')?.split(';')[0] ?? '';
}

/** The same calls the page made, with its token, from Node's `fetch` (keep-alive, all at once). */
export async function bareRun(inlayUrl: string, token: string, loads: string[]): Promise<BareRun> {
  const d0 = performance.now();
  await Promise.all([
    request(`${inlayUrl}/api/v1/embed/dashboard`, token),
    request(`${inlayUrl}/api/v1/meta`, token),
  ]);
  const docMs = performance.now() - d0;
  const t0 = performance.now();
  const cacheLevels = await Promise.all(loads.map((body) => request(`${inlayUrl}/api/v1/load`, token, body)));
  return { loadsMs: performance.now() - t0, docMs, cacheLevels };
}

/** The demo's rollups build when the server starts; no build may compete with a run. */
async function waitForRollups(srv: InlayProcess): Promise<string> {
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${srv.url}/api/v1/caching/pre-aggregations`, {
      headers: { authorization: `Bearer ${srv.apiKey}` },
    });
    // INLAY_PREAGGS=off: the rollup routes are not there at all.
    if (res.status === 404) return 'rollups off';
    if (res.status !== 200) throw new Error(`pre-aggregations answered ${res.status}`);
    const { preAggregations } = (await res.json()) as { preAggregations: { state: string }[] };
    if (preAggregations.every((p) => p.state === 'built')) {
      return preAggregations.length
        ? `${preAggregations.length} rollups built (waited ${((performance.now() - started) / 1000).toFixed(1)} s)`
        : 'no rollups';
    }
    if (performance.now() - started > 180_000) throw new Error('the rollups did not build within 3 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function runSession(
  browser: Browser,
  name: string,
  env: Record<string, string>,
  runs: number,
  log: (line: string) => void,
): Promise<SessionResult> {
  const srv = await startInlay({ INLAY_RATE_LIMIT_PER_MINUTE: '0', ...env });
  const kill = () => srv.child.kill('SIGKILL');
  process.on('exit', kill);
  try {
    log(
      `${name}: inlay start ${
        Object.entries(env)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ') || '(defaults)'
      } + INLAY_RATE_LIMIT_PER_MINUTE=0; ${await waitForRollups(srv)}`,
    );
    const host = await startHostPage({
      inlayUrl: srv.url,
      apiKey: srv.apiKey,
      dashboard: DASHBOARD,
      securityContext: SECURITY_CONTEXT,
    });
    try {
      const settings = await fetch(`${srv.url}/api/v1/workspace/settings`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${srv.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ allowedOrigins: [host.origin] }),
      });
      if (settings.status !== 200) throw new Error(`workspace settings answered ${settings.status}`);

      // The server builds its runtime on the first request for it when packages/embed/dist is
      // missing or older than its sources: that build is not part of any navigation.
      const t0 = performance.now();
      const script = await fetch(`${srv.url}/embed/v1/inlay.js`);
      if (script.status !== 200) throw new Error(`inlay.js answered ${script.status}`);
      await script.arrayBuffer();
      log(
        `  first GET /embed/v1/inlay.js (builds the runtime if stale): ${(performance.now() - t0).toFixed(0)} ms`,
      );
      // The warm-up navigation also collects every script's body (the sizes); measured ones do not.
      const warmup = await browserRun(browser, host.url, srv.url, undefined, true);
      log(
        `  warm-up navigation: dataLoad at ${warmup.dataLoadMs.toFixed(0)} ms, ${warmup.loads.length} /load calls (${levels(warmup.cacheLevels)})`,
      );
      const probe = () => ({
        chromium: chromiumCpuMs(),
        server: srv.cpuUs() / 1000,
        machine: machineBusyMs(),
      });
      const result: SessionResult = {
        name,
        env,
        warmup,
        browser: [],
        bare: [],
        serverBrowser: [],
        serverBare: [],
      };
      for (let r = 0; r < runs; r++) {
        // The server's log lines say what the server itself spent on each /load (it logs asynchronously: let them land).
        const settle = () => new Promise((done) => setTimeout(done, 100));
        const logStart = srv.logBytes();
        const b = await browserRun(browser, host.url, srv.url, probe);
        await settle();
        const logMid = srv.logBytes();
        if (b.loads.length !== warmup.loads.length)
          throw new Error(
            `run ${r + 1} sent ${b.loads.length} /load calls, the warm-up ${warmup.loads.length}`,
          );
        // The same queries as this navigation, with its token, right after it.
        const bare = await bareRun(srv.url, b.token, b.loads);
        await settle();
        const serverBrowser = loadTimesBetween(srv, logStart, logMid);
        const serverBare = loadTimesBetween(srv, logMid, srv.logBytes());
        // Without L1 no answer may come from it: otherwise this session measures something else.
        if (env.INLAY_CACHE_MAX_MB === '0' && [...b.cacheLevels, ...bare.cacheLevels].some((l) => l === 'l1'))
          throw new Error(`run ${r + 1}: an L1 answer with the cache off (${levels(b.cacheLevels)})`);
        result.browser.push(b);
        result.bare.push(bare);
        result.serverBrowser.push(serverBrowser);
        result.serverBare.push(serverBare);
        log(
          `  run ${r + 1}: browser dataLoad ${b.dataLoadMs.toFixed(0)} ms (charts drawn ${b.chartsDrawnMs.toFixed(0)}), /load ${levels(b.cacheLevels)}, server's slowest ${serverBrowser.max.toFixed(0)} ms` +
            `   bare: /load ×${b.loads.length} ${bare.loadsMs.toFixed(0)} ms (${levels(bare.cacheLevels)}), server's slowest ${serverBare.max.toFixed(0)} ms; dashboard+meta ${bare.docMs.toFixed(0)} ms`,
        );
      }
      return result;
    } finally {
      await host.close();
    }
  } finally {
    await srv.stop();
    process.off('exit', kill);
  }
}

/** `l1 ×6` or `l2 ×4, none ×2`. */
export function levels(list: string[]): string {
  const counts = new Map<string, number>();
  for (const l of list) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => `${l} ×${n}`).join(', ');
}

/** Milestones of a navigation, ms from navigation start: where the time goes. */
export function milestones(run: BrowserRun) {
  const of = (test: (path: string) => boolean) => run.resources.filter((r) => test(new URL(r.name).pathname));
  const end = (rs: { end: number }[]) => Math.max(...rs.map((r) => r.end));
  const loads = of((p) => p === '/api/v1/load');
  return {
    page: run.pageMs,
    script: end(of((p) => p === '/embed/v1/inlay.js')),
    dashboardAndMeta: end(of((p) => p === '/api/v1/embed/dashboard' || p === '/api/v1/meta')),
    componentsLoad: run.componentsLoadMs,
    firstLoadStart: Math.min(...loads.map((r) => r.start)),
    lastLoadEnd: end(loads),
    dataLoad: run.dataLoadMs,
    chartsDrawn: run.chartsDrawnMs,
  };
}

export type Milestones = ReturnType<typeof milestones>;

/** Each milestone's median over the runs. */
export function medianMilestones(runs: BrowserRun[]): Milestones {
  const all = runs.map(milestones);
  const keys = Object.keys(all[0]!) as (keyof Milestones)[];
  return Object.fromEntries(keys.map((k) => [k, median(all.map((m) => m[k]))])) as Milestones;
}
