import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { hashPassword } from '../src/accounts/passwords.js';
import { AUTH } from './helpers.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * The builder's preview: `<inlay-dashboard>` given a document that is not published (its `preview`
 * property) on the Inlay server's own origin, its data asked for with the signed-in session "as"
 * a customer. The KPI equals SQL for that customer, another customer gets theirs, and a preview
 * without the session's CSRF token gets no data.
 */
const PASSWORD = 'preview person password';

let t: StoreTestApp;
let url: string;
let browser: Browser;
let duckdb: Driver;
let draft: Record<string, unknown>;
beforeAll(async () => {
  t = await storeTestApp('sqlite');
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  duckdb = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
  const user = await t.store.users.create(t.workspaceId, { email: 'viewer@example.com', role: 'viewer' });
  await t.store.accounts.setPassword(t.workspaceId, user.id, await hashPassword(PASSWORD));
  const opened = await t.app.inject({
    method: 'GET',
    url: '/api/v1/embeddables/flights-overview',
    headers: AUTH,
  });
  draft = { ...opened.json().document, version: 'draft' };
});
afterAll(async () => {
  await browser?.close();
  await duckdb?.close();
  await t?.close();
});

async function flights(states: string[]): Promise<number> {
  const r = await duckdb.query(
    `SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state IN (${states.map((_, i) => `$${i + 1}`).join(', ')})`,
    states as never,
  );
  return Number(r.rows[0]!.n);
}

/** A signed-in page on the server's origin with the runtime loaded, as the builder has it. */
async function signedInPage(): Promise<{ page: Page; csrf: string }> {
  const page = await browser.newPage();
  const signIn = await page.request.post(`${url}/api/v1/auth/sign-in`, {
    data: { email: 'viewer@example.com', password: PASSWORD },
    headers: { origin: url },
  });
  expect(signIn.status()).toBe(200);
  await page.goto(`${url}/healthz`);
  await page.addScriptTag({ type: 'module', url: '/embed/v1/inlay.js' });
  await page.evaluate(async () => {
    await customElements.whenDefined('inlay-dashboard');
    (window as unknown as { __events: unknown[] }).__events = [];
    for (const type of ['dataLoad', 'embeddableError']) {
      document.addEventListener(type, (e) =>
        (window as unknown as { __events: unknown[] }).__events.push({
          type,
          detail: (e as CustomEvent).detail,
        }),
      );
    }
  });
  return { page, csrf: (await signIn.json()).csrfToken };
}

async function preview(page: Page, value: unknown, loads: number): Promise<string> {
  await page.evaluate((v) => {
    let el = document.querySelector('inlay-dashboard') as (HTMLElement & { preview?: unknown }) | null;
    if (!el) {
      el = document.createElement('inlay-dashboard');
      document.body.replaceChildren(el);
    }
    el.preview = v;
  }, value);
  await page.waitForFunction(
    (n) =>
      (window as unknown as { __events: { type: string }[] }).__events.filter((e) => e.type === 'dataLoad')
        .length >= n,
    loads,
    { timeout: 30_000 },
  );
  return page.evaluate(() => {
    const root = document.querySelector('inlay-dashboard')!.shadowRoot!;
    const value = root.querySelector('[data-widget-id="kpi-flights"] .inlay-kpi-value');
    return (value?.querySelector('.inlay-sr-only') ?? value)?.textContent ?? '';
  });
}

const int = (text: string) => Number(text.replace(/[^\d.-]/g, ''));

describe('<inlay-dashboard>.preview: an unpublished document, as a chosen customer, through the session', () => {
  it('shows each customer their own numbers, equal to SQL', async () => {
    const { page, csrf } = await signedInPage();
    const ca = await preview(
      page,
      { document: draft, csrfToken: csrf, as: { securityContext: { states: ['CA'] } } },
      1,
    );
    expect(int(ca)).toBe(await flights(['CA']));
    const east = await preview(
      page,
      { document: draft, csrfToken: csrf, as: { securityContext: { states: ['NY', 'NJ'] } } },
      2,
    );
    expect(int(east)).toBe(await flights(['NY', 'NJ']));
    expect(int(east)).not.toBe(int(ca));
    // An edit to the document shows at once: the KPI's title changed in the draft.
    const edited = structuredClone(draft) as {
      widgets: { id: string; inputs: { input: string; value: unknown }[] }[];
    };
    const title = edited.widgets
      .find((w) => w.id === 'kpi-flights')!
      .inputs.find((i) => i.input === 'title')!;
    title.value = 'Flights (draft)';
    await preview(
      page,
      { document: edited, csrfToken: csrf, as: { securityContext: { states: ['CA'] } } },
      3,
    );
    const shownTitle = await page.evaluate(
      () =>
        document.querySelector('inlay-dashboard')!.shadowRoot!.querySelector('[data-widget-id="kpi-flights"]')
          ?.textContent,
    );
    expect(shownTitle).toContain('Flights (draft)');
    await page.close();
  });

  it('without the session’s CSRF token no data is shown', async () => {
    const { page } = await signedInPage();
    await page.evaluate((doc) => {
      const el = document.createElement('inlay-dashboard') as HTMLElement & { preview?: unknown };
      document.body.replaceChildren(el);
      el.preview = { document: doc, csrfToken: 'forged', as: { securityContext: { states: ['CA'] } } };
    }, draft);
    await page.waitForFunction(
      () =>
        (window as unknown as { __events: { type: string }[] }).__events.some(
          (e) => e.type === 'embeddableError',
        ),
      null,
      { timeout: 30_000 },
    );
    const errors = await page.evaluate(() =>
      (window as unknown as { __events: { type: string; detail: { errorMessage: string } }[] }).__events
        .filter((e) => e.type === 'embeddableError')
        .map((e) => e.detail.errorMessage),
    );
    expect(errors.join(' ')).toMatch(/cross-site request refused/);
    const kpi = await page.evaluate(
      () =>
        document
          .querySelector('inlay-dashboard')!
          .shadowRoot!.querySelector('[data-widget-id="kpi-flights"] .inlay-kpi-value')?.textContent ?? '',
    );
    expect(kpi).not.toMatch(/\d/);
    await page.close();
  });
});
