import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/accounts/passwords.js';
import type { UserRole } from '../src/store/index.js';
import { AUTH, cookieOf } from './helpers.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * The route × identity matrix of the full (store-backed) server, builder sign-in included: every
 * route with who may call it and, for a signed-in user, the least role. A route missing here
 * fails the suite. Each identity is then tried on every route: no credentials, an ended session,
 * a viewer, an editor and an admin (with and without the CSRF header on changes), the API key.
 */
const EXPECTED: Record<string, string> = {
  'GET /api/openapi.json': 'public',
  'GET /docs/openapi.json': 'public',
  'GET /docs/openapi.yaml': 'public',
  'GET /docs': 'public',
  'GET /docs/': 'public',
  'GET /docs/js/scalar.js': 'public',
  'GET /healthz': 'public',
  // Open, or its own INLAY_METRICS_TOKEN (test/operations.test.ts).
  'GET /metrics': 'public',
  'GET /readyz': 'public',
  'GET /embed/v1/inlay.js': 'public',
  'GET /embed/v1/chunks/*': 'public',
  // A workspace's component files: code, never data, under a content hash.
  'GET /embed/v1/c/:version/*': 'public',
  'GET /': 'public',
  'GET /sign-up': 'public',
  'GET /dashboards': 'public',
  'GET /dashboards/*': 'public',
  'GET /settings': 'public',
  'GET /settings/*': 'public',
  'GET /builder/*': 'public',
  'POST /api/v1/auth/sign-in': 'public',
  'POST /api/v1/auth/sign-up': 'public',
  'GET /api/v1/auth/session': 'session/viewer',
  'POST /api/v1/auth/sign-out': 'session/viewer',
  'GET /api/v1/embed/dashboard': 'token',
  // Viewers view and preview.
  'POST /api/v1/load': 'apiKeyOrToken/viewer',
  'GET /api/v1/meta': 'apiKeyOrToken/viewer',
  'POST /api/v1/sql': 'apiKey/viewer',
  'GET /api/v1/embeddables': 'apiKey/viewer',
  'GET /api/v1/embeddables/:id/saved-versions': 'apiKey/viewer',
  'GET /api/v1/embeddables/:id': 'apiKey/viewer',
  'GET /api/v1/embeddables/:id/saved-versions/:version': 'apiKey/viewer',
  'GET /api/v1/embeddables/:id/download': 'apiKey/viewer',
  'GET /api/v1/presets': 'apiKey/viewer',
  'GET /api/v1/components': 'apiKey/viewer',
  // Editors make and publish dashboards.
  'POST /api/v1/embeddables': 'apiKey/editor',
  'PUT /api/v1/embeddables/:id/draft': 'apiKey/editor',
  'POST /api/v1/embeddables/:id/duplicate': 'apiKey/editor',
  'DELETE /api/v1/embeddables/:id': 'apiKey/editor',
  'POST /api/v1/embeddables/:id/saved-versions': 'apiKey/editor',
  'PUT /api/v1/embeddables/:id/tags/:tag': 'apiKey/editor',
  // Admins: users, API keys and tokens, connections, environments, models, settings, caches.
  'POST /api/v1/security-token': 'apiKey/admin',
  'GET /api/v1/workspace/settings': 'apiKey/admin',
  'PUT /api/v1/workspace/settings': 'apiKey/admin',
  'POST /api/v1/connections': 'apiKey/admin',
  'GET /api/v1/connections': 'apiKey/admin',
  'GET /api/v1/connections/:name': 'apiKey/admin',
  'PUT /api/v1/connections/:name': 'apiKey/admin',
  'DELETE /api/v1/connections/:name': 'apiKey/admin',
  'POST /api/v1/connections/test': 'apiKey/admin',
  'POST /api/v1/connections/:name/test': 'apiKey/admin',
  'POST /api/v1/connections/:name/schemas': 'apiKey/admin',
  'POST /api/v1/connections/:name/tables': 'apiKey/admin',
  'POST /api/v1/connections/:name/columns': 'apiKey/admin',
  'GET /api/v1/connection-types': 'apiKey/admin',
  'POST /api/v1/environments': 'apiKey/admin',
  'GET /api/v1/environments': 'apiKey/admin',
  'GET /api/v1/environments/:name': 'apiKey/admin',
  'PUT /api/v1/environments/:name': 'apiKey/admin',
  'DELETE /api/v1/environments/:name': 'apiKey/admin',
  'POST /api/v1/bundle/upload': 'apiKey/admin',
  'GET /api/v1/users': 'apiKey/admin',
  'POST /api/v1/users/invitations': 'apiKey/admin',
  'DELETE /api/v1/users/:id': 'apiKey/admin',
  'PUT /api/v1/users/:id/role': 'apiKey/admin',
  'GET /api/v1/api-keys': 'apiKey/admin',
  'POST /api/v1/api-keys': 'apiKey/admin',
  'DELETE /api/v1/api-keys/:id': 'apiKey/admin',
  'POST /api/v1/caching/refresh-contexts': 'apiKey/admin',
  'GET /api/v1/caching/pre-aggregations': 'apiKey/admin',
};

