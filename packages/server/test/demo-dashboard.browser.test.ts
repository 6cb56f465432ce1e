import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { DEFAULT_DIST_DIR, type EmbedManifest } from '@inlay/embed/build';
import { testDataPaths } from '@inlay/example-flights';
import { flightsProject } from '@inlay/example-flights/setup';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { type RunningServer, startServer } from '../src/index.js';
import { DEMO_CUSTOMERS } from '../src/routes/demo.js';

/**
 * The demo as a person meets it: `npm start`'s server, `/demo` in Chromium, the real runtime and
 * the standard components rendering flights-overview. Every number is read from what a screen
 * reader reads (KPI text, the charts' accessible tables, the table) and compared with SQL written
 * here, straight on the DuckDB file.
 */

let server: RunningServer;
let browser: Browser;
let db: Driver;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'inlay-demo-dashboard-'));
  symlinkSync(testDataPaths().duckdbPath, join(dataDir, 'flights.duckdb'));
  server = await startServer({
    ...flightsProject,
    env: { INLAY_DATA_DIR: dataDir, INLAY_RATE_LIMIT_PER_MINUTE: '0' },
    port: 0,
    print: () => {},
    handleSignals: false,
    logger: false,
  });
  browser = await launchChromium();
  db = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
});
afterAll(async () => {
  await browser?.close();
  await db?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Shown {
  kpis: Record<string, string>;
  tables: Record<string, string[][]>;
}

/** What each widget shows as text, by widget id: KPI values, and every table's body rows. */
async function shown(page: Page): Promise<Shown> {
  return page.locator('inlay-dashboard').evaluate((el) => {
    const root = el.shadowRoot!;
    const kpis: Record<string, string> = {};
    const tables: Record<string, string[][]> = {};
    for (const widget of root.querySelectorAll('[data-widget-id]')) {
      const id = widget.getAttribute('data-widget-id')!;
      const value = widget.querySelector('.inlay-kpi-value');
      if (value) kpis[id] = (value.querySelector('.inlay-sr-only') ?? value).textContent ?? '';
      const table = widget.querySelector('table');
      if (table) {
        tables[id] = [...table.querySelectorAll('tbody tr')].map((tr) =>
          [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? ''),
        );
      }
    }
    return { kpis, tables };
  });
}

async function dataLoads(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __loads: number }).__loads);
}

async function openDemo(customer: string, prepare?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
  await prepare?.(page);
  await page.addInitScript(() => {
    const w = window as unknown as { __loads: number; __errors: unknown[]; __canvases: number[] };
    w.__loads = 0;
    w.__errors = [];
    w.__canvases = [];
    document.addEventListener(
      'dataLoad',
      (e) => {
        w.__loads++;
        // What is drawn at the very moment of the event.
        const root = (e.target as Element).shadowRoot;
        w.__canvases.push(root ? root.querySelectorAll('canvas').length : 0);
      },
      true,
    );
    document.addEventListener('embeddableError', (e) => w.__errors.push((e as CustomEvent).detail), true);
  });
  await page.goto(`${server.url}/demo?customer=${customer}`);
  await page.waitForFunction(() => (window as unknown as { __loads: number }).__loads >= 1, null, {
    timeout: 30_000,
  });
  return page;
}

const int = (text: string) => Number(text.replace(/[^\d.-]/g, ''));

async function truth(states: readonly string[], range?: [string, string]) {
  const params: unknown[] = [...states];
  const inStates = `a.state IN (${states.map((_, i) => `$${i + 1}`).join(', ')})`;
  let where = inStates;
  if (range) {
    params.push(range[0], range[1]);
    where += ` AND f.date >= CAST($${states.length + 1} AS TIMESTAMP)
      AND f.date < CAST($${states.length + 2} AS TIMESTAMP) + INTERVAL 1 DAY`;
  }
  const from = `FROM flights f JOIN airports a ON f.origin = a.iata WHERE ${where}`;
  const total = await db.query(`SELECT count(*) AS n, avg(f.delay) AS d ${from}`, params as never);
  const byState = await db.query(
    `SELECT a.state AS s, count(*) AS n ${from} GROUP BY 1 ORDER BY 1`,
    params as never,
  );
  const top = await db.query(
    `SELECT f.destination AS d, count(*) AS n ${from} GROUP BY 1 ORDER BY n DESC, d LIMIT 10`,
    params as never,
  );
  const weekly = await db.query(
    `SELECT date_trunc('week', f.date) AS w, avg(CASE WHEN f.delay > 15 THEN 1.0 ELSE 0.0 END) AS r
       ${from} GROUP BY 1 ORDER BY 1`,
    params as never,
  );
  return {
    count: Number(total.rows[0]!.n),
    avgDelay: Number(total.rows[0]!.d),
    byState: byState.rows.map((r) => [String(r.s), Number(r.n)]),
    top: top.rows.map((r) => [String(r.d), Number(r.n)]),
    weekly: weekly.rows.map((r) => Number(r.r)),
  };
}

