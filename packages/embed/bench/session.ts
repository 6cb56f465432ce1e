/**
 * One server configuration measured end to end: the product started as `npm start` runs it (plus
 * the env the session names), a host page on another origin allowed by the workspace, one
 * unmeasured navigation (the server warms up: JIT, compiled queries, DuckDB's buffers, the L1
 * entries when L1 is on), then navigations, each in a fresh browser context and each followed by
 * the same `/load` calls (captured from the navigation) sent without a browser.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { median } from '../../server/bench/harness.js';
import { type InlayProcess, startInlay } from '../../server/bench/product-server.js';
import { type BrowserRun, browserRun } from './browser-run.js';
import { chromiumCpuMs, machineBusyMs } from './cpu.js';
import { type HostPage, startHostPage } from './host-page.js';

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

/** Marks the bare runs' `/load` calls in the server's request log (the route ignores it). */
const BARE_MARK = 'bench=bare';

function loadLines(srv: InlayProcess, from: number): { url: string; ms: number }[] {
  const buf = Buffer.alloc(Math.max(0, srv.logBytes() - from));
  const fd = openSync(join(srv.dataDir, 'server.log'), 'r');
  readSync(fd, buf, 0, buf.length, from);
  closeSync(fd);
  const lines: { url: string; ms: number }[] = [];
  for (const line of buf.toString('utf8').split('\n')) {
    if (!line.includes('/api/v1/load')) continue;
    const entry = JSON.parse(line) as { method?: string; url?: string; ms?: number };
    if (entry.method === 'POST' && entry.url?.startsWith('/api/v1/load') && entry.ms !== undefined)
      lines.push({ url: entry.url, ms: entry.ms });
  }
  return lines;
}

/**
 * The server's own times for a navigation's and a bare run's `/load` calls, from its request log
 * (written asynchronously: waits until every line since `from` is there).
 */
async function serverLoadTimes(
  srv: InlayProcess,
  from: number,
  expected: number,
): Promise<{ browser: ServerLoadTimes; bare: ServerLoadTimes }> {
  let lines = loadLines(srv, from);
  for (let waited = 0; lines.length < expected && waited < 3000; waited += 50) {
    await new Promise((done) => setTimeout(done, 50));
    lines = loadLines(srv, from);
  }
  const times = (bare: boolean): ServerLoadTimes => {
    const all = lines.filter((l) => l.url.includes(BARE_MARK) === bare).map((l) => l.ms);
    return { max: all.length ? Math.max(...all) : Number.NaN, all };
  };
  return { browser: times(false), bare: times(true) };
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
  const cacheLevels = await Promise.all(
    loads.map((body) => request(`${inlayUrl}/api/v1/load?${BARE_MARK}`, token, body)),
  );
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

/**
 * A server configuration: its server, its host page, what it measured so far. The benchmark opens
 * every session first and then takes their runs in turn, so the machine's other work (a noisy
 * 2-core VM) falls on all of them alike.
 */
export class Session {
  readonly result: SessionResult;

  private constructor(
    private readonly browser: Browser,
    private readonly srv: InlayProcess,
    private readonly host: HostPage,
    private readonly kill: () => void,
    name: string,
    env: Record<string, string>,
    warmup: BrowserRun,
  ) {
    this.result = { name, env, warmup, browser: [], bare: [], serverBrowser: [], serverBare: [] };
  }

  static async open(
    browser: Browser,
    name: string,
    env: Record<string, string>,
    log: (line: string) => void,
  ): Promise<Session> {
    const srv = await startInlay({ INLAY_RATE_LIMIT_PER_MINUTE: '0', ...env });
    const kill = () => srv.child.kill('SIGKILL');
    process.on('exit', kill);
    let host: HostPage | undefined;
    try {
      const settings = Object.entries(env).map(([k, v]) => `${k}=${v}`);
      log(
        `${name}: inlay start ${settings.join(' ') || '(defaults)'} + INLAY_RATE_LIMIT_PER_MINUTE=0; ${await waitForRollups(srv)}`,
      );
      host = await startHostPage({
        inlayUrl: srv.url,
        apiKey: srv.apiKey,
        dashboard: DASHBOARD,
        securityContext: SECURITY_CONTEXT,
      });
      const allow = await fetch(`${srv.url}/api/v1/workspace/settings`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${srv.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ allowedOrigins: [host.origin] }),
      });
      if (allow.status !== 200) throw new Error(`workspace settings answered ${allow.status}`);

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
      return new Session(browser, srv, host, kill, name, env, warmup);
    } catch (err) {
      await host?.close();
      await srv.stop();
      process.off('exit', kill);
      throw err;
    }
  }

  /** One navigation in a fresh context, then the same `/load` calls with its token, without a browser. */
  async measure(log: (line: string) => void): Promise<void> {
    const { srv, result } = this;
    const r = result.browser.length + 1;
    const probe = () => ({ chromium: chromiumCpuMs(), server: srv.cpuUs() / 1000, machine: machineBusyMs() });
    const logStart = srv.logBytes();
    const b = await browserRun(this.browser, this.host.url, srv.url, probe);
    if (b.loads.length !== result.warmup.loads.length)
      throw new Error(
        `run ${r} sent ${b.loads.length} /load calls, the warm-up ${result.warmup.loads.length}`,
      );
    const bare = await bareRun(srv.url, b.token, b.loads);
    const server = await serverLoadTimes(srv, logStart, b.loads.length * 2);
    const serverBrowser = server.browser;
    const serverBare = server.bare;
    // Without L1 no answer may come from it: otherwise this session measures something else.
    if (result.env.INLAY_CACHE_MAX_MB === '0' && [...b.cacheLevels, ...bare.cacheLevels].includes('l1'))
      throw new Error(`${result.name} run ${r}: an L1 answer with the cache off`);
    result.browser.push(b);
    result.bare.push(bare);
    result.serverBrowser.push(serverBrowser);
    result.serverBare.push(serverBare);
    log(
      `  ${result.name} run ${r}: browser dataLoad ${b.dataLoadMs.toFixed(0)} ms (charts drawn ${b.chartsDrawnMs.toFixed(0)}), /load ${levels(b.cacheLevels)}, server's slowest ${serverBrowser.max.toFixed(0)} ms` +
        `   bare: /load ×${b.loads.length} ${bare.loadsMs.toFixed(0)} ms (${levels(bare.cacheLevels)}), server's slowest ${serverBare.max.toFixed(0)} ms; dashboard+meta ${bare.docMs.toFixed(0)} ms`,
    );
  }

  async close(): Promise<void> {
    await this.host.close();
    await this.srv.stop();
    process.off('exit', this.kill);
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