const RANK: Record<UserRole, number> = { viewer: 0, editor: 1, admin: 2 };
const PASSWORD = 'matrix password for everyone';

let t: StoreTestApp;
let rollups: string;
const sessions = {} as Record<UserRole, { cookie: string; csrf: string }>;

beforeAll(async () => {
  rollups = mkdtempSync(join(tmpdir(), 'inlay-matrix-'));
  t = await storeTestApp('sqlite', { preaggsDir: rollups });
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    const user = await t.store.users.create(t.workspaceId, { email: `${role}@example.com`, role });
    await t.store.accounts.setPassword(t.workspaceId, user.id, await hashPassword(PASSWORD));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: `${role}@example.com`, password: PASSWORD },
    });
    sessions[role] = { cookie: cookieOf(res), csrf: res.json().csrfToken };
  }
});
afterAll(async () => {
  await t.close();
  rmSync(rollups, { recursive: true, force: true });
});

const routes = () => t.app.routeTable.filter((r) => r.method !== 'HEAD');
const unsafe = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);
/** Names that exist nowhere, so a request that gets past auth changes nothing. */
const urlOf = (url: string) =>
  url
    .replace(':name', 'no-such-thing')
    .replace(':id', 'no-such-id')
    .replace(':version', 'v1')
    .replace(':tag', 'staging')
    .replace('*', 'none.js');

function call(method: string, url: string, headers: Record<string, string>) {
  return t.app.inject({
    method: method as 'GET',
    url: urlOf(url),
    headers,
    // Invalid on purpose where a body is read: past auth it is a 400, never a change.
    ...(unsafe(method) ? { payload: { matrix: true } } : {}),
  });
}

describe('store-backed route × identity matrix (builder accounts)', () => {
  it('every route is classified in the table, with its least role for signed-in users', () => {
    const actual = Object.fromEntries(
      routes().map((r) => [`${r.method} ${r.url}`, `${r.auth}${r.role ? `/${r.role}` : ''}`]),
    );
    expect(actual).toEqual(EXPECTED);
  });

  it('each signed-in role gets in exactly where its role reaches: 403 below it, never 401/403 at or above it', async () => {
    // Signing out would end the session the rest of the loop uses (test/accounts.test.ts has it).
    const sessionRoutes = routes().filter((r) => r.role && r.url !== '/api/v1/auth/sign-out');
    expect(sessionRoutes.length).toBeGreaterThanOrEqual(30);
    for (const r of sessionRoutes) {
      for (const role of ['viewer', 'editor', 'admin'] as const) {
        const { cookie, csrf } = sessions[role];
        const res = await call(r.method, r.url, { cookie, 'x-inlay-csrf': csrf });
        const where = `${r.method} ${r.url} as ${role}`;
        if (RANK[role] < RANK[r.role!]) {
          expect(res.statusCode, `${where}: ${res.body}`).toBe(403);
          expect(res.json().errorMessage, where).toMatch(/needs the \w+ role/);
        } else {
          expect([401, 403], `${where}: ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
        }
      }
    }
  });

  it('a change with the cookie but without the CSRF header, or from another origin, is refused on every route', async () => {
    const { cookie, csrf } = sessions.admin;
    for (const r of routes().filter((x) => x.role && unsafe(x.method))) {
      const bare = await call(r.method, r.url, { cookie });
      expect(bare.statusCode, `${r.method} ${r.url}`).toBe(403);
      const foreign = await call(r.method, r.url, {
        cookie,
        'x-inlay-csrf': csrf,
        origin: 'https://evil.example',
      });
      expect(foreign.statusCode, `${r.method} ${r.url} from another origin`).toBe(403);
    }
  });

  it('no credentials and an ended session get 401 everywhere but public routes; token-only routes refuse sessions', async () => {
    const ended = 'inlay_session=this-session-never-existed-0123456789abcdef';
    for (const r of routes().filter((x) => x.auth !== 'public')) {
      expect((await call(r.method, r.url, {})).statusCode, `${r.method} ${r.url}`).toBe(401);
      const res = await call(r.method, r.url, { cookie: ended, 'x-inlay-csrf': 'x' });
      expect(res.statusCode, `${r.method} ${r.url} with an ended session`).toBe(401);
    }
    for (const r of routes().filter((x) => x.auth === 'token')) {
      const res = await call(r.method, r.url, { cookie: sessions.admin.cookie });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('the API key acts as an admin on every route that takes it (no CSRF header needed: it is not a cookie)', async () => {
    for (const r of routes().filter((x) => x.auth === 'apiKey' || x.auth === 'apiKeyOrToken')) {
      const res = await call(r.method, r.url, AUTH);
      expect([401, 403], `${r.method} ${r.url}: ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
    }
  });
});
