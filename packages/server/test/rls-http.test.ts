/**
 * Row-level security end to end over HTTP, on DuckDB (the workspace's `default` connection) and on
 * PostgreSQL (an environment mapping `default` to a postgres connection). Every number a tenant
 * gets through `/api/v1/load` is compared with hand-written SQL run straight on the same database,
 * with a JOIN to airports and `state IN (…)` — never through the engine.
 */
import { randomBytes } from 'node:crypto';
import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, AUTH } from './helpers.js';
import { pgParts, type StoreTestApp, storeTestApp } from './store-app.js';
import { bearer, tokenFor } from './token-helpers.js';

type Row = Record<string, unknown>;
type Res = Awaited<ReturnType<StoreTestApp['app']['inject']>>;

/** A security-context value that must never show up in a log line or a response. */
const TENANT_TAG = `tenant-secret-${randomBytes(6).toString('hex')}`;
const TENANTS = [['CA'], ['NY', 'NJ']];

let t: StoreTestApp;
const dbs: Record<string, Driver> = {};
const tokens: string[] = [];
const bodies: string[] = [];

beforeAll(async () => {
  t = await storeTestApp('sqlite');
  const pg = { name: 'pg', type: 'postgres', credentials: pgParts() };
  expect((await api('POST', '/api/v1/connections', pg)).statusCode).toBe(201);
  const env = { name: 'pg', datasources: [{ data_source: 'default', connection: 'pg' }] };
  expect((await api('POST', '/api/v1/environments', env)).statusCode).toBe(201);
  dbs.duckdb = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
  dbs.postgres = createDriver('postgres', { url: testDataPaths().pgUrl });
});
afterAll(async () => {
  await Promise.all(Object.values(dbs).map((d) => d.close()));
  await t?.close();
});

async function api(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Res> {
  const res = await t.app.inject({
    method,
    url,
    headers: AUTH,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  bodies.push(res.body);
  return res;
}

async function load(token: string, query: unknown): Promise<Res> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/load',
    headers: bearer(token),
    payload: { query } as object,
  });
  bodies.push(res.body);
  return res;
}

async function token(body: Record<string, unknown>): Promise<string> {
  const tok = await tokenFor(t, body);
  tokens.push(tok);
  return tok;
}

/** `{key → [numbers]}` from an answer, numbers rounded so DuckDB and PostgreSQL agree. */
function keyed(rows: Row[], key: string, measures: string[], keyOf = (v: unknown) => String(v)) {
  const out: Record<string, string[]> = {};
  for (const r of rows) out[keyOf(r[key])] = measures.map((m) => Number(r[m]).toFixed(6));
  return out;
}

const inList = (states: string[]) => states.map((_, i) => `$${i + 1}`).join(', ');
const FROM = (states: string[]) =>
  `FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state IN (${inList(states)})`;

