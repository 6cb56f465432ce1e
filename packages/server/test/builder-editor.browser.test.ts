import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { parsePresetFiles, readPresetDir } from '../src/presets/parse.js';
import { addPeople, apiOf, pageWidth, said, signedIn } from './builder-pages.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * The builder's editor in Chromium against the real server, through the page only: an editor
 * makes a dashboard from nothing (a dataset filtered by a variable, a KPI, a bar chart, a
 * date-range picker that sets the variable), views it as two customers (the KPI equals SQL for
 * each), picks a custom range (the KPI follows), undoes and redoes, and finds the autosaved draft
 * after a reload. A viewer gets the read-only preview. Screenshots
 * `.artifacts/screenshots/builder-editor-*.png`.
 */
const SHOTS = '.artifacts/screenshots';

let t: StoreTestApp;
let url: string;
let browser: Browser;
let duckdb: Driver;
const api = apiOf(() => t);
beforeAll(async () => {
  t = await storeTestApp('sqlite');
  await addPeople(t);
  await t.store.workspaces.setPresets(
    t.workspaceId,
    parsePresetFiles(await readPresetDir(flightsProjectDir)),
  );
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  duckdb = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
});
afterAll(async () => {
  await browser?.close();
  await duckdb?.close();
  await t?.close();
});

async function flights(states: string[], range?: [string, string]): Promise<number> {
  const params: string[] = [...states];
  let where = `a.state IN (${states.map((_, i) => `$${i + 1}`).join(', ')})`;
  if (range) {
    params.push(range[0], range[1]);
    where += ` AND f.date >= CAST($${states.length + 1} AS DATE) AND f.date < CAST($${states.length + 2} AS DATE) + INTERVAL 1 DAY`;
  }
  const r = await duckdb.query(
    `SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE ${where}`,
    params as never,
  );
  return Number(r.rows[0]!.n);
}

/** The KPI's number as the runtime shows it inside the canvas (its screen-reader text, unformatted). */
async function kpi(page: Page): Promise<number> {
  const text = await page.evaluate(() => {
    const el = document.querySelector('inlay-component[widget-id="kpi-card"]');
    const value = el?.shadowRoot?.querySelector('.inlay-kpi-value');
    return (value?.querySelector('.inlay-sr-only') ?? value)?.textContent ?? '';
  });
  return /\d/.test(text) ? Number(text.replace(/[^\d.-]/g, '')) : Number.NaN;
}

const select = (page: Page, label: string, value: string | string[]) =>
  page.getByLabel(label, { exact: true }).selectOption(value);

