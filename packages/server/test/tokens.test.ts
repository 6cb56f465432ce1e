import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDashboards } from '../src/dashboards/index.js';
import { createTokenService, deriveTokenKey } from '../src/tokens/index.js';
import type { TestApp } from './helpers.js';
import {
  bearer,
  claims,
  forge,
  issue,
  SECRET,
  tamper,
  tokenApp,
  tokenFor,
  unsigned,
} from './token-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = tokenApp();
  await t.app.ready();
});
afterAll(() => t.app.close());

const COUNT = { query: { measures: ['flights.count'] } };

/** A token for user `u` of the demo dashboard, signed by the service itself (no HTTP). */
const signDirect = (
  service: ReturnType<typeof createTokenService>,
  expiryInSeconds: number,
  securityContext: Record<string, unknown>,
) =>
  service.sign('default', {
    embeddableId: 'flights-overview',
    savedVersion: 'production',
    expiryInSeconds,
    securityContext,
    user: 'u',
  });
const load = (headers: Record<string, string>, payload: unknown = COUNT, url = '/api/v1/load') =>
  t.app.inject({ method: 'POST', url, headers, payload: payload as object });

describe('POST /api/v1/security-token', () => {
  it('issues an HS256 JWT with the claims, defaults filled in', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = await tokenFor(t, { securityContext: { states: ['CA'] } });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const c = decodeJwt(token);
    expect(c).toMatchObject({
      sub: 'u-1',
      aud: 'inlay-embed',
      iss: 'inlay',
      workspaceId: 'default',
      embeddableId: 'flights-overview',
      savedVersion: 'production',
      environment: 'default',
      securityContext: { states: ['CA'] },
      roles: [],
      filters: [],
    });
    expect(c.exp! - c.iat!).toBe(7 * 24 * 3600);
    expect(c.iat!).toBeGreaterThanOrEqual(before);
    expect(typeof c.jti).toBe('string');
    // Two tokens for the same request are distinct.
    expect(decodeJwt(await tokenFor(t, {})).jti).not.toBe(c.jti);
  });

  it('an unknown dashboard is a 404 naming it and the known ones', async () => {
    const res = await issue(t, { embeddableId: 'nope', user: 'u', securityContext: {} });
    expect(res.statusCode).toBe(404);
    expect(res.json().errorMessage).toContain("'nope'");
    expect(res.json().errorMessage).toContain('flights-overview');
    expect(res.json().token).toBeUndefined();
  });

  it('an unknown saved version is a 404; a tag or the version itself is fine', async () => {
    const bad = await issue(t, { embeddableId: 'flights-overview', user: 'u', savedVersion: 'v9' });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().errorMessage).toContain("'v9'");
    for (const v of ['v1', 'staging']) await tokenFor(t, { savedVersion: v });
  });

  it('refuses a lifetime over 30 days, a missing user and unknown fields with a 400', async () => {
    const cases = [
      { embeddableId: 'flights-overview', user: 'u', expiryInSeconds: 31 * 24 * 3600 },
      { embeddableId: 'flights-overview' },
      { embeddableId: 'flights-overview', user: 'u', admin: true },
    ];
    for (const body of cases) {
      const res = await issue(t, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().token).toBeUndefined();
    }
  });

  it('refuses claims too large for an Authorization header, and issues ones that fit', async () => {
    const big = await issue(t, {
      embeddableId: 'flights-overview',
      user: 'u',
      securityContext: { note: 'x'.repeat(20_000) },
    });
    expect(big.statusCode).toBe(400);
    expect(big.json().errorMessage).toContain('at most 8192 fit');
    expect(big.json().errorMessage.length).toBeLessThan(300);
    expect(big.json().token).toBeUndefined();
    const fits = await issue(t, {
      embeddableId: 'flights-overview',
      user: 'u',
      securityContext: { note: 'x'.repeat(6_000) },
    });
    expect(fits.statusCode).toBe(200);
    // What an 8 KB claim set becomes must still pass Node's 16 KB header limit.
    expect((fits.json().token as string).length).toBeLessThan(16 * 1024 - 100);
  });

  it('needs the API key: no credentials, or a security token, is a 401', async () => {
    const token = await tokenFor(t, {});
    for (const headers of [{}, bearer(token)]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/security-token',
        headers,
        payload: { embeddableId: 'flights-overview', user: 'u' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().token).toBeUndefined();
    }
  });
});

