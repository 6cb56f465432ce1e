import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import { flightsProject } from '@inlay/example-flights/setup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignHosts, launchChromium, recordRequests } from '../../../scripts/chromium.js';
import { type RunningServer, startServer } from '../src/index.js';
import { DEMO_CUSTOMERS } from '../src/routes/demo.js';

const dirs: string[] = [];
async function start(env: Record<string, string> = {}): Promise<{ server: RunningServer; banner: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'inlay-demo-'));
  dirs.push(dir);
  // The demo file is already built for the tests; the server finds it in its data dir.
  symlinkSync(testDataPaths().duckdbPath, join(dir, 'flights.duckdb'));
  const lines: string[] = [];
  const server = await startServer({
    ...flightsProject,
    env: { INLAY_DATA_DIR: dir, INLAY_RATE_LIMIT_PER_MINUTE: '0', ...env },
    port: 0,
    print: (l) => lines.push(l),
    handleSignals: false,
    logger: false,
  });
  return { server, banner: lines.join('\n') };
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('/demo with npm start (the flights demo)', () => {
  let server: RunningServer;
  let banner: string;
  let db: Driver;
  beforeAll(async () => {
    ({ server, banner } = await start());
    db = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
  });
  afterAll(async () => {
    await db?.close();
    await server?.close();
  });

  /** The top destinations of flights leaving `states`, straight from the DuckDB file. */
  async function topDestinations(states: readonly string[]): Promise<[string, number][]> {
    const { rows } = await db.query(
      `SELECT f.destination AS d, count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata
        WHERE a.state IN (${states.map((_, i) => `$${i + 1}`).join(', ')})
        GROUP BY f.destination ORDER BY n DESC, d LIMIT 10`,
      [...states],
    );
    return rows.map((r) => [String(r.d), Number(r.n)]);
  }

  it('npm start prints the demo URL, and the page is served self-contained under a strict CSP', async () => {
    expect(banner).toContain(`Demo:      ${server.url}/demo`);
    const res = await fetch(`${server.url}/demo`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'; connect-src 'self'/);
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/embed/v1/inlay.js"></script>');
    expect(html).toContain('<inlay-dashboard');
    for (const [id, c] of Object.entries(DEMO_CUSTOMERS))
      expect(html).toContain(`<option value="${id}">${c.name}</option>`);
    // Nothing from another origin: every src/href is a path on this server.
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => !r.startsWith('/'))).toEqual([]);
    const script = await fetch(`${server.url}/demo/app.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).not.toMatch(/https?:\/\//);
  });

  it("each customer's token answers only that customer's rows (top destinations, against SQL)", async () => {
    for (const [customer, c] of Object.entries(DEMO_CUSTOMERS)) {
      const res = await post(`${server.url}/demo/api/token`, { customer });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { token?: string; customer?: unknown; errorMessage?: string };
      expect(body.customer).toEqual({ id: customer, name: c.name });
      expect(body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      // The dashboard the token opens is flights-overview.
      const doc = await fetch(`${server.url}/api/v1/embed/dashboard`, {
        headers: { authorization: `Bearer ${body.token}` },
      });
      expect(doc.status).toBe(200);
      expect(((await doc.json()) as { dashboard: { name: string } }).dashboard.name).toBe('flights-overview');

      const load = await post(
        `${server.url}/api/v1/load`,
        {
          query: {
            measures: ['flights.count'],
            dimensions: ['flights.destination'],
            order: [
              ['flights.count', 'desc'],
              ['flights.destination', 'asc'],
            ],
            limit: 10,
          },
        },
        { authorization: `Bearer ${body.token}` },
      );
      expect(load.status).toBe(200);
      const got = ((await load.json()) as { data: Record<string, unknown>[] }).data.map(
        (r: Record<string, unknown>) => [r['flights.destination'], Number(r['flights.count'])],
      );
      expect(got).toEqual(await topDestinations(c.securityContext.states));
    }
  });

  it('an unknown customer is a 400, and no token', async () => {
    const res = await post(`${server.url}/demo/api/token`, { customer: 'globex' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { token?: string; customer?: unknown; errorMessage?: string };
    expect(body.errorMessage).toMatch(/customer/);
    expect(body.token).toBeUndefined();
  });

  it('in Chromium the page requests nothing from another host (light, dark and phone width)', async () => {
    mkdirSync('.artifacts/screenshots', { recursive: true });
    const browser = await launchChromium();
    try {
      const host = new URL(server.url).host;
      for (const [name, options] of [
        ['light', { colorScheme: 'light', viewport: { width: 1280, height: 900 } }],
        ['dark', { colorScheme: 'dark', viewport: { width: 1280, height: 900 } }],
        ['phone', { colorScheme: 'light', viewport: { width: 390, height: 844 } }],
      ] as const) {
        const page = await browser.newPage(options);
        const seen = await recordRequests(page, host);
        await page.goto(`${server.url}/demo?customer=acme-east`, { waitUntil: 'networkidle' });
        await page.getByText('Acme East: flights leaving New York and New Jersey').waitFor();
        await page.screenshot({ path: `.artifacts/screenshots/demo-${name}.png`, fullPage: true });
        expect(seen.some((u) => u.endsWith('/demo/api/token'))).toBe(true);
        expect(foreignHosts(seen, host)).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});

describe('INLAY_DEMO=off', () => {
  it('serves no /demo and prints no demo URL', async () => {
    const { server, banner } = await start({ INLAY_DEMO: 'off' });
    try {
      expect(banner).not.toContain('/demo');
      expect((await fetch(`${server.url}/demo`)).status).toBe(404);
      expect((await post(`${server.url}/demo/api/token`, { customer: 'acme-west' })).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
