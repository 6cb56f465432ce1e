import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/accounts/passwords.js';
import { API_KEY, cookieOf } from './helpers.js';
import { apiCaller, type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * What the builder's Settings pages ask beyond the Embeddable-shaped API: API keys (made once,
 * used, revoked: 401 at once despite the verify cache), the connection edit form's settings and
 * "leave the password blank to keep it", and a role change, never of oneself.
 */
const QUESTDB = new URL(process.env.QUESTDB_URL ?? 'postgres://admin:quest@127.0.0.1:8812/qdb');
const PASSWORD = 'admin api test passphrase';
// Distinctive, so a scan of bodies and logs cannot miss it or match it by accident.
const NEW_PASSWORD = 'Kx9-distinctive-new-Pa55-q2w';

let t: StoreTestApp;
const bodies: string[] = [];
const call = apiCaller(() => t, bodies);
let admin: { cookie: string; csrf: string; id: string };

beforeAll(async () => {
  t = await storeTestApp('sqlite');
  for (const role of ['admin', 'editor'] as const) {
    const user = await t.store.users.create(t.workspaceId, { email: `${role}@example.com`, role });
    await t.store.accounts.setPassword(t.workspaceId, user.id, await hashPassword(PASSWORD));
  }
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email: 'admin@example.com', password: PASSWORD },
  });
  admin = { cookie: cookieOf(res), csrf: res.json().csrfToken, id: res.json().user.id };
});
afterAll(() => t.close());

const asAdmin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: { cookie: admin.cookie, 'x-inlay-csrf': admin.csrf },
    ...(payload ? { payload } : {}),
  });
