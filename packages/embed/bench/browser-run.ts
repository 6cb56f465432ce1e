/**
 * One measured navigation: a fresh browser context (empty HTTP cache, no open sockets, as a
 * first visit), the host page, and the times the page itself records — `performance.now()` at
 * `dataLoad` (relative to navigation start), when both chart canvases exist, and every resource's
 * start and end — plus what Playwright saw on the wire: each `/load` body and token, each
 * answer's cache level, and each JavaScript file's body (to gzip it).
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Response } from 'playwright-core';

/** One resource as the page's Resource Timing saw it (ms from navigation start). */
export interface Resource {
  name: string;
  start: number;
  end: number;
}

export interface ScriptFile {
  url: string;
  bytes: number;
  gzipBytes: number;
}

export interface BrowserRun {
  /** `performance.now()` at the first `dataLoad`: navigation start → every widget shows its data. */
  dataLoadMs: number;
  /** The runtime's own `detail.ms` (from its load start, after the script ran). */
  runtimeMs: number;
  componentsLoadMs: number;
  /** When every chart widget had its ECharts canvas (ECharts loads after the data arrives). */
  chartsDrawnMs: number;
  /** The host page's response end, and what minting the token cost its backend. */
  pageMs: number;
  mintMs: number;
  resources: Resource[];
  /** The `/load` bodies the runtime sent (distinct queries), and the token it sent them with. */
  loads: string[];
  token: string;
  /** `x-inlay-cache` level of each `/load` answer: l1, l2 or none. */
  cacheLevels: string[];
  scripts: ScriptFile[];
  /** CPU ms each probe counter grew by from just before navigating to seeing `dataLoad`, and that wall time. */
  cpu: Record<string, number>;
  cpuWindowMs: number;
}

/** CPU counters (ms) read before a navigation and when its `dataLoad` is seen. */
export type CpuProbe = () => Record<string, number>;

/**
 * Installed before any page script: the events' times, in the page's own clock. A string, not a
 * function: tsx's name-keeping helper (`__name`) does not exist in the page.
 */
const RECORDER = `(() => {
  const bench = (window.__bench = { errors: [] });
  const chartsDrawn = () => {
    const root = document.querySelector('inlay-dashboard')?.shadowRoot;
    const charts = root ? [...root.querySelectorAll('.inlay-chart')] : [];
    if (charts.every((c) => c.querySelector('canvas'))) bench.chartsDrawn = performance.now();
    else requestAnimationFrame(chartsDrawn);
  };
  document.addEventListener('componentsLoad', () => { bench.componentsLoad ??= performance.now(); }, true);
  document.addEventListener('dataLoad', (e) => {
    if (bench.dataLoad !== undefined) return;
    bench.dataLoad = performance.now();
    bench.runtimeMs = e.detail.ms;
    chartsDrawn();
  }, true);
  document.addEventListener('embeddableError', (e) => bench.errors.push(e.detail), true);
})();`;

interface PageFigures {
  dataLoad: number;
  runtimeMs: number;
  componentsLoad: number;
  chartsDrawn: number;
  pageMs: number;
  mintMs: number;
  resources: Resource[];
}

export async function browserRun(
  browser: Browser,
  url: string,
  inlayUrl: string,
  probe: CpuProbe = () => ({}),
  /** Fetch every script's body (over the DevTools protocol, while the page loads): only when sizes are measured. */
  withScripts = false,
): Promise<BrowserRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: RECORDER });
    const problems: string[] = [];
    const loads: string[] = [];
    const cacheLevels: string[] = [];
    const scripts: Promise<ScriptFile>[] = [];
    const tokens: Promise<string>[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url() === `${inlayUrl}/api/v1/load`) {
        loads.push(req.postData() ?? '');
        tokens.push(req.allHeaders().then((h) => (h.authorization ?? '').replace(/^Bearer /, '')));
      }
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`${req.url()} failed: ${req.failure()?.errorText}`));
    page.on('response', (res: Response) => {
      const req = res.request();
      if (req.method() === 'OPTIONS') return;
      if (res.status() !== 200) problems.push(`${req.method()} ${res.url()} answered ${res.status()}`);
      if (res.url() === `${inlayUrl}/api/v1/load`) {
        cacheLevels.push((res.headers()['x-inlay-cache'] ?? '?').split(';')[0]!.trim());
      }
      if (withScripts && req.resourceType() === 'script') {
        scripts.push(
          res.body().then((body) => ({
            url: res.url(),
            bytes: body.length,
            // What the server sends (it gzips every file at level 9).
            gzipBytes: gzipSync(body, { level: 9 }).length,
          })),
        );
      }
    });
    const cpuBefore = probe();
    const wallBefore = performance.now();
    await page.goto(url);
    try {
      await page.waitForFunction(
        () => {
          const b = (window as unknown as { __bench: { dataLoad?: number; errors: unknown[] } }).__bench;
          return b.dataLoad !== undefined || b.errors.length > 0;
        },
        null,
        { timeout: 30_000, polling: 20 },
      );
    } catch {
      throw new Error(`no dataLoad within 30 s${problems.length ? `: ${problems.join('; ')}` : ''}`);
    }
    const cpuAfter = probe();
    const cpuWindowMs = performance.now() - wallBefore;
    const cpu = Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, v - (cpuBefore[k] ?? 0)]));
    const errors = await page.evaluate(
      () => (window as unknown as { __bench: { errors: unknown[] } }).__bench.errors,
    );
    if (errors.length) throw new Error(`embeddableError: ${JSON.stringify(errors)}`);
    // dataLoad waits for the charts' first frame; this checks it did, then waits for a quiet page.
    await page.waitForFunction(
      () => (window as unknown as { __bench: { chartsDrawn?: number } }).__bench.chartsDrawn !== undefined,
      null,
      { timeout: 30_000 },
    );
    await page.waitForLoadState('networkidle');
    if (problems.length) throw new Error(problems.join('; '));
    const f: PageFigures = await page.evaluate(() => {
      const b = (window as unknown as { __bench: Record<string, number> }).__bench;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const mint = nav.serverTiming.find((t) => t.name === 'mint');
      return {
        dataLoad: b.dataLoad!,
        runtimeMs: b.runtimeMs!,
        componentsLoad: b.componentsLoad!,
        chartsDrawn: b.chartsDrawn!,
        pageMs: nav.responseEnd,
        mintMs: mint?.duration ?? 0,
        resources: performance
          .getEntriesByType('resource')
          .map((r) => r as PerformanceResourceTiming)
          .map((r) => ({ name: r.name, start: r.startTime, end: r.responseEnd })),
      };
    });
    return {
      dataLoadMs: f.dataLoad,
      runtimeMs: f.runtimeMs,
      componentsLoadMs: f.componentsLoad,
      chartsDrawnMs: f.chartsDrawn,
      pageMs: f.pageMs,
      mintMs: f.mintMs,
      resources: f.resources,
      loads,
      token: (await Promise.all(tokens))[0] ?? '',
      cacheLevels,
      scripts: await Promise.all(scripts),
      cpu,
      cpuWindowMs,
    };
  } finally {
    await context.close();
  }
}
