import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../scripts/chromium.js';
import { type TempProject, tempProject } from '../build/project.js';
import { type DevSession, startDev } from './dev-session.js';

/**
 * The builder under `inlay dev`, in Chromium: saving the project's component re-renders the
 * widget on the editor's canvas in place — no navigation (a value set on `window` survives), the
 * selection kept — and a broken save shows the problems in a banner until the next good build.
 */

const SHOTS = '.artifacts/screenshots';
const COMPONENT = 'components/FlightCount.tsx';
const EMAIL = 'dev@example.com';
const PASSWORD = 'a long passphrase for the developer';

let project: TempProject;
let dev: DevSession;
let browser: Browser;
let page: Page;
const problems: string[] = [];
let navigations = 0;

/** The custom widget on the canvas (Playwright's locators pierce the runtime's open shadow root). */
const widget = () => page.locator('.canvas inlay-component[widget-id="count"]');

beforeAll(async () => {
  project = tempProject();
  dev = await startDev(project.dir, ['--no-type-check'], {
    INLAY_ADMIN_EMAIL: EMAIL,
    INLAY_ADMIN_PASSWORD: PASSWORD,
  });
  // A builder copy of the fixture's dashboard from code, so the editor is editable (selection, undo).
  const { embeddables } = await dev.api<{ embeddables: { id: string; name: string }[] }>(
    '/api/v1/embeddables',
  );
  const code = embeddables.find((d) => d.name === 'trips-custom')!;
  const copy = await dev.api<{ id: string }>(`/api/v1/embeddables/${code.id}/duplicate`, 'POST', {
    name: 'trips-dev',
  });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${dev.url}/`);
  await page.getByLabel('Email', { exact: true }).fill(EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboards' }).waitFor({ timeout: 15_000 });
  // The signed-out page's session check answered 401 (expected): only what comes after counts.
  problems.length = 0;
  await page.goto(`${dev.url}/dashboards/${encodeURIComponent(copy.id)}/edit`);
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) navigations++;
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  project?.remove();
});

describe('the builder under inlay dev', () => {
  it('re-renders a saved component in place, the page and the selection kept', async () => {
    await widget().getByRole('heading', { name: 'Trips', exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Select Trips' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Select Trips' }).getAttribute('aria-pressed'))
      .toBe('true');
    await page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 1;
    });

    project.edit(COMPONENT, "<h3>{title ?? 'Flights'}</h3>", "<h3>{title ?? 'Flights'} (saved)</h3>");
    await widget().getByRole('heading', { name: 'Trips (saved)' }).waitFor({ timeout: 20_000 });
    // The number is loaded again too, by the new component.
    await expect.poll(() => widget().locator('.flight-count-value').textContent()).toMatch(/^\d+$/);

    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
    expect(navigations).toBe(0);
    expect(await page.getByRole('button', { name: 'Select Trips' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await page.getByRole('alert', { name: 'Build problems' }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/inlay-dev-reloaded.png`, fullPage: true });
  }, 60_000);

  it('shows a broken save in a banner with file:line, keeps the last good widget, clears on the fix', async () => {
    project.edit(COMPONENT, '<h3>', '<h3 {');
    const line = project.lineOf(COMPONENT, '<h3 {');
    const banner = page.getByRole('alert', { name: 'Build problems' });
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toContain(`${COMPONENT}:${line}`);
    expect(await widget().getByRole('heading', { name: 'Trips (saved)' }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/inlay-dev-error-banner.png`, fullPage: true });

    project.edit(COMPONENT, '<h3 {', '<h3>');
    project.edit(COMPONENT, '(saved)', '(fixed)');
    await widget().getByRole('heading', { name: 'Trips (fixed)' }).waitFor({ timeout: 20_000 });
    await banner.waitFor({ state: 'detached', timeout: 5_000 });
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
    expect(navigations).toBe(0);
  }, 60_000);

  it('the banner can be dismissed', async () => {
    project.edit(COMPONENT, '<h3>', '<h3 {');
    const banner = page.getByRole('alert', { name: 'Build problems' });
    await banner.waitFor({ timeout: 20_000 });
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached', timeout: 5_000 });
    expect(problems).toEqual([]);
  }, 60_000);
});
