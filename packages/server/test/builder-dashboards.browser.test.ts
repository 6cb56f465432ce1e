import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { KPI_WIDGET } from './builder-fixtures.js';
import { addPeople, apiOf, pageWidth, rows, said, signedIn } from './builder-pages.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * The builder's dashboards pages in Chromium against the real server (store, sessions, roles,
 * CSRF): an editor makes a dashboard, finds it, saves and publishes versions, rolls production
 * back, compares two versions, reads the embed code, duplicates and deletes — through the page
 * only; a viewer sees no change buttons and a dashboard from code as read-only; the New dashboard
 * dialog by keyboard. Screenshots in `.artifacts/screenshots/builder-dashboards-*.png`.
 */
const SHOTS = '.artifacts/screenshots';

/** What the editor canvas (not built yet) will autosave: stands in for it between versions. */
const KPI = KPI_WIDGET;
const DRAFT_1 = {
  title: 'Carrier KPIs',
  variables: [],
  datasets: [{ name: 'flights', model: 'flights' }],
  widgets: [KPI],
};
const DRAFT_2 = {
  ...DRAFT_1,
  title: 'Carrier KPIs, v2',
  widgets: [
    {
      ...KPI,
      position: { x: 4, y: 0 },
      inputs: [KPI.inputs[0], { ...KPI.inputs[1], value: 'flights.avg_delay' }],
    },
    { ...KPI, id: 'flights-count' },
  ],
};

