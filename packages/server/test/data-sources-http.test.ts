/**
 * One model over three databases — the flights demo on embedded DuckDB (`default`), orders in
 * PostgreSQL (`warehouse`), ticks in a live QuestDB (`ticks`) — pushed, connected, tokened and
 * queried through HTTP as a user would, with L1 and L2 on. Each database holds different rows,
 * so every answer shows which database it came from; environments remap `warehouse` to a
 * DuckDB file and to MySQL/MariaDB, each with rows of its own.
 */
import type { Driver } from '@inlay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InlayApp } from '../src/index.js';
import {
  expected,
  IN_ALT_DUCKDB,
  IN_MYSQL,
  IN_POSTGRES,
  IN_QUESTDB,
  QUESTDB_URL,
  startThreeDatabases,
  type ThreeDatabases,
} from './data-sources-fixture.js';
import { AUTH } from './helpers.js';
import { bearer } from './token-helpers.js';

let fixture: ThreeDatabases;
let app: InlayApp;
let flightsDb: Driver;

beforeAll(async () => {
  fixture = await startThreeDatabases();
  ({ app, flightsDb } = fixture);
}, 120_000);

afterAll(() => fixture?.close());

type Answer = { data: Record<string, unknown>[]; cache: { level: string } };

async function token(claims: { environment?: string; tenant?: string }) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/security-token',
    headers: AUTH,
    payload: {
      embeddableId: 'three-databases',
      user: 'u',
      securityContext: { tenant: claims.tenant ?? 'a', states: ['CA'] },
      ...(claims.environment ? { environment: claims.environment } : {}),
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token as string;
}

const loadWithToken = (t: string, query: object) =>
  app.inject({ method: 'POST', url: '/api/v1/load', headers: bearer(t), payload: { query } });
const loadWithKey = (query: object, extra: object = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/load',
    headers: AUTH,
    payload: { query, securityContext: { tenant: 'a', states: ['CA'] }, ...extra },
  });
const ok = (res: { statusCode: number; body: string; json(): unknown }): Answer => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Answer;
};
const numbers = (a: Answer, count: string, sum: string) => ({
  count: Number(a.data[0]?.[count] ?? 0),
  sum: Number(a.data[0]?.[sum] ?? 0),
});
// `orders.id` set: a filter no rollup keeps, so the database itself answers.
const ordersFromDb = {
  measures: ['orders.count', 'orders.amount'],
  filters: [{ member: 'orders.id', operator: 'set' }],
};
const ordersByTenant = { measures: ['orders.count', 'orders.amount'], dimensions: ['orders.tenant'] };

