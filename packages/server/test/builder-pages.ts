import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { hashPassword } from '../src/accounts/passwords.js';
import type { UserRole } from '../src/store/index.js';
import { AUTH } from './helpers.js';
import type { StoreTestApp } from './store-app.js';

/** Shared by the builder's browser tests against the real server: people, pages, API checks. */

export const PASSWORD = 'a long passphrase for everyone';

/** A signed-in user of each role, with a password, in the test workspace. */
export async function addPeople(t: StoreTestApp): Promise<void> {
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    const user = await t.store.users.create(t.workspaceId, { email: `${role}@example.com`, role });
    await t.store.accounts.setPassword(t.workspaceId, user.id, await hashPassword(PASSWORD));
  }
}

export interface Opened {
  page: Page;
  /** Every request's URL. */
  requests: string[];
  /** Console errors and uncaught exceptions: there must be none. */
  problems: string[];
  close: () => Promise<void>;
}

/** A fresh browser context signed in as `role` through the sign-in page, on the dashboards list. */
export async function signedIn(
  browser: Browser,
  url: string,
  role: UserRole,
  options: BrowserContextOptions = {},
): Promise<Opened> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    ...options,
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${url}/`);
  await page.getByLabel('Email', { exact: true }).fill(`${role}@example.com`);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboards' }).waitFor({ timeout: 15_000 });
  await page.getByRole('table', { name: 'Dashboards' }).waitFor();
  // The signed-out page's session check answered 401 (expected): only what comes after counts.
  problems.length = 0;
  return { page, requests, problems, close: () => context.close() };
}

/** The API with the workspace key, to check what the page did (and to stand in for the editor canvas). */
export function apiOf(t: () => StoreTestApp) {
  return async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) => {
    const res = await t().app.inject({ method, url, headers: AUTH, ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };
}

/** The visible text of a notice or alert once it says something matching `text`. */
export async function said(page: Page, role: 'status' | 'alert', text: RegExp): Promise<string> {
  const el = page.getByRole(role).filter({ hasText: text });
  await el.first().waitFor({ timeout: 10_000 });
  return (await el.first().textContent()) ?? '';
}

/** Rows of a table as arrays of cell texts. */
export function rows(page: Page, tableName: string): Promise<string[][]> {
  return page
    .getByRole('table', { name: tableName })
    .evaluate((t) =>
      [...t.querySelectorAll('tbody tr')].map((tr) =>
        [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim()),
      ),
    );
}

/** A table's rows once `ok` holds for them: lists reload after each change, a moment later. */
export async function rowsUntil(
  page: Page,
  tableName: string,
  ok: (rows: string[][]) => boolean,
): Promise<string[][]> {
  let last: string[][] = [];
  await expect
    .poll(
      async () => {
        last = await rows(page, tableName);
        return ok(last);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return last;
}

/** No horizontal scrolling of the page itself. */
export async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