describe('the builder’s editor in Chromium against the real server', () => {
  it('an editor builds a dashboard, previews it as two customers, undoes, redoes and finds it autosaved', async () => {
    const { page, requests, problems, close } = await signedIn(browser, url, 'editor');
    await page.getByRole('button', { name: 'New dashboard' }).click();
    const dialog = page.getByRole('dialog', { name: 'New dashboard' });
    await dialog.getByLabel('Name').fill('states');
    await dialog.getByLabel('Title').fill('Flights by state');
    await dialog.getByRole('button', { name: 'Create dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Flights by state' }).waitFor();
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('button', { name: 'Add KPI' }).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe(`/dashboards/${id}/edit`);
    expect(await page.title()).toBe('Edit Flights by state – Inlay');

    // The dataset, the variable, and the dataset's filter on it.
    await page.getByLabel('Dataset name').fill('flights');
    await select(page, 'Model', 'flights');
    await page.getByRole('button', { name: 'Add dataset' }).click();
    await page.getByLabel('Variable name').fill('date_range');
    await select(page, 'Variable type', 'timeRange');
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByRole('list', { name: 'Variables' }).getByText('date_range', { exact: true }).waitFor();
    const dataset = page.getByRole('group', { name: /Dataset flights/ });
    await select(page, 'Filter member', 'flights.date');
    await select(page, 'Filter operator', 'inDateRange');
    await select(page, 'Filter value from', 'date_range');
    await dataset.getByRole('button', { name: 'Add filter to flights' }).click();
    await dataset
      .getByRole('code')
      .filter({ hasText: 'flights.date inDateRange variable date_range' })
      .waitFor();
    // A variable in use cannot go: the panel says where it is used.
    await page.getByRole('button', { name: 'Remove variable date_range' }).click();
    expect(await said(page, 'alert', /in use|used by/)).toBe(
      "That change was not made: variable 'date_range' is used by dataset flights.",
    );

    // A KPI (its dataset is the only one), a bar chart and a date-range picker that sets the variable.
    await page.getByRole('button', { name: 'Add KPI' }).click();
    await page.getByRole('heading', { name: /kpi-card/ }).waitFor();
    await select(page, 'Measure (required)', 'flights.count');
    await page.getByRole('button', { name: 'Add Bar chart' }).click();
    await page.getByRole('heading', { name: /bar-chart/ }).waitFor();
    await select(page, 'Dimension (required)', 'airports.state');
    await select(page, 'Measures (required)', ['flights.count']);
    await page.getByRole('button', { name: 'Add Date range picker' }).click();
    await page.getByRole('heading', { name: /date-range-picker/ }).waitFor();
    await select(page, 'When Range changed, set variable', 'date_range');

    // Each customer sees their own number, equal to SQL.
    await select(page, 'View as', 'Acme West (California)');
    const west = await flights(['CA']);
    await expect.poll(() => kpi(page), { timeout: 30_000 }).toBe(west);
    await select(page, 'View as', 'Acme East (New York, New Jersey)');
    const east = await flights(['NY', 'NJ']);
    expect(east).not.toBe(west);
    await expect.poll(() => kpi(page), { timeout: 30_000 }).toBe(east);

    // A custom range in the picker: the KPI follows (the dataset's filter reads the variable).
    const picker = page.locator('inlay-component[widget-id="date-range-picker"]');
    await picker.getByLabel('Date range').selectOption('custom');
    await picker.getByLabel('From').fill('2001-02-01');
    await picker.getByLabel('To').fill('2001-02-28');
    const february = await flights(['NY', 'NJ'], ['2001-02-01', '2001-02-28']);
    expect(february).toBeLessThan(east);
    await expect.poll(() => kpi(page), { timeout: 30_000 }).toBe(february);

    // Undo takes the last change back (the event), redo (by keyboard) brings it back.
    const event = page.getByLabel('When Range changed, set variable', { exact: true });
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => event.inputValue()).toBe('');
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => event.inputValue()).toBe('date_range');
    await page.keyboard.press('Control+Z');
    await expect.poll(() => event.inputValue()).toBe('');
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => event.inputValue()).toBe('date_range');

    // Keyboard selection: each widget has its own button.
    await page.getByRole('button', { name: 'Select kpi-card' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /kpi-card/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Select kpi-card' }).getAttribute('aria-pressed')).toBe(
      'true',
    );

    await expect.poll(() => page.locator('.save-status').textContent(), { timeout: 10_000 }).toBe('Saved');
    await page.screenshot({ path: `${SHOTS}/builder-editor-light.png`, fullPage: true });
    const saved = await api('GET', `/api/v1/embeddables/${id}`);
    expect(saved.documentFrom).toBe('draft');
    expect(saved.document.datasets).toEqual([
      {
        name: 'flights',
        model: 'flights',
        filters: [
          { member: 'flights.date', operator: 'inDateRange', value: 'date_range', valueType: 'VARIABLE' },
        ],
      },
      // Added with the bar chart's joined member (the origin airport's state).
      { name: 'airports', model: 'airports' },
    ]);
    expect(saved.document.widgets.map((w: { id: string }) => w.id)).toEqual([
      'kpi-card',
      'bar-chart',
      'date-range-picker',
    ]);
    expect(saved.document.widgets[2].events).toEqual([
      {
        event: 'onChange',
        action: 'SET_VARIABLE',
        config: { variable: 'date_range', sourceType: 'EVENT_PROPERTY', sourceValue: 'value' },
      },
    ]);
    expect(requests.filter((r) => r.endsWith(`/api/v1/embeddables/${id}/draft`)).length).toBeGreaterThan(0);

    // A reload opens the autosaved draft.
    await page.reload();
    await page.getByRole('button', { name: 'Select bar-chart' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Select date-range-picker' }).waitFor();
    await select(page, 'View as', 'Acme West (California)');
    await expect.poll(() => kpi(page), { timeout: 30_000 }).toBe(west);

    // Done flushes the autosave and goes back to the dashboard's page.
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { level: 1, name: 'Flights by state' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/dashboards/${id}`);
    expect(problems).toEqual([]);
    await close();

    // Dark and at 375 px: the panels stack and only the grid scrolls sideways.
    const dark = await signedIn(browser, url, 'editor', { colorScheme: 'dark' });
    await dark.page.goto(`${url}/dashboards/${id}/edit`);
    await dark.page.getByRole('button', { name: 'Select kpi-card' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => kpi(dark.page), { timeout: 30_000 }).not.toBeNaN();
    await dark.page.screenshot({ path: `${SHOTS}/builder-editor-dark.png`, fullPage: true });
    await dark.close();
    const narrow = await signedIn(browser, url, 'editor', { viewport: { width: 375, height: 800 } });
    await narrow.page.goto(`${url}/dashboards/${id}/edit`);
    await narrow.page.getByRole('button', { name: 'Select kpi-card' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => kpi(narrow.page), { timeout: 30_000 }).not.toBeNaN();
    expect(await pageWidth(narrow.page)).toBeLessThanOrEqual(375);
    await narrow.page.screenshot({ path: `${SHOTS}/builder-editor-375.png`, fullPage: true });
    await narrow.close();
  }, 180_000);

  it('a viewer opening the editor gets the read-only preview: no palette, no panels, no saving', async () => {
    const id = (await api('GET', '/api/v1/embeddables?search=states')).embeddables[0].id;
    const { page, requests, close } = await signedIn(browser, url, 'viewer');
    await page.goto(`${url}/dashboards/${id}/edit`);
    await page.getByRole('heading', { level: 1, name: /read-only preview/ }).waitFor({ timeout: 15_000 });
    await page.locator('inlay-component[widget-id="kpi-card"]').waitFor();
    await expect.poll(() => kpi(page), { timeout: 30_000 }).not.toBeNaN();
    expect(await page.getByRole('button', { name: /^Add / }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Select / }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    expect(requests.some((r) => r.endsWith('/draft'))).toBe(false);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('link', { name: 'Preview', exact: true }).waitFor();
    await close();
  });

  it('saved and published to production, the dashboard embedded with tokens shows each tenant their numbers and follows the date range', async () => {
    const { id, name } = (await api('GET', '/api/v1/embeddables?search=states')).embeddables[0];
    const { page, close } = await signedIn(browser, url, 'editor');
    await page.goto(`${url}/dashboards/${id}`);
    await page.getByRole('button', { name: 'Save version' }).click();
    const save = page.getByRole('dialog', { name: 'Save the draft as v1' });
    await save.getByLabel('Description').fill('KPI, states and a date range');
    await save.getByRole('button', { name: 'Save version' }).click();
    await said(page, 'status', /Saved v1\./);
    await page.getByRole('button', { name: 'Publish v1 to…' }).click();
    await page.getByRole('button', { name: 'Publish v1 to production' }).click();
    await said(page, 'status', /Published v1 to production\./);
    await close();

    // The host product: its backend mints a token per tenant; its page shows <inlay-dashboard>.
    const host = await browser.newPage();
    await host.goto(`${url}/healthz`);
    await host.addScriptTag({ type: 'module', url: '/embed/v1/inlay.js' });
    const embedded = async (states: string[], variables?: unknown): Promise<number> => {
      const { token } = await api('POST', '/api/v1/security-token', {
        embeddableId: name,
        user: `tenant-${states.join('-')}`,
        securityContext: { states },
      });
      await host.evaluate(
        async ({ token, variables }) => {
          await customElements.whenDefined('inlay-dashboard');
          const el = document.createElement('inlay-dashboard');
          el.setAttribute('token', token);
          if (variables) el.setAttribute('variables', JSON.stringify(variables));
          const loaded = new Promise((done) => el.addEventListener('dataLoad', done, { once: true }));
          document.body.replaceChildren(el);
          await loaded;
        },
        { token, variables },
      );
      const text = await host.evaluate(() => {
        const value = document
          .querySelector('inlay-dashboard')
          ?.shadowRoot?.querySelector('[data-widget-id="kpi-card"] .inlay-kpi-value');
        return (value?.querySelector('.inlay-sr-only') ?? value)?.textContent ?? '';
      });
      return Number(text.replace(/[^\d.-]/g, ''));
    };
    const west = await embedded(['CA']);
    const east = await embedded(['NY', 'NJ']);
    expect(west).toBe(await flights(['CA']));
    expect(east).toBe(await flights(['NY', 'NJ']));
    expect(east).not.toBe(west);
    const february = await embedded(['NY', 'NJ'], { date_range: { from: '2001-02-01', to: '2001-02-28' } });
    expect(february).toBe(await flights(['NY', 'NJ'], ['2001-02-01', '2001-02-28']));
    await host.close();
  }, 120_000);
});
