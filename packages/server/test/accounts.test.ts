import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../src/accounts/bootstrap.js';
import { hashPassword, verifyPassword } from '../src/accounts/passwords.js';
import type { UserRole } from '../src/store/index.js';
import { cookieOf } from './helpers.js';
import { BACKENDS } from './store/helpers.js';
import { type StoreTestApp, storeTestApp } from './store-app.js';

/**
 * Builder accounts over HTTP on both metadata stores: the first admin, sign-in and its one
 * generic refusal, the throttle, sessions (cookie, CSRF, expiry, sign-out, disabling), one-time
 * links and roles. The attacks are tried, not only the happy path.
 */
const PASSWORD = 'correct horse battery staple';
const OWN = 'http://localhost:80';

describe.each(BACKENDS)('builder accounts on %s', (backend) => {
  let t: StoreTestApp;
  let clock = Date.now();
  beforeAll(async () => {
    t = await storeTestApp(backend, { now: () => clock });
  });
  afterAll(() => t.close());

  async function addUser(email: string, role: UserRole, password = PASSWORD) {
    const user = await t.store.users.create(t.workspaceId, { email, role });
    await t.store.accounts.setPassword(t.workspaceId, user.id, await hashPassword(password));
    return user;
  }
  const signIn = (email: string, password: string, ip = '10.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email, password },
      remoteAddress: ip,
      headers: { origin: OWN },
    });
  async function session(email: string) {
    const res = await signIn(email, PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: cookieOf(res), csrf: res.json().csrfToken as string };
  }

  it('the first start prints a one-time link; it signs up one admin, once; then starts print nothing', async () => {
    const first = await ensureFirstAdmin(t.store, t.workspaceId, undefined, () => clock);
    expect(first.kind).toBe('link');
    // A second start while nobody signed up: a new link, and the older one is withdrawn.
    const second = await ensureFirstAdmin(t.store, t.workspaceId, undefined, () => clock);
    if (first.kind !== 'link' || second.kind !== 'link') throw new Error('expected links');
    const signUp = (token: string, email: string, password = PASSWORD) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-up', payload: { token, email, password } });

    expect((await signUp(first.token, 'first@example.com')).statusCode).toBe(401);
    const short = await signUp(second.token, 'first@example.com', 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().errorMessage).toMatch(/12 to 256 characters/);
    const ok = await signUp(second.token, 'First@Example.com');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().user).toMatchObject({ email: 'first@example.com', role: 'admin' });
    const again = await signUp(second.token, 'other@example.com');
    expect(again.statusCode).toBe(401);
    expect(again.json().errorMessage).toMatch(/used already, has expired or never existed/);
    expect((await ensureFirstAdmin(t.store, t.workspaceId, undefined, () => clock)).kind).toBe('ready');
  });

  it('INLAY_ADMIN_EMAIL/PASSWORD make the first admin once and never overwrite an account', async () => {
    const place = await storeTestApp(backend);
    try {
      const made = await ensureFirstAdmin(place.store, place.workspaceId, {
        email: 'boss@example.com',
        password: PASSWORD,
      });
      expect(made).toEqual({ kind: 'created', email: 'boss@example.com' });
      const later = await ensureFirstAdmin(place.store, place.workspaceId, {
        email: 'boss@example.com',
        password: 'another password, not used',
      });
      expect(later.kind).toBe('ready');
      const creds = await place.store.accounts.credentials(place.workspaceId, 'boss@example.com');
      expect(await verifyPassword(PASSWORD, creds?.hash)).toBe(true);
      // Stored as a memory-hard hash, never as the password.
      expect(creds?.hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(creds?.hash).not.toContain(PASSWORD);
    } finally {
      await place.close();
    }
  });

  it('signs in with an HttpOnly cookie; a wrong password, an unknown email and a disabled user get one refusal', async () => {
    await addUser('ann@example.com', 'editor');
    const gone = await addUser('gone@example.com', 'editor');
    await t.store.users.disable(t.workspaceId, gone.id);

    const ok = await signIn('ANN@example.com', PASSWORD);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ email: 'ann@example.com', role: 'editor' });
    const setCookie = String(ok.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(ok.headers['cache-control']).toBe('no-store');

    const who = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: cookieOf(ok) },
    });
    expect(who.statusCode).toBe(200);
    expect(who.json()).toEqual({ user: ok.json().user, csrfToken: ok.json().csrfToken });

    const refusals = [
      await signIn('ann@example.com', 'wrong password here', '10.0.0.2'),
      await signIn('nobody@example.com', PASSWORD, '10.0.0.2'),
      await signIn('gone@example.com', PASSWORD, '10.0.0.2'),
      await signIn('not an email', PASSWORD, '10.0.0.2'),
    ];
    for (const r of refusals) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual({ errorMessage: 'wrong email or password', code: 'UNAUTHENTICATED' });
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    // The cookie's value is stored only as a digest, and no log line holds it or the password.
    const value = cookieOf(ok).split('=')[1]!;
    const rows = await t.store.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).not.toContain(value);
    for (const line of t.logs) {
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain(value);
    }
  });

  it('throttles repeated failures per account (429 with retry-after, even for the right password) and per address', async () => {
    await addUser('bob@example.com', 'viewer');
    for (let i = 0; i < 5; i++)
      expect((await signIn('bob@example.com', `wrong ${i}`, `10.1.0.${i}`)).statusCode).toBe(401);
    // Sixth wrong try: now locked. The right password changes nothing while the lock lasts.
    expect((await signIn('bob@example.com', 'wrong 5', '10.1.0.9')).statusCode).toBe(401);
    const locked = await signIn('bob@example.com', PASSWORD, '10.1.1.1');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json().errorMessage).toMatch(/too many failed sign-ins: try again in \d+ s/);
    clock += 31_000;
    expect((await signIn('bob@example.com', PASSWORD, '10.1.1.1')).statusCode).toBe(200);

    // One address trying many accounts: the address is locked, for every account.
    await addUser('carol@example.com', 'viewer');
    for (let i = 0; i < 21; i++) await signIn(`spray${i}@example.com`, 'guess', '10.9.9.9');
    const spray = await signIn('carol@example.com', PASSWORD, '10.9.9.9');
    expect(spray.statusCode).toBe(429);
    expect((await signIn('carol@example.com', PASSWORD, '10.9.9.10')).statusCode).toBe(200);
    clock += 16 * 60_000;
  });

  it('a change made with the cookie needs the CSRF header and this origin; a cross-site sign-in is refused', async () => {
    await addUser('dora@example.com', 'admin');
    const { cookie, csrf } = await session('dora@example.com');
    const settings = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/workspace/settings',
        payload: { allowedOrigins: ['https://evil.example'] },
        headers: { cookie, ...headers },
      });
    const noHeader = await settings({});
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().errorMessage).toMatch(/x-inlay-csrf/);
    expect((await settings({ 'x-inlay-csrf': 'forged' })).statusCode).toBe(403);
    expect((await settings({ 'x-inlay-csrf': csrf, origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await settings({ 'x-inlay-csrf': csrf, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    // Nothing changed by any of them.
    const now = await t.app.inject({ method: 'GET', url: '/api/v1/workspace/settings', headers: { cookie } });
    expect(now.statusCode).toBe(200);
    expect(JSON.stringify(now.json())).not.toContain('evil.example');
    // The page's own request goes through.
    const own = await settings({ 'x-inlay-csrf': csrf, origin: OWN, 'sec-fetch-site': 'same-origin' });
    expect(own.statusCode, own.body).toBe(200);
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/workspace/settings',
      payload: { allowedOrigins: [] },
      headers: { cookie, 'x-inlay-csrf': csrf },
    });

    const crossSignIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'dora@example.com', password: PASSWORD },
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSignIn.statusCode).toBe(403);
    expect(crossSignIn.json().errorMessage).toMatch(
      /Origin https:\/\/evil\.example is not this server: sign in from this server/,
    );
    expect(crossSignIn.headers['set-cookie']).toBeUndefined();

    // Sign-out is a change too: refused without the header, and the session lives on.
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } });
    expect(out.statusCode).toBe(403);
    const signedOut = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { cookie, 'x-inlay-csrf': csrf },
    });
    expect(signedOut.statusCode).toBe(204);
    expect(String(signedOut.headers['set-cookie'])).toMatch(/inlay_session=; Max-Age=0/);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('roles: viewers view and preview, editors cannot manage people, admins invite with one-time links', async () => {
    await addUser('erin@example.com', 'admin');
    await addUser('vic@example.com', 'viewer');
    const admin = await session('erin@example.com');
    const viewer = await session('vic@example.com');

    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      payload: { query: { measures: ['flights.count'] }, roles: ['admin'] },
      headers: { cookie: viewer.cookie, 'x-inlay-csrf': viewer.csrf },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/meta', headers: { cookie: viewer.cookie } }))
        .statusCode,
    ).toBe(200);
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { cookie: viewer.cookie },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().errorMessage).toMatch(/needs the admin role; vic@example.com is viewer/);

    const invite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/invitations',
      payload: { email: 'Ed@Example.com', role: 'editor' },
      headers: { cookie: admin.cookie, 'x-inlay-csrf': admin.csrf },
    });
    expect(invite.statusCode, invite.body).toBe(201);
    expect(invite.json()).toMatchObject({ email: 'ed@example.com', role: 'editor' });
    const link = new URL(invite.json().link as string);
    expect(link.pathname).toBe('/sign-up');
    const token = link.searchParams.get('token')!;
    const wrongPerson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-up',
      payload: { token, email: 'mallory@example.com', password: PASSWORD },
    });
    expect(wrongPerson.statusCode).toBe(401);
    expect(wrongPerson.json().errorMessage).toMatch(/made for another email address/);
    const ed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-up',
      payload: { token, email: 'ed@example.com', password: PASSWORD },
    });
    expect(ed.statusCode, ed.body).toBe(200);
    expect(ed.json().user).toMatchObject({ email: 'ed@example.com', role: 'editor' });
    const edCookie = cookieOf(ed);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: edCookie } })).statusCode,
    ).toBe(403);

    // Removing a user ends their sessions at once.
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { cookie: admin.cookie },
    });
    const edId = (list.json().users as { id: string; email: string }[]).find(
      (u) => u.email === 'ed@example.com',
    )!.id;
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${edId}`,
      headers: { cookie: admin.cookie, 'x-inlay-csrf': admin.csrf },
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().disabledAt).not.toBeNull();
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: edCookie } }))
        .statusCode,
    ).toBe(401);
  });

  it('sessions end after 7 idle days, and after 30 days however active', async () => {
    await addUser('fay@example.com', 'viewer');
    const idle = await session('fay@example.com');
    const ask = (cookie: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    clock += 6 * 24 * 3600_000;
    expect((await ask(idle.cookie)).statusCode).toBe(200);
    clock += 6 * 24 * 3600_000;
    expect((await ask(idle.cookie)).statusCode).toBe(200);
    clock += 8 * 24 * 3600_000;
    expect((await ask(idle.cookie)).statusCode).toBe(401);

    const busy = await session('fay@example.com');
    for (let day = 5; day <= 30; day += 5) {
      clock += 5 * 24 * 3600_000;
      expect((await ask(busy.cookie)).statusCode, `day ${day}`).toBe(200);
    }
    clock += 2 * 24 * 3600_000;
    expect((await ask(busy.cookie)).statusCode).toBe(401);
    // A made-up cookie is no session either.
    const forged = await ask('inlay_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(forged.statusCode).toBe(401);
    expect(forged.json().errorMessage).toMatch(/session has ended/);
  });
});

describe('passwords', () => {
  it('verify only the password they were made from; a malformed or missing hash verifies nothing', async () => {
    const hash = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD} `, hash)).toBe(false);
    expect(await verifyPassword(PASSWORD, null)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'scrypt$2$1$1$AAAA$AAAA')).toBe(false);
    // One changed key byte (not the last base64 character, whose low bits are only padding).
    const parts = hash.split('$');
    const key = Buffer.from(parts[5]!, 'base64url');
    key[0] = key[0]! ^ 1;
    parts[5] = key.toString('base64url');
    expect(await verifyPassword(PASSWORD, parts.join('$'))).toBe(false);
    expect(await hashPassword(PASSWORD)).not.toBe(hash);
  });
});