const withKey = (key: string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/meta', headers: { authorization: `Bearer ${key}` } });

describe('API keys', () => {
  it('made once, used with Authorization: Bearer, revoked: the next request is a 401', async () => {
    const made = await asAdmin('POST', '/api/v1/api-keys', { name: 'billing backend' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const key = made.json();
    expect(key).toMatchObject({ name: 'billing backend', revokedAt: null, configured: false });
    expect(key.key.startsWith(key.prefix)).toBe(true);

    // Twice, so the second answer comes from the verify cache: the revoke must clear it.
    expect((await withKey(key.key)).statusCode).toBe(200);
    expect((await withKey(key.key)).statusCode).toBe(200);

    const list = await asAdmin('GET', '/api/v1/api-keys');
    expect(list.json().apiKeys).toEqual([
      {
        id: key.id,
        name: 'billing backend',
        prefix: key.prefix,
        createdAt: key.createdAt,
        revokedAt: null,
        configured: false,
      },
    ]);
    expect(list.body).not.toContain(key.key);

    expect((await asAdmin('DELETE', `/api/v1/api-keys/${key.id}`)).statusCode).toBe(204);
    const after = await withKey(key.key);
    expect(after.statusCode).toBe(401);
    expect(after.json().errorMessage).toMatch(/^invalid API key/);
    expect((await asAdmin('GET', '/api/v1/api-keys')).json().apiKeys[0].revokedAt).toEqual(
      expect.any(String),
    );
    // Revoked already, or never existed: 404.
    expect((await asAdmin('DELETE', `/api/v1/api-keys/${key.id}`)).statusCode).toBe(404);
    expect((await asAdmin('DELETE', '/api/v1/api-keys/no-such-key')).statusCode).toBe(404);

    // The key never reaches a log line (only its id and prefix do).
    const logged = t.logs.join('\n');
    expect(logged).toContain(key.id);
    expect(logged).not.toContain(key.key);
  });

  it('the OpenAPI document has the key routes with their schemas', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const keys = spec.paths['/api/v1/api-keys'];
    expect(Object.keys(keys).sort()).toEqual(['get', 'post']);
    expect(keys.post.requestBody.content['application/json'].schema).toBeDefined();
    expect(Object.keys(keys.post.responses)).toContain('201');
    expect(spec.paths['/api/v1/api-keys/{id}'].delete.responses).toHaveProperty('404');
    expect(spec.paths['/api/v1/users/{id}/role'].put).toBeDefined();
  });

  it("another workspace's key is a 404, and stays live", async () => {
    const other = (await t.store.workspaces.create({ name: 'other' })).id;
    const foreign = await t.store.apiKeys.create(other, { name: 'theirs' });
    expect((await call('DELETE', `/api/v1/api-keys/${foreign.id}`)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/api-keys')).body).not.toContain(foreign.id);
    // It still works, on its own workspace.
    const theirs = await t.app.inject({
      method: 'GET',
      url: '/api/v1/api-keys',
      headers: { authorization: `Bearer ${foreign.key}` },
    });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().apiKeys.map((k: { id: string }) => k.id)).toEqual([foreign.id]);
  });

  it("the server's own key is marked and cannot be revoked here", async () => {
    await t.store.apiKeys.create(t.workspaceId, { key: API_KEY });
    const listed = (await call('GET', '/api/v1/api-keys')).json().apiKeys;
    const own = listed.find((k: { configured: boolean }) => k.configured);
    expect(own).toMatchObject({ name: null, revokedAt: null });
    const res = await call('DELETE', `/api/v1/api-keys/${own.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().errorMessage).toContain('INLAY_API_KEY');
  });

  it('a name is required and checked; an editor is refused with a 403', async () => {
    const res = await asAdmin('POST', '/api/v1/api-keys', { name: '  ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errorMessage).toMatch(/name the key/);
    const editor = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'editor@example.com', password: PASSWORD },
    });
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/v1/api-keys',
      headers: { cookie: cookieOf(editor) },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('disabling the admin who made a key revokes it at once', async () => {
    const other = await t.store.users.create(t.workspaceId, { email: 'second@example.com', role: 'admin' });
    await t.store.accounts.setPassword(t.workspaceId, other.id, await hashPassword(PASSWORD));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'second@example.com', password: PASSWORD },
    });
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie: cookieOf(res), 'x-inlay-csrf': res.json().csrfToken },
      payload: { name: 'made by second' },
    });
    const { key } = made.json();
    expect((await withKey(key)).statusCode).toBe(200);
    expect((await asAdmin('DELETE', `/api/v1/users/${other.id}`)).statusCode).toBe(200);
    expect((await withKey(key)).statusCode).toBe(401);
  });
});

describe('users', () => {
  it('an admin changes a role, but neither removes nor changes themself', async () => {
    const viewer = await t.store.users.create(t.workspaceId, { email: 'v@example.com', role: 'viewer' });
    const res = await asAdmin('PUT', `/api/v1/users/${viewer.id}/role`, { role: 'editor' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ email: 'v@example.com', role: 'editor' });
    expect((await t.store.users.get(t.workspaceId, viewer.id)).role).toBe('editor');

    const self = await asAdmin('DELETE', `/api/v1/users/${admin.id}`);
    expect(self.statusCode).toBe(409);
    expect(self.json().errorMessage).toMatch(/^you cannot remove yourself/);
    expect((await asAdmin('PUT', `/api/v1/users/${admin.id}/role`, { role: 'viewer' })).statusCode).toBe(409);
    const bad = await asAdmin('PUT', `/api/v1/users/${viewer.id}/role`, { role: 'owner' });
    expect(bad.statusCode).toBe(400);
  });

  it('the last active admin keeps the role (409), whoever asks', async () => {
    const users = (await call('GET', '/api/v1/users')).json().users;
    const admins = users.filter(
      (u: { role: string; disabledAt: string | null }) => u.role === 'admin' && !u.disabledAt,
    );
    expect(admins.map((u: { email: string }) => u.email)).toEqual(['admin@example.com']);
    const res = await call('PUT', `/api/v1/users/${admin.id}/role`, { role: 'editor' });
    expect(res.statusCode).toBe(409);
    expect(res.json().errorMessage).toContain('last active admin');
  });
});

describe('connection edit form', () => {
  const parts = {
    host: QUESTDB.hostname,
    port: Number(QUESTDB.port || 8812),
    user: decodeURIComponent(QUESTDB.username),
    database: QUESTDB.pathname.slice(1) || 'qdb',
  };
  const password = decodeURIComponent(QUESTDB.password);

  it('shows settings without the password; a blank password keeps the saved one', async () => {
    const made = await call('POST', '/api/v1/connections', {
      name: 'qdb',
      type: 'questdb',
      credentials: { ...parts, password },
    });
    expect(made.statusCode, made.body).toBe(201);
    const one = (await call('GET', '/api/v1/connections/qdb')).json();
    expect(one.settings).toEqual({ ...parts, hasPassword: true });

    // The form sends what it shows; the password is filled in from the saved one.
    const tested = await call('POST', '/api/v1/connections/test', {
      type: 'questdb',
      credentials: parts,
      passwordFrom: 'qdb',
    });
    expect(tested.statusCode, tested.body).toBe(200);
    expect(tested.json()).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    // Without passwordFrom the same values are refused before anything is contacted.
    const without = await call('POST', '/api/v1/connections/test', { type: 'questdb', credentials: parts });
    expect(without.statusCode).toBe(400);
    expect(without.json().errorMessage).toContain('password is required');

    const kept = await call('PUT', '/api/v1/connections/qdb', {
      type: 'questdb',
      credentials: { ...parts, port: String(parts.port) },
      keepPassword: true,
    });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(await t.store.connections.credentials(t.workspaceId, 'qdb')).toMatchObject({ password });
    // A new password replaces it.
    await call('PUT', '/api/v1/connections/qdb', {
      type: 'questdb',
      credentials: { ...parts, password: NEW_PASSWORD },
      keepPassword: true,
    });
    expect(await t.store.connections.credentials(t.workspaceId, 'qdb')).toMatchObject({
      password: NEW_PASSWORD,
    });
    const wrong = await call('POST', '/api/v1/connections/qdb/test');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('CONNECTION_AUTH');
  });

  it('a URL connection is shown as its parts, without its password', async () => {
    await call('POST', '/api/v1/connections', {
      name: 'by-url',
      type: 'postgres',
      credentials: { url: 'postgres://reader:s3cret-pw@db.example:6543/sales?sslmode=require' },
    });
    const one = await call('GET', '/api/v1/connections/by-url');
    expect(one.json().settings).toEqual({
      host: 'db.example',
      port: 6543,
      database: 'sales',
      user: 'reader',
      ssl: true,
      hasPassword: true,
    });
    expect(one.body).not.toContain('s3cret-pw');
  });

  it('no answer and no log line holds a key header or a password', () => {
    expect(bodies.length).toBeGreaterThan(5);
    for (const b of bodies) expect(b).not.toContain(NEW_PASSWORD);
    for (const line of t.logs) {
      expect(line).not.toContain(NEW_PASSWORD);
      expect(line).not.toContain(API_KEY);
    }
  });
});
