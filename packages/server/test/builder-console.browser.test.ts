import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { parsePresetFiles, readPresetDir } from '../src/presets/parse.js';
import { KPI_WIDGET } from './builder-fixtures.js';
import { addPeople, apiOf, pageWidth, signedIn } from './builder-pages.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * The editor's developer console in Chromium against the real server: one entry per widget
 * request with its rows (equal to SQL and to what the widget draws) and cache level (`none`, then
 * `l1` when the same query comes again), the SQL of the dry run with the "view as" customer's
 * states bound as parameters, and a broken widget's error with its hint. Screenshots
 * `.artifacts/screenshots/builder-console-*.png`.
 */
const SHOTS = '.artifacts/screenshots';
const TABLE = 'Data requests, newest first';

let t: StoreTestApp;
let url: string;
let browser: Browser;
let duckdb: Driver;
let id: string;
const api = apiOf(() => t);

/** Origins by flight count, a KPI, and a KPI on a misspelt measure (the model does not have it). */
const DOC = {
  title: 'Console check',
  variables: [],
  datasets: [{ name: 'flights', model: 'flights' }],
  widgets: [
    KPI_WIDGET,
    {
      id: 'origins',
      component: 'BarChart',
      position: { x: 4, y: 0 },
      dimensions: { width: 8, height: 4 },
      inputs: [
        { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'flights' },
        {
          input: 'dimension',
          inputType: 'dimension',
          valueType: 'VALUE',
          value: 'flights.origin',
          config: { dataset: 'ds' },
        },
        {
          input: 'measures',
          inputType: 'measure',
          valueType: 'VALUE',
          value: ['flights.count'],
          config: { dataset: 'ds' },
        },
      ],
    },
    {
      ...KPI_WIDGET,
      id: 'broken',
      position: { x: 0, y: 2 },
      inputs: KPI_WIDGET.inputs.map((i) => (i.input === 'measure' ? { ...i, value: 'flights.cuont' } : i)),
    },
  ],
};

beforeAll(async () => {
  // An L1 result cache (tests run without one by default): a repeated query is answered from it.
  t = await storeTestApp('sqlite', { config: { cacheMaxBytes: 16 * 1024 * 1024 } });
  await addPeople(t);
  await t.store.workspaces.setPresets(
    t.workspaceId,
    parsePresetFiles(await readPresetDir(flightsProjectDir)),
  );
  const made = await api('POST', '/api/v1/embeddables', { name: 'console-check', title: 'Console check' });
  id = made.id;
  const base = (await api('GET', `/api/v1/embeddables/${id}`)).draftUpdatedAt;
  await api('PUT', `/api/v1/embeddables/${id}/draft`, { document: DOC, baseUpdatedAt: base });
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  duckdb = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
});
afterAll(async () => {
  await browser?.close();
  await duckdb?.close();
  await t?.close();
});

interface Row {
  widget: string;
  dataset: string;
  status: string;
  cache: string;
  rows: string;
}

/** The console's request rows, newest first (detail rows left out). */
function consoleRows(page: Page): Promise<Row[]> {
  return page.getByRole('table', { name: TABLE }).evaluate((table) =>
    [...table.querySelectorAll('tbody tr.console-row')].map((tr) => {
      const text = (el: Element | null) => (el?.textContent ?? '').trim();
      const [, , status, cache, rows] = [...tr.querySelectorAll('th, td')].map(text);
      const widget = text(tr.querySelector('.console-widget'));
      const dataset = text(tr.querySelector('th .subtitle')).replace(/^dataset /, '');
      return { widget, dataset, status: status!, cache: cache!, rows: rows! };
    }),
  );
}

const ofWidget = (rows: Row[], widget: string) => rows.filter((r) => r.widget === widget);

/** Opens a row's details (the newest of that widget) and gives the detail row. */
async function details(page: Page, widget: string) {
  const button = page.getByRole('button', { name: new RegExp(`^Details of ${widget} at `) }).first();
  await button.click();
  expect(await button.getAttribute('aria-expanded')).toBe('true');
  const detail = page.locator(`#${await button.getAttribute('aria-controls')}`);
  await detail.waitFor();
  return detail;
}

/** How many bars the chart drew (its screen-reader table has a row per category). */
const drawnBars = (page: Page) =>
  page.evaluate(
    () =>
      document
        .querySelector('inlay-component[widget-id="origins"]')
        ?.shadowRoot?.querySelectorAll('table tbody tr').length ?? -1,
  );

async function californianOrigins(): Promise<number> {
  const r = await duckdb.query(
    'SELECT count(DISTINCT f.origin) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = $1',
    ['CA'] as never,
  );
  return Number(r.rows[0]!.n);
}

async function openEditorWithConsole(page: Page) {
  await page.goto(`${url}/dashboards/${id}/edit`);
  const toggle = page.getByRole('button', { name: 'Console' });
  await toggle.waitFor({ timeout: 15_000 });
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  // Keyboard: the toggle is a button in the toolbar's tab order.
  await toggle.focus();
  await page.keyboard.press('Enter');
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  await page.getByRole('region', { name: 'Developer console' }).waitFor();
  // Recorded from the start, open or not: every widget's first request is there.
  await expect
    .poll(
      async () => (await consoleRows(page).catch(() => [])).filter((r) => r.status !== 'Aborted').length,
      {
        timeout: 30_000,
      },
    )
    .toBe(3);
}

