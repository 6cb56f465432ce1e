/**
 * `<inlay-dashboard>` and `<inlay-component>` in Chromium, on a host page of another origin under
 * a strict CSP and hostile CSS, against a real Inlay server: every number shown is compared with
 * SQL written here and run straight on the flights DuckDB file.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claims, forge, tamper } from '../../server/test/token-helpers.js';
import { type Harness, hostPage, SCREENSHOTS, startHarness } from './browser/harness.js';

type Row = Record<string, unknown>;
interface Recorded {
  type: string;
  id: string;
  detail: unknown;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(() => h?.close());

const CONTEXT = JSON.stringify({ locale: 'en-US', timezone: 'UTC' });
const JANUARY = { from: '2001-01-01', to: '2001-01-31' };

/** What tenant `states` must see, from hand-written SQL (`to` is a whole inclusive day). */
async function truth(states: string[], range?: { from: string; to: string }) {
  const params: string[] = [...states];
  let where = `a.state IN (${states.map((_, i) => `$${i + 1}`).join(', ')})`;
  if (range) {
    params.push(range.from, range.to);
    where += ` AND f.date >= CAST($${states.length + 1} AS TIMESTAMP)
      AND f.date < CAST($${states.length + 2} AS TIMESTAMP) + INTERVAL 1 DAY`;
  }
  const from = `FROM flights f JOIN airports a ON f.origin = a.iata WHERE ${where}`;
  const [totals] = (await h.duckdb.query(`SELECT count(*) AS n, avg(f.delay) AS d ${from}`, params))
    .rows as Row[];
  const top = (await h.duckdb.query(`SELECT f.destination AS k, count(*) AS n ${from} GROUP BY 1`, params))
    .rows as Row[];
  return {
    count: Number(totals!.n),
    avgDelay: Number(totals!.d),
    byDestination: new Map(top.map((r) => [String(r.k), Number(r.n)])),
  };
}

async function open(pagePath: string, html: string, width = 1280): Promise<Page> {
  h.page(pagePath, html);
  const page = await h.browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`${h.hostOrigin}${pagePath}`);
  return page;
}

const events = (page: Page): Promise<Recorded[]> =>
  page.evaluate(() => (window as unknown as { __events: Recorded[] }).__events);

/** Waits until `id` has dispatched `count` events of `type`; returns them. */
async function waitFor(page: Page, id: string, type: string, count = 1): Promise<Recorded[]> {
  await page.waitForFunction(
    ([i, t, n]) =>
      (window as unknown as { __events: Recorded[] }).__events.filter((e) => e.id === i && e.type === t)
        .length >= n,
    [id, type, count] as const,
    { timeout: 20_000 },
  );
  return (await events(page)).filter((e) => e.id === id && e.type === type);
}

const kpi = (page: Page, id: string, widget: string) =>
  page.locator(`#${id} [data-widget-id="${widget}"] .kpi-value`).getAttribute('data-value');

async function topRows(page: Page, id: string): Promise<[string, number][]> {
  const cells = await page
    .locator(`#${id} [data-widget-id="w-top"] tbody tr`)
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  return cells.map(([k, n]) => [k!, Number(n)]);
}

