import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DashboardDocument, Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { buildApp, createProjectWorkspace, hashApiKey, type InlayApp } from '@inlay/server';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../../scripts/chromium.js';
import { createCatalog, type DashboardEntry } from '../../../server/src/dashboards/index.js';
import { API_KEY, AUTH } from '../../../server/test/helpers.js';
import { SECRET } from '../../../server/test/token-helpers.js';
import { buildEmbed, type EmbedManifest } from '../../src/build.js';
import { BROKEN_DASHBOARD, TEST_DASHBOARD } from './dashboard.js';

/**
 * A real Inlay server (flights demo on DuckDB, tokens from `POST /api/v1/security-token`, data
 * from `/api/v1/load`) serving the fixture-registry build at `/embed/v1/`, a host-page server on
 * another port (so the embed is cross-origin, under a strict CSP), and Chromium.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = path.resolve(HERE, '../../../../.artifacts/screenshots');

export interface Harness {
  app: InlayApp;
  inlayOrigin: string;
  hostOrigin: string;
  manifest: EmbedManifest;
  browser: Browser;
  /** Ground truth, straight from the DuckDB file (never through the engine). */
  duckdb: Driver;
  /** A token from the real route (API key), for tenant `states`. */
  token(states: string[], extra?: Record<string, unknown>): Promise<string>;
  /** Serves `html` at `path` on the host origin, with `csp` as its Content-Security-Policy. */
  page(path: string, html: string): void;
  /** The CSP every host page gets. */
  csp: string;
  close(): Promise<void>;
}

/** The host page's own (hostile) stylesheet and the event recorder: both from 'self', as the CSP wants. */
const HOST_CSS = `* { color: red !important; font-family: "Comic Sans MS", cursive !important; }
div, section, p, table { display: none !important; }
body { font-size: 40px; line-height: 3; }`;
const CAPTURE_JS = `window.__events = [];
window.__violations = [];
for (const type of ['componentsLoad', 'dataLoad', 'variablesChange', 'embeddableError', 'tokenExpiring']) {
  document.addEventListener(type, (e) => {
    window.__events.push({ type, id: e.target.id, detail: e.detail, at: performance.now() });
  });
}
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});`;

function catalogEntry(document: DashboardDocument): DashboardEntry {
  return {
    id: document.id,
    name: document.name,
    versions: ['production', 'staging', 'development', document.version],
    models: new Set(document.datasets.map((d) => d.model)),
    file: 'test/browser/dashboard.ts',
    definition: document,
  };
}

export async function startHarness(): Promise<Harness> {
  const distDir = await mkdtemp(path.join(tmpdir(), 'inlay-embed-dist-'));
  const manifest = await buildEmbed({
    outDir: distDir,
    registry: path.resolve(HERE, '../fixtures/registry.js'),
  });

  const app = buildApp({
    config: {
      apiKeyHash: hashApiKey(API_KEY),
      secretKey: SECRET,
      maxBodyBytes: 1024 * 1024,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
    },
    workspace: createProjectWorkspace({
      projectDir: flightsProjectDir,
      connection: { type: 'duckdb', credentials: { path: testDataPaths().duckdbPath } },
    }),
    // The hand-written documents as the workspace's dashboards: GET /api/v1/embed/dashboard serves them.
    dashboards: createCatalog([catalogEntry(TEST_DASHBOARD), catalogEntry(BROKEN_DASHBOARD)]),
    embedAssets: { distDir },
    logger: false,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const inlayOrigin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const pages = new Map<string, string>([
    ['/host.css', HOST_CSS],
    ['/capture.js', CAPTURE_JS],
  ]);
  const csp = `script-src 'self' ${inlayOrigin}; connect-src ${inlayOrigin}; style-src 'self'`;
  const host: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    const body = pages.get(url);
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    const type = url.endsWith('.css') ? 'text/css' : url.endsWith('.js') ? 'text/javascript' : 'text/html';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-security-policy': csp });
    res.end(body);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;

  // The workspace allows the host page's origin, as a product team would configure it.
  const settings = await app.inject({
    method: 'PUT',
    url: '/api/v1/workspace/settings',
    headers: AUTH,
    payload: { allowedOrigins: [hostOrigin] },
  });
  if (settings.statusCode !== 200) throw new Error(`workspace settings: ${settings.body}`);

  const browser = await launchChromium();
  const duckdb = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });

  return {
    app,
    inlayOrigin,
    hostOrigin,
    manifest,
    browser,
    duckdb,
    csp,
    async token(states, extra = {}) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/security-token',
        headers: AUTH,
        payload: { embeddableId: 'flights-overview', user: 'u-1', securityContext: { states }, ...extra },
      });
      if (res.statusCode !== 200) throw new Error(`security-token answered ${res.statusCode}: ${res.body}`);
      return res.json().token as string;
    },
    page(p, html) {
      pages.set(p, html);
    },
    async close() {
      await browser.close();
      await duckdb.close();
      await new Promise((resolve) => host.close(resolve));
      await app.close();
      await rm(distDir, { recursive: true, force: true });
    },
  };
}

const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** A host page: hostile CSS and the recorder from its own origin, `inlay.js` from Inlay's, then the elements. */
export function hostPage(
  inlayOrigin: string,
  embeds: { tag?: 'inlay-dashboard' | 'inlay-component'; id: string; attrs: Record<string, string> }[],
): string {
  const elements = embeds.map(({ tag = 'inlay-dashboard', id, attrs }) => {
    const list = Object.entries(attrs)
      .map(([k, v]) => ` ${k}="${attr(v)}"`)
      .join('');
    return `<${tag} id="${id}"${list}></${tag}>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme SaaS</title>
<link rel="stylesheet" href="/host.css">
<script src="/capture.js"></script>
<script type="module" src="${inlayOrigin}/embed/v1/inlay.js"></script>
</head><body><h1>Acme SaaS</h1>
${elements.join('\n')}
</body></html>`;
}
