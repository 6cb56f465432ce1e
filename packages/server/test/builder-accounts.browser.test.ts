import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { ensureFirstAdmin } from '../src/accounts/bootstrap.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * The builder's accounts end to end, as a new user meets them: the real server (store, sign-up
 * links, sessions, CSRF) and the real page in Chromium. The first start's link creates the admin,
 * who sees the workspace's dashboards, signs out, is refused a wrong password, signs in again.
 */
const PASSWORD = 'a long passphrase for the admin';

let t: StoreTestApp;
let url: string;
let browser: Browser;
beforeAll(async () => {
  t = await storeTestApp('sqlite');
  await t.store.dashboards.save(
    t.workspaceId,
    'flights-overview',
    {
      name: 'flights-overview',
      title: 'Flights overview',
      variables: [],
      datasets: [],
      widgets: [],
    } as never,
    null,
  );
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

describe('builder accounts in Chromium against the real server', () => {
  it('the first-admin link creates the account; the admin sees the dashboards, signs out and back in', async () => {
    const first = await ensureFirstAdmin(t.store, t.workspaceId, undefined);
    if (first.kind !== 'link') throw new Error(`expected a sign-up link, got ${first.kind}`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });

    await page.goto(`${url}/sign-up?token=${first.token}`);
    await field(page, 'Email').fill('Admin@Example.com');
    await field(page, 'Password').fill(PASSWORD);
    await field(page, 'Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    const banner = page.getByRole('banner');
    await banner.getByText('admin@example.com').waitFor({ timeout: 15_000 });
    await page.getByRole('table', { name: 'Dashboards' }).getByText('flights-overview').waitFor();
    // The token left the address bar; the session lives in an HttpOnly cookie the page cannot read.
    expect(page.url()).not.toContain('token=');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'inlay_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await field(page, 'Email').fill('admin@example.com');
    await field(page, 'Password').fill('not the passphrase');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /wrong email or password/i })
      .waitFor();

    await field(page, 'Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await banner.getByText('admin@example.com').waitFor({ timeout: 15_000 });
    // Still signed in after a reload.
    await page.reload();
    await page.getByRole('table', { name: 'Dashboards' }).getByText('flights-overview').waitFor();
    mkdirSync('.artifacts/screenshots', { recursive: true });
    await page.screenshot({ path: '.artifacts/screenshots/builder-signed-in-real-server.png' });
    expect(foreign).toEqual([]);

    // The link was spent.
    const reuse = await page.request.post(`${url}/api/v1/auth/sign-up`, {
      data: { token: first.token, email: 'someone@example.com', password: PASSWORD },
    });
    expect(reuse.status()).toBe(401);
    await page.close();
  });

  it('a page on another site cannot change anything with the admin’s cookie', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    await field(page, 'Email').fill('admin@example.com');
    await field(page, 'Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 15_000 });

    // Another origin (127.0.0.1 vs localhost) posts a form to the API with the cookie attached.
    const evil = url.replace('127.0.0.1', 'localhost');
    await page.goto(`${evil}/healthz`);
    const status = await page.evaluate(async (target) => {
      const res = await fetch(`${target}/api/v1/users/invitations`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ email: 'mallory@example.com', role: 'admin' }),
      }).catch(() => undefined);
      return res ? res.status : 'blocked';
    }, url);
    expect(status === 'blocked' || status === 401 || status === 403).toBe(true);
    const users = await t.store.users.list(t.workspaceId, { includeDisabled: true });
    expect(users.map((u) => u.email)).not.toContain('mallory@example.com');
    expect(
      await t.store.db
        .selectFrom('sign_up_links')
        .select('email')
        .where('email', '=', 'mallory@example.com')
        .execute(),
    ).toEqual([]);
    await page.close();
  });
});
