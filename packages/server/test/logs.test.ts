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
    expect(all).toContain('[redacted]');
    for (const secret of [API_KEY, password, secretContext, 'Bearer ']) {
      expect(all, secret).not.toContain(secret);
    }
  });
});
