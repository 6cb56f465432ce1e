import { describe, expect, it } from 'vitest';
import { API_KEY, AUTH, testApp } from './helpers.js';

describe('logs', () => {
  it('are JSON lines and never contain the API key, a password or a security-context value', async () => {
    const { app, logs } = testApp();
    const secretContext = 'tenant-secret-7f3a';
    const password = 'pw-secret-91b2';
    try {
      await app.ready();
      const requests = [
        { query: { measures: ['flights.count'] }, securityContext: { states: ['CA'], tag: secretContext } },
        // Refused (403 and 400): error paths log too.
        { query: { measures: ['flights.count'] }, securityContext: { tag: secretContext } },
        { query: { measures: ['flights.count'] }, securityContext: { password, tag: secretContext } },
        { query: { measures: ['nope'] }, credentials: { password }, token: secretContext },
      ];
      for (const payload of requests) {
        await app.inject({ method: 'POST', url: '/api/v1/load', headers: AUTH, payload });
      }
      await app.inject({
        method: 'GET',
        url: '/api/v1/meta',
        headers: { authorization: `Bearer ${API_KEY}-wrong`, cookie: `session=${secretContext}` },
      });
    } finally {
      await app.close();
    }
    expect(logs.length).toBeGreaterThan(5);
    for (const line of logs) JSON.parse(line);
    const all = logs.join('\n');
    // The logs do carry the requests and their headers: redaction, not silence, keeps them clean.
    expect(all).toContain('"msg":"load"');
    expect(all).toContain('"msg":"request"');
    expect(all).toContain('[redacted]');
    for (const secret of [API_KEY, password, secretContext, 'Bearer ']) {
      expect(all, secret).not.toContain(secret);
    }
  });
});

describe('the request log', () => {
  const lines = (logs: string[]) => logs.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('at info: one line per request with method, route, status, time, cache level and request id', async () => {
    const { app, logs } = testApp({ logLevel: 'info', cacheMaxBytes: 1024 * 1024 });
    const payload = { query: { measures: ['flights.count'] }, securityContext: { states: ['CA'] } };
    try {
      await app.ready();
      logs.length = 0;
      const first = await app.inject({ method: 'POST', url: '/api/v1/load', headers: AUTH, payload });
      const second = await app.inject({ method: 'POST', url: '/api/v1/load', headers: AUTH, payload });
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/load',
        headers: AUTH,
        payload: { query: { measures: ['flights.count'] } },
      });
      const notFound = await app.inject({ method: 'GET', url: '/api/v1/nowhere?token=abc', headers: AUTH });
      expect([first.statusCode, second.statusCode, refused.statusCode, notFound.statusCode]).toEqual([
        200, 200, 403, 404,
      ]);
    } finally {
      await app.close();
    }
    const written = lines(logs).filter((l) => l.msg !== 'server closing');
    expect(written.map((l) => l.msg)).toEqual(['request', 'request', 'request', 'request']);
    expect(written.map((l) => [l.method, l.route, l.status, l.cache ?? l.code])).toEqual([
      ['POST', '/api/v1/load', 200, 'none'],
      ['POST', '/api/v1/load', 200, 'l1'],
      ['POST', '/api/v1/load', 403, 'SECURITY_CONTEXT_MISSING'],
      ['GET', undefined, 404, undefined],
    ]);
    expect(written[3]!.url).toBe('/api/v1/nowhere?token=[redacted]');
    for (const l of written) {
      expect(typeof l.ms).toBe('number');
      expect(l.reqId).toEqual(expect.any(String));
    }
    // Each request its own id.
    expect(new Set(written.map((l) => l.reqId)).size).toBe(4);
  });

  it('at debug: the query and its rows too, the security context redacted', async () => {
    const { app, logs } = testApp({ logLevel: 'debug' });
    try {
      await app.ready();
      await app.inject({
        method: 'POST',
        url: '/api/v1/load',
        headers: AUTH,
        payload: { query: { measures: ['flights.count'] }, securityContext: { states: ['CA'] } },
      });
    } finally {
      await app.close();
    }
    const load = lines(logs).find((l) => l.msg === 'load');
    expect(load).toMatchObject({
      query: { measures: ['flights.count'] },
      rows: 1,
      securityContext: '[redacted]',
    });
  });
});
