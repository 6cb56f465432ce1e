import { flightsProjectDir } from '@inlay/example-flights';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { parsePresetFiles, readPresetDir } from '../src/presets/parse.js';
import { addPeople, apiOf, signedIn } from './builder-pages.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * The editor without a mouse and across a closing tab, in Chromium against the real server: a
 * component added to a dataset shows data at once (its required members filled in); the keyboard
 * moves and resizes a widget (announced to screen readers, pushing what it lands on down); and a
 * change made just before leaving the page is saved anyway.
 */
const SHOTS = '.artifacts/screenshots';

let t: StoreTestApp;
let url: string;
let browser: Browser;
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
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

type Box = { x: number; y: number; w: number; h: number };
async function layout(id: string): Promise<Record<string, Box>> {
  const saved = await api('GET', `/api/v1/embeddables/${id}`);
  return Object.fromEntries(
    saved.document.widgets.map(
      (w: {
        id: string;
        position: { x: number; y: number };
        dimensions: { width: number; height: number };
      }) => [w.id, { x: w.position.x, y: w.position.y, w: w.dimensions.width, h: w.dimensions.height }],
    ),
  );
}

const saved = (page: Page) =>
  expect.poll(() => page.locator('.save-status').textContent(), { timeout: 10_000 }).toBe('Saved');