describe('<inlay-dashboard> on a cross-origin host page', () => {
  it('shows the tenant’s numbers (equal to SQL), fires componentsLoad then dataLoad, under CSP and hostile CSS', async () => {
    const token = await h.token(['CA']);
    const page = await open(
      '/basic',
      hostPage(h.inlayOrigin, [{ id: 'a', attrs: { token, 'client-context': CONTEXT } }]),
    );
    const [dataLoad] = await waitFor(page, 'a', 'dataLoad');
    expect(dataLoad!.detail).toEqual({ ms: expect.any(Number) });
    const all = await events(page);
    const order = all.filter((e) => e.id === 'a').map((e) => e.type);
    expect(order).toEqual(['componentsLoad', 'dataLoad']);
    expect(all.find((e) => e.type === 'componentsLoad')!.detail).toEqual({});

    const want = await truth(['CA']);
    expect(want.count).toBeGreaterThan(1000);
    expect(Number(await kpi(page, 'a', 'w-count'))).toBe(want.count);
    expect(Number(await kpi(page, 'a', 'w-delay'))).toBeCloseTo(want.avgDelay, 6);
    const rows = await topRows(page, 'a');
    expect(rows).toHaveLength(5);
    const top5 = [...want.byDestination.values()].sort((x, y) => y - x).slice(0, 5);
    expect(rows.map(([, n]) => n)).toEqual(top5);
    for (const [dest, n] of rows) expect(want.byDestination.get(dest)).toBe(n);

    // Formatted for a person too (en-US), and not loading any more.
    await expect(page.locator('#a [data-widget-id="w-count"] .kpi-value').textContent()).resolves.toBe(
      want.count.toLocaleString('en-US'),
    );
    const busy = await page
      .locator('#a .widget')
      .evaluateAll((ws) => ws.map((w) => w.getAttribute('aria-busy')));
    expect(busy).toEqual(['false', 'false', 'false', 'false']);

    // The host's `* { color: red !important }` and `div, section, p { display: none !important }` stay outside.
    const style = await page
      .locator('#a [data-widget-id="w-count"] .kpi-value')
      .evaluate((el) => ({ color: getComputedStyle(el).color, display: getComputedStyle(el).display }));
    expect(style.color).not.toBe('rgb(255, 0, 0)');
    expect(style.display).toBe('block');
    const box = await page.locator('#a [data-widget-id="w-count"]').boundingBox();
    expect(box!.height).toBe(2 * 60 + 12);
    // And ours stays inside: the host heading keeps the host's font.
    const h1Font = await page.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily);
    expect(h1Font).toContain('Comic Sans');
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual(
      [],
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'embed-light.png'), fullPage: true });
    await page.close();
  });

  it('refetches when the host changes `variables`, and when a control inside sets a variable', async () => {
    const token = await h.token(['CA']);
    const page = await open(
      '/variables',
      hostPage(h.inlayOrigin, [{ id: 'a', attrs: { token, 'client-context': CONTEXT } }]),
    );
    await waitFor(page, 'a', 'dataLoad');
    const all = await truth(['CA']);
    const january = await truth(['CA'], JANUARY);
    expect(january.count).toBeLessThan(all.count);

    // The host sets the property (an object) …
    await page.evaluate((range) => {
      (document.getElementById('a') as unknown as { variables: unknown }).variables = { date_range: range };
    }, JANUARY);
    await waitFor(page, 'a', 'dataLoad', 2);
    expect(Number(await kpi(page, 'a', 'w-count'))).toBe(january.count);
    expect(Number(await kpi(page, 'a', 'w-delay'))).toBeCloseTo(january.avgDelay, 6);
    for (const [dest, n] of await topRows(page, 'a')) expect(january.byDestination.get(dest)).toBe(n);

    // … or the attribute (JSON); null is "all time".
    await page.evaluate(() =>
      document.getElementById('a')!.setAttribute('variables', '{"date_range": null}'),
    );
    await waitFor(page, 'a', 'dataLoad', 3);
    expect(Number(await kpi(page, 'a', 'w-count'))).toBe(all.count);

    // A control's onChange → SET_VARIABLE → variablesChange, then every bound widget refetches.
    await page.locator('#a button', { hasText: 'January 2001' }).click();
    const [change] = await waitFor(page, 'a', 'variablesChange');
    expect(change!.detail).toEqual([{ variableName: 'date_range', newValue: JANUARY }]);
    await waitFor(page, 'a', 'dataLoad', 4);
    expect(Number(await kpi(page, 'a', 'w-count'))).toBe(january.count);
    await page.locator('#a button', { hasText: 'All time' }).click();
    await waitFor(page, 'a', 'dataLoad', 5);
    expect(Number(await kpi(page, 'a', 'w-count'))).toBe(all.count);
    expect((await waitFor(page, 'a', 'variablesChange', 2))[1]!.detail).toEqual([
      { variableName: 'date_range', newValue: null },
    ]);
    expect((await events(page)).filter((e) => e.type === 'embeddableError')).toEqual([]);
    await page.close();
  });

  it('a tampered and an expired token: embeddableError, an alert, and no data', async () => {
    const good = await h.token(['CA']);
    const tampered = tamper(good, (p) => {
      p.securityContext = { states: ['NY'] };
    });
    const now = Math.floor(Date.now() / 1000);
    const expired = await forge(claims({ iat: now - 600, exp: now - 60 }));
    const page = await open(
      '/bad-tokens',
      hostPage(h.inlayOrigin, [
        { id: 'tampered', attrs: { token: tampered } },
        { id: 'expired', attrs: { token: expired } },
      ]),
    );
    for (const id of ['tampered', 'expired']) {
      const [error] = await waitFor(page, id, 'embeddableError');
      expect(error!.detail).toEqual({
        errorMessage: 'invalid or expired token',
        errorDetail: expect.any(Object),
      });
      await expect(page.locator(`#${id} [role=alert]`).textContent()).resolves.toContain(
        'invalid or expired token',
      );
      expect(await page.locator(`#${id} .kpi-value`).count()).toBe(0);
    }
    const types = (await events(page)).map((e) => e.type);
    expect(types).not.toContain('dataLoad');
    expect(types).not.toContain('componentsLoad');
    await page.close();
  });

  it('warns 60 s before expiry; a replaced token is used from then on, without reloading', async () => {
    const first = await h.token(['CA'], { expiryInSeconds: 62 });
    const page = await open('/renew', hostPage(h.inlayOrigin, [{ id: 'a', attrs: { token: first } }]));
    const authorizations: { url: string; token: string }[] = [];
    page.on('request', (req) => {
      const header = req.headers().authorization;
      if (header) authorizations.push({ url: req.url(), token: header.replace('Bearer ', '') });
    });
    await waitFor(page, 'a', 'dataLoad');
    const [warning] = await waitFor(page, 'a', 'tokenExpiring');
    const exp = JSON.parse(Buffer.from(first.split('.')[1]!, 'base64url').toString()).exp;
    expect(warning!.detail).toEqual({ expiresAt: new Date(exp * 1000).toISOString() });

    const second = await h.token(['CA']);
    const before = authorizations.length;
    await page.evaluate((t) => {
      (document.getElementById('a') as unknown as { token: string }).token = t;
    }, second);
    await page.evaluate((range) => {
      (document.getElementById('a') as unknown as { variables: unknown }).variables = { date_range: range };
    }, JANUARY);
    await waitFor(page, 'a', 'dataLoad', 2);
    expect(Number(await kpi(page, 'a', 'w-count'))).toBe((await truth(['CA'], JANUARY)).count);
    // Nothing reloaded: one dashboard fetch, one componentsLoad; the new loads carried the new token.
    expect(authorizations.filter((a) => a.url.endsWith('/api/v1/embed/dashboard'))).toEqual([]);
    expect((await events(page)).filter((e) => e.type === 'componentsLoad')).toHaveLength(1);
    const loads = authorizations.slice(before).filter((a) => a.url.endsWith('/api/v1/load'));
    expect(loads.length).toBeGreaterThan(0);
    expect(loads.every((a) => a.token === second)).toBe(true);
    await page.close();
  });

  it('waits quietly for a token set after mounting; a token for another customer reloads their numbers', async () => {
    const page = await open('/late-token', hostPage(h.inlayOrigin, [{ id: 'a', attrs: {} }]));
    await page.waitForFunction(() => customElements.get('inlay-dashboard') !== undefined);
    await page.waitForTimeout(300);
    expect(await events(page)).toEqual([]);

    await page.evaluate(
      async (t) => {
        (document.getElementById('a') as unknown as { token: string }).token = t;
      },
      await h.token(['CA']),
    );
    await waitFor(page, 'a', 'dataLoad');
    expect(Number(await kpi(page, 'a', 'w-count'))).toBe((await truth(['CA'])).count);

    // The host signs another customer in on the same element: nothing of CA's stays on screen.
    await page.evaluate(
      async (t) => {
        (document.getElementById('a') as unknown as { token: string }).token = t;
      },
      await h.token(['TX']),
    );
    await waitFor(page, 'a', 'dataLoad', 2);
    expect(Number(await kpi(page, 'a', 'w-count'))).toBe((await truth(['TX'])).count);
    expect((await events(page)).filter((e) => e.type === 'embeddableError')).toEqual([]);
    await page.close();
  });

  it('two embeds on one page are independent (own tenant, own variables)', async () => {
    const [ca, tx] = [await h.token(['CA']), await h.token(['TX'])];
    const page = await open(
      '/two',
      hostPage(h.inlayOrigin, [
        { id: 'ca', attrs: { token: ca } },
        { id: 'tx', attrs: { token: tx, variables: JSON.stringify({ date_range: JANUARY }) } },
      ]),
    );
    await waitFor(page, 'ca', 'dataLoad');
    await waitFor(page, 'tx', 'dataLoad');
    expect(Number(await kpi(page, 'ca', 'w-count'))).toBe((await truth(['CA'])).count);
    expect(Number(await kpi(page, 'tx', 'w-count'))).toBe((await truth(['TX'], JANUARY)).count);

    await page.locator('#ca button', { hasText: 'January 2001' }).click();
    await waitFor(page, 'ca', 'dataLoad', 2);
    expect(Number(await kpi(page, 'ca', 'w-count'))).toBe((await truth(['CA'], JANUARY)).count);
    const txEvents = (await events(page)).filter((e) => e.id === 'tx').map((e) => e.type);
    expect(txEvents).toEqual(['componentsLoad', 'dataLoad']);
    expect(Number(await kpi(page, 'tx', 'w-count'))).toBe((await truth(['TX'], JANUARY)).count);
    await page.close();
  });

  it('an unknown component and a failing query break only their widgets', async () => {
    const token = await h.token(['CA'], { embeddableId: 'broken-overview' });
    const page = await open('/broken', hostPage(h.inlayOrigin, [{ id: 'a', attrs: { token } }]));
    await waitFor(page, 'a', 'dataLoad');
    const errors = await waitFor(page, 'a', 'embeddableError', 2);
    const messages = errors.map((e) => (e.detail as { errorMessage: string }).errorMessage).sort();
    expect(messages[0]).toMatch(/widget 'w-failing'.*no_such_measure/);
    expect(messages[1]).toMatch(/widget 'w-unknown'.*unknown component 'NoSuchComponent'/);
    expect(Number(await kpi(page, 'a', 'w-count'))).toBe((await truth(['CA'])).count);
    for (const w of ['w-unknown', 'w-failing']) {
      await expect(page.locator(`#a [data-widget-id="${w}"] [role=alert]`).isVisible()).resolves.toBe(true);
      await expect(page.locator(`#a [data-widget-id="${w}"]`).getAttribute('aria-busy')).resolves.toBe(
        'false',
      );
    }
    await page.close();
  });

  it('dark theme, and one column on a 375 px wide screen', async () => {
    const token = await h.token(['NY', 'NJ']);
    const dark = await open(
      '/dark',
      hostPage(h.inlayOrigin, [
        { id: 'a', attrs: { token, 'client-context': JSON.stringify({ theme: 'dark', locale: 'de-DE' }) } },
      ]),
    );
    await waitFor(dark, 'a', 'dataLoad');
    const want = await truth(['NY', 'NJ']);
    expect(Number(await kpi(dark, 'a', 'w-count'))).toBe(want.count);
    await expect(dark.locator('#a [data-widget-id="w-count"] .kpi-value').textContent()).resolves.toBe(
      want.count.toLocaleString('de-DE'),
    );
    const surface = await dark
      .locator('#a [data-widget-id="w-count"]')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(surface).toBe('rgb(22, 27, 34)');
    await dark.screenshot({ path: path.join(SCREENSHOTS, 'embed-dark.png'), fullPage: true });
    await dark.close();

    const narrow = await open('/narrow', hostPage(h.inlayOrigin, [{ id: 'a', attrs: { token } }]), 375);
    await waitFor(narrow, 'a', 'dataLoad');
    const boxes = await narrow.locator('#a .widget').evaluateAll((ws) =>
      ws.map((w) => {
        const r = w.getBoundingClientRect();
        return { x: Math.round(r.x), width: Math.round(r.width), top: Math.round(r.top) };
      }),
    );
    expect(new Set(boxes.map((b) => b.x)).size).toBe(1);
    expect(new Set(boxes.map((b) => b.width)).size).toBe(1);
    expect(boxes.map((b) => b.top)).toEqual([...boxes.map((b) => b.top)].sort((x, y) => x - y));
    await narrow.screenshot({ path: path.join(SCREENSHOTS, 'embed-375.png'), fullPage: true });
    await narrow.close();
  });
});

describe('<inlay-component widget-id>', () => {
  it('renders the one widget of the dashboard', async () => {
    const token = await h.token(['TX']);
    const page = await open(
      '/component',
      hostPage(h.inlayOrigin, [
        { tag: 'inlay-component', id: 'c', attrs: { token, 'widget-id': 'w-delay' } },
      ]),
    );
    await waitFor(page, 'c', 'dataLoad');
    expect(await page.locator('#c .widget').count()).toBe(1);
    expect(Number(await kpi(page, 'c', 'w-delay'))).toBeCloseTo((await truth(['TX'])).avgDelay, 6);
    await page.close();
  });

  it('an unknown widget id is an embeddableError', async () => {
    const token = await h.token(['TX']);
    const page = await open(
      '/component-unknown',
      hostPage(h.inlayOrigin, [{ tag: 'inlay-component', id: 'c', attrs: { token, 'widget-id': 'nope' } }]),
    );
    const [error] = await waitFor(page, 'c', 'embeddableError');
    expect((error!.detail as { errorMessage: string }).errorMessage).toBe(
      "dashboard 'flights-overview' has no widget 'nope'",
    );
    await expect(page.locator('#c [role=alert]').isVisible()).resolves.toBe(true);
    await page.close();
  });
});
