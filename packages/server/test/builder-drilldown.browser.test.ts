import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { parsePresetFiles, readPresetDir } from '../src/presets/parse.js';
import { addPeople, apiOf, signedIn } from './builder-pages.js';
import {
  DETAIL,
  detailDoc,
  OVERVIEW,
  overviewDoc,
  publish,
  UNLINKED,
  unlinkedDoc,
} from './drilldown-fixtures.js';
import { AUTH } from './helpers.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * Drill-down in Chromium against the real server: a host page embeds the states overview with a
 * token; a bar (reached by keyboard, as the chart's table offers it) opens the state's detail in
 * a modal whose number equals SQL for that state; Esc closes it and focus returns to the bar's
 * button; a host can take the drill over; a token for an unlinked dashboard opens nothing.
 * Screenshots `.artifacts/screenshots/builder-drilldown-*.png`.
 */
const SHOTS = '.artifacts/screenshots';
const STATES = ['CA', 'NY', 'NJ'];

let t: StoreTestApp;
let url: string;
let browser: Browser;
let duckdb: Driver;
const api = apiOf(() => t);
const inject = (method: 'GET' | 'PUT' | 'POST', path: string, payload?: object) =>
  t.app.inject({ method, url: path, headers: AUTH, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  t = await storeTestApp('sqlite');
  await addPeople(t);
  await t.store.workspaces.setPresets(
    t.workspaceId,
    parsePresetFiles(await readPresetDir(flightsProjectDir)),
  );
  for (const [name, doc] of [
    [DETAIL, detailDoc()],
    [UNLINKED, unlinkedDoc()],
    [OVERVIEW, overviewDoc()],
  ] as const) {
    const out = await publish(inject, name, doc);
    if (!('version' in out)) throw new Error(JSON.stringify(out));
  }
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  duckdb = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
});
afterAll(async () => {
  await browser?.close();
  await duckdb?.close();
  await t?.close();
});

async function flightsFrom(state: string): Promise<number> {
  const r = await duckdb.query(
    'SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = $1',
    [state],
  );
  return Number(r.rows[0]!.n);
}

const token = async (embeddableId: string) =>
  (
    await api('POST', '/api/v1/security-token', {
      embeddableId,
      user: 'tenant-east-west',
      securityContext: { states: STATES },
    })
  ).token as string;

/** A host page with the overview embedded; resolves once its data is drawn. */
async function hostPage(options: { width?: number; theme?: 'light' | 'dark' } = {}) {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 800 },
    locale: 'en-US',
    ...(options.theme === 'dark' ? { colorScheme: 'dark' as const } : {}),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${url}/healthz`);
  await page.addScriptTag({ type: 'module', url: '/embed/v1/inlay.js' });
  const tok = await token(OVERVIEW);
  await page.evaluate(
    async ({ tok, theme }) => {
      document.body.style.background = theme === 'dark' ? '#0d1117' : '#fff';
      await customElements.whenDefined('inlay-dashboard');
      const el = document.createElement('inlay-dashboard');
      el.setAttribute('token', tok);
      el.setAttribute('client-context', JSON.stringify({ theme }));
      const w = window as unknown as { drills: unknown[]; errors: unknown[] };
      w.drills = [];
      w.errors = [];
      el.addEventListener('inlay:drilldown', (e) => w.drills.push((e as CustomEvent).detail));
      el.addEventListener('embeddableError', (e) => w.errors.push((e as CustomEvent).detail));
      const loaded = new Promise((done) => el.addEventListener('dataLoad', done, { once: true }));
      document.body.replaceChildren(el);
      await loaded;
    },
    { tok, theme: options.theme ?? 'light' },
  );
  return { page, problems, tok, close: () => context.close() };
}

/** The detail KPI's number inside the modal (its screen-reader text, unformatted). */
async function detailNumber(page: Page): Promise<number> {
  const text = await page.evaluate(() => {
    const level = document
      .querySelector('inlay-dashboard')
      ?.shadowRoot?.querySelector('dialog inlay-dashboard');
    const value = level?.shadowRoot?.querySelector('[data-widget-id="detail-count"] .inlay-kpi-value');
    return (value?.querySelector('.inlay-sr-only') ?? value)?.textContent ?? '';
  });
  return /\d/.test(text) ? Number(text.replace(/[^\d.-]/g, '')) : Number.NaN;
}

/** The focused element through open shadow roots: its text. */
const focusedText = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.textContent ?? '';
  });

/** Opens the detail of `state` from the overview's bar chart, by keyboard (the table's row button). */
async function drillInto(page: Page, state: string) {
  const bar = page.getByRole('button', { name: state, exact: true });
  await bar.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'State detail' });
  await dialog.waitFor({ timeout: 15_000 });
  return dialog;
}

describe('drill-down in an embedded dashboard, in Chromium against the real server', () => {
  it('a bar opens the state’s detail in a modal with numbers equal to SQL; Esc closes it and focus returns', async () => {
    const { page, problems, close } = await hostPage();
    const dialog = await drillInto(page, 'NY');
    const ny = await flightsFrom('NY');
    await expect.poll(() => detailNumber(page), { timeout: 30_000 }).toBe(ny);
    expect(ny).not.toBe(await flightsFrom('CA'));
    // Focus moved into the modal (its Close button), which the host was told about.
    expect(await focusedText(page)).toBe('Close');
    expect(await page.evaluate(() => (window as unknown as { drills: unknown[] }).drills)).toEqual([
      {
        dashboard: DETAIL,
        variables: { state: 'NY' },
        from: expect.any(String),
        path: [],
        widgetId: 'by-state',
        event: 'onBarClick',
      },
    ]);
    await page.screenshot({ path: `${SHOTS}/builder-drilldown-light.png` });

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedText(page)).toBe('NY');

    // Again for another state, closed with the visible Close button this time.
    const again = await drillInto(page, 'CA');
    await expect.poll(() => detailNumber(page), { timeout: 30_000 }).toBe(await flightsFrom('CA'));
    await again.getByRole('button', { name: 'Close' }).click();
    await again.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => (window as unknown as { errors: unknown[] }).errors)).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  }, 120_000);

  it('a host that handles inlay:drilldown itself (preventDefault) gets the event and no modal', async () => {
    const { page, close } = await hostPage();
    await page.evaluate(() =>
      document
        .querySelector('inlay-dashboard')!
        .addEventListener('inlay:drilldown', (e) => e.preventDefault()),
    );
    await page.getByRole('button', { name: 'NJ', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        page.evaluate(() => (window as unknown as { drills: { variables: unknown }[] }).drills.length),
      )
      .toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await close();
  }, 60_000);

  it('dark and 375 px: the modal follows the host theme and fits the screen', async () => {
    const dark = await hostPage({ theme: 'dark' });
    await drillInto(dark.page, 'CA');
    await expect.poll(() => detailNumber(dark.page), { timeout: 30_000 }).toBe(await flightsFrom('CA'));
    const background = await dark.page.evaluate(() => {
      const dialog = document.querySelector('inlay-dashboard')!.shadowRoot!.querySelector('dialog')!;
      return getComputedStyle(dialog).backgroundColor;
    });
    expect(background).not.toBe('rgb(255, 255, 255)');
    await dark.page.screenshot({ path: `${SHOTS}/builder-drilldown-dark.png` });
    await dark.close();

    const narrow = await hostPage({ width: 375 });
    await drillInto(narrow.page, 'NY');
    await expect.poll(() => detailNumber(narrow.page), { timeout: 30_000 }).toBe(await flightsFrom('NY'));
    const box = await narrow.page.evaluate(() => {
      const dialog = document.querySelector('inlay-dashboard')!.shadowRoot!.querySelector('dialog')!;
      const r = dialog.getBoundingClientRect();
      return { left: r.left, right: r.right, scrollWidth: document.documentElement.scrollWidth };
    });
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(375);
    await narrow.page.screenshot({ path: `${SHOTS}/builder-drilldown-375.png` });
    await narrow.close();
  }, 120_000);

  it('a token for a dashboard that does not link to the detail cannot open it: 403, no document, no data', async () => {
    const { page, close } = await hostPage();
    const unlinked = await token(UNLINKED);
    const answers = await page.evaluate(
      async ({ tok, target }) => {
        const headers = { authorization: `Bearer ${tok}`, 'x-inlay-drill': target };
        const doc = await fetch('/api/v1/embed/dashboard', { headers });
        const load = await fetch('/api/v1/load', {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ query: { measures: ['flights.count'] } }),
        });
        return [
          { status: doc.status, body: await doc.text() },
          { status: load.status, body: await load.text() },
        ];
      },
      { tok: unlinked, target: DETAIL },
    );
    for (const a of answers) {
      expect(a.status).toBe(403);
      expect(JSON.parse(a.body).errorMessage).toContain(`has no drill-down to '${DETAIL}'`);
      expect(a.body).not.toContain('widgets');
      expect(a.body).not.toContain('"data"');
    }
    await close();
  }, 60_000);

  it('in the editor: the interaction shows its target and mapping, and the canvas preview opens the drill as the chosen customer', async () => {
    const { id } = (await api('GET', `/api/v1/embeddables?search=${OVERVIEW}`)).embeddables[0];
    const { page, problems, close } = await signedIn(browser, url, 'editor');
    await page.goto(`${url}/dashboards/${id}/edit`);
    await page.getByRole('button', { name: 'Select Flights by state' }).click({ timeout: 15_000 });
    expect(await page.getByLabel('When Bar clicked, do', { exact: true }).inputValue()).toBe('DRILLDOWN');
    const target = page.getByLabel('When Bar clicked, open dashboard', { exact: true });
    await expect.poll(() => target.locator('option:checked').textContent()).toBe(`State detail (${DETAIL})`);
    const pass = page.getByLabel('Pass to state', { exact: true });
    await expect.poll(() => pass.inputValue()).toBe('value');
    // Only fitting properties are offered: the bar's value (a string) or the target's default.
    expect(await pass.locator('option').allTextContents()).toEqual([
      'Its default',
      "The bar's category (dimension value)",
    ]);

    // The first preset customer (California): the canvas drills into California's detail.
    const canvasBar = page
      .locator('inlay-component[widget-id="by-state"]')
      .getByRole('button', { name: 'CA', exact: true });
    await canvasBar.focus({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'State detail' });
    await dialog.waitFor({ timeout: 15_000 });
    const number = async () => {
      const text = await dialog
        .locator('[data-widget-id="detail-count"] .inlay-kpi-value')
        .first()
        .textContent();
      return /\d/.test(text ?? '') ? Number((text ?? '').replace(/[^\d.-]/g, '')) : Number.NaN;
    };
    await expect.poll(number, { timeout: 30_000 }).toBe(await flightsFrom('CA'));
    await page.screenshot({ path: `${SHOTS}/builder-drilldown-editor.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(problems).toEqual([]);
    await close();
  }, 120_000);
});
