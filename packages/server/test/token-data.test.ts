import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers.js';
import { bearer, tokenApp, tokenFor } from './token-helpers.js';

let t: TestApp;
let db: Driver;
beforeAll(async () => {
  t = tokenApp();
  await t.app.ready();
  db = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
});
afterAll(async () => {
  await db?.close();
  await t.app.close();
});

const load = (token: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/v1/load', headers: bearer(token), payload: payload as object });

/** Flights leaving each of `states`, counted straight from the DuckDB file (not through the engine). */
async function expectedByState(states: string[]): Promise<Record<string, number>> {
  const { rows } = await db.query(
    `SELECT a.state AS state, count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata
      WHERE a.state IN (${states.map((_, i) => `$${i + 1}`).join(', ')}) GROUP BY a.state`,
    states,
  );
  return Object.fromEntries(rows.map((r) => [String(r.state), Number(r.n)]));
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

describe('row-level security over HTTP with a security token', () => {
  for (const states of [['CA'], ['NY', 'NJ']]) {
    it(`{states: ${JSON.stringify(states)}} gets exactly its rows`, async () => {
      const token = await tokenFor(t, { securityContext: { states } });
      const expected = await expectedByState(states);
      expect(Object.keys(expected).sort()).toEqual([...states].sort());

      const total = await load(token, { query: { measures: ['flights.count'] } });
      expect(total.statusCode).toBe(200);
      expect(Number(total.json().data[0]['flights.count'])).toBe(sum(expected));

      const byState = await load(token, {
        query: { measures: ['flights.count'], dimensions: ['airports.state'] },
      });
      expect(byState.statusCode).toBe(200);
      const got = Object.fromEntries(
        byState
          .json()
          .data.map((r: Record<string, unknown>) => [r['airports.state'], Number(r['flights.count'])]),
      );
      expect(got).toEqual(expected);

      // Asking for another state's rows through a filter narrows further; it never widens.
      const other = await load(token, {
        query: {
          measures: ['flights.count'],
          filters: [{ member: 'airports.state', operator: 'equals', values: ['TX'] }],
        },
      });
      expect(other.statusCode).toBe(200);
      expect(Number(other.json().data[0]?.['flights.count'] ?? 0)).toBe(0);
    });
  }

  it("the token's filters apply to every query", async () => {
    const token = await tokenFor(t, {
      securityContext: { states: ['CA'] },
      filters: [{ member: 'flights.origin', operator: 'equals', values: ['LAX'] }],
    });
    const { rows } = await db.query(`SELECT count(*) AS n FROM flights WHERE origin = $1`, ['LAX']);
    const res = await load(token, { query: { measures: ['flights.count'] } });
    expect(res.statusCode).toBe(200);
    expect(Number(res.json().data[0]['flights.count'])).toBe(Number(rows[0]!.n));
  });

  it('an empty security context is refused (fail closed), not answered unfiltered', async () => {
    const token = await tokenFor(t, {});
    const res = await load(token, { query: { measures: ['flights.count'] } });
    expect(res.statusCode).toBe(403);
    expect(res.json().data).toBeUndefined();
  });
});

describe("a token is bound to its dashboard's datasets", () => {
  const outside = [
    { measures: ['destinations.count'] },
    { measures: ['flights.count'], dimensions: ['destinations.state'] },
    { measures: ['flights.count'], timeDimensions: [{ dimension: 'destinations.iata' }] },
    {
      measures: ['flights.count'],
      filters: [{ member: 'destinations.state', operator: 'equals', values: ['CA'] }],
    },
    {
      measures: ['flights.count'],
      filters: [
        {
          or: [
            { member: 'destinations.state', operator: 'set' },
            { member: 'flights.origin', operator: 'set' },
          ],
        },
      ],
    },
    { measures: ['flights.count'], order: { 'destinations.state': 'asc' } },
    { measures: ['flights.count'], order: [['destinations.state', 'asc']] },
    { measures: ['flights.count'], segments: ['destinations.some_segment'] },
  ];
  for (const query of outside) {
    it(`refuses ${JSON.stringify(query)} with a 403 naming the cube`, async () => {
      const token = await tokenFor(t, { securityContext: { states: ['CA'] }, roles: ['admin'] });
      const res = await load(token, { query });
      expect(res.statusCode).toBe(403);
      expect(res.json().errorMessage).toContain("may not query 'destinations'");
      expect(res.json().data).toBeUndefined();
    });
  }

  it('/meta with a token lists only the cubes of its datasets', async () => {
    const token = await tokenFor(t, { securityContext: { states: ['CA'] } });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/meta', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .cubes.map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual(['airports', 'flights']);
  });

  it('a body that carries securityContext, roles or environment with a token is a 400', async () => {
    const token = await tokenFor(t, { securityContext: { states: ['CA'] } });
    for (const extra of [
      { securityContext: { states: ['TX'] } },
      { roles: ['admin'] },
      { environment: 'default' },
    ]) {
      const res = await load(token, { query: { measures: ['flights.count'] }, ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json().errorMessage).toContain('from the token');
      expect(res.json().data).toBeUndefined();
    }
  });
});

describe('logs', () => {
  it('never contain a token or a security-context value', async () => {
    const secret = 'tenant-7c1e-secret';
    const token = await tokenFor(t, { securityContext: { states: ['CA'], tag: secret } });
    await load(token, { query: { measures: ['flights.count'] } });
    await load(token, { query: { measures: ['destinations.count'] } });
    await load(`${token}x`, { query: { measures: ['flights.count'] } });
    await t.app.inject({ method: 'GET', url: '/api/v1/meta', headers: bearer(token) });
    await t.app.inject({ method: 'POST', url: `/api/v1/load?token=${token}`, payload: {} });
    const all = t.logs.join('\n');
    expect(all).toContain('security token issued');
    expect(all).toContain('"msg":"load"');
    expect(all).toContain('"msg":"request"');
    const [header, payload, signature] = token.split('.');
    for (const s of [secret, payload!, signature!, `${header}.`]) expect(all, s).not.toContain(s);
  });
});
