import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { addPeople, PASSWORD, pageWidth, rowsUntil, said, signedIn } from './builder-pages.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * The admin's Settings pages in Chromium against the real server and the real QuestDB
 * (QUESTDB_URL), through the page only: the QuestDB connection made by its form and tested (a
 * wrong password says why), an environment mapped to it, an API key made, read off the page, used
 * by a plain fetch and revoked (the same fetch then gets 401), an editor invited who signs up by
 * the link and finds no Settings (and a 403 from the API). Screenshots in
 * `.artifacts/screenshots/builder-settings-*.png`: light, dark and 375 px.
 */
const SHOTS = '.artifacts/screenshots';
const QUESTDB = new URL(process.env.QUESTDB_URL ?? 'postgres://admin:quest@127.0.0.1:8812/qdb');
const MYSQL = new URL(process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');

let t: StoreTestApp;
let url: string;
let browser: Browser;
beforeAll(async () => {
  t = await storeTestApp('sqlite');
  await addPeople(t);
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });
const field = (scope: Page | ReturnType<Page['getByRole']>, label: string) =>
  scope.getByLabel(label, { exact: true });

/** A data route with the key, as a host's backend would call it (no cookie, no page). */
const withKey = (key: string) =>
  fetch(`${url}/api/v1/meta`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

async function section(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

describe('the admin’s Settings pages in Chromium against the real server and QuestDB', () => {
  it('an admin makes and tests the QuestDB connection, maps an environment, makes, uses and revokes an API key, invites an editor', async () => {
    const { page, requests, problems, close } = await signedIn(browser, url, 'admin', {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    expect(page.url()).toBe(`${url}/settings/connections`);

    // The seed's QuestDB connection, by the form.
    await page.getByRole('button', { name: 'New connection' }).click();
    const form = dialog(page, 'New connection');
    await field(form, 'Name').fill('questdb');
    // The form's types and fields come from GET /api/v1/connection-types (the drivers' registry).
    await field(form, 'Type').selectOption('questdb');
    expect(await field(form, 'Port').inputValue()).toBe('8812');
    await field(form, 'Host').fill(QUESTDB.hostname);
    await field(form, 'Port').fill(QUESTDB.port || '8812');
    await field(form, 'Database').fill(QUESTDB.pathname.slice(1) || 'qdb');
    await field(form, 'User').fill(decodeURIComponent(QUESTDB.username));
    await field(form, 'Password').fill('not-the-password');
    await form.getByRole('button', { name: 'Test connection' }).click();
    const refused = await said(page, 'alert', /Connection failed/);
    expect(refused).toMatch(/password|login|authentication/i);
    expect(refused).toContain('Check user and password');
    // Chromium logs that expected 400 to the console; only what comes after counts.
    expect(problems).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
    problems.length = 0;
    await page.screenshot({ path: `${SHOTS}/builder-settings-connection-error.png` });

    await field(form, 'Password').fill(decodeURIComponent(QUESTDB.password));
    await form.getByRole('button', { name: 'Test connection' }).click();
    expect(await said(page, 'status', /Connected in \d+ ms/)).toMatch(/^Connected in \d+ ms\./);
    await form.getByRole('button', { name: 'Save connection' }).click();
    await said(page, 'status', /Saved connection questdb/);
    // The list reloads after the save (one request per connection): wait for the new row.
    const listed = await rowsUntil(page, 'Connections', (rs) => rs.some((r) => r[0] === 'questdb'));
    const qdbRow = listed.find((r) => r[0] === 'questdb');
    expect(qdbRow?.slice(0, 3)).toEqual([
      'questdb',
      'QuestDB',
      `${decodeURIComponent(QUESTDB.username)}@${QUESTDB.hostname}:${QUESTDB.port || 8812}/qdb`,
    ]);
    // The saved one tested from its row; the edit form shows no password and tests with the saved one.
    await page.getByRole('button', { name: 'Test questdb' }).click();
    await said(page, 'status', /questdb: connected in \d+ ms/);
    await page.getByRole('button', { name: 'Edit questdb' }).click();
    const edit = dialog(page, 'Edit questdb');
    expect(await field(edit, 'Password').inputValue()).toBe('');
    expect(await field(edit, 'Host').inputValue()).toBe(QUESTDB.hostname);
    await edit.getByRole('button', { name: 'Test connection' }).click();
    await edit
      .getByRole('status')
      .filter({ hasText: /Connected in \d+ ms/ })
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/builder-settings-connection-light.png` });
    await edit.getByRole('button', { name: 'Cancel' }).click();
    const stored = await t.store.connections.credentials(t.workspaceId, 'questdb');
    expect(stored).toMatchObject({ host: QUESTDB.hostname, password: decodeURIComponent(QUESTDB.password) });
    // No secret ever came to the page.
    expect(await page.content()).not.toContain(`"${decodeURIComponent(QUESTDB.password)}"`);

    // An environment whose `default` data source reads from QuestDB.
    await section(page, 'Environments');
    await page.getByRole('button', { name: 'New environment' }).click();
    const env = dialog(page, 'New environment');
    await field(env, 'Name').fill('production');
    await field(env, 'Data source').fill('default');
    await field(env, 'Connection').selectOption('questdb');
    await env.getByRole('button', { name: 'Create environment' }).click();
    await said(page, 'status', /Saved environment production/);
    const environments = await rowsUntil(page, 'Environments', (rs) => rs.some((r) => r[0] === 'production'));
    expect(environments.find((r) => r[0] === 'production')?.[1]).toBe('default → uses questdb');
    expect((await t.store.environments.get(t.workspaceId, 'production')).datasources).toEqual([
      { data_source: 'default', connection: 'questdb' },
    ]);
    await page.screenshot({ path: `${SHOTS}/builder-settings-environments-light.png` });

    // An API key: shown once, used by a backend, revoked.
    await section(page, 'API keys');
    await page.getByRole('button', { name: 'New API key' }).click();
    const keyForm = dialog(page, 'New API key');
    await field(keyForm, 'Label').fill('billing backend');
    await keyForm.getByRole('button', { name: 'Create key' }).click();
    const shown = dialog(page, 'API key “billing backend”');
    await shown.getByText(/will not be shown again/).waitFor();
    const key = ((await shown.locator('pre code').textContent()) ?? '').trim();
    expect(key).toMatch(/^inlay_[\w-]{40,}$/);
    await shown.getByRole('button', { name: 'Copy API key' }).click();
    await shown.getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await page.screenshot({ path: `${SHOTS}/builder-settings-api-key-light.png` });
    await shown.getByRole('button', { name: 'Done' }).click();
    expect(await withKey(key)).toBe(200);
    expect(await withKey(key)).toBe(200);
    const [keyRow] = await rowsUntil(page, 'API keys', (rs) => rs.length > 0);
    expect(keyRow?.slice(0, 2)).toEqual(['billing backend', `${key.slice(0, 14)}…`]);
    expect(keyRow?.[3]).toBe('live');
    expect(await page.content()).not.toContain(key);

    await page.getByRole('button', { name: 'Revoke billing backend' }).click();
    await dialog(page, 'Revoke billing backend?').getByRole('button', { name: 'Revoke key' }).click();
    await said(page, 'status', /Revoked billing backend/);
    expect(await withKey(key)).toBe(401);
    await rowsUntil(page, 'API keys', (rs) => /^revoked/.test(rs[0]?.[3] ?? ''));

    // An editor, invited by a link.
    await section(page, 'Users');
    const users = await rowsUntil(page, 'Users', (rs) =>
      rs.some((r) => r[0]?.startsWith('admin@example.com')),
    );
    const own = users.find((r) => r[0]?.startsWith('admin@example.com'));
    expect(own).toEqual(['admin@example.comyou', 'admin', 'active', '']);
    await page.getByRole('button', { name: 'Invite someone' }).click();
    const invite = dialog(page, 'Invite someone');
    await field(invite, 'Email').fill('new.editor@example.com');
    await field(invite, 'Role').selectOption('editor');
    await invite.getByRole('button', { name: 'Make sign-up link' }).click();
    const link = dialog(page, 'Invitation for new.editor@example.com');
    const signUp = ((await link.locator('pre code').textContent()) ?? '').trim();
    expect(signUp).toMatch(new RegExp(`^${url}/sign-up\\?token=`));
    await page.screenshot({ path: `${SHOTS}/builder-settings-invite-light.png` });
    await link.getByRole('button', { name: 'Done' }).click();
    expect(problems).toEqual([]);
    expect(requests.filter((r) => !r.startsWith(url))).toEqual([]);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const editor = await context.newPage();
    await editor.goto(signUp);
    await field(editor, 'Email').fill('new.editor@example.com');
    await field(editor, 'Password').fill(PASSWORD);
    await field(editor, 'Confirm password').fill(PASSWORD);
    await editor.getByRole('button', { name: 'Create account' }).click();
    await editor.getByRole('heading', { level: 1, name: 'Dashboards' }).waitFor({ timeout: 15_000 });
    const menu = editor.getByRole('navigation', { name: 'Main' });
    expect(await menu.getByRole('link').allTextContents()).toEqual(['Dashboards']);
    await editor.goto(`${url}/settings/api-keys`);
    await editor.getByText(/Only admins can see and change settings/).waitFor();
    expect(await editor.getByRole('table').count()).toBe(0);
    const status = await editor.evaluate(() => fetch('/api/v1/api-keys').then((r) => r.status));
    expect(status).toBe(403);
    await editor.screenshot({ path: `${SHOTS}/builder-settings-not-admin.png` });
    await context.close();

    // Back as the admin: the new editor is listed; made a viewer, then removed.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    const invited = await rowsUntil(page, 'Users', (rs) => rs.some((r) => r[0] === 'new.editor@example.com'));
    const newRow = invited.find((r) => r[0] === 'new.editor@example.com');
    expect(newRow?.slice(2)).toEqual(['active', 'Remove']);
    await page.getByLabel('Role of new.editor@example.com').selectOption('viewer');
    await said(page, 'status', /new\.editor@example\.com is now a viewer/);
    await page.getByRole('button', { name: 'Remove new.editor@example.com' }).click();
    await dialog(page, 'Remove new.editor@example.com?').getByRole('button', { name: 'Remove user' }).click();
    await said(page, 'status', /Removed new\.editor@example\.com/);
    const removed = await t.store.users.findByEmail(t.workspaceId, 'new.editor@example.com');
    expect(removed).toMatchObject({ role: 'viewer', disabledAt: expect.any(String) });
    expect(await page.getByRole('button', { name: 'Remove admin@example.com' }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/builder-settings-users-light.png` });
    expect(problems).toEqual([]);
    await close();
  });

  it('dark, and 375 px wide: every section fits; the connection form by keyboard', async () => {
    // Its own key, so the list is a table whether or not the test before got to making one.
    await t.store.apiKeys.create(t.workspaceId, { name: 'dark-mode check' });
    const dark = await signedIn(browser, url, 'admin', { colorScheme: 'dark' });
    await dark.page.goto(`${url}/settings/connections`);
    await dark.page.getByRole('table', { name: 'Connections' }).waitFor();
    await dark.page.screenshot({ path: `${SHOTS}/builder-settings-connections-dark.png` });
    // Keyboard: the button opens the dialog with focus inside; Escape closes it and focus returns.
    await dark.page.getByRole('button', { name: 'New connection' }).focus();
    await dark.page.keyboard.press('Enter');
    const form = dialog(dark.page, 'New connection');
    await form.waitFor();
    expect(await form.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await dark.page.screenshot({ path: `${SHOTS}/builder-settings-dialog-dark.png` });
    await dark.page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    expect(await dark.page.evaluate(() => document.activeElement?.textContent)).toBe('New connection');
    await dark.page.goto(`${url}/settings/api-keys`);
    await dark.page.getByRole('table', { name: 'API keys' }).waitFor();
    await dark.page.screenshot({ path: `${SHOTS}/builder-settings-api-keys-dark.png` });
    expect(dark.problems).toEqual([]);
    await dark.close();

    const narrow = await signedIn(browser, url, 'admin', {
      viewport: { width: 375, height: 740 },
      isMobile: true,
    });
    for (const [path, name, table] of [
      ['connections', 'Connections', 'Connections'],
      ['environments', 'Environments', 'Environments'],
      ['api-keys', 'API keys', 'API keys'],
      ['users', 'Users', 'Users'],
    ] as const) {
      await narrow.page.goto(`${url}/settings/${path}`);
      await narrow.page.getByRole('heading', { level: 1, name }).waitFor();
      await narrow.page.getByRole('table', { name: table }).waitFor();
      expect(await pageWidth(narrow.page), path).toBeLessThanOrEqual(375);
      await narrow.page.screenshot({ path: `${SHOTS}/builder-settings-${path}-375.png`, fullPage: true });
    }
    await narrow.page.goto(`${url}/settings/connections`);
    await narrow.page.getByRole('button', { name: 'Edit questdb' }).click();
    await dialog(narrow.page, 'Edit questdb').waitFor();
    expect(await pageWidth(narrow.page)).toBeLessThanOrEqual(375);
    await narrow.page.screenshot({ path: `${SHOTS}/builder-settings-dialog-375.png` });
    expect(narrow.problems).toEqual([]);
    await narrow.close();
  });

  it('a MySQL/MariaDB connection by the same form, which names no database: fields from the registry, tested on the real server', async () => {
    const { page, problems, close } = await signedIn(browser, url, 'admin');
    await page.goto(`${url}/settings/connections`);
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    await page.getByRole('button', { name: 'New connection' }).click();
    const form = dialog(page, 'New connection');
    await field(form, 'Name').fill('warehouse-mysql');
    await field(form, 'Type').selectOption('mysql');
    expect(await field(form, 'Type').locator('option:checked').textContent()).toBe('MySQL / MariaDB');
    expect(await field(form, 'Port').inputValue()).toBe('3306');
    await field(form, 'Host').fill(MYSQL.hostname);
    await field(form, 'Port').fill(MYSQL.port || '3306');
    await field(form, 'Database').fill(MYSQL.pathname.slice(1));
    await field(form, 'User').fill(decodeURIComponent(MYSQL.username));
    if (MYSQL.password) await field(form, 'Password').fill(decodeURIComponent(MYSQL.password));
    await form.getByRole('button', { name: 'Test connection' }).click();
    expect(await said(page, 'status', /Connected in \d+ ms/)).toMatch(/^Connected in \d+ ms\./);
    await page.screenshot({ path: `${SHOTS}/builder-settings-connection-mysql.png` });
    await form.getByRole('button', { name: 'Save connection' }).click();
    await said(page, 'status', /Saved connection warehouse-mysql/);
    const listed = await rowsUntil(page, 'Connections', (rs) => rs.some((r) => r[0] === 'warehouse-mysql'));
    expect(listed.find((r) => r[0] === 'warehouse-mysql')?.slice(0, 2)).toEqual([
      'warehouse-mysql',
      'MySQL / MariaDB',
    ]);
    expect(await t.store.connections.get(t.workspaceId, 'warehouse-mysql')).toMatchObject({ type: 'mysql' });
    expect(problems).toEqual([]);
    await close();

    // The same form in dark and at 375 px: it fits, and the fields the registry gives are there.
    for (const [name, options] of [
      ['dark', { colorScheme: 'dark' as const }],
      ['375', { viewport: { width: 375, height: 740 }, isMobile: true }],
    ] as const) {
      const other = await signedIn(browser, url, 'admin', options);
      await other.page.goto(`${url}/settings/connections`);
      await other.page.getByRole('button', { name: 'Edit warehouse-mysql' }).click();
      const edit = dialog(other.page, 'Edit warehouse-mysql');
      expect(await field(edit, 'Port').inputValue()).toBe(MYSQL.port || '3306');
      if (name === '375') expect(await pageWidth(other.page)).toBeLessThanOrEqual(375);
      await other.page.screenshot({ path: `${SHOTS}/builder-settings-connection-mysql-${name}.png` });
      expect(other.problems).toEqual([]);
      await other.close();
    }
  });
});
