import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH } from './helpers.js';
import { BACKENDS } from './store/helpers.js';
import { pgParts, type StoreTestApp, storeTestApp } from './store-app.js';

const BY_STATE = {
  measures: ['flights.count', 'flights.avg_delay'],
  dimensions: ['airports.state'],
  order: { 'airports.state': 'asc' as const },
  limit: 5,
};

describe.each(BACKENDS)('environments with the store on %s', (backend) => {
  let t: StoreTestApp;
  beforeAll(async () => {
    t = await storeTestApp(backend);
    const pg = { name: 'pg', type: 'postgres', credentials: pgParts() };
    expect((await call('POST', '/api/v1/connections', pg)).statusCode).toBe(201);
  });
  afterAll(() => t.close());

  function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
    return t.app.inject({
      method,
      url,
      headers: AUTH,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }
  const load = (body: object) => call('POST', '/api/v1/load', body);

  it('creates, lists, reads, replaces; default is implicit', async () => {
    const created = await call('POST', '/api/v1/environments', {
      name: 'pg',
      datasources: [{ data_source: 'default', connection: 'pg' }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ errorMessage: null });
    expect((await call('GET', '/api/v1/environments')).json()).toEqual({ environments: ['pg'] });
    expect((await call('GET', '/api/v1/environments/pg')).json()).toMatchObject({
      name: 'pg',
      datasources: [{ data_source: 'default', connection: 'pg' }],
    });
    expect((await call('GET', '/api/v1/environments/default')).json()).toEqual({
      name: 'default',
      datasources: [
        { data_source: 'default', connection: 'default' },
        { data_source: 'pg', connection: 'pg' },
      ],
    });
    const other = { name: 'other', datasources: [{ data_source: 'default', connection: 'default' }] };
    expect((await call('POST', '/api/v1/environments', other)).statusCode).toBe(201);
    expect((await call('POST', '/api/v1/environments', other)).statusCode).toBe(409);
    const put = await call('PUT', '/api/v1/environments/other', {
      datasources: [{ data_source: 'x', connection: 'pg' }],
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().datasources).toEqual([{ data_source: 'x', connection: 'pg' }]);
    expect((await call('DELETE', '/api/v1/environments/other')).statusCode).toBe(204);
    expect((await call('GET', '/api/v1/environments/other')).statusCode).toBe(404);
  });

  it('refuses an unknown connection, a twice-mapped data_source, and touching default (400)', async () => {
    const unknown = await call('POST', '/api/v1/environments', {
      name: 'bad',
      datasources: [{ data_source: 'default', connection: 'nope' }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errorMessage).toContain("unknown connection 'nope'");
    const twice = await call('POST', '/api/v1/environments', {
      name: 'bad',
      datasources: [
        { data_source: 'default', connection: 'pg' },
        { data_source: 'default', connection: 'default' },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(
      (await call('POST', '/api/v1/environments', { name: 'default', datasources: [] })).statusCode,
    ).toBe(400);
    expect((await call('PUT', '/api/v1/environments/default', { datasources: [] })).statusCode).toBe(400);
    expect((await call('DELETE', '/api/v1/environments/default')).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/environments/bad')).statusCode).toBe(404);
  });

  it('/load in an environment mapping default → PostgreSQL answers from PostgreSQL, same numbers', async () => {
    const duck = await load({ query: BY_STATE, roles: ['admin'] });
    const pg = await load({ query: BY_STATE, roles: ['admin'], environment: 'pg' });
    expect(duck.statusCode).toBe(200);
    expect(pg.statusCode).toBe(200);
    expect(pg.json().data).toHaveLength(5);
    const rows = (r: typeof duck) =>
      r
        .json()
        .data.map((d: Record<string, number | string>) => [
          d['airports.state'],
          Number(d['flights.count']),
          Number(d['flights.avg_delay']).toFixed(6),
        ]);
    expect(rows(pg)).toEqual(rows(duck));
    const count = await load({ query: { measures: ['flights.count'] }, roles: ['admin'], environment: 'pg' });
    expect(Number(count.json().data[0]['flights.count'])).toBe(3_000_000);

    const sqlPg = await call('POST', '/api/v1/sql', { query: BY_STATE, roles: ['admin'], environment: 'pg' });
    expect(sqlPg.json().dialect).toBe('postgres');
    const sqlDuck = await call('POST', '/api/v1/sql', { query: BY_STATE, roles: ['admin'] });
    expect(sqlDuck.json().dialect).toBe('duckdb');
    const unknown = await load({ query: BY_STATE, roles: ['admin'], environment: 'nope' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errorMessage).toContain("unknown environment 'nope'");
  });

  it('updating a connection drops its cached driver', async () => {
    const broken = { type: 'postgres', credentials: { ...pgParts(), port: 1 } };
    expect((await call('PUT', '/api/v1/connections/pg', broken)).statusCode).toBe(200);
    const q = { query: { measures: ['flights.count'] }, roles: ['admin'], environment: 'pg' };
    expect((await load(q)).statusCode).toBe(502);
    expect(
      (await call('PUT', '/api/v1/connections/pg', { type: 'postgres', credentials: pgParts() })).statusCode,
    ).toBe(200);
    expect((await load(q)).statusCode).toBe(200);
  });

  it('a connection used by an environment cannot be deleted (409) until the environment goes', async () => {
    const res = await call('DELETE', '/api/v1/connections/pg');
    expect(res.statusCode).toBe(409);
    expect(res.json().errorMessage).toContain('environment(s) pg');
    expect((await call('DELETE', '/api/v1/environments/pg')).statusCode).toBe(204);
    expect((await call('DELETE', '/api/v1/connections/pg')).statusCode).toBe(204);
  });
});