describe('every cube runs on its own data source', () => {
  it('flights from DuckDB, orders from PostgreSQL, through the API key and a token', async () => {
    const { rows } = await flightsDb.query(
      `SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = 'CA'`,
      [],
    );
    const flights = { measures: ['flights.count'] };
    const t = await token({});
    for (const res of [await loadWithKey(flights), await loadWithToken(t, flights)]) {
      expect(Number(ok(res).data[0]!['flights.count'])).toBe(Number(rows[0]!.n));
    }
    for (const res of [await loadWithKey(ordersFromDb), await loadWithToken(t, ordersFromDb)]) {
      expect(numbers(ok(res), 'orders.count', 'orders.amount')).toEqual(expected(IN_POSTGRES, 'a'));
    }
    const b = await token({ tenant: 'b' });
    expect(numbers(ok(await loadWithToken(b, ordersFromDb)), 'orders.count', 'orders.amount')).toEqual(
      expected(IN_POSTGRES, 'b'),
    );
  });

  it('orders from MySQL where an environment maps warehouse to it', async () => {
    for (const tenant of ['a', 'b']) {
      const t = await token({ tenant, environment: 'on_mysql' });
      expect(numbers(ok(await loadWithToken(t, ordersFromDb)), 'orders.count', 'orders.amount')).toEqual(
        expected(IN_MYSQL, tenant),
      );
    }
  });

  it.skipIf(!QUESTDB_URL)('ticks from QuestDB, through the API key and a token', async () => {
    const ticks = { measures: ['ticks.count', 'ticks.price'] };
    const t = await token({ tenant: 'b' });
    expect(numbers(ok(await loadWithToken(t, ticks)), 'ticks.count', 'ticks.price')).toEqual(
      expected(IN_QUESTDB, 'b'),
    );
    expect(numbers(ok(await loadWithKey(ticks)), 'ticks.count', 'ticks.price')).toEqual(
      expected(IN_QUESTDB, 'a'),
    );
    // Bucketed by day in QuestDB's dialect, in a zone.
    const byDay = ok(
      await loadWithToken(t, {
        measures: ['ticks.count'],
        timeDimensions: [{ dimension: 'ticks.ts', granularity: 'day' }],
        timezone: 'Europe/Berlin',
      }),
    );
    expect(byDay.data.reduce((n, r) => n + Number(r['ticks.count']), 0)).toBe(IN_QUESTDB.b.length);
  });

  it('/sql names the data source, the connection and the dialect it maps to in each environment', async () => {
    const sql = async (environment?: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/sql',
        headers: AUTH,
        payload: {
          query: ordersFromDb,
          securityContext: { tenant: 'a' },
          ...(environment ? { environment } : {}),
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    expect(await sql()).toMatchObject({
      dataSource: 'warehouse',
      connection: 'warehouse',
      dialect: 'postgres',
    });
    expect(await sql('alt')).toMatchObject({
      dataSource: 'warehouse',
      connection: 'warehouse_alt',
      dialect: 'duckdb',
    });
  });

  it('an environment that remaps a data source answers from its connection, never from the other entry', async () => {
    const def = await token({});
    const alt = await token({ environment: 'alt' });
    // Same query, same tenant, twice each, interleaved: L1 keeps the two databases apart.
    for (let i = 0; i < 2; i++) {
      const fromDefault = ok(await loadWithToken(def, ordersFromDb));
      const fromAlt = ok(await loadWithToken(alt, ordersFromDb));
      expect(numbers(fromDefault, 'orders.count', 'orders.amount')).toEqual(expected(IN_POSTGRES, 'a'));
      expect(numbers(fromAlt, 'orders.count', 'orders.amount')).toEqual(expected(IN_ALT_DUCKDB, 'a'));
      if (i === 1) expect([fromDefault.cache.level, fromAlt.cache.level]).toEqual(['l1', 'l1']);
    }
    // The API key's preview takes the environment from the body.
    expect(
      numbers(ok(await loadWithKey(ordersFromDb, { environment: 'alt' })), 'orders.count', 'orders.amount'),
    ).toEqual(expected(IN_ALT_DUCKDB, 'a'));
  });

  it('rollups are built per environment from its own connection and answer only there', async () => {
    const until = Date.now() + 90_000;
    for (;;) {
      const res = await app.inject({ method: 'GET', url: '/api/v1/caching/pre-aggregations', headers: AUTH });
      const orders = (
        res.json().preAggregations as { rollupId: string; environment: string; served?: boolean }[]
      ).filter((p) => p.rollupId.startsWith('orders.'));
      if (orders.length === 2 && orders.every((p) => p.served)) break;
      if (Date.now() > until) throw new Error(`orders rollups not served: ${res.body}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const [environment, rows] of [
      [undefined, IN_POSTGRES],
      ['alt', IN_ALT_DUCKDB],
    ] as const) {
      for (const tenant of ['a', 'b']) {
        const t = await token({ tenant, ...(environment ? { environment } : {}) });
        const res = ok(await loadWithToken(t, { ...ordersByTenant, renewQuery: true }));
        expect(res.cache.level, `${environment ?? 'default'} ${tenant}`).toBe('l2');
        expect(res.data).toEqual([
          {
            'orders.tenant': tenant,
            'orders.count': expected(rows, tenant).count,
            'orders.amount': expected(rows, tenant).sum,
          },
        ]);
      }
    }
  });

  it('remapping an environment switches its answers at once (L1 and L2 built from the old mapping are not used)', async () => {
    const alt = await token({ environment: 'alt' });
    expect(numbers(ok(await loadWithToken(alt, ordersByTenant)), 'orders.count', 'orders.amount')).toEqual(
      expected(IN_ALT_DUCKDB, 'a'),
    );
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/environments/alt',
      headers: AUTH,
      payload: {
        datasources: [
          { data_source: 'default', connection: 'default' },
          { data_source: 'warehouse', connection: 'warehouse' },
        ],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    for (const q of [ordersByTenant, ordersFromDb]) {
      const res = ok(await loadWithToken(alt, q));
      expect(res.cache.level).toBe('none');
      expect(numbers(res, 'orders.count', 'orders.amount')).toEqual(expected(IN_POSTGRES, 'a'));
    }
  });
});

describe('a query that cannot run on one mapped data source is a 400 that says why', () => {
  it('cubes on two data sources: both cubes and both data sources named', async () => {
    const query = { measures: ['orders.count'], dimensions: ['airports.state'] };
    for (const res of [await loadWithKey(query), await loadWithToken(await token({}), query)]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'QUERY_INVALID',
        errorMessage: expect.stringContaining(
          "'orders' is on data_source 'warehouse' and 'airports' on 'default'",
        ),
      });
    }
  });

  it('an environment that maps no connection for the data source names both', async () => {
    const t = await token({ environment: 'flights_only' });
    for (const res of [
      await loadWithToken(t, ordersFromDb),
      await loadWithKey(ordersFromDb, { environment: 'flights_only' }),
    ]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'DATA_SOURCE_UNMAPPED',
        errorMessage: expect.stringContaining(
          "environment 'flights_only' maps no connection for data_source 'warehouse'",
        ),
      });
    }
    // Its flights still answer.
    expect(ok(await loadWithToken(t, { measures: ['flights.count'] })).data).toHaveLength(1);
  });

  it('the default environment without a connection of that name', async () => {
    const res = await loadWithToken(await token({}), { measures: ['orphans.count'] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'DATA_SOURCE_UNMAPPED',
      errorMessage: expect.stringContaining("no connection for data_source 'nowhere'"),
    });
  });

  it('an unknown environment', async () => {
    const res = await loadWithKey(ordersFromDb, { environment: 'nope' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('UNKNOWN_ENVIRONMENT');
  });
});
