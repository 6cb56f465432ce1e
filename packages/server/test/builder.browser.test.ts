import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignHosts, launchChromium, recordRequests } from '../../../scripts/chromium.js';
import { BUILDER_CSP, builderAssetRoutes } from '../src/routes/builder-assets.js';

/**
 * The builder's shell in Chromium: sign in (wrong password, rate limited, right), the signed-in
 * frame with the dashboards list, sign out, keyboard only, the one-time sign-up page, light,
 * dark and 375 px. The page is served by `builderAssetRoutes` (its default build, into a temp
 * folder); the auth routes and the list are a small fake here: this tests the page, the real
 * auth is tested with the server.
 */

const SHOTS = '.artifacts/screenshots';
const PASSWORD = 'correct horse battery';
const SIGN_UP_TOKEN = 'one-time-sign-up-token';

interface FakeUser {
  id: string;
  email: string;
  role: 'admin' | 'editor' | 'viewer';
  password: string;
}

/** What the fake server saw: every API call, with the CSRF header it carried. */
interface Call {
  method: string;
  url: string;
  csrf: string | undefined;
}

function fakeAuth(app: FastifyInstance, calls: Call[]) {
  const users = new Map<string, FakeUser>([
    ['ada@example.com', { id: 'u1', email: 'ada@example.com', role: 'admin', password: PASSWORD }],
    ['vic@example.com', { id: 'u2', email: 'vic@example.com', role: 'viewer', password: PASSWORD }],
  ]);
  const sessions = new Map<string, { email: string; csrfToken: string }>();
  let signUpUsed = false;

  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/api/')) {
      calls.push({
        method: req.method,
        url: req.url,
        csrf: req.headers['x-inlay-csrf'] as string | undefined,
      });
    }
  });
  const sessionOf = (req: FastifyRequest) => {
    const sid = /(?:^|;\s*)inlay_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    return sid ? { sid, session: sessions.get(sid) } : undefined;
  };
  const answer = (email: string) => {
    const user = users.get(email)!;
    const session = [...sessions.values()].find((s) => s.email === email)!;
    return {
      user: { id: user.id, email: user.email, role: user.role, displayName: null },
      csrfToken: session.csrfToken,
    };
  };
  const signIn = (reply: FastifyReply, email: string) => {
    const sid = randomBytes(16).toString('hex');
    sessions.set(sid, { email, csrfToken: randomBytes(16).toString('hex') });
    reply.header('set-cookie', `inlay_session=${sid}; Path=/; HttpOnly; SameSite=Lax`);
    return answer(email);
  };
  const fail = (reply: FastifyReply, status: number, errorMessage: string) =>
    reply.code(status).send({ errorMessage });

  app.get('/api/v1/auth/session', async (req, reply) => {
    const found = sessionOf(req)?.session;
    return found ? answer(found.email) : fail(reply, 401, 'not signed in');
  });
  app.post('/api/v1/auth/sign-in', async (req, reply) => {
    const { email, password } = (req.body ?? {}) as { email?: string; password?: string };
    if (typeof email !== 'string' || typeof password !== 'string') return fail(reply, 400, 'body: invalid');
    if (email === 'locked@example.com') {
      reply.header('retry-after', '120');
      return fail(reply, 429, 'too many sign-in attempts');
    }
    const user = users.get(email);
    if (!user || user.password !== password) return fail(reply, 401, 'wrong email or password');
    return signIn(reply, email);
  });
  app.post('/api/v1/auth/sign-up', async (req, reply) => {
    const { token, email, password } = (req.body ?? {}) as Record<string, string | undefined>;
    if (token !== SIGN_UP_TOKEN || signUpUsed) return fail(reply, 401, 'this sign-up link is not valid');
    if (!email || !password || password.length < 12) return fail(reply, 400, 'body: invalid');
    if (users.has(email)) return fail(reply, 409, 'an account with this email exists');
    signUpUsed = true;
    users.set(email, { id: 'u3', email, role: 'admin', password });
    return signIn(reply, email);
  });
  app.post('/api/v1/auth/sign-out', async (req, reply) => {
    const found = sessionOf(req);
    if (!found?.session) return fail(reply, 401, 'not signed in');
    if (req.headers['x-inlay-csrf'] !== found.session.csrfToken)
      return fail(reply, 403, 'missing CSRF token');
    sessions.delete(found.sid);
    reply.header('set-cookie', 'inlay_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    return reply.code(204).send();
  });
  app.get('/api/v1/embeddables', async (req, reply) => {
    const found = sessionOf(req)?.session;
    if (!found) return fail(reply, 401, 'not signed in');
    if (users.get(found.email)?.role === 'viewer') return fail(reply, 403, 'viewers may not list dashboards');
    const all = [
      {
        id: 'd-1',
        name: 'flights-overview',
        title: 'Flights overview',
        source: 'code',
        latestVersion: 'v4',
        tags: { production: 'v3', staging: 'v4' },
        draftUpdatedAt: null,
      },
      {
        id: 'd-2',
        name: 'revenue-by-plan',
        title: 'Revenue by plan',
        source: 'builder',
        latestVersion: null,
        tags: {},
        draftUpdatedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      },
    ];
    const words = String((req.query as { search?: string }).search ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean);
    return {
      embeddables: all.filter((d) => words.every((w) => `${d.name} ${d.title}`.toLowerCase().includes(w))),
    };
  });
}