describe('the editor’s developer console in Chromium against the real server', () => {
  it('lists every request with rows and cache level, shows SQL with bound parameters and errors with their hint', async () => {
    const { page, problems, close } = await signedIn(browser, url, 'editor');
    await openEditorWithConsole(page);

    // Viewed as the first preset, Acme West: one request per widget.
    const first = await consoleRows(page);
    expect(ofWidget(first, 'kpi')).toEqual([
      { widget: 'kpi', dataset: 'flights', status: 'OK', cache: 'none', rows: '1' },
    ]);
    const origins = await californianOrigins();
    expect(origins).toBeGreaterThan(1);
    expect(ofWidget(first, 'origins')).toEqual([
      { widget: 'origins', dataset: 'flights', status: 'OK', cache: 'none', rows: String(origins) },
    ]);
    await expect.poll(() => drawnBars(page), { timeout: 15_000 }).toBe(origins);
    expect(ofWidget(first, 'broken')).toEqual([
      { widget: 'broken', dataset: 'flights', status: 'Error 400', cache: '–', rows: '–' },
    ]);
    expect(first).toHaveLength(3);

    // The KPI's query, and the SQL the server runs for it as Acme West: the states are parameters.
    const kpi = await details(page, 'kpi');
    const query = JSON.parse(
      (await kpi.getByRole('figure', { name: 'Query' }).locator('pre').textContent()) ?? '',
    );
    expect(query.measures).toEqual(['flights.count']);
    const sql = kpi.getByRole('figure', { name: 'SQL' });
    await expect.poll(() => sql.count(), { timeout: 10_000 }).toBe(1);
    const sqlText = (await sql.locator('pre').textContent()) ?? '';
    expect(sqlText).toMatch(/\bflights\b/i);
    expect(sqlText).toMatch(/\bairports\b/i);
    expect(sqlText).not.toContain("'CA'");
    const params = await kpi
      .getByRole('list', { name: 'Bound parameters' })
      .getByRole('listitem')
      .allTextContents();
    expect(params).toContain("'CA'");
    // The same query through the API as that customer: the rows the console counted.
    const direct = await api('POST', '/api/v1/load', { query, securityContext: { states: ['CA'] } });
    expect(direct.data).toHaveLength(1);

    // The broken widget: the server's message and its hint.
    const broken = await details(page, 'broken');
    const error = broken.locator('.console-error').first();
    // Said once: the hint is taken off the end of the message the server appended it to.
    await expect
      .poll(() => error.locator('p').allTextContents())
      .toEqual([
        "at measures[0]: 'flights.cuont': cube 'flights' has no member 'cuont'. (QUERY_INVALID)",
        "Hint: Did you mean 'count'?",
      ]);
    // The KPI's row folds back; the screenshot shows the console from its top.
    const kpiToggle = page.getByRole('button', { name: /^Details of kpi at / });
    await kpiToggle.click();
    expect(await kpiToggle.getAttribute('aria-expanded')).toBe('false');
    await page.locator('#dev-console').evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/builder-console-light.png`, fullPage: true });

    // Another customer and back: the same query again is answered by the L1 cache.
    const viewAs = page.getByLabel('View as', { exact: true });
    await viewAs.selectOption('Acme East (New York, New Jersey)');
    await expect
      .poll(async () => ofWidget(await consoleRows(page), 'kpi').length, { timeout: 30_000 })
      .toBe(2);
    await viewAs.selectOption('Acme West (California)');
    await expect
      .poll(async () => ofWidget(await consoleRows(page), 'kpi').length, { timeout: 30_000 })
      .toBe(3);
    const again = ofWidget(await consoleRows(page), 'kpi');
    expect(again.map((r) => r.cache)).toEqual(['l1', 'none', 'none']);
    expect(again[0]!.rows).toBe('1');

    // Clear empties it; the toggle hides it.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('No data requests yet').waitFor();
    await page.getByRole('button', { name: 'Console' }).click();
    expect(await page.getByRole('region', { name: 'Developer console' }).count()).toBe(0);
    // The broken widget's 400 is what the browser logs; nothing else may go wrong.
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await close();
  }, 120_000);

  it('dark and at 375 px: the console fits, its rows become cards', async () => {
    const dark = await signedIn(browser, url, 'editor', { colorScheme: 'dark' });
    await openEditorWithConsole(dark.page);
    await details(dark.page, 'broken');
    await dark.page.screenshot({ path: `${SHOTS}/builder-console-dark.png`, fullPage: true });
    await dark.close();

    const narrow = await signedIn(browser, url, 'editor', { viewport: { width: 375, height: 800 } });
    await openEditorWithConsole(narrow.page);
    const kpi = await details(narrow.page, 'kpi');
    await kpi.getByRole('figure', { name: 'SQL' }).waitFor({ timeout: 10_000 });
    expect(await pageWidth(narrow.page)).toBeLessThanOrEqual(375);
    const layout = await narrow.page
      .locator('tr.console-row')
      .first()
      .evaluate((tr) => getComputedStyle(tr).display);
    expect(layout).toBe('block');
    await narrow.page.screenshot({ path: `${SHOTS}/builder-console-375.png`, fullPage: true });
    await narrow.close();
  }, 120_000);
});
