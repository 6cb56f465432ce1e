import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import type { ComponentsManifest, Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { buildEmbed } from '@inlay/embed/build';
import { testDataPaths } from '@inlay/example-flights';
import { buildApp, createProjectWorkspace, hashApiKey, type InlayApp } from '@inlay/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { buildProject } from '../src/build/index.js';
import { type TempProject, tempProject } from './build/project.js';

/**
 * A project component end to end: the fixture built by `buildProject`, the real server on the
 * flights DuckDB file (the fixture's model and dashboard), the runtime from `buildEmbed`, and the
 * built files served by a plain static handler on the host page's origin. The number the custom
 * component shows for a tenant must equal SQL run directly on the same file.
 */

const API_KEY = `inlay_build_browser_${'k'.repeat(32)}`;
const AUTH = { authorization: `Bearer ${API_KEY}` };
const TENANT = ['SFO', 'OAK', 'SJC'];

let project: TempProject;
let manifest: ComponentsManifest;
let distDir: string;
let app: InlayApp;
let host: Server;
let hostOrigin: string;
let inlayOrigin: string;
let browser: Browser;
let db: Driver;
let token: string;
const pages = new Map<string, string>();

beforeAll(async () => {
  project = tempProject();
  const outcome = await buildProject(project.dir, { typeCheck: false });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  manifest = outcome.manifest;
  distDir = mkdtempSync(join(tmpdir(), 'inlay-build-browser-embed-'));
  await buildEmbed({ outDir: distDir });
  const duckdb = testDataPaths().duckdbPath;
  app = buildApp({
    config: {
      apiKeyHash: hashApiKey(API_KEY),
      maxBodyBytes: 1024 * 1024,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
    },
    workspace: createProjectWorkspace({
      projectDir: project.dir,
      connection: { type: 'duckdb', credentials: { path: duckdb } },
    }),
    embedAssets: { distDir },
    logger: false,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  inlayOrigin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const buildDir = join(project.dir, '.inlay-build');
  host = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/build/')) {
      // The build folder as any static host would serve it (normalised: no way out of it).
      const file = normalize(path.slice('/build/'.length));
      try {
        const body = readFileSync(join(buildDir, file));
        res
          .writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' })
          .end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
      return;
    }
    const body = pages.get(path);
    if (body === undefined) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  const settings = await app.inject({
    method: 'PUT',
    url: '/api/v1/workspace/settings',
    headers: AUTH,
    payload: { allowedOrigins: [hostOrigin] },
  });
  expect(settings.statusCode).toBe(200);
  const issued = await app.inject({
    method: 'POST',
    url: '/api/v1/security-token',
    headers: AUTH,
    payload: { embeddableId: 'trips-custom', user: 'u-1', securityContext: { origins: TENANT } },
  });
  expect(issued.statusCode, issued.body).toBe(200);
  token = issued.json().token;
  db = createDriver('duckdb', { path: duckdb }, { readOnly: true });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await db?.close();
  await new Promise((resolve) => host?.close(resolve));
  await app?.close();
  project?.remove();
  if (distDir) rmSync(distDir, { recursive: true, force: true });
});

/** Ground truth, written independently of the model: the tenant's flights, counted in SQL. */
async function truth(): Promise<string> {
  const { rows } = await db.query(
    `SELECT count(*)::BIGINT AS n FROM flights WHERE origin IN (${TENANT.map(() => '?').join(', ')})`,
    TENANT,
  );
  return String((rows[0] as { n: unknown }).n);
}

/** A host page embedding the dashboard; `register` is the module script run before it. */
async function open(name: string, register: string): Promise<Page> {
  pages.set(
    `/${name}`,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<script>window.__loads = 0; window.__errors = [];
document.addEventListener('dataLoad', () => window.__loads++);
document.addEventListener('embeddableError', (e) => window.__errors.push(e.detail));</script>
<script type="module">${register}</script>
</head><body><inlay-dashboard token="${token}" client-context='{"locale":"en-US"}'></inlay-dashboard></body></html>`,
  );
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.goto(`${hostOrigin}/${name}`);
  await page.waitForFunction(() => (window as unknown as { __loads: number }).__loads >= 1, null, {
    timeout: 30_000,
  });
  return page;
}

const componentFile = () => manifest.components.find((c) => c.name === 'FlightCount')!.file;

describe('a project component in an embed', () => {
  it('registered by the page: shows the tenant’s number, styled by its own CSS, with working hooks', async () => {
    const page = await open(
      'registered',
      `import { registerComponents } from '${inlayOrigin}/embed/v1/inlay.js';
registerComponents({ FlightCount: '/build/${componentFile()}' });`,
    );
    try {
      expect(await page.evaluate(() => (window as unknown as { __errors: unknown[] }).__errors)).toEqual([]);
      const expected = await truth();
      const { rows } = await db.query('SELECT count(*)::BIGINT AS n FROM flights', []);
      // A tenant's share: more than nothing, less than everyone's (the token's filter applied).
      expect(Number(expected)).toBeGreaterThan(0);
      expect(Number(expected)).toBeLessThan(Number((rows[0] as { n: unknown }).n));
      const value = page.locator('inlay-dashboard .flight-count-value');
      await expect.poll(() => value.textContent()).toBe(expected);
      // The standard KPI beside it reads the same measure: both components, one runtime.
      const kpi = page.locator('inlay-dashboard .inlay-kpi-value');
      expect(Number((await kpi.textContent())!.replace(/,/g, ''))).toBe(Number(expected));
      // Its CSS file was inlined by the build and adopted into the shadow root.
      expect(await value.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(1, 2, 3)');
      // useState from the runtime's preact/compat: a click re-renders the component.
      await page.locator('inlay-dashboard .flight-count button').click();
      await expect
        .poll(() => page.locator('inlay-dashboard .flight-count button').textContent())
        .toBe('clicked 1');
    } finally {
      await page.close();
    }
  });

  it('named by the dashboard answer (`components`), as a server pinning a version supplies it', async () => {
    const page = await browser.newPage();
    // Stands in for the server part: the same answer plus the component's URL.
    await page.route(`${inlayOrigin}/api/v1/embed/dashboard`, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      await route.fulfill({
        response,
        json: { ...body, components: { FlightCount: `${hostOrigin}/build/${componentFile()}` } },
      });
    });
    pages.set(
      '/answer',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<script>window.__loads = 0; document.addEventListener('dataLoad', () => window.__loads++);</script>
<script type="module" src="${inlayOrigin}/embed/v1/inlay.js"></script>
</head><body><inlay-dashboard token="${token}"></inlay-dashboard></body></html>`,
    );
    try {
      await page.goto(`${hostOrigin}/answer`);
      await page.waitForFunction(() => (window as unknown as { __loads: number }).__loads >= 1, null, {
        timeout: 30_000,
      });
      await expect
        .poll(() => page.locator('inlay-dashboard .flight-count-value').textContent())
        .toBe(await truth());
    } finally {
      await page.close();
    }
  });

  it('an unregistered project component is an error in its widget only', async () => {
    const page = await open('unregistered', `import '${inlayOrigin}/embed/v1/inlay.js';`);
    try {
      const errors = await page.evaluate(
        () => (window as unknown as { __errors: { errorMessage: string }[] }).__errors,
      );
      expect(errors.map((e) => e.errorMessage)).toEqual([
        expect.stringContaining("unknown component 'FlightCount'"),
      ]);
      expect(await page.locator('inlay-dashboard .inlay-kpi-value').textContent()).not.toBe('');
    } finally {
      await page.close();
    }
  });
});