let app: FastifyInstance;
let url: string;
let host: string;
let distDir: string;
let browser: Browser;
const calls: Call[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  distDir = mkdtempSync(join(tmpdir(), 'inlay-builder-dist-'));
  app = Fastify({ logger: false });
  // No `build`: the plugin's own (buildBuilder from @inlay/builder), into an empty folder.
  await app.register(builderAssetRoutes, { distDir });
  fakeAuth(app, calls);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  host = new URL(url).host;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  rmSync(distDir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  requests: string[];
  /** Console errors and CSP violations: there must be none. */
  problems: string[];
  close: () => Promise<void>;
}

async function open(path: string, options: BrowserContextOptions = {}): Promise<Opened> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    ...options,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const requests = await recordRequests(page, host);
  await page.goto(`${url}${path}`);
  return { page, requests, problems, close: () => context.close() };
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const alertText = async (page: Page, text: RegExp) => {
  await page.getByRole('alert').filter({ hasText: text }).waitFor({ timeout: 10_000 });
  return (await page.getByRole('alert').filter({ hasText: text }).textContent()) ?? '';
};

async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signedInHome(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 10_000 });
  await page
    .getByRole('table')
    .or(page.getByRole('alert').filter({ hasText: /./ }))
    .first()
    .waitFor();
}

/** Each row as [name, title, then each cell's text]: what the table shows, cell by cell. */
async function dashboardRows(page: Page): Promise<string[][]> {
  return page
    .getByRole('table')
    .evaluate((t) =>
      [...t.querySelectorAll('tbody tr')].map((tr) => [
        tr.querySelector('.name')?.textContent ?? '',
        tr.querySelector('.subtitle')?.textContent ?? '',
        ...[...tr.querySelectorAll('td')].map((td) =>
          td.querySelector('li')
            ? [...td.querySelectorAll('li')].map((li) => li.textContent).join(', ')
            : (td.textContent ?? ''),
        ),
      ]),
    );
}

const h1s = (page: Page) => page.locator('h1').allTextContents();