function expectShownEqualsTruth(s: Shown, t: Awaited<ReturnType<typeof truth>>) {
  expect(int(s.kpis['kpi-flights']!)).toBe(t.count);
  expect(Math.abs(Number(s.kpis['kpi-average-delay']) - t.avgDelay)).toBeLessThan(0.006);
  // The bar chart orders its bars as the query does (by count); SQL here orders by state.
  const bars = s.tables['flights-by-state']!.map(([state, n]) => [state!, int(n!)] as const);
  expect([...bars].sort((a, b) => a[0].localeCompare(b[0]))).toEqual(t.byState);
  // The table widget's sort ties break differently than SQL's `d` order only on equal counts.
  expect(s.tables['top-destinations']!.map(([, n]) => int(n!))).toEqual(t.top.map(([, n]) => n));
  expect(new Set(s.tables['top-destinations']!.map(([d]) => d))).toEqual(new Set(t.top.map(([d]) => d)));
  const weekly = s.tables['delayed-share-by-week']!.map(([, pct]) => int(pct!) / 100);
  expect(weekly).toHaveLength(t.weekly.length);
  weekly.forEach((share, i) => {
    expect(Math.abs(share - t.weekly[i]!)).toBeLessThan(0.0006);
  });
}

describe('/demo in Chromium: flights-overview on the real runtime and standard components', () => {
  it('two customers each see their own numbers (KPIs, bar, line and table equal to SQL), never the other’s', async () => {
    mkdirSync('.artifacts/screenshots', { recursive: true });
    const west = await openDemo('acme-west');
    // dataLoad means drawn: both charts had their canvas when the event fired.
    const canvases = await west.evaluate(() => (window as unknown as { __canvases: number[] }).__canvases);
    expect(canvases[0]).toBeGreaterThanOrEqual(2);
    const westShown = await shown(west);
    expectShownEqualsTruth(westShown, await truth(DEMO_CUSTOMERS['acme-west']!.securityContext.states));
    await west.screenshot({ path: '.artifacts/screenshots/demo-dashboard-west.png', fullPage: true });
    // A screen reader names each widget by its own heading: ids are unique across the widgets.
    const ids = await west
      .locator('inlay-dashboard')
      .evaluate((el) => [...el.shadowRoot!.querySelectorAll('[id]')].map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
    const outline = await west.locator('inlay-dashboard').ariaSnapshot();
    for (const title of [
      'Flights',
      'Average delay',
      'Flights by state',
      'Delayed share by week',
      'Top destinations',
    ])
      expect(outline).toContain(`region "${title}"`);

    // The same page switches customer: a new token on the same element, and East's numbers only.
    await west.selectOption('#customer', 'acme-east');
    await west.waitForFunction(() => (window as unknown as { __loads: number }).__loads >= 2, null, {
      timeout: 30_000,
    });
    const eastShown = await shown(west);
    const east = await truth(DEMO_CUSTOMERS['acme-east']!.securityContext.states);
    expectShownEqualsTruth(eastShown, east);
    expect(eastShown.tables['flights-by-state']!.map(([state]) => state).sort()).toEqual(['NJ', 'NY']);
    expect(await west.evaluate(() => (window as unknown as { __errors: unknown[] }).__errors)).toEqual([]);
    await west.screenshot({ path: '.artifacts/screenshots/demo-dashboard-east.png', fullPage: true });
    await west.close();
  });

  it('the date-range picker filters every widget of the dataset; "All time" drops the filter', async () => {
    const page = await openDemo('acme-south');
    const states = DEMO_CUSTOMERS['acme-south']!.securityContext.states;
    await page.getByLabel('Date range', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill('2001-02-01');
    await page.getByLabel('To', { exact: true }).fill('2001-02-28');
    await page.waitForFunction(
      async () => {
        const w = window as unknown as { __loads: number };
        return w.__loads >= 2;
      },
      null,
      { timeout: 30_000 },
    );
    await page.waitForTimeout(200);
    expectShownEqualsTruth(await shown(page), await truth(states, ['2001-02-01', '2001-02-28']));

    const before = await dataLoads(page);
    await page.getByLabel('Date range', { exact: true }).selectOption('all');
    await page.waitForFunction((n) => (window as unknown as { __loads: number }).__loads > n, before, {
      timeout: 30_000,
    });
    expectShownEqualsTruth(await shown(page), await truth(states));
    await page.close();
  });

  it('fetches a chart’s chart type and ECharts with the chart’s own chunk, not after it has loaded and mounted', async () => {
    const manifest = JSON.parse(
      readFileSync(join(DEFAULT_DIST_DIR, 'manifest.json'), 'utf8'),
    ) as EmbedManifest;
    const needed = manifest.modules.BarChart!.lazy;
    expect(needed).toContainEqual(expect.stringMatching(/^chunks\/bar-/));
    const requested = new Map<string, number>();
    let released = Number.POSITIVE_INFINITY;
    const page = await openDemo('acme-west', async (p) => {
      p.on('request', (r) => {
        const file = new URL(r.url()).pathname.replace('/embed/v1/', '');
        if (!requested.has(file)) requested.set(file, Date.now());
      });
      // The bar chart's own chunk arrives late: before, nothing under it could be asked for until then.
      await p.route('**/embed/v1/chunks/BarChart-*.js', async (route) => {
        await new Promise((done) => setTimeout(done, 1500));
        released = Date.now();
        await route.continue();
      });
    });
    for (const file of needed) {
      expect(requested.get(file), file).toBeDefined();
      expect(requested.get(file)!, file).toBeLessThan(released);
    }
    const canvases = await page.evaluate(() => (window as unknown as { __canvases: number[] }).__canvases);
    expect(canvases[0]).toBeGreaterThanOrEqual(2);
    await page.close();
  });
});