/** Hand-written SQL per query shape: what the tenant must get, computed without the engine. */
const SHAPES = [
  {
    name: 'count by origin',
    query: { measures: ['flights.count'], dimensions: ['flights.origin'] },
    key: 'flights.origin',
    measures: ['flights.count'],
    sql: (s: string[]) => `SELECT f.origin AS k, count(*) AS m0 ${FROM(s)} GROUP BY f.origin`,
  },
  {
    name: 'avg delay by month',
    query: {
      measures: ['flights.avg_delay', 'flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'month' }],
    },
    key: 'flights.date.month',
    measures: ['flights.avg_delay', 'flights.count'],
    // The data is January–June 2001: the month number names the bucket.
    keyOf: (v: unknown) => String(Number(String(v).slice(5, 7))),
    sql: (s: string[]) =>
      `SELECT CAST(EXTRACT(month FROM f.date) AS INTEGER) AS k, avg(f.delay) AS m0, count(*) AS m1
        ${FROM(s)} GROUP BY 1`,
  },
  {
    name: 'count and distance by destination airport',
    query: { measures: ['flights.count', 'flights.total_distance'], dimensions: ['flights.destination'] },
    key: 'flights.destination',
    measures: ['flights.count', 'flights.total_distance'],
    sql: (s: string[]) =>
      `SELECT f.destination AS k, count(*) AS m0, sum(f.distance) AS m1 ${FROM(s)} GROUP BY f.destination`,
  },
];

async function expected(db: Driver, sql: string, params: string[]) {
  const { rows } = await db.query(sql, params);
  const out: Record<string, string[]> = {};
  for (const r of rows) {
    out[String(r.k)] = Object.keys(r)
      .filter((c) => c !== 'k')
      .sort()
      .map((c) => Number(r[c]).toFixed(6));
  }
  return out;
}

describe.each([
  ['duckdb', undefined],
  ['postgres', 'pg'],
] as const)('row-level security over HTTP on %s', (dbName, environment) => {
  const env = environment ? { environment } : {};

  for (const states of TENANTS) {
    it(`{states: ${JSON.stringify(states)}} gets exactly its rows`, async () => {
      const db = dbs[dbName]!;
      const tok = await token({ securityContext: { states, tenant: TENANT_TAG }, ...env });
      for (const shape of SHAPES) {
        const res = await load(tok, shape.query);
        expect(res.statusCode, `${shape.name}: ${res.body.slice(0, 300)}`).toBe(200);
        const got = keyed(res.json().data, shape.key, shape.measures, shape.keyOf);
        const want = await expected(db, shape.sql(states), states);
        expect(Object.keys(want).length, shape.name).toBeGreaterThan(0);
        expect(got, shape.name).toEqual(want);
      }
      // The total, and the states the answer covers.
      const [{ n }] = (await db.query(`SELECT count(*) AS n ${FROM(states)}`, states)).rows as [Row];
      const total = await load(tok, { measures: ['flights.count'] });
      expect(Number(total.json().data[0]['flights.count'])).toBe(Number(n));
      const byState = await load(tok, { measures: ['flights.count'], dimensions: ['airports.state'] });
      const seen = byState.json().data.map((r: Row) => r['airports.state']);
      expect(seen.sort()).toEqual([...states].sort());
    });

    it(`{states: ${JSON.stringify(states)}} by destination state (API-key preview, same rules)`, async () => {
      // The dashboard's datasets do not list `destinations`, so a token may not ask this (403);
      // the preview runs the same access policy with the context in the body.
      const tok = await token({ securityContext: { states }, ...env });
      const refused = await load(tok, { measures: ['flights.count'], dimensions: ['destinations.state'] });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().data).toBeUndefined();

      const query = { measures: ['flights.count'], dimensions: ['destinations.state'] };
      const res = await api('POST', '/api/v1/load', { query, securityContext: { states }, ...env });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const got = keyed(res.json().data, 'destinations.state', ['flights.count']);
      const want = await expected(
        dbs[dbName]!,
        `SELECT d.state AS k, count(*) AS m0
           FROM flights f JOIN airports a ON f.origin = a.iata JOIN airports d ON f.destination = d.iata
          WHERE a.state IN (${inList(states)}) AND d.state IS NOT NULL GROUP BY d.state`,
        states,
      );
      // Destinations outside the airports table have no state: compare the named ones.
      delete got.null;
      expect(got).toEqual(want);
    });
  }

  it("a token with roles ['admin'] sees every row", async () => {
    const db = dbs[dbName]!;
    const tok = await token({ securityContext: {}, roles: ['admin'], ...env });
    const total = await load(tok, { measures: ['flights.count'] });
    expect(total.statusCode).toBe(200);
    expect(Number(total.json().data[0]['flights.count'])).toBe(3_000_000);
    const res = await load(tok, { measures: ['flights.count'], dimensions: ['flights.origin'] });
    expect(res.statusCode).toBe(200);
    const got = keyed(res.json().data, 'flights.origin', ['flights.count']);
    const want = await expected(db, 'SELECT origin AS k, count(*) AS m0 FROM flights GROUP BY origin', []);
    expect(got).toEqual(want);
    // The environment decides which database answered.
    const sql = await api('POST', '/api/v1/sql', {
      query: { measures: ['flights.count'] },
      roles: ['admin'],
      ...env,
    });
    expect(sql.json().dialect).toBe(dbName);
  });

  it('a token without `states` is a 403 with no data, whatever it asks', async () => {
    const tok = await token({ securityContext: { tenant: TENANT_TAG }, ...env });
    for (const shape of SHAPES) {
      const res = await load(tok, shape.query);
      expect(res.statusCode, shape.name).toBe(403);
      expect(res.json().errorMessage).toContain('states');
      expect(res.json().data).toBeUndefined();
    }
    const meta = await t.app.inject({ method: 'GET', url: '/api/v1/meta', headers: bearer(tok) });
    expect(meta.statusCode).toBe(200);
  });

  it('a token with `states: []` gets no rows (403 or an empty answer), never all of them', async () => {
    const tok = await token({ securityContext: { states: [] }, ...env });
    const res = await load(tok, { measures: ['flights.count'] });
    expect([200, 403], res.body.slice(0, 300)).toContain(res.statusCode);
    if (res.statusCode === 200) {
      const n = Number(res.json().data[0]?.['flights.count'] ?? 0);
      expect(n).toBe(0);
    } else expect(res.json().data).toBeUndefined();
  });
});

describe('logs and responses of the RLS requests', () => {
  it('never carry a token, the API key or a security-context value', () => {
    expect(tokens.length).toBeGreaterThan(8);
    const logs = t.logs.join('\n');
    expect(logs).toContain('"msg":"load"');
    expect(logs).toContain('"msg":"request"');
    const all = `${logs}\n${bodies.join('\n')}`;
    for (const tok of tokens) {
      const [, payload, signature] = tok.split('.');
      expect(all).not.toContain(payload);
      expect(all).not.toContain(signature);
    }
    for (const secret of [API_KEY, TENANT_TAG, 'Bearer ']) expect(all, secret).not.toContain(secret);
  });
});