describe('the builder shell in Chromium', () => {
  it('serves its files: entry revalidated, chunks immutable, gzip when accepted, nothing else', async () => {
    const page = await fetch(`${url}/sign-up?token=x`, { headers: { 'accept-encoding': 'identity' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    const entry = await fetch(`${url}/builder/app.js`);
    expect(entry.headers.get('cache-control')).toBe('no-cache');
    expect(entry.headers.get('content-encoding')).toBe('gzip');
    const etag = entry.headers.get('etag')!;
    const again = await fetch(`${url}/builder/app.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const chunk = /import\("\.\/(chunks\/[^"]+)"\)/.exec(await entry.text())![1];
    const hashed = await fetch(`${url}/builder/${chunk}`);
    expect(hashed.status).toBe(200);
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await fetch(`${url}/builder/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(html).toContain('/builder/app.css');
    for (const other of [
      'manifest.json',
      'index.html',
      'chunks/nope.js',
      '..%2Fpackage.json',
      'chunks/..%2Fapp.js',
      'chunks%2F..%2F..%2Fapp.js',
    ]) {
      expect((await fetch(`${url}/builder/${other}`)).status, other).toBe(404);
    }
  });

  it('serves the page under its CSP; a wrong password and a rate limit show in the alert', async () => {
    const res = await fetch(`${url}/`);
    expect(res.headers.get('content-security-policy')).toBe(BUILDER_CSP);
    expect(res.headers.get('cache-control')).toBe('no-cache');

    const { page, requests, problems, close } = await open('/');
    await field(page, 'Email').waitFor();
    expect(await h1s(page)).toEqual(['Sign in']);
    expect(await field(page, 'Email').getAttribute('type')).toBe('email');
    expect(await field(page, 'Email').getAttribute('autocomplete')).toBe('username');
    expect(await field(page, 'Password').getAttribute('type')).toBe('password');
    expect(await field(page, 'Password').getAttribute('autocomplete')).toBe('current-password');

    await signIn(page, 'ada@example.com', 'not the password');
    expect(await alertText(page, /wrong email or password/i)).toBe('Wrong email or password.');
    // The password is cleared and focused for the next try; the email stays.
    expect(await field(page, 'Password').inputValue()).toBe('');
    expect(await field(page, 'Email').inputValue()).toBe('ada@example.com');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('password');
    await page.screenshot({ path: `${SHOTS}/builder-sign-in-error-light.png` });

    await signIn(page, 'locked@example.com');
    expect(await alertText(page, /too many/i)).toBe('Too many sign-in attempts. Try again in 2 minutes.');
    expect(foreignHosts(requests, host)).toEqual([]);
    expect(problems.filter((p) => !/status of (401|429)/.test(p))).toEqual([]);
    await close();
  });

  it('the right password shows the frame (email, role, sign out) and the dashboards; sign out returns to the form', async () => {
    const { page, requests, problems, close } = await open('/');
    await signIn(page, 'ada@example.com');
    await signedInHome(page);
    const banner = page.getByRole('banner');
    expect(await banner.textContent()).toMatch(/^Inlay.*ada@example\.com.*role: admin.*Sign out$/);
    expect(await h1s(page)).toEqual(['Dashboards']);
    expect(await page.getByRole('table', { name: 'Dashboards' }).count()).toBe(1);
    // Name, title, source, latest version, tags, draft saved, then the change buttons (an admin).
    expect(await dashboardRows(page)).toEqual([
      [
        'flights-overview',
        'Flights overview',
        'code (read-only)',
        'v4',
        'production: v3, staging: v4',
        '—none',
        'Duplicate',
      ],
      ['revenue-by-plan', 'Revenue by plan', 'builder', '—none', 'none', '5 minutes ago', 'DuplicateDelete'],
    ]);
    await page.screenshot({ path: `${SHOTS}/builder-home-light.png` });

    // A reload stays signed in (the cookie).
    await page.reload();
    await signedInHome(page);

    const before = calls.length;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await field(page, 'Email').waitFor();
    expect(await h1s(page)).toEqual(['Sign in']);
    const signOut = calls.slice(before).find((c) => c.url === '/api/v1/auth/sign-out');
    expect(signOut?.method).toBe('POST');
    expect(signOut?.csrf).toMatch(/^[0-9a-f]{32}$/);
    // Signed out on the server too.
    await page.reload();
    await field(page, 'Email').waitFor();
    expect(foreignHosts(requests, host)).toEqual([]);
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await close();
  });

  it('signs in with the keyboard only (Tab, type, Enter), with a visible focus ring', async () => {
    const { page, close } = await open('/');
    await field(page, 'Email').waitFor();
    await page.keyboard.press('Tab');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return {
          label: (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent,
          outline: `${style.outlineStyle} ${style.outlineWidth}`,
        };
      });
    expect(await focused()).toEqual({ label: 'Email', outline: 'solid 3px' });
    await page.keyboard.type('ada@example.com');
    await page.keyboard.press('Tab');
    expect((await focused()).label).toBe('Password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ label: 'Sign in', outline: 'solid 3px' });
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await signedInHome(page);
    // Focus moved to the new page's heading; the next Tab reaches Sign out, and Enter signs out.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Dashboards');
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).label).toBe('Sign out');
    await page.keyboard.press('Enter');
    await field(page, 'Email').waitFor();
    await close();
  });

  it('shows the list’s 403 as its error text', async () => {
    const { page, close } = await open('/');
    await signIn(page, 'vic@example.com');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await alertText(page, /viewers/i)).toBe('Viewers may not list dashboards.');
    expect(await page.getByRole('table').count()).toBe(0);
    await close();
  });

  it('the sign-up page refuses a short or mismatched password without a request, then creates the account', async () => {
    const { page, requests, problems, close } = await open(`/sign-up?token=${SIGN_UP_TOKEN}`);
    await field(page, 'Confirm password').waitFor();
    expect(await h1s(page)).toEqual(['Create your account']);
    for (const label of ['Password', 'Confirm password']) {
      expect(await field(page, label).getAttribute('autocomplete')).toBe('new-password');
    }
    const signUps = () => calls.filter((c) => c.url === '/api/v1/auth/sign-up').length;
    const before = signUps();

    await field(page, 'Email').fill('grace@example.com');
    await field(page, 'Password').fill('short');
    await field(page, 'Confirm password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await alertText(page, /at least 12/)).toBe('The password needs at least 12 characters.');

    await field(page, 'Password').fill('a long enough password');
    await field(page, 'Confirm password').fill('a long enough passw0rd');
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await alertText(page, /match/)).toBe('The two passwords do not match.');
    expect(await field(page, 'Confirm password').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: `${SHOTS}/builder-sign-up-light.png` });
    expect(signUps()).toBe(before);

    await field(page, 'Confirm password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await signedInHome(page);
    expect(signUps()).toBe(before + 1);
    expect(await page.getByRole('banner').textContent()).toContain('grace@example.com');
    // The spent link is gone from the address bar.
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/');
    expect(foreignHosts(requests, host)).toEqual([]);
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await close();
  });

  it('looks right in dark mode and at 375 px wide (screenshots)', async () => {
    const dark = await open('/', { colorScheme: 'dark' });
    await field(dark.page, 'Email').waitFor();
    const background = () => dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(14, 17, 22)');
    await dark.page.screenshot({ path: `${SHOTS}/builder-sign-in-dark.png` });
    await signIn(dark.page, 'ada@example.com', 'wrong');
    await alertText(dark.page, /wrong/i);
    await dark.page.screenshot({ path: `${SHOTS}/builder-sign-in-error-dark.png` });
    await signIn(dark.page, 'ada@example.com');
    await signedInHome(dark.page);
    await dark.page.screenshot({ path: `${SHOTS}/builder-home-dark.png` });
    await dark.close();

    const narrow = await open('/', { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const overflow = () => narrow.page.evaluate(() => document.documentElement.scrollWidth);
    await field(narrow.page, 'Email').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(375);
    await narrow.page.screenshot({ path: `${SHOTS}/builder-sign-in-375.png` });
    await signIn(narrow.page, 'ada@example.com');
    await signedInHome(narrow.page);
    expect(await overflow()).toBeLessThanOrEqual(375);
    await narrow.page.screenshot({ path: `${SHOTS}/builder-home-375.png`, fullPage: true });
    await narrow.close();
  });
});
