import { createDriver } from '@inlay/drivers';
import { compileModel, readModelDir, runQuery } from '@inlay/engine';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type TestApp, testApp } from './helpers.js';

const BY_STATE = {
  measures: ['flights.count', 'flights.avg_delay'],
  dimensions: ['airports.state'],
  order: { 'flights.count': 'desc' as const },
  limit: 5,
  total: true,
};

let t: TestApp;
beforeAll(async () => {
  t = testApp({ maxBodyBytes: 16 * 1024 });
  await t.app.ready();
});
afterAll(() => t.app.close());

const load = (payload: unknown, headers: Record<string, string> = AUTH) =>
  t.app.inject({ method: 'POST', url: '/api/v1/load', headers, payload: payload as object });

describe('POST /api/v1/load', () => {
  it('as admin answers exactly what runQuery gives on the same model and file', async () => {
    const model = compileModel(await readModelDir(flightsProjectDir));
    const driver = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
    try {
      const direct = await runQuery(model, driver, BY_STATE, { security: { roles: ['admin'] } });
      const res = await load({ query: BY_STATE, roles: ['admin'] });
      expect(res.statusCode).toBe(200);
      const { cache, ...answer } = res.json();
      expect(answer).toEqual(JSON.parse(JSON.stringify(direct)));
      expect(cache).toMatchObject({ level: 'none', age_ms: 0 });
      expect(res.json().data).toHaveLength(5);
      expect(res.json().total).toBeGreaterThan(5);
    } finally {
      await driver.close();
    }
  });

  it('is closed by default: no context and no roles is a 403 naming the missing key, with no data', async () => {
    const res = await load({ query: { measures: ['flights.count'] } });
    expect(res.statusCode).toBe(403);
    const body = res.json();
    expect(body.code).toBe('SECURITY_CONTEXT_MISSING');
    expect(body.errorMessage).toContain("the security context has no 'states'");
    expect(body.data).toBeUndefined();
  });

  it('a security context limits the rows to the tenant', async () => {
    const q = { measures: ['flights.count'], dimensions: ['airports.state'] };
    const res = await load({ query: q, securityContext: { states: ['NY', 'NJ'] } });
    expect(res.statusCode).toBe(200);
    const states = res.json().data.map((r: Record<string, unknown>) => r['airports.state']);
    expect(states.sort()).toEqual(['NJ', 'NY']);
  });

  it('an invalid query is a 400 that names the field', async () => {
    const res = await load({ query: { measures: ['flights'] }, roles: ['admin'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errorMessage).toMatch(/^body\.query\.measures\[0\]: must be "cube\.member"/);
  });

  it('an unknown member is a 400 from the engine with the closest name', async () => {
    const res = await load({ query: { measures: ['flights.cuont'] }, roles: ['admin'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errorMessage).toContain("Did you mean 'count'?");
  });

  it('unknown body fields are refused, not ignored', async () => {
    const res = await load({ query: { measures: ['flights.count'] }, role: 'admin' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errorMessage).toContain('role');
  });

  it('a limit above INLAY_MAX_ROWS is refused with a 400', async () => {
    const res = await load({ query: { measures: ['flights.count'], limit: 50_001 }, roles: ['admin'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errorMessage).toContain('50000');
  });

  it('a body over the cap is a 413 {errorMessage}', async () => {
    const big = { query: { measures: ['flights.count'] }, securityContext: { pad: 'x'.repeat(17 * 1024) } };
    const res = await load(big);
    expect(res.statusCode).toBe(413);
    expect(res.json().errorMessage).toContain('16384 bytes');
  });

  it('malformed JSON is a 400 {errorMessage}', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: '{"query": ',
    });
    expect(res.statusCode).toBe(400);
    expect(typeof res.json().errorMessage).toBe('string');
  });
});

describe('POST /api/v1/sql', () => {
  it('gives SQL with placeholders and the security values only among the parameters', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sql',
      headers: AUTH,
      payload: {
        query: { measures: ['flights.count'], total: true },
        securityContext: { states: ['ZZ-secret'] },
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.dialect).toBe('duckdb');
    expect(body.sql).toMatch(/"state" = \$1/);
    expect(body.sql).not.toContain('ZZ-secret');
    expect(body.params).toContain('ZZ-secret');
    expect(body.total.sql).toContain('count(*)');
    expect(body.plan.roles).toEqual(['default']);
  });
});

describe('GET /api/v1/meta', () => {
  it('lists the cubes with their public members in Cube’s shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/meta', headers: AUTH });
    expect(res.statusCode).toBe(200);
    const cubes = res.json().cubes as { name: string; type: string; measures: { name: string }[] }[];
    expect(cubes.map((c) => c.name).sort()).toEqual(['airports', 'destinations', 'flights']);
    const flights = cubes.find((c) => c.name === 'flights')!;
    expect(flights.type).toBe('cube');
    expect(flights.measures).toContainEqual(
      expect.objectContaining({ name: 'flights.count', type: 'number', aggType: 'count' }),
    );
  });
});
