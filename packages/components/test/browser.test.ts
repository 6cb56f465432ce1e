import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../../../scripts/chromium.js';
import { buildSmoke, type ChunkSize } from './browser/build.js';

// Chromium smoke test of the standard components, bundled on preact/compat as embeds run them.
// Also bundled on React 19 once. Served with a CSP without 'unsafe-eval'. Screenshots go to .artifacts/screenshots/components-*.png.
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing (.ci/run installs it)`);
const shots = path.resolve('.artifacts/screenshots');

let dir: string;
let server: Server;
let base: string;
let browser: Browser;
let sizes: ChunkSize[];
const requested: string[] = [];

describe.skipIf(!hasChromium)('standard components in Chromium (preact/compat)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'inlay-components-'));
    sizes = await buildSmoke(path.join(dir, 'preact'));
    await buildSmoke(path.join(dir, 'react'), 'react');
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requested.push(url.pathname);
      if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
      const file = path.join(
        dir,
        path.normalize(url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname),
      );
      if (!file.startsWith(dir)) return void res.writeHead(403).end();
      try {
        const body = await readFile(file);
        const type = file.endsWith('.html') ? 'text/html' : 'text/javascript';
        // The embed's CSP: no eval, nothing from other origins.
        res.writeHead(200, {
          'content-type': type,
          'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'",
        });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    await mkdir(shots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(
    query: string,
    width = 1200,
    react = 'preact',
  ): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${base}/${react}/?${query}`);
    await page.waitForFunction(() => (window as { __ready?: boolean }).__ready === true);
    return { page, errors };
  }

  /** Text of a widget's accessible table (inside its shadow root; Playwright pierces it). */
  const srRows = (page: Page, id: string) =>
    page
      .locator(`[data-id="${id}"] table.inlay-sr-only tr`)
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));

  it('chunks: ECharts only in chart chunks, each component its own', () => {
    const table = sizes
      .map(
        (s) =>
          `${s.file.padEnd(34)} ${(s.gzip / 1024).toFixed(1).padStart(6)} KB gz ${s.echarts ? 'echarts ' : ''}${s.components.join(',')}`,
      )
      .join('\n');
    console.log(`smoke bundle (preact/compat):\n${table}`);
    const echartsChunks = sizes.filter((s) => s.echarts);
    const kpi = sizes.find((s) => s.components.includes('KpiCard'))!;
    expect(kpi.echarts).toBe(false);
    // The shared core, then one chunk each for bar, line and pie.
    expect(echartsChunks.length).toBeGreaterThanOrEqual(4);
    for (const c of [
      'KpiCard',
      'Table',
      'DateRangePicker',
      'Dropdown',
      'Text',
      'PivotTable',
      'GranularityPicker',
    ])
      expect(sizes.find((s) => s.components.includes(c))?.echarts).toBe(false);
  });

  it('a KPI-only page loads no ECharts code', async () => {
    requested.length = 0;
    const { page, errors } = await open('only=KpiCard');
    await page.locator('[data-id="kpi-flights"] .inlay-kpi-value').waitFor();
    const echartsFiles = new Set(sizes.filter((s) => s.echarts).map((s) => `/preact/${s.file}`));
    expect(requested.some((r) => r.startsWith('/preact/chunks/KpiCard-'))).toBe(true);
    expect(requested.filter((r) => echartsFiles.has(r))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const [name, query, width] of [
    ['light', 'theme=light', 1200],
    ['dark', 'theme=dark', 1200],
    ['375', 'theme=light', 375],
  ] as const) {
    it(`renders every widget (${name}), charts drawn, numbers in accessible tables`, async () => {
      const { page, errors } = await open(query, width);
      await page.locator('[data-id="bar-states"] canvas').waitFor();
      await page.locator('[data-id="line-weeks"] canvas').waitFor();
      await page.locator('[data-id="pie-states"] canvas').waitFor();
      await page.locator('[data-id="heatmap-states"] canvas').first().waitFor();
      await page.locator('[data-id="scatter-states"] canvas').first().waitFor();
      await page.waitForTimeout(500); // the charts' entry animation
      expect((await srRows(page, 'bar-states'))[1]).toEqual(['CA', '62,811']);
      expect((await srRows(page, 'line-weeks'))[1]).toEqual(['Jan 1, 2001', '17%']);
      expect(await page.locator('[data-id="kpi-flights"] .inlay-kpi-value').textContent()).toBe('231,718');
      expect((await srRows(page, 'pie-states'))[1]).toEqual(['CA', '62,811']);
      expect(await page.locator('[data-id="dropdown-states"] input:checked').count()).toBe(2);
      expect(await page.locator('[data-id="table-destinations"] tbody tr').count()).toBe(10);
      expect(await page.locator('[data-id="line-error"] [role="alert"]').textContent()).toContain(
        'did not answer',
      );
      // The canvas has painted pixels (not blank).
      const painted = await page
        .locator('[data-id="bar-states"] canvas')
        .first()
        .evaluate((c: HTMLCanvasElement) => {
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
          return n;
        });
      expect(painted).toBeGreaterThan(1000);
      await page.screenshot({ path: path.join(shots, `components-${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('the same components run on React 19 (the bundle without the preact alias)', async () => {
    const { page, errors } = await open('theme=light', 1200, 'react');
    await page.locator('[data-id="bar-states"] canvas').waitFor();
    expect((await srRows(page, 'bar-states'))[2]).toEqual(['TX', '51,344']);
    expect(await page.locator('[data-id="table-destinations"] tbody tr').count()).toBe(10);
    await page.locator('[data-id="heatmap-states"] canvas').first().waitFor();
    expect((await srRows(page, 'heatmap-states'))[0]).toEqual([
      'Origin airports state',
      'Jan 2001',
      'Feb 2001',
      'Mar 2001',
    ]);
    expect((await srRows(page, 'scatter-states'))[1]).toEqual(['CA', '62,811', '9.81']);
    expect(await page.locator('[data-id="pivot-states"] tbody tr').count()).toBe(4);
    expect(await page.locator('[data-id="kpi-compare"] .inlay-kpi-delta').textContent()).toBe('▼ 9.3%');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the keyboard reaches and works the table sort and the date range picker', async () => {
    const { page, errors } = await open('only=Table,DateRangePicker');
    const sortButton = page.locator('[data-id="table-destinations"] thead button').first();
    await sortButton.focus();
    expect(await sortButton.evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b)).toBe(true);
    await page.keyboard.press('Tab');
    const focused = await page
      .locator('[data-id="table-destinations"]')
      .evaluate((h) => h.shadowRoot?.activeElement?.textContent);
    expect(focused).toContain('Flights count');
    const select = page.locator('[data-id="date-range"] select');
    await select.focus();
    await select.selectOption('last 30 days');
    expect(await select.inputValue()).toBe('last 30 days');
    expect(errors).toEqual([]);
    await page.close();
  });
});
