import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { addPeople, signedIn } from './builder-pages.js';
import { multipart, tarGz } from './bundle-helpers.js';
import { fakeBuild } from './components-fixtures.js';
import { AUTH } from './helpers.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * The builder with a workspace's own components, in Chromium against the real server: the
 * palette lists a pushed component beside the standard ones, and the canvas previews it with the
 * workspace's current components version (a later push shows on the next opening).
 */
let t: StoreTestApp;
let url: string;
let browser: Browser;
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

async function push(text: string): Promise<void> {
  const build = fakeBuild([{ name: 'Revenue', text }]);
  const m = multipart(await tarGz(build.entries), { pushModels: false });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/bundle/upload',
    headers: { ...AUTH, ...m.headers },
    payload: m.payload,
  });
  expect(res.statusCode, res.body).toBe(200);
}

describe('the builder with workspace components', () => {
  it('the palette offers a pushed component and the canvas previews the current build of it', async () => {
    await push('first');
    const { page, problems, close } = await signedIn(browser, url, 'editor');
    try {
      await page.getByRole('button', { name: 'New dashboard' }).click();
      const dialog = page.getByRole('dialog', { name: 'New dashboard' });
      await dialog.getByLabel('Name').fill('custom');
      await dialog.getByRole('button', { name: 'Create dashboard' }).click();
      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      // Beside the standard components, in its own category.
      await page.getByRole('button', { name: 'Add KPI' }).waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Add Revenue label' }).click();
      const shown = page.locator('inlay-component .custom');
      await expect.poll(() => shown.textContent(), { timeout: 30_000 }).toBe('custom: first');

      // A new push is what the builder previews next time the editor opens.
      await push('second');
      await page.reload();
      await expect.poll(() => shown.textContent(), { timeout: 30_000 }).toBe('custom: second');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);
});
