/**
 * The three-databases fixture of `data-sources-http.test.ts`: rows of their own in PostgreSQL, MySQL,
 * a second DuckDB file and a live QuestDB, a store-backed app with L1 and L2 on, connections,
 * environments and the pushed model and dashboard. Started once per test file (about 10 s).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, questdbTestUrl, testDataPaths } from '@inlay/example-flights';
import { expect } from 'vitest';
import { buildApp, createStoreWorkspace, hashApiKey, type InlayApp } from '../src/index.js';
import { multipart, tarGz } from './bundle-helpers.js';
import { API_KEY, AUTH } from './helpers.js';
import { SECRET_KEY, testPlace } from './store/helpers.js';
import { pgParts } from './store-app.js';

// Skips the QuestDB part locally without QUESTDB_URL; under CI its absence fails the run.
export const QUESTDB_URL = questdbTestUrl();

const suffix = randomBytes(4).toString('hex');
const ORDERS = `inlay_ds_orders_${suffix}`;
const TICKS = `inlay_ds_ticks_${suffix}`;

// The rows each database holds, per tenant: [count, sum of amount or price].
export const IN_POSTGRES = { a: [10, 20, 30], b: [5, 7] };
export const IN_ALT_DUCKDB = { a: [1000], b: [1, 2, 3, 4] };
export const IN_MYSQL = { a: [3, 4], b: [100] };
export const IN_QUESTDB = { a: [1.5, 2.5], b: [1, 1, 1, 1, 1, 1] };
export const expected = (rows: Record<string, number[]>, tenant: string) => ({
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

export interface ThreeDatabases {
  app: InlayApp;
  flightsDb: Driver;
  close(): Promise<void>;
}

async function writeRows(driver: Driver, create: string, insert: string, rows: Record<string, number[]>) {
  await driver.execute(create);
  let id = 0;
  for (const [tenant, values] of Object.entries(rows)) {
    for (const v of values) await driver.execute(insert, [++id, tenant, v]);
  }
}

/** Tables written, the app started and configured as a user would; `close` drops what it wrote. */
export async function startThreeDatabases(): Promise<ThreeDatabases> {
  let app: InlayApp | undefined;
  let cleanupPlace: (() => Promise<void>) | undefined;
  let altDir: string | undefined;
  let flightsDb: Driver | undefined;
  let pgDriver: Driver | undefined;
  let myDriver: Driver | undefined;
  let questDriver: Driver | undefined;
  const close = async () => {
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
  };
  try {
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
    const store = await place.open();
    const workspaceId = (await store.workspaces.create({ name: 'three-databases' })).id;
    await store.apiKeys.create(workspaceId, { key: API_KEY });
    const started = buildApp({
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
    app = started;
    await started.ready();

    // As a user would: connections, models and a dashboard pushed, an environment, refresh contexts.
    const post = async (url: string, payload: object) => {
      const res = await started.inject({ method: 'POST', url, headers: AUTH, payload });
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
    const pushed = await started.inject({
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
    return { app: started, flightsDb, close };
  } catch (err) {
    // Half a fixture is dropped too: the tables and the temp dir of a failed start.
    await close();
    throw err;
  }
}