let t: StoreTestApp;
let url: string;
let browser: Browser;
const api = apiOf(() => t);
beforeAll(async () => {
  t = await storeTestApp('sqlite');
  await addPeople(t);
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the builder’s dashboards pages in Chromium against the real server', () => {
  it('an editor makes, finds, versions, publishes, rolls back, compares, embeds, duplicates and deletes', async () => {
    const { page, requests, problems, close } = await signedIn(browser, url, 'editor', {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    expect(await rows(page, 'Dashboards')).toEqual([
      ['flights-overviewFlights overview', 'code (read-only)', 'v1', 'production: v1', '—none', 'Duplicate'],
    ]);

    // New dashboard: a bad name is explained (with a suggestion) before anything is sent.
    await page.getByRole('button', { name: 'New dashboard' }).click();
    const dialog = page.getByRole('dialog', { name: 'New dashboard' });
    await dialog.getByLabel('Name').fill('Carrier KPIs');
    await dialog.getByLabel('Title').fill('Carrier KPIs');
    const posts = () => requests.filter((r) => r.endsWith('/api/v1/embeddables')).length;
    const before = posts();
    await dialog.getByRole('button', { name: 'Create dashboard' }).click();
    expect(await said(page, 'alert', /Try/)).toBe(
      'A name uses lower-case letters, digits, - and _ only, and starts with a letter or digit. Try “carrier-kpis”.',
    );
    expect(await dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Name').fill('carrier-kpis');
    await dialog.getByRole('button', { name: 'Create dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Carrier KPIs' }).waitFor();
    expect(posts()).toBe(before + 1);
    expect(await page.title()).toBe('Carrier KPIs – Inlay');
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    expect(await page.locator('.meta').textContent()).toBe('carrier-kpis builderDraft saved just now');
    expect(await page.getByText('No saved versions yet. Save the draft as v1 to publish it.').count()).toBe(
      1,
    );

    // The list has it, and the search finds it (and only it).
    await page.getByRole('link', { name: '← Dashboards' }).click();
    await page.getByRole('link', { name: 'carrier-kpis' }).waitFor();
    await page.getByLabel('Search dashboards').fill('carrier kpis');
    await said(page, 'status', /1 dashboard match “carrier kpis”/);
    expect((await rows(page, 'Dashboards')).map((r) => r[0])).toEqual(['carrier-kpisCarrier KPIs']);
    expect(requests.some((r) => r.endsWith('/api/v1/embeddables?search=carrier%20kpis'))).toBe(true);
    await page.getByLabel('Search dashboards').fill('no such thing');
    await said(page, 'status', /0 dashboards match/);
    await page.getByLabel('Search dashboards').fill('');
    await said(page, 'status', /^2 dashboards\.$/);
    await page.screenshot({ path: `${SHOTS}/builder-dashboards-list-light.png` });

    // v1 with a description, published to production.
    await page.getByRole('link', { name: 'carrier-kpis' }).click();
    await api('PUT', `/api/v1/embeddables/${id}/draft`, { document: DRAFT_1 });
    const saveVersion = async (description: string, version: string) => {
      await page.getByRole('button', { name: 'Save version' }).click();
      const save = page.getByRole('dialog', { name: `Save the draft as ${version}` });
      await save.getByLabel('Description').fill(description);
      await save.getByRole('button', { name: 'Save version' }).click();
      await said(page, 'status', new RegExp(`Saved ${version}\\.`));
    };
    const publish = async (version: string, action: string, done: string) => {
      await page.getByRole('button', { name: `Publish ${version} to…` }).click();
      await page.getByRole('button', { name: action }).click();
      await said(page, 'status', new RegExp(done));
    };
    await saveVersion('First cut', 'v1');
    await publish('v1', 'Publish v1 to production', 'Published v1 to production.');
    const versionRows = async () => (await rows(page, 'Versions')).map((r) => [r[0], r[2], r[4]]);
    expect(await versionRows()).toEqual([['v1', 'First cut', 'production']]);

    // v2, published; then production rolls back to v1.
    await api('PUT', `/api/v1/embeddables/${id}/draft`, { document: DRAFT_2 });
    await saveVersion('Second cut', 'v2');
    await publish('v2', 'Publish v2 to production', 'Published v2 to production.');
    expect(await versionRows()).toEqual([
      ['v2', 'Second cut', 'production'],
      ['v1', 'First cut', '—none'],
    ]);
    await page.getByRole('button', { name: 'Publish v2 to…' }).click();
    expect(await page.locator('.publish-options:visible li').allTextContents()).toEqual([
      'production is on v2',
      'Publish v2 to staging',
      'Publish v2 to development',
    ]);
    await page.screenshot({ path: `${SHOTS}/builder-dashboards-publish.png` });
    await page.keyboard.press('Escape');
    await publish('v1', 'Roll back production to v1', 'Rolled back production to v1.');
    expect(await versionRows()).toEqual([
      ['v2', 'Second cut', '—none'],
      ['v1', 'First cut', 'production'],
    ]);
    expect((await api('GET', `/api/v1/embeddables/${id}`)).tags).toEqual({ production: 'v1' });
    const download = page.getByRole('link', { name: 'Download v1' });
    expect(await download.getAttribute('href')).toBe(`/api/v1/embeddables/${id}/download?version=v1`);
    expect(await download.getAttribute('download')).toBe('carrier-kpis.embeddable.yml');

    // Compare v1 with v2.
    expect(await page.getByLabel('From version').inputValue()).toBe('v1');
    expect(await page.getByLabel('To version').inputValue()).toBe('v2');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await page.getByRole('heading', { name: 'v1 → v2' }).waitFor();
    expect(await page.locator('.diff').locator('h4, li').allTextContents()).toEqual([
      'Text',
      'title “Carrier KPIs” → “Carrier KPIs, v2”',
      'Widgets',
      'added flights-count',
      'changed kpi: inputs.measure, position.x',
    ]);
    await page.screenshot({ path: `${SHOTS}/builder-dashboards-page.png`, fullPage: true });

    // Embed: the snippets name this dashboard and this server; tabs by arrow keys; Copy.
    await page.getByRole('button', { name: 'Embed' }).click();
    const tabs = page.getByRole('tablist', { name: 'Token request' });
    const shown = async () => (await page.getByRole('tabpanel').locator('pre').textContent()) ?? '';
    expect(await tabs.getByRole('tab', { selected: true }).textContent()).toBe('JavaScript');
    for (const code of [await shown()]) {
      expect(code).toContain(`fetch('${url}/api/v1/security-token'`);
      expect(code).toContain("embeddableId: 'carrier-kpis'");
    }
    await tabs.getByRole('tab', { name: 'JavaScript' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Python');
    expect(await shown()).toContain(`requests.post(\n    "${url}/api/v1/security-token"`);
    expect(await shown()).toContain('"embeddableId": "carrier-kpis"');
    await page.keyboard.press('ArrowRight');
    expect(await tabs.getByRole('tab', { selected: true }).textContent()).toBe('curl');
    const curl = await shown();
    expect(curl).toContain(`curl -s -X POST '${url}/api/v1/security-token'`);
    expect(curl).toContain('"embeddableId":"carrier-kpis"');
    await page.keyboard.press('ArrowRight');
    expect(await tabs.getByRole('tab', { selected: true }).textContent()).toBe('JavaScript');
    await page.keyboard.press('End');
    await page.getByRole('button', { name: 'Copy curl token request' }).click();
    await said(page, 'status', /^Copied$/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      curl.endsWith('\n') ? curl : `${curl}\n`,
    );
    const tags = page.locator('.snippet pre');
    expect(await tags.nth(3).textContent()).toBe(
      `<script type="module" src="${url}/embed/v1/inlay.js"></script>`,
    );
    expect(await tags.nth(4).textContent()).toBe('<inlay-dashboard token="…"></inlay-dashboard>');
    await page.getByRole('heading', { name: 'Embed' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/builder-dashboards-embed.png`, fullPage: true });

    // Duplicate from the list, then delete the copy (the dialog names it).
    await page.getByRole('link', { name: '← Dashboards' }).click();
    await page.getByRole('button', { name: 'Duplicate carrier-kpis' }).click();
    const dup = page.getByRole('dialog', { name: 'Duplicate carrier-kpis' });
    expect(await dup.getByLabel('Name').inputValue()).toBe('carrier-kpis-copy');
    await dup.getByRole('button', { name: 'Duplicate' }).click();
    await said(page, 'status', /Duplicated carrier-kpis as carrier-kpis-copy\./);
    await page.getByRole('link', { name: 'carrier-kpis-copy' }).waitFor();
    await page.getByRole('button', { name: 'Delete carrier-kpis-copy' }).click();
    const del = page.getByRole('dialog', { name: 'Delete carrier-kpis-copy?' });
    expect(await del.textContent()).toContain('Carrier KPIs, v2 (carrier-kpis-copy)');
    await del.getByRole('button', { name: 'Delete dashboard' }).click();
    await said(page, 'status', /Deleted carrier-kpis-copy\./);
    await page.getByRole('link', { name: 'carrier-kpis-copy' }).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('dashboard-search');
    const list = (await api('GET', '/api/v1/embeddables')).embeddables.map((d: { name: string }) => d.name);
    expect(list).toEqual(['carrier-kpis', 'flights-overview']);

    expect(requests.filter((r) => !r.startsWith(url))).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  });

  it('a viewer sees no change buttons; a dashboard from code is read-only; dark and 375 px', async () => {
    const { page, problems, close } = await signedIn(browser, url, 'viewer', { colorScheme: 'dark' });
    expect(await page.getByRole('button', { name: /New dashboard|Duplicate|Delete/ }).count()).toBe(0);
    expect((await rows(page, 'Dashboards')).map((r) => r.length)).toEqual([5, 5]);
    await page.screenshot({ path: `${SHOTS}/builder-dashboards-list-dark.png` });

    await page.getByRole('link', { name: 'flights-overview' }).click();
    await page.getByRole('heading', { level: 1, name: 'Flights overview' }).waitFor();
    expect(await page.locator('.read-only').textContent()).toBe(
      'From code: read-only here — change its *.embeddable.yml and push, or duplicate it.',
    );
    expect(await page.getByRole('button', { name: /Save version|Publish|Duplicate/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Download v1' }).count()).toBe(1);
    // A builder dashboard: still nothing to change for a viewer.
    await page.goto(`${url}/dashboards/carrier-kpis`);
    await page.getByRole('heading', { level: 1, name: 'Carrier KPIs, v2' }).waitFor();
    expect(await page.getByRole('button', { name: /Save version|Publish|Duplicate/ }).count()).toBe(0);
    expect(problems).toEqual([]);
    await close();

    const narrow = await signedIn(browser, url, 'editor', {
      viewport: { width: 375, height: 740 },
      isMobile: true,
    });
    expect(await pageWidth(narrow.page)).toBeLessThanOrEqual(375);
    await narrow.page.screenshot({ path: `${SHOTS}/builder-dashboards-375.png`, fullPage: true });
    await narrow.page.getByRole('link', { name: 'carrier-kpis' }).click();
    await narrow.page.getByRole('heading', { level: 1, name: 'Carrier KPIs, v2' }).waitFor();
    await narrow.page.getByRole('button', { name: 'Embed' }).click();
    expect(await pageWidth(narrow.page)).toBeLessThanOrEqual(375);
    await narrow.page.screenshot({ path: `${SHOTS}/builder-dashboards-page-375.png`, fullPage: true });
    await narrow.close();
  });

  it('the New dashboard dialog opens, fills and submits with the keyboard only; Escape closes it', async () => {
    const { page, close } = await signedIn(browser, url, 'editor');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement;
        return el.labels?.[0]?.textContent ?? el.textContent;
      });
    // Focus starts on the page's heading: Tab reaches the search box, then the button.
    expect(await focused()).toBe('Dashboards');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Search dashboards');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('New dashboard');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'New dashboard' }).waitFor();
    expect(await focused()).toBe('Name');
    await page.keyboard.type('Not A Slug');
    await page.keyboard.press('Enter');
    await said(page, 'alert', /Try “not-a-slug”/);
    await page.screenshot({ path: `${SHOTS}/builder-dashboards-dialog.png` });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await focused()).toBe('New dashboard');

    // Escape and at once Enter: the dialog is open again (the late `close` event does not shut it).
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'New dashboard' }).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'New dashboard' }).waitFor();
    await page.waitForTimeout(300);
    expect(await page.getByRole('dialog', { name: 'New dashboard' }).isVisible()).toBe(true);
    expect(await focused()).toBe('Name');
    await page.keyboard.type('made-by-keyboard');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Title');
    await page.keyboard.type('Made by keyboard');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Made by keyboard' }).waitFor();
    expect(await focused()).toBe('Made by keyboard');
    expect((await api('GET', '/api/v1/embeddables?search=made-by-keyboard')).embeddables).toHaveLength(1);
    await close();
  });
});
