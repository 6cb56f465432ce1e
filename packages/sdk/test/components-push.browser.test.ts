import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import { flightsProject } from '@inlay/example-flights/setup';
import { type RunningServer, startServer } from '@inlay/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { fakeBuild } from '../../server/test/components-fixtures.js';
import { buildProject } from '../src/build/index.js';
import { tarGz } from '../src/bundle/pack.js';
import { type TempProject, tempProject } from './build/project.js';
import { runCli } from './run-cli.js';

/**
 * Build → push → embed, for real: the build fixture built by `buildProject`, pushed with
 * `inlay push` to a store-backed server, embedded in Chromium on another origin with the runtime
 * loading the component from the server's content-hashed URL. A second push with a changed
 * component leaves the published builder dashboard on the first build until it is published again,
 * while the dashboard from code (a push is its publish) shows the second at once.
 */
const KEY = `inlay_components_e2e_${'k'.repeat(32)}`;
const AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const TENANT = ['SFO', 'OAK', 'SJC'];

let server: RunningServer;
let dataDir: string;
let project: TempProject;
let host: Server;
let hostOrigin: string;
let browser: Browser;
let db: Driver;
const pages = new Map<string, string>();

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: AUTH,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
  return JSON.parse(text);
}

/** The fixture's component with a marker in its heading, built and pushed; the pushed components version. */
async function buildAndPush(marker: string): Promise<string> {
  project.edit(
    'components/FlightCount.tsx',
    /<h3[^>]*>.*<\/h3>/.exec(project.read('components/FlightCount.tsx'))![0],
    `<h3 className="marker">${marker}</h3>`,
  );
  const outcome = await buildProject(project.dir, { typeCheck: false });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  const r = await runCli(['push', '--project', project.dir, '--server', server.url, '--api-key', KEY]);
  expect(r.code, r.stderr).toBe(0);
  const version = /Components version: ([0-9a-f]{64}) \(new: FlightCount\)/.exec(r.stdout)?.[1];
  expect(version, r.stdout).toBeDefined();
  return version!;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'inlay-components-e2e-'));
  symlinkSync(testDataPaths().duckdbPath, join(dataDir, 'flights.duckdb'));
  server = await startServer({
    ...flightsProject,
    env: { INLAY_DATA_DIR: dataDir, INLAY_API_KEY: KEY, INLAY_DEMO: 'off' },
    port: 0,
    print: () => {},
    handleSignals: false,
    logger: false,
  });
  project = tempProject();
  host = createServer((req, res) => {
    const body = pages.get((req.url ?? '/').split('?')[0]!);
    if (body === undefined) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  await api('PUT', '/api/v1/workspace/settings', { allowedOrigins: [hostOrigin] });
  db = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await db?.close();
  await new Promise((resolve) => host?.close(resolve));
  await server?.close();
  project?.remove();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The tenant's flights counted in SQL, independently of the model. */
async function truth(): Promise<string> {
  const { rows } = await db.query(
    `SELECT count(*)::BIGINT AS n FROM flights WHERE origin IN (${TENANT.map(() => '?').join(', ')})`,
    TENANT,
  );
  return String((rows[0] as { n: unknown }).n);
}

/** What an embed of `dashboard` (production) shows: the component's marker and number. */
async function embedded(dashboard: string): Promise<{ marker: string; value: string; errors: unknown[] }> {
  const { token } = await api('POST', '/api/v1/security-token', {
    embeddableId: dashboard,
    user: 'u-1',
    securityContext: { origins: TENANT },
  });
  const path = `/${dashboard}-${pages.size}`;
  pages.set(
    path,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<script>window.__errors = []; document.addEventListener('embeddableError', (e) => window.__errors.push(e.detail));</script>
<script type="module" src="${server.url}/embed/v1/inlay.js"></script>
</head><body><inlay-dashboard token="${token}"></inlay-dashboard></body></html>`,
  );
  const page = await browser.newPage();
  try {
    await page.goto(`${hostOrigin}${path}`);
    const value = page.locator('inlay-dashboard .flight-count-value');
    await expect.poll(() => value.textContent(), { timeout: 60_000 }).toMatch(/^\d+$/);
    return {
      marker: (await page.locator('inlay-dashboard .marker').textContent()) ?? '',
      value: (await value.textContent()) ?? '',
      errors: await page.evaluate(() => (window as unknown as { __errors: unknown[] }).__errors),
    };
  } finally {
    await page.close();
  }
}

describe('components: build, push, embed, pinned', () => {
  it('a published dashboard keeps the component it was published with until published again', async () => {
    const first = await buildAndPush('first build');
    // A builder copy of the pushed dashboard, saved and published while the first build is current.
    await api('POST', '/api/v1/embeddables/trips-custom/duplicate', { name: 'trips-pinned' });
    const saved = await api('POST', '/api/v1/embeddables/trips-pinned/saved-versions', {});
    expect(saved.componentsVersion).toBe(first);
    await api('PUT', '/api/v1/embeddables/trips-pinned/tags/production', { version: saved.version });
    const expected = await truth();
    expect(await embedded('trips-pinned')).toEqual({ marker: 'first build', value: expected, errors: [] });

    const second = await buildAndPush('second build');
    expect(second).not.toBe(first);
    // Published from the builder: still the first build.
    expect(await embedded('trips-pinned')).toEqual({ marker: 'first build', value: expected, errors: [] });
    // From code: the push published it with the second.
    expect(await embedded('trips-custom')).toMatchObject({ marker: 'second build', value: expected });
    // The builder previews the current build; saved and published again, the embed follows.
    const listed = await api('GET', '/api/v1/components');
    expect(listed.version).toBe(second);
    const again = await api('POST', '/api/v1/embeddables/trips-pinned/saved-versions', {});
    await api('PUT', '/api/v1/embeddables/trips-pinned/tags/production', { version: again.version });
    expect(await embedded('trips-pinned')).toEqual({ marker: 'second build', value: expected, errors: [] });
    // Two builds, two pushes by the CLI and four pages on a shared two-core machine.
  }, 180_000);

  it('a module importing a chunk by relative URL loads from the version folder; the chunk is fetched beside it', async () => {
    // A hand-written build (per the contract) whose module imports `../chunks/chunk-….js`.
    const build = fakeBuild([{ name: 'Revenue', text: 'from a chunk' }]);
    const form = new FormData();
    form.append('request', JSON.stringify({ pushModels: false }));
    const archive = tarGz(Object.entries(build.entries).map(([path, content]) => ({ path, content })));
    form.append('file', new Blob([new Uint8Array(archive)]), 'bundle.tar.gz');
    const pushed = await fetch(`${server.url}/api/v1/bundle/upload`, {
      method: 'POST',
      headers: { authorization: AUTH.authorization },
      body: form,
    });
    expect(pushed.status, await pushed.clone().text()).toBe(200);
    const version = (await pushed.json()).componentsVersion as string;
    await api('POST', '/api/v1/embeddables', { name: 'revenue' });
    await api('PUT', '/api/v1/embeddables/revenue/draft', {
      document: {
        variables: [],
        datasets: [],
        widgets: [
          {
            id: 'rev',
            component: 'Revenue',
            position: { x: 0, y: 0 },
            dimensions: { width: 4, height: 2 },
            inputs: [],
          },
        ],
      },
    });
    const saved = await api('POST', '/api/v1/embeddables/revenue/saved-versions', {});
    await api('PUT', '/api/v1/embeddables/revenue/tags/production', { version: saved.version });
    const { token } = await api('POST', '/api/v1/security-token', {
      embeddableId: 'revenue',
      user: 'u-1',
      securityContext: { origins: TENANT },
    });
    pages.set(
      '/revenue',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<script type="module" src="${server.url}/embed/v1/inlay.js"></script>
</head><body><inlay-dashboard token="${token}"></inlay-dashboard></body></html>`,
    );
    const page = await browser.newPage();
    const chunk = build.manifest.components[0]!.imports.find((f) => f.endsWith('.js'))!;
    const module = build.manifest.components[0]!.file;
    const folder = `${server.url}/embed/v1/c/${version}/`;
    // The module's answer is held until its chunk has been asked for: only a preload asks that early.
    let chunkAsked!: () => void;
    const chunkRequested = new Promise<void>((resolve) => {
      chunkAsked = resolve;
    });
    await page.route(`${folder}${chunk}`, (route) => {
      chunkAsked();
      return route.continue();
    });
    await page.route(`${folder}${module}`, async (route) => {
      await Promise.race([chunkRequested, new Promise((r) => setTimeout(r, 10_000))]);
      return route.continue();
    });
    const asked: string[] = [];
    page.on('request', (r) => void asked.push(r.url()));
    try {
      const started = Date.now();
      await page.goto(`${hostOrigin}/revenue`);
      const text = page.locator('inlay-dashboard .custom');
      await expect.poll(() => text.textContent(), { timeout: 30_000 }).toBe('custom: from a chunk');
      expect(asked).toContain(`${folder}${module}`);
      expect(asked).toContain(`${folder}${chunk}`);
      // Without the preload the module would have waited out the 10 s.
      expect(Date.now() - started).toBeLessThan(9_000);
    } finally {
      await page.close();
    }
  }, 120_000);
});
