import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { buildEmbed, type EmbedManifest } from '@inlay/embed/build';
import { testDataPaths } from '@inlay/example-flights';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { createCatalog } from '../src/dashboards/index.js';
import { buildApp, hashApiKey, type InlayApp } from '../src/index.js';
import { ALL_COMPONENTS, FEB_2001 } from './browser/all-components-dashboard.js';
import { truthFor } from './browser/all-components-truth.js';
import { API_KEY, AUTH, flightsWorkspace } from './helpers.js';

/**
 * Every standard component live: a real server on the flights DuckDB file, the standard library
 * built with `buildEmbed`, a host page on another origin embedding a dashboard that uses each
 * component, a tenant token. Each widget's numbers are read where a screen reader reads them
 * (KPI text, accessible tables, the tables) and compared with SQL written independently.
 */

const TENANT = ['AZ', 'CO', 'NV'];
const JAN_2001 = { from: '2001-01-01', to: '2001-01-31' };
const SHOTS = '.artifacts/screenshots';

let app: InlayApp;
let host: Server;
let hostOrigin: string;
let browser: Browser;
let db: Driver;
let distDir: string;
let manifest: EmbedManifest;
let token: string;
const pages = new Map<string, string>();

beforeAll(async () => {
  distDir = mkdtempSync(join(tmpdir(), 'inlay-standard-components-'));
  manifest = await buildEmbed({ outDir: distDir });
  app = buildApp({
    config: {
      apiKeyHash: hashApiKey(API_KEY),
      maxBodyBytes: 1024 * 1024,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
    },
    workspace: flightsWorkspace(),
    dashboards: createCatalog([
      {
        id: ALL_COMPONENTS.id,
        name: ALL_COMPONENTS.name,
        versions: ['production', ALL_COMPONENTS.version],
        models: new Set(ALL_COMPONENTS.datasets.map((d) => d.model)),
        file: 'test/browser/all-components-dashboard.ts',
        definition: ALL_COMPONENTS,
      },
    ]),
    embedAssets: { distDir },
    logger: false,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  host = createServer((req, res) => {
    const body = pages.get((req.url ?? '/').split('?')[0]!);
    if (body === undefined) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  const settings = await app.inject({
    method: 'PUT',
    url: '/api/v1/workspace/settings',
    headers: AUTH,
    payload: { allowedOrigins: [hostOrigin] },
  });
  expect(settings.statusCode).toBe(200);
  const issued = await app.inject({
    method: 'POST',
    url: '/api/v1/security-token',
    headers: AUTH,
    payload: { embeddableId: 'all-components', user: 'u-1', securityContext: { states: TENANT } },
  });
  expect(issued.statusCode).toBe(200);
  token = issued.json().token;
  browser = await launchChromium();
  db = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await db?.close();
  await new Promise((resolve) => host?.close(resolve));
  await app?.close();
  rmSync(distDir, { recursive: true, force: true });
});

/** The host page: one `<inlay-dashboard>`, events counted on `window`. */
async function open(theme: 'light' | 'dark', width = 1280): Promise<Page> {
  const inlay = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const context = JSON.stringify({ locale: 'en-US', timezone: 'UTC', theme }).replace(/'/g, '&#39;');
  pages.set(
    `/${theme}`,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme analytics</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>window.__loads = 0; window.__errors = [];
document.addEventListener('dataLoad', () => window.__loads++);
document.addEventListener('embeddableError', (e) => window.__errors.push(e.detail));</script>
<script type="module" src="${inlay}/embed/v1/inlay.js"></script>
<style>body { margin: 0; padding: 16px; background: ${theme === 'dark' ? '#010409' : '#eef1f4'}; }</style>
</head><body><inlay-dashboard token="${token}" client-context='${context}'></inlay-dashboard></body></html>`,
  );
  const page = await browser.newPage({ viewport: { width, height: 900 }, locale: 'en-US' });
  await page.goto(`${hostOrigin}/${theme}`);
  await loads(page, 1);
  return page;
}

async function loads(page: Page, atLeast: number) {
  await page.waitForFunction((n) => (window as unknown as { __loads: number }).__loads >= n, atLeast, {
    timeout: 60_000,
  });
}

interface Shown {
  /** Every table of the widget (accessible or visible), each as rows of cell text, headers included. */
  tables: string[][][];
  kpi?: string;
  delta?: string;
  spoken?: string;
  note?: string;
  text: string;
  options: string[];
}

async function shown(page: Page): Promise<Record<string, Shown>> {
  return page.locator('inlay-dashboard').evaluate((el) => {
    const clean = (s: string | null | undefined) => (s ?? '').replace(/[\u00a0\u202f\u2009]/g, ' ').trim();
    const out: Record<string, Shown> = {};
    for (const w of el.shadowRoot!.querySelectorAll('[data-widget-id]')) {
      const value = w.querySelector('.inlay-kpi-value');
      out[w.getAttribute('data-widget-id')!] = {
        tables: [...w.querySelectorAll('table')].map((t) =>
          [...t.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => clean(c.textContent))),
        ),
        ...(value ? { kpi: clean((value.querySelector('.inlay-sr-only') ?? value).textContent) } : {}),
        delta: clean(w.querySelector('.inlay-kpi-delta')?.textContent),
        spoken: clean(w.querySelector('.inlay-kpi-change .inlay-sr-only')?.textContent),
        note: clean(w.querySelector('.inlay-kpi-note, .inlay-chart-note')?.textContent),
        text: clean(w.textContent),
        options: [...w.querySelectorAll('.inlay-option')].map((o) => clean(o.textContent)),
      };
    }
    return out;
  });
}

const int = (s: string | undefined) => Number((s ?? '').replace(/[^\d.-]/g, ''));
const num = (s: string | undefined) => Number((s ?? '').replace(/,/g, ''));
const pct = (s: string | undefined) => Number((s ?? '').replace('%', '')) / 100;
const near = (a: number, b: number, tol: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThan(tol);
const utc = (options: Intl.DateTimeFormatOptions) => (d: string) =>
  new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
const dayLabel = utc({ year: 'numeric', month: 'short', day: 'numeric' });
const monthLabel = utc({ year: 'numeric', month: 'short' });
const percentText = (ratio: number) =>
  new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(Math.abs(ratio));
/** The last (body) rows of a widget's first table. */
const body = (s: Shown | undefined, headerRows = 1) => (s?.tables[0] ?? []).slice(headerRows);

/** The line chart's table against SQL: current buckets, and the previous period's aligned by index. */
async function expectLine(s: Shown | undefined, grain: 'day' | 'week' | 'month') {
  const truth = truthFor(db, TENANT);
  const current = await truth.line(FEB_2001, grain);
  const previous = new Map((await truth.line(JAN_2001, grain)).map((r) => [r.index, r]));
  const label = grain === 'month' ? monthLabel : dayLabel;
  expect(s?.tables[0]?.[0]?.slice(1)).toEqual([
    'Count',
    'Delayed count',
    'Count (previous period)',
    'Delayed count (previous period)',
  ]);
  expect(body(s)).toEqual(
    current.map((r) => {
      const p = previous.get(r.index);
      const f = (v: number | undefined) => (v === undefined ? '–' : v.toLocaleString('en-US'));
      return [label(r.bucket), f(r.count), f(r.late), f(p?.count), f(p?.late)];
    }),
  );
}

describe('every standard component, live, against SQL on DuckDB', () => {
  it('KPIs with their change versus January, bar, line with comparison, area, pie, table, pivot, heatmap, scatter, dropdown, text', async () => {
    const page = await open('light');
    const s = await shown(page);
    const truth = truthFor(db, TENANT);
    expect(await page.evaluate(() => (window as unknown as { __errors: unknown[] }).__errors)).toEqual([]);

    // KPIs: February, and the change versus January (whole months compare with whole months).
    const feb = await truth.kpi(FEB_2001);
    const jan = await truth.kpi(JAN_2001);
    expect(int(s['kpi-flights']?.kpi)).toBe(feb.count);
    const countChange = (feb.count - jan.count) / jan.count;
    const countWord = countChange > 0 ? 'up' : 'down';
    expect(s['kpi-flights']?.delta).toBe(`${countChange > 0 ? '▲' : '▼'} ${percentText(countChange)}`);
    expect(s['kpi-flights']?.spoken).toMatch(
      new RegExp(
        `^${countWord} ${percentText(countChange)} versus the previous period \\(${(jan.count / 1000).toFixed(1)}K in Jan 1 – 31, 2001\\)$`,
      ),
    );
    near(num(s['kpi-delay']?.kpi), feb.avgDelay, 0.006);
    const delayChange = (feb.avgDelay - jan.avgDelay) / Math.abs(jan.avgDelay);
    expect(s['kpi-delay']?.spoken).toContain(
      `${delayChange > 0 ? 'up' : 'down'} ${percentText(delayChange)} versus the previous period`,
    );

    // Line chart: weekly (the `grain` variable's default), February beside January.
    await expectLine(s.line, 'week');

    // Bar chart (horizontal, stacked): count and delayed count by state, biggest first.
    const states = await truth.byState(FEB_2001);
    expect(body(s.bars)).toEqual(
      [...states]
        .sort((a, b) => b.count - a.count)
        .map((r) => [r.state, r.count.toLocaleString('en-US'), r.late.toLocaleString('en-US')]),
    );

    // Area: average delay by day.
    const days = await truth.byDay(FEB_2001);
    const area = body(s.area);
    expect(area.map((r) => r[0])).toEqual(days.map((d) => dayLabel(d.bucket)));
    area.forEach((r, i) => {
      near(num(r[1]), days[i]!.avgDelay, 0.006);
    });

    // Pie: the 12 biggest destination states.
    const dest = (await truth.byDestinationState(FEB_2001)).slice(0, 12);
    expect(body(s.pie).map((r) => int(r[1]))).toEqual(dest.map((d) => d.count));
    for (const [state, n] of body(s.pie)) expect(dest.find((d) => d.state === state)?.count).toBe(int(n));

    // Table: the first page (6) by count, with the average delay.
    const top = (await truth.byDestination(FEB_2001)).slice(0, 6);
    const table = body(s.table);
    expect(table.map((r) => int(r[1]))).toEqual(top.map((t) => t.count));
    for (const [d, n, avg] of table) {
      const t = top.find((x) => x.destination === d)!;
      expect(t.count).toBe(int(n));
      near(num(avg), t.avgDelay, 0.006);
    }

    // Pivot (all time): state × month, totals from the server.
    const cells = await truth.byStateAndMonth(undefined);
    const months = [...new Set(cells.map((c) => c.month))].sort();
    const pivotStates = [...new Set(cells.map((c) => c.state))].sort();
    const sum = (list: { count: number }[]) => list.reduce((a, c) => a + c.count, 0);
    expect(s.pivot?.tables[0]).toEqual([
      ['State', ...months.map(monthLabel), 'Total'],
      ...pivotStates.map((st) => [
        st,
        ...months.map(
          (m) => cells.find((c) => c.state === st && c.month === m)?.count.toLocaleString('en-US') ?? '',
        ),
        sum(cells.filter((c) => c.state === st)).toLocaleString('en-US'),
      ]),
      [
        'Total',
        ...months.map((m) => sum(cells.filter((c) => c.month === m)).toLocaleString('en-US')),
        sum(cells).toLocaleString('en-US'),
      ],
    ]);

    // Heatmap: delayed share by state (rows) and week (columns).
    const heat = await truth.delayedShareByStateAndWeek(FEB_2001);
    const weeks = [...new Set(heat.map((c) => c.week))].sort();
    expect(s.heatmap?.tables[0]?.[0]).toEqual(['State', ...weeks.map(dayLabel)]);
    for (const row of body(s.heatmap)) {
      row.slice(1).forEach((cell, i) => {
        const t = heat.find((c) => c.state === row[0] && c.week === weeks[i]);
        if (!t) expect(cell).toBe('–');
        else near(pct(cell), t.share, 0.0006);
      });
    }
    expect(body(s.heatmap).map((r) => r[0])).toEqual([...new Set(heat.map((c) => c.state))].sort());

    // Scatter: one point per origin airport, count and average delay.
    const origins = await truth.byOrigin(FEB_2001);
    const scatter = body(s.scatter);
    expect(scatter.map((r) => r[0]).sort()).toEqual(origins.map((o) => o.origin));
    for (const [origin, n, avg] of scatter) {
      const o = origins.find((x) => x.origin === origin)!;
      expect(int(n)).toBe(o.count);
      near(num(avg), o.avgDelay, 0.006);
    }

    // The dropdown lists the tenant's own states, nobody else's; the text renders its Markdown.
    expect(s.states?.options).toEqual(await truth.statesWithFlights());
    expect(s.states?.options).toEqual(TENANT);
    expect(s.notes?.text).toContain('Flights leaving your airports, February 2001');

    await page.screenshot({ path: `${SHOTS}/standard-components-light.png`, fullPage: true });
    await page.close();
  }, 120_000);

  it('the granularity picker sets the line chart’s granularity: rows by day, then by month', async () => {
    const page = await open('light');
    await page.getByLabel('Group by').selectOption('day');
    await loads(page, 2);
    await expectLine((await shown(page)).line, 'day');
    expect(body((await shown(page)).line)).toHaveLength(28);
    await page.getByLabel('Group by').selectOption('month');
    await loads(page, 3);
    await expectLine((await shown(page)).line, 'month');

    // "All time": the KPIs have no period to compare with, and say so quietly.
    await page.getByLabel('Date range').selectOption('all');
    await loads(page, 4);
    const all = await shown(page);
    expect(int(all['kpi-flights']?.kpi)).toBe((await truthFor(db, TENANT).kpi(undefined)).count);
    expect(all['kpi-flights']?.delta).toBe('');
    expect(all['kpi-flights']?.note).toBe('No comparison for all time.');
    await page.close();
  }, 120_000);

  it('dark theme and a 375 px wide host: screenshots', async () => {
    const dark = await open('dark');
    await dark.waitForTimeout(400); // the charts' entry animation
    await dark.screenshot({ path: `${SHOTS}/standard-components-dark.png`, fullPage: true });
    await dark.close();
    const narrow = await open('light', 375);
    await narrow.waitForTimeout(400);
    await narrow.screenshot({ path: `${SHOTS}/standard-components-375.png`, fullPage: true });
    // The same page in screen-high parts, readable at a glance.
    const height = await narrow.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0, part = 1; y < height; y += 1200, part++)
      await narrow.screenshot({
        path: `${SHOTS}/standard-components-375-part${part}.png`,
        fullPage: true,
        clip: { x: 0, y, width: 375, height: Math.min(1200, height - y) },
      });
    const widths = await narrow
      .locator('inlay-dashboard')
      .evaluate((el) =>
        [...el.shadowRoot!.querySelectorAll('[data-widget-id]')].map((w) => w.getBoundingClientRect().width),
      );
    // One column: every widget as wide as the element.
    expect(Math.min(...widths)).toBeGreaterThan(300);
    await narrow.close();
  }, 120_000);

  it('the new components are chunks of their own (sizes in the build manifest)', () => {
    const gz = (pattern: RegExp) =>
      manifest.files.filter((f) => pattern.test(f.file)).map((f) => f.gzipBytes);
    for (const name of ['PivotTable', 'Heatmap', 'ScatterChart', 'GranularityPicker', 'heatmap', 'scatter'])
      expect(gz(new RegExp(`chunks/${name}-`)).length, name).toBe(1);
  });
});