describe('the editor with the keyboard, and leaving the page', () => {
  it('adds components that show data at once, moves and resizes them by keyboard, and saves on leaving', async () => {
    await api('POST', '/api/v1/embeddables', { name: 'keys', title: 'Keys' });
    const { page, problems, close } = await signedIn(browser, url, 'editor');
    await page.goto(`${url}/dashboards/keys/edit`);
    await page.getByLabel('Dataset name').fill('flights');
    await page.getByLabel('Model', { exact: true }).selectOption('flights');
    await page.getByRole('button', { name: 'Add dataset' }).click();

    // Added to the only dataset, a KPI already has a measure: its number shows without a choice.
    await page.getByRole('button', { name: 'Add KPI' }).click();
    expect(await page.getByLabel('Measure (required)', { exact: true }).inputValue()).not.toBe('');
    const kpiText = () =>
      page.evaluate(
        () =>
          document
            .querySelector('inlay-component[widget-id="kpi-card"]')
            ?.shadowRoot?.querySelector('.inlay-kpi-value')?.textContent ?? '',
      );
    await expect.poll(kpiText, { timeout: 30_000 }).toMatch(/\d/);
    const all = await kpiText();

    // A filter changed in place: the form takes it back, "Update" replaces it, the KPI follows.
    await page.getByRole('button', { name: 'Dashboard settings' }).click();
    const dataset = page.getByRole('group', { name: /Dataset flights/ });
    await dataset.getByLabel('Filter member').selectOption('flights.origin');
    await dataset.getByLabel('Filter value', { exact: true }).fill('SFO');
    await dataset.getByRole('button', { name: 'Add filter to flights' }).click();
    await expect.poll(kpiText, { timeout: 30_000 }).not.toBe(all);
    const sfo = await kpiText();
    await dataset.getByRole('button', { name: /^Edit filter/ }).click();
    expect(await dataset.getByLabel('Filter value', { exact: true }).inputValue()).toBe('SFO');
    await dataset.getByLabel('Filter value', { exact: true }).fill('LAX');
    await dataset.getByRole('button', { name: 'Update filter of flights' }).click();
    await dataset.getByRole('code').filter({ hasText: 'flights.origin equals ["LAX"]' }).waitFor();
    expect(await dataset.getByRole('code').count()).toBe(1);
    await expect.poll(kpiText, { timeout: 30_000 }).not.toBe(sfo);
    expect(await kpiText()).not.toBe(all);

    // A variable's default changed in place, then cleared.
    await page.getByLabel('Variable name').fill('min_distance');
    await page.getByLabel('Variable type').selectOption('number');
    await page.getByLabel('Default value').fill('100');
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByRole('button', { name: 'Edit variable min_distance' }).click();
    const byDefault = page.getByLabel('Default of min_distance');
    expect(await byDefault.inputValue()).toBe('100');
    await byDefault.fill('five');
    await byDefault.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: 'The default value of min_distance should be a number' })
      .waitFor();
    await byDefault.fill('500');
    await byDefault.press('Enter');
    await page.getByText('default 500').waitFor();
    await saved(page);
    const variable = async () => (await api('GET', '/api/v1/embeddables/keys')).document.variables[0];
    expect(await variable()).toEqual({ name: 'min_distance', type: 'number', defaultValue: 500 });
    await byDefault.fill('');
    await byDefault.press('Enter');
    await saved(page);
    expect(await variable()).toEqual({ name: 'min_distance', type: 'number' });

    // The palette previews a component with the dashboard's data before it is added (nothing added).
    await page.getByRole('button', { name: 'Add Pie / donut chart' }).hover();
    const sample = page.locator('.palette-preview[data-component="PieChart"] inlay-component');
    await expect
      .poll(() => sample.evaluate((el) => el.shadowRoot?.querySelectorAll('canvas').length ?? 0), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/builder-palette-preview.png` });
    await page.mouse.move(700, 20);
    await page.locator('.palette-preview').waitFor({ state: 'detached' });
    expect(await page.locator('.canvas-item').count()).toBe(1);

    await page.getByRole('button', { name: 'Add Bar chart' }).click();
    await page.getByRole('heading', { name: /bar-chart/ }).waitFor();
    await saved(page);
    const before = await layout('keys');
    expect(before['kpi-card']).toMatchObject({ x: 0, y: 0 });
    const bar = before['bar-chart']!;
    expect(bar.y).toBe(before['kpi-card']!.h);

    // The KPI's move button: two steps right, one down lands on the bar chart, which moves under it.
    const handle = page.getByRole('button', { name: 'Move or resize kpi-card' });
    await handle.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const live = page.locator('.canvas-scroll > [aria-live="polite"]');
    await expect
      .poll(() => live.textContent())
      .toMatch(/^kpi-card: column 3, row 2, \d+ columns wide, \d+ rows high\.$/);
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await saved(page);
    const after = await layout('keys');
    const kpi = before['kpi-card']!;
    expect(after['kpi-card']).toEqual({ x: 2, y: 1, w: kpi.w + 1, h: kpi.h + 1 });
    expect(after['bar-chart']!.y).toBe(1 + kpi.h + 1);
    // At the left edge it says so, and nothing changes.
    await page.getByRole('button', { name: 'Move or resize bar-chart' }).focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => live.textContent()).toBe('bar-chart cannot go further that way.');
    // Undo takes a keyboard move back like any other change.
    await page.keyboard.press('Control+Z');
    await saved(page);
    expect((await layout('keys'))['kpi-card']).toEqual({ x: 2, y: 1, w: kpi.w + 1, h: kpi.h });
    await page.screenshot({ path: `${SHOTS}/builder-editor-keys.png`, fullPage: true });

    // A change, then straight away away from the page (before the autosave's pause ends): kept.
    await page.getByRole('button', { name: 'Select kpi-card' }).click();
    await page.getByLabel('Title', { exact: true }).first().fill('Flights now');
    await page.getByLabel('Title', { exact: true }).first().press('Tab');
    page.on('dialog', (d) => void d.accept());
    await page.goto('about:blank');
    await expect
      .poll(
        async () =>
          (await api('GET', '/api/v1/embeddables/keys')).document.widgets[0].inputs.find(
            (i: { input: string }) => i.input === 'title',
          )?.value,
        { timeout: 10_000 },
      )
      .toBe('Flights now');
    expect(problems).toEqual([]);
    await close();
  });
});
