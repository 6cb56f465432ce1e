import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type TestApp, testApp } from './helpers.js';

const STACK_LINE = /\n\s+at |\bat .+\.(ts|js):\d+/;

let t: TestApp;
beforeAll(async () => {
  t = testApp();
  // Test-only routes: an unexpected failure, one with a secret in its message, and a rejected promise.
  t.app.get('/api/v1/test-boom', async () => {
    throw new Error('database password is hunter2');
  });
  t.app.get('/api/v1/test-type-error', async () => {
    const o = undefined as unknown as { x: { y: number } };
    return o.x.y;
  });
  t.app.get('/api/v1/test-reject', () => Promise.reject('a bare string'));
  await t.app.ready();
});
afterAll(() => t.app.close());

describe('errors', () => {
  it('an unexpected error is a 500 {errorMessage: "internal error"}, never its message or stack', async () => {
    for (const url of ['/api/v1/test-boom', '/api/v1/test-type-error', '/api/v1/test-reject']) {
      const res = await t.app.inject({ method: 'GET', url, headers: AUTH });
      expect(res.statusCode, url).toBe(500);
      expect(res.json(), url).toEqual({ errorMessage: 'internal error' });
      expect(res.body).not.toMatch(STACK_LINE);
      expect(res.body).not.toContain('hunter2');
    }
    // The stack is for the operator: it is in the log.
    expect(t.logs.join('\n')).toContain('unexpected error');
  });

  it('an unknown route is a 404 {errorMessage}', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1', headers: AUTH });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ errorMessage: 'no route GET /api/v1/nothing-here' });
  });

  it('a wrong content type is a 415 {errorMessage}', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: { ...AUTH, 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(res.statusCode).toBe(415);
    expect(typeof res.json().errorMessage).toBe('string');
    expect(res.body).not.toMatch(STACK_LINE);
  });
});

describe('OpenAPI and /docs', () => {
  it('/api/openapi.json lists every /api/v1 route with its request and response schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const spec = res.json();
    expect(spec.openapi).toMatch(/^3\./);
    const documented = t.app.routeTable.filter(
      (r) =>
        r.method !== 'HEAD' &&
        (r.url.startsWith('/api/v1/') || r.url.endsWith('z')) &&
        !r.url.includes('test-'),
    );
    expect(documented.length).toBeGreaterThanOrEqual(5);
    for (const r of documented) {
      const op = spec.paths[r.url]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.url}`).toBeDefined();
      expect(op.responses['200'].content['application/json'].schema, `${r.method} ${r.url}`).toBeDefined();
      if (r.method === 'POST') {
        expect(op.requestBody.content['application/json'].schema, `${r.method} ${r.url}`).toBeDefined();
      }
      if (r.auth === 'apiKey') expect(op.security).toEqual([{ apiKey: [] }]);
    }
    const load = spec.paths['/api/v1/load'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(load)).toContain('measures');
  });

  it('/docs answers with the API reference page (HTML)', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/docs' });
    const res = first.statusCode === 200 ? first : await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/<html/i);
  });
});