describe('token verification: every bad token is a 401 with no data', () => {
  const bad: [string, () => Promise<string>][] = [
    ['expired', () => forge(claims({ iat: 1_000, exp: Math.floor(Date.now() / 1000) - 30 }))],
    ['signed with another key', () => forge(claims(), { secret: randomBytes(32) })],
    [
      'signed with the raw secret (not the derived key)',
      async () => {
        const { SignJWT } = await import('jose');
        return new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(SECRET);
      },
    ],
    ['alg none', async () => unsigned(claims())],
    ['another HMAC algorithm (HS512) with the right key', () => forge(claims(), { alg: 'HS512' })],
    ['wrong audience', () => forge(claims({ aud: 'someone-else' }))],
    ['wrong issuer', () => forge(claims({ iss: 'evil' }))],
    ['another workspace', () => forge(claims({ workspaceId: 'other' }))],
    ['claims of the wrong shape', () => forge(claims({ roles: 'admin' }))],
    ['no expiry', () => forge(claims({ exp: undefined }))],
    [
      'altered claims, signature kept',
      async () =>
        tamper(await tokenFor(t, { securityContext: { states: ['CA'] } }), (p) => {
          p.securityContext = { states: ['CA', 'NY', 'TX'] };
        }),
    ],
    [
      'roles elevated, signature kept',
      async () =>
        tamper(await tokenFor(t, { securityContext: { states: ['CA'] } }), (p) => {
          p.roles = ['admin'];
        }),
    ],
  ];

  for (const [name, make] of bad) {
    it(name, async () => {
      const token = await make();
      for (const res of [
        await load(bearer(token)),
        await t.app.inject({ method: 'GET', url: '/api/v1/meta', headers: bearer(token) }),
      ]) {
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ errorMessage: 'invalid or expired token' });
        expect(res.body).not.toContain('"data"');
        expect(res.body).not.toContain('"cubes"');
      }
    });
  }

  it('a forged token built the same way with the right key is accepted (the cases above are not false negatives)', async () => {
    const res = await load(bearer(await forge(claims())));
    expect(res.statusCode).toBe(200);
  });

  it('a token issued for 1 second is refused once the clock tolerance has passed', async () => {
    const service = createTokenService(SECRET);
    const token = await signDirect(service, 1, {});
    await expect(service.verify(token)).resolves.toMatchObject({ sub: 'u' });
    // 1 s of life plus 5 s of clock tolerance, then one more.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 7_000 });
    try {
      await expect(service.verify(token)).rejects.toThrow('invalid or expired token');
    } finally {
      vi.useRealTimers();
    }
  });

  it("a remembered token's claims are one frozen object: no request can change what the next one sees", async () => {
    const service = createTokenService(SECRET);
    const token = await signDirect(service, 60, { states: ['CA'] });
    const first = await service.verify(token);
    const again = await service.verify(token);
    expect(again).toBe(first);
    const context = first.securityContext as { states: string[] };
    expect(() => context.states.push('NY')).toThrow(TypeError);
    expect(() => {
      (first as { environment: string }).environment = 'other';
    }).toThrow(TypeError);
    expect((await service.verify(token)).securityContext).toEqual({ states: ['CA'] });
  });

  it('a remembered token is answered at once until it expires, then refused like any other', async () => {
    const service = createTokenService(SECRET);
    const token = await signDirect(service, 1, {});
    expect(service.verified(token)).toBeUndefined();
    const claims = await service.verify(token);
    expect(service.verified(token)).toBe(claims);
    // One byte changed is another token: never remembered.
    expect(service.verified(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 7_000 });
    try {
      expect(service.verified(token)).toBeUndefined();
      await expect(service.verify(token)).rejects.toThrow('invalid or expired token');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a token already used: ?token= is still a 400 and an expired one a 401 over HTTP', async () => {
    const token = await tokenFor(t, { securityContext: { states: ['CA'] }, expiryInSeconds: 1 });
    expect((await load(bearer(token))).statusCode).toBe(200);
    const inUrl = await load(bearer(token), COUNT, `/api/v1/load?token=${token}`);
    expect(inUrl.statusCode).toBe(400);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 7_000 });
    try {
      const late = await load(bearer(token));
      expect(late.statusCode).toBe(401);
      expect(late.body).not.toContain('"data"');
    } finally {
      vi.useRealTimers();
    }
  });

  it('no credentials at all is a 401 on the data routes', async () => {
    expect((await load({})).statusCode).toBe(401);
    const meta = await t.app.inject({ method: 'GET', url: '/api/v1/meta' });
    expect(meta.statusCode).toBe(401);
    expect(meta.body).not.toContain('cubes');
  });

  it('a token on a key-only route (/api/v1/sql) is a 401 and no SQL', async () => {
    const token = await tokenFor(t, { securityContext: { states: ['CA'] } });
    const res = await load(bearer(token), COUNT, '/api/v1/sql');
    expect(res.statusCode).toBe(401);
    expect(res.json().errorMessage).toContain('API key');
    expect(res.body).not.toContain('sql');
  });

  it('the token is read from the Authorization header only: ?token= is a 400', async () => {
    const token = await tokenFor(t, { securityContext: { states: ['CA'] } });
    for (const headers of [{}, bearer(token)]) {
      const res = await load(headers, COUNT, `/api/v1/load?token=${token}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().errorMessage).toContain('Authorization header');
      expect(res.body).not.toContain('"data"');
    }
  });

  it('the token key is derived (HKDF), not the server secret itself', () => {
    expect(Buffer.from(deriveTokenKey(SECRET)).equals(SECRET)).toBe(false);
    expect(deriveTokenKey(SECRET)).toHaveLength(32);
  });
});

describe('dashboards as code', () => {
  it('loads flights-overview from the demo project', async () => {
    const { flightsProjectDir } = await import('@inlay/example-flights');
    const catalog = await loadDashboards(flightsProjectDir);
    const d = catalog.find('flights-overview')!;
    expect([...d.models].sort()).toEqual(['airports', 'flights']);
    expect(d.versions).toContain('production');
    expect(d.file).toBe('flights-overview.embeddable.yml');
  });

  it('an invalid file is an error naming the file and the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inlay-dash-'));
    writeFileSync(
      join(dir, 'bad.embeddable.yml'),
      ['embeddables:', '  - name: d1', '    datasets:', '      - name: f', '        modle: flights', ''].join(
        '\n',
      ),
    );
    await expect(loadDashboards(dir)).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      where: { file: 'bad.embeddable.yml', line: 5 },
    });
    writeFileSync(
      join(dir, 'bad.embeddable.yml'),
      [
        'embeddables:',
        '  - name: d1',
        '    datasets: [{ name: f, model: flights }]',
        '    widgets:',
        '      - component: Kpi',
        '        dataset: f',
        '        inputs: { dimensions: [destinations.state] }',
        '',
      ].join('\n'),
    );
    const err = await loadDashboards(dir).catch((e) => e);
    expect(err.describe()).toMatch(/^bad\.embeddable\.yml:7: .*'destinations'/);
  });
});
