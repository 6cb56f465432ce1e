import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './store/helpers.js';
import { apiCaller, pgParts, type StoreTestApp, storeTestApp } from './store-app.js';

const FLIGHT_COLUMNS = ['id', 'date', 'delay', 'distance', 'origin', 'destination'];

const SEED = {
  name: 'questdb',
  type: 'questdb',
  credentials: { host: '127.0.0.1', port: '8812', user: 'admin', password: 'quest' },
};
// Distinctive, so a scan of bodies and logs cannot miss it or match it by accident.
const PASSWORD = 'Zq7-distinctive-Pa55word-9f3k';

describe.each(BACKENDS)('connections with the store on %s', (backend) => {
  let t: StoreTestApp;
  const bodies: string[] = [];
  beforeAll(async () => {
    t = await storeTestApp(backend);
  });
  afterAll(() => t.close());

  const call = apiCaller(() => t, bodies);

  it('takes the seed call verbatim: 201 {"errorMessage": null}', async () => {
    const res = await call('POST', '/api/v1/connections', SEED);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ errorMessage: null });
  });

  it('lists, reads without credentials, replaces and deletes', async () => {
    expect((await call('GET', '/api/v1/connections')).json()).toEqual({
      connections: ['default', 'questdb'],
    });
    const one = await call('GET', '/api/v1/connections/questdb');
    expect(one.statusCode).toBe(200);
    expect(Object.keys(one.json()).sort()).toEqual(['createdAt', 'name', 'settings', 'type', 'updatedAt']);
    // What an edit form shows again: never the password, only whether there is one.
    expect(one.json()).toMatchObject({
      name: 'questdb',
      type: 'questdb',
      settings: { host: '127.0.0.1', port: 8812, user: 'admin', hasPassword: true },
    });
    expect(one.body).not.toContain('quest"');

    const put = await call('PUT', '/api/v1/connections/questdb', {
      type: 'postgres',
      credentials: { ...pgParts(), password: PASSWORD },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ name: 'questdb', type: 'postgres' });
    expect(await t.store.connections.credentials(t.workspaceId, 'questdb')).toMatchObject({
      password: PASSWORD,
    });

    expect((await call('DELETE', '/api/v1/connections/questdb')).statusCode).toBe(204);
    expect((await call('GET', '/api/v1/connections/questdb')).statusCode).toBe(404);
    expect((await call('DELETE', '/api/v1/connections/questdb')).statusCode).toBe(404);
    expect((await call('PUT', '/api/v1/connections/questdb', SEED)).statusCode).toBe(400); // name is not in a PUT body
  });

  it('a duplicate name is a 409', async () => {
    const body = { name: 'dup', type: 'duckdb', credentials: { path: '/tmp/x.duckdb' } };
    expect((await call('POST', '/api/v1/connections', body)).statusCode).toBe(201);
    const again = await call('POST', '/api/v1/connections', body);
    expect(again.statusCode).toBe(409);
    expect(again.json().errorMessage).toContain("'dup' already exists");
  });

  it('an unknown type is a 400 naming the supported ones; a bad shape names the field', async () => {
    const res = await call('POST', '/api/v1/connections', { name: 'm', type: 'mongodb', credentials: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().errorMessage).toContain('supported types: duckdb, postgres, questdb, mysql');
    const shape = await call('POST', '/api/v1/connections', {
      name: 'p',
      type: 'postgres',
      credentials: { host: 'h', user: 'u', password: PASSWORD },
    });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().code).toBe('CONNECTION_INVALID');
    expect(shape.json().errorMessage).toContain('database is required (the database name');
    expect((await call('GET', '/api/v1/connections/p')).statusCode).toBe(404);
  });

  it('a failing test answers 502 without the password', async () => {
    const creds = { host: '127.0.0.1', port: 1, database: 'x', user: 'nobody', password: PASSWORD };
    expect(
      (await call('POST', '/api/v1/connections', { name: 'down', type: 'postgres', credentials: creds }))
        .statusCode,
    ).toBe(201);
    const saved = await call('POST', '/api/v1/connections/down/test');
    expect(saved.statusCode).toBe(502);
    expect(saved.json().code).toBe('CONNECTION_UNREACHABLE');
    expect(saved.json().errorMessage).toBeTruthy();
    const url = `postgres://nobody:${PASSWORD}@127.0.0.1:1/x`;
    const unsaved = await call('POST', '/api/v1/connections/test', {
      type: 'postgres',
      credentials: { url },
    });
    expect(unsaved.statusCode).toBe(502);
    expect(unsaved.json().code).toBe('CONNECTION_UNREACHABLE');
  });

  it('every connection and environment route takes the API key only (401 without it)', async () => {
    const routes = t.app.routeTable.filter(
      (r) => /\/api\/v1\/(connections|environments)/.test(r.url) && r.method !== 'HEAD',
    );
    expect(routes.length).toBe(15);
    for (const r of routes) {
      expect(r.auth, `${r.method} ${r.url}`).toBe('apiKey');
      const res = await t.app.inject({ method: r.method as 'GET', url: r.url.replace(':name', 'default') });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('credentials never appear in any response body or log line', () => {
    expect(bodies.length).toBeGreaterThan(10);
    for (const b of bodies) expect(b).not.toContain(PASSWORD);
    expect(t.logs.length).toBeGreaterThan(10);
    for (const line of t.logs) expect(line).not.toContain(PASSWORD);
  });
});

describe('connection test and introspection', () => {
  let t: StoreTestApp;
  beforeAll(async () => {
    t = await storeTestApp('sqlite');
  });
  afterAll(() => t.close());

  const api = apiCaller(() => t);
  const post = (url: string, payload?: unknown) => api('POST', url, payload);

  it('a real PostgreSQL superuser tests ok, with a warning that it can write', async () => {
    const body = { name: 'pg', type: 'postgres', credentials: pgParts() };
    expect((await post('/api/v1/connections', body)).statusCode).toBe(201);
    const res = await post('/api/v1/connections/pg/test');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, canWrite: true });
    expect(res.json().warning).toContain('user can write');
    const unsaved = await post('/api/v1/connections/test', {
      type: 'postgres',
      credentials: { url: testDataPaths().pgUrl },
    });
    expect(unsaved.json()).toMatchObject({ ok: true, canWrite: true });
  });

  it('tests an unsaved DuckDB connection and reports an unknown saved one as 404', async () => {
    const res = await post('/api/v1/connections/test', {
      type: 'duckdb',
      credentials: { path: testDataPaths().duckdbPath },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().ok).toBe(true);
    expect((await post('/api/v1/connections/nope/test')).statusCode).toBe(404);
  });

  it('introspects the demo DuckDB: schemas, tables, flights columns with id as primary key', async () => {
    const schemas = await post('/api/v1/connections/default/schemas');
    expect(schemas.statusCode).toBe(200);
    expect(schemas.json().schemas).toContain('main');
    const tables = await post('/api/v1/connections/default/tables', ['main']);
    expect(tables.json().tables).toEqual(
      expect.arrayContaining([
        { schemaName: 'main', tableName: 'flights' },
        { schemaName: 'main', tableName: 'airports' },
      ]),
    );
    const columns = await post('/api/v1/connections/default/columns', [
      { schemaName: 'main', tableName: 'flights' },
    ]);
    expect(columns.statusCode).toBe(200);
    const cols = columns.json().columns as { columnName: string; attributes: string[]; tableName: string }[];
    expect(cols.map((c) => c.columnName)).toEqual(FLIGHT_COLUMNS);
    expect(cols.find((c) => c.columnName === 'id')!.attributes).toEqual(['primaryKey']);
    expect(cols.find((c) => c.columnName === 'delay')!.attributes).toEqual([]);
  });

  it('introspects PostgreSQL the same way', async () => {
    const columns = await post('/api/v1/connections/pg/columns', [
      { schemaName: 'public', tableName: 'flights' },
    ]);
    expect(columns.statusCode).toBe(200);
    const id = (columns.json().columns as { columnName: string; attributes: string[] }[]).find(
      (c) => c.columnName === 'id',
    );
    expect(id?.attributes).toEqual(['primaryKey']);
  });

  it('saves, tests and introspects a MySQL/MariaDB connection given in parts', async () => {
    const url = new URL(testDataPaths().mysqlUrl.replace(/^mariadb:/, 'mysql:'));
    const database = url.pathname.slice(1);
    const credentials = { host: url.hostname, port: url.port || '3306', database, user: url.username };
    expect((await post('/api/v1/connections', { name: 'my', type: 'mysql', credentials })).statusCode).toBe(
      201,
    );
    const res = await post('/api/v1/connections/my/test');
    expect(res.json()).toMatchObject({ ok: true, canWrite: true });
    const columns = await post('/api/v1/connections/my/columns', [
      { schemaName: database, tableName: 'flights' },
    ]);
    expect(columns.statusCode).toBe(200);
    const cols = columns.json().columns as { columnName: string; attributes: string[] }[];
    expect(cols.map((c) => c.columnName)).toEqual(FLIGHT_COLUMNS);
    expect(cols.find((c) => c.columnName === 'id')?.attributes).toEqual(['primaryKey']);
    const typo = await post('/api/v1/connections/test', {
      type: 'mysql',
      credentials: { ...credentials, prot: 1 },
    });
    expect(typo.statusCode).toBe(400);
  });
});
