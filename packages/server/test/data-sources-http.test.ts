/**
 * One model over three databases — the flights demo on embedded DuckDB (`default`), orders in
 * PostgreSQL (`warehouse`), ticks in a live QuestDB (`ticks`) — pushed, connected, tokened and
 * queried through HTTP as a user would, with L1 and L2 on. Each database holds different rows,
 * so every answer shows which database it came from; environments remap `warehouse` to a
 * DuckDB file and to MySQL/MariaDB, each with rows of its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, questdbTestUrl, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createStoreWorkspace, hashApiKey, type InlayApp } from '../src/index.js';
import type { Store } from '../src/store/index.js';
import { multipart, tarGz } from './bundle-helpers.js';
import { API_KEY, AUTH } from './helpers.js';
import { SECRET_KEY, testPlace } from './store/helpers.js';
import { pgParts } from './store-app.js';
import { bearer } from './token-helpers.js';

// Skips the QuestDB part locally without QUESTDB_URL; under CI its absence fails the run.
const QUESTDB_URL = questdbTestUrl();

const suffix = randomBytes(4).toString('hex');
const ORDERS = `inlay_ds_orders_${suffix}`;
const TICKS = `inlay_ds_ticks_${suffix}`;

// The rows each database holds, per tenant: [count, sum of amount or price].
const IN_POSTGRES = { a: [10, 20, 30], b: [5, 7] };
const IN_ALT_DUCKDB = { a: [1000], b: [1, 2, 3, 4] };
const IN_MYSQL = { a: [3, 4], b: [100] };
const IN_QUESTDB = { a: [1.5, 2.5], b: [1, 1, 1, 1, 1, 1] };
const expected = (rows: Record<string, number[]>, tenant: string) => ({
  count: rows[tenant]!.length,
  sum: rows[tenant]!.reduce((a, b) => a + b, 0),
});

const tenantPolicy = `
    access_policy:
      - role: default
        row_level:
          filters: [{ member: tenant, operator: equals, values: ["{ securityContext.tenant }"] }]`;

const MODELS = {
  'models/orders.cube.yml': `cubes:
  - name: orders
    data_source: warehouse
    sql_table: ${ORDERS}
    joins:
      - { name: airports, relationship: many_to_one, sql: "{CUBE}.origin = {airports}.iata" }
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: tenant, sql: tenant, type: string }
      - { name: origin, sql: origin, type: string }
    measures:
      - { name: count, type: count }
      - { name: amount, sql: amount, type: sum }
${tenantPolicy}
    pre_aggregations:
      - name: by_tenant
        measures: [count, amount]
        dimensions: [tenant]
        refresh_key: { every: 1 hour }
`,
  'models/orphans.cube.yml': `cubes:
  - name: orphans
    data_source: nowhere
    sql_table: orphans
    measures:
      - { name: count, type: count }
`,
  ...(QUESTDB_URL
    ? {
        'models/ticks.cube.yml': `cubes:
  - name: ticks
    data_source: ticks
    sql_table: ${TICKS}
    dimensions:
      - { name: ts, sql: ts, type: time }
      - { name: tenant, sql: tenant, type: string }
    measures:
      - { name: count, type: count }
      - { name: price, sql: price, type: sum }
${tenantPolicy}
`,
      }
    : {}),
};

const DASHBOARD = `embeddables:
  - name: three-databases
    datasets:
      - { name: flights, model: flights }
      - { name: airports, model: airports }
      - { name: orders, model: orders }
      - { name: orphans, model: orphans }
${QUESTDB_URL ? '      - { name: ticks, model: ticks }\n' : ''}    widgets: []
`;

let app: InlayApp;
let store: Store;
let cleanupPlace: () => Promise<void>;
let altDir: string;
let flightsDb: Driver;
let pgDriver: Driver;
let myDriver: Driver;
let questDriver: Driver | undefined;

async function writeRows(driver: Driver, create: string, insert: string, rows: Record<string, number[]>) {
  await driver.execute(create);
  let id = 0;
  for (const [tenant, values] of Object.entries(rows)) {
    for (const v of values) await driver.execute(insert, [++id, tenant, v]);
  }
}

beforeAll(async () => {
  // PostgreSQL and the remapped DuckDB file hold a table of the same name with different rows.
  pgDriver = createDriver('postgres', { url: testDataPaths().pgUrl });
  await writeRows(
    pgDriver,
    `CREATE TABLE ${ORDERS} (id INT PRIMARY KEY, tenant TEXT, amount INT, origin TEXT DEFAULT 'LAX')`,
    `INSERT INTO ${ORDERS} (id, tenant, amount) VALUES ($1, $2, $3)`,
    IN_POSTGRES,
  );
  myDriver = createDriver('mysql', { url: testDataPaths().mysqlUrl });
  await writeRows(
    myDriver,
    `CREATE TABLE ${ORDERS} (id INT PRIMARY KEY, tenant VARCHAR(16), amount INT, origin VARCHAR(8) DEFAULT 'LAX')`,
    `INSERT INTO ${ORDERS} (id, tenant, amount) VALUES (?, ?, ?)`,
    IN_MYSQL,
  );
  altDir = mkdtempSync(join(tmpdir(), 'inlay-ds-alt-'));
  const alt = createDriver('duckdb', { path: join(altDir, 'alt.duckdb') });
  await writeRows(
    alt,
    `CREATE TABLE ${ORDERS} (id INT PRIMARY KEY, tenant TEXT, amount INT, origin TEXT DEFAULT 'LAX')`,
    `INSERT INTO ${ORDERS} (id, tenant, amount) VALUES ($1, $2, $3)`,
    IN_ALT_DUCKDB,
  );
  await alt.close();
  if (QUESTDB_URL) {
    questDriver = createDriver('questdb', { url: QUESTDB_URL });
    // No WAL: rows are visible as soon as INSERT returns.
    await questDriver.execute(
      `CREATE TABLE ${TICKS} (id LONG, tenant SYMBOL, price DOUBLE, ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY DAY BYPASS WAL`,
    );
    let id = 0;
    for (const [tenant, values] of Object.entries(IN_QUESTDB)) {
      for (const v of values) {
        await questDriver.execute(`INSERT INTO ${TICKS} VALUES ($1, $2, $3, $4)`, [
          ++id,
          tenant,
          v,
          { kind: 'timestamp', utc: `2024-01-0${id % 9 || 1}T10:00:00.000` },
        ]);
      }
    }
  }
  flightsDb = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });

  const place = testPlace('sqlite');
  cleanupPlace = () => place.cleanup();
  store = await place.open();
  const workspaceId = (await store.workspaces.create({ name: 'three-databases' })).id;
  await store.apiKeys.create(workspaceId, { key: API_KEY });
  app = buildApp({
    config: {
      apiKeyHash: hashApiKey(randomBytes(32).toString('hex')),
      secretKey: SECRET_KEY,
      maxBodyBytes: 1024 * 1024,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
      cacheMaxBytes: 16 * 1024 * 1024,
    },
    workspace: createStoreWorkspace({ store, workspaceId, projectDir: flightsProjectDir }),
    store,
    preaggs: { dataDir: join(altDir, 'preaggs'), schedule: true },
    logger: false,
  });
  await app.ready();

  // As a user would: connections, models and a dashboard pushed, an environment, refresh contexts.
  const post = async (url: string, payload: object) => {
    const res = await app.inject({ method: 'POST', url, headers: AUTH, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  };
  await post('/api/v1/connections', {
    name: 'default',
    type: 'duckdb',
    credentials: { path: testDataPaths().duckdbPath },
  });
  await post('/api/v1/connections', { name: 'warehouse', type: 'postgres', credentials: pgParts() });
  await post('/api/v1/connections', {
    name: 'warehouse_alt',
    type: 'duckdb',
    credentials: { path: join(altDir, 'alt.duckdb') },
  });
  await post('/api/v1/connections', {
    name: 'warehouse_mysql',
    type: 'mysql',
    credentials: { url: testDataPaths().mysqlUrl },
  });
  if (QUESTDB_URL) {
    const u = new URL(QUESTDB_URL);
    await post('/api/v1/connections', {
      name: 'ticks',
      type: 'questdb',
      credentials: { host: u.hostname, port: u.port, user: u.username, password: u.password },
    });
  }
  const files: Record<string, string> = { ...MODELS, 'three.embeddable.yml': DASHBOARD };
  for (const f of ['flights.cube.yml', 'airports.cube.yml']) {
    files[`models/${f}`] = await readFile(join(flightsProjectDir, 'models', f), 'utf8');
  }
  const m = multipart(await tarGz(files), { description: 'three databases' });
  const pushed = await app.inject({
    method: 'POST',
    url: '/api/v1/bundle/upload',
    headers: { ...AUTH, ...m.headers },
    payload: m.payload,
  });
  expect(pushed.statusCode, pushed.body).toBe(200);
  await post('/api/v1/environments', {
    name: 'alt',
    datasources: [
      { data_source: 'default', connection: 'default' },
      { data_source: 'warehouse', connection: 'warehouse_alt' },
      ...(QUESTDB_URL ? [{ data_source: 'ticks', connection: 'ticks' }] : []),
    ],
  });
  await post('/api/v1/environments', {
    name: 'on_mysql',
    datasources: [
      { data_source: 'default', connection: 'default' },
      { data_source: 'warehouse', connection: 'warehouse_mysql' },
    ],
  });
  await post('/api/v1/environments', {
    name: 'flights_only',
    datasources: [{ data_source: 'default', connection: 'default' }],
  });
  await post('/api/v1/caching/refresh-contexts', {
    embeddables: [],
    scheduledRefreshContexts: [
      { securityContext: {}, environment: 'default' },
      { securityContext: {}, environment: 'alt' },
    ],
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await cleanupPlace?.();
  await pgDriver?.execute(`DROP TABLE IF EXISTS ${ORDERS}`).catch(() => {});
  await pgDriver?.close();
  await myDriver?.execute(`DROP TABLE IF EXISTS ${ORDERS}`).catch(() => {});
  await myDriver?.close();
  await questDriver?.execute(`DROP TABLE IF EXISTS ${TICKS}`).catch(() => {});
  await questDriver?.close();
  await flightsDb?.close();
  if (altDir) rmSync(altDir, { recursive: true, force: true });
});

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
