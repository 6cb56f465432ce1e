/**
 * A connection that cannot be used answers with one status and one code per cause, the same on
 * every route that touches it: `test` (saved and unsaved), `schemas`, `tables`, `columns` and a
 * `/load` through an environment mapping the model's data source to it. Real PostgreSQL, real
 * QuestDB (QUESTDB_URL), a DuckDB path that does not exist, and sockets on 127.0.0.1 that refuse,
 * close or never answer.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, pgParts, type StoreTestApp, storeTestApp } from './store-app.js';

const QUESTDB_URL = process.env.QUESTDB_URL;
// Distinctive, so a scan of bodies and logs cannot miss it or match it by accident.
const PASSWORD = 'Kv4-distinctive-conn-pw-8s1';
const SUFFIX = `${process.pid}_${Date.now().toString(36)}`;

interface Cause {
  /** The saved connection's name (and the environment mapping `default` to it). */
  name: string;
  type: 'postgres' | 'questdb' | 'duckdb';
  credentials: () => Record<string, unknown>;
  /** The schema `tables`/`columns` ask about (one the type has). */
  schema: string;
  code: string;
  status: number;
}

/** A listener that accepts and never speaks: connecting times out. */
let silent: { server: Server; port: number; sockets: Set<Socket> };

const qdb = () => new URL(QUESTDB_URL!);

const CAUSES: Cause[] = [
  {
    name: 'pg_no_role',
    type: 'postgres',
    credentials: () => ({ ...pgParts(), user: `inlay_nobody_${SUFFIX}`, password: PASSWORD }),
    schema: 'public',
    code: 'CONNECTION_AUTH',
    status: 400,
  },
  {
    name: 'pg_no_database',
    type: 'postgres',
    credentials: () => ({ ...pgParts(), database: `inlay_no_db_${SUFFIX}`, password: PASSWORD }),
    schema: 'public',
    code: 'CONNECTION_DATABASE',
    status: 400,
  },
  {
    name: 'pg_down',
    type: 'postgres',
    credentials: () => ({ url: `postgres://postgres:${PASSWORD}@127.0.0.1:1/test` }),
    schema: 'public',
    code: 'CONNECTION_UNREACHABLE',
    status: 502,
  },
  {
    name: 'qdb_down',
    type: 'questdb',
    credentials: () => ({ host: '127.0.0.1', port: '1', user: 'admin', password: PASSWORD }),
    schema: 'public',
    code: 'CONNECTION_UNREACHABLE',
    status: 502,
  },
  {
    name: 'pg_silent',
    type: 'postgres',
    credentials: () => ({ ...pgParts(), port: silent.port, password: PASSWORD }),
    schema: 'public',
    code: 'CONNECTION_TIMEOUT',
    status: 504,
  },
  {
    name: 'duck_missing',
    type: 'duckdb',
    credentials: () => ({ path: join('/tmp', `inlay-missing-${SUFFIX}`, 'nothing.duckdb') }),
    schema: 'main',
    code: 'CONNECTION_DATABASE',
    status: 400,
  },
  ...(QUESTDB_URL
    ? [
        {
          name: 'qdb_wrong_password',
          type: 'questdb' as const,
          credentials: () => ({
            host: qdb().hostname,
            port: qdb().port || '8812',
            user: 'admin',
            password: PASSWORD,
          }),
          schema: 'public',
          code: 'CONNECTION_AUTH',
          status: 400,
        },
      ]
    : []),
];

describe('connection errors: one status and one code per cause, on every route', () => {
  let t: StoreTestApp;
  const bodies: string[] = [];

  beforeAll(async () => {
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    silent = { server, port: (server.address() as { port: number }).port, sockets };
    t = await storeTestApp('sqlite');
    for (const c of CAUSES) {
      const created = await call('POST', '/api/v1/connections', {
        name: c.name,
        type: c.type,
        credentials: c.credentials(),
      });
      expect(created.statusCode, c.name).toBe(201);
      const env = { name: `env_${c.name}`, datasources: [{ data_source: 'default', connection: c.name }] };
      expect((await call('POST', '/api/v1/environments', env)).statusCode, c.name).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
    for (const s of silent.sockets) s.destroy();
    silent.server.close();
  });

  const call = apiCaller(() => t, bodies);

  /** Every route that contacts the connection, as [label, request]. */
  function routes(c: Cause): [string, () => ReturnType<typeof call>][] {
    const at = `/api/v1/connections/${c.name}`;
    return [
      [
        'POST /connections/test',
        () => call('POST', '/api/v1/connections/test', { type: c.type, credentials: c.credentials() }),
      ],
      ['POST /connections/{name}/test', () => call('POST', `${at}/test`)],
      ['POST /connections/{name}/schemas', () => call('POST', `${at}/schemas`)],
      ['POST /connections/{name}/tables', () => call('POST', `${at}/tables`, [c.schema])],
      [
        'POST /connections/{name}/columns',
        () => call('POST', `${at}/columns`, [{ schemaName: c.schema, tableName: 'flights' }]),
      ],
      [
        'POST /load',
        () =>
          call('POST', '/api/v1/load', {
            query: { measures: ['flights.count'] },
            roles: ['admin'],
            environment: `env_${c.name}`,
          }),
      ],
    ];
  }

  it.each(CAUSES)(
    '$name → $status $code on test, schemas, tables, columns and /load',
    async (c) => {
      // Concurrently: a timeout takes the driver's 10 s connect limit once, not once per route.
      const answers = await Promise.all(
        routes(c).map(async ([label, send]) => [label, await send()] as const),
      );
      for (const [label, res] of answers) {
        expect([label, res.statusCode, res.json().code]).toEqual([label, c.status, c.code]);
        expect(res.json().errorMessage, label).toBeTruthy();
        expect(res.json().hint, label).toBeTruthy();
        expect(res.body, label).not.toContain(PASSWORD);
        expect(res.body, label).not.toMatch(/postgres(ql)?:\/\/[^*\s]*:[^*\s]*@/);
      }
    },
    40_000,
  );

  it('an environment that maps no connection for the data source: 400 DATA_SOURCE_UNMAPPED', async () => {
    const env = { name: 'env_unmapped', datasources: [{ data_source: 'elsewhere', connection: 'default' }] };
    expect((await call('POST', '/api/v1/environments', env)).statusCode).toBe(201);
    const res = await call('POST', '/api/v1/load', {
      query: { measures: ['flights.count'] },
      roles: ['admin'],
      environment: 'env_unmapped',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'DATA_SOURCE_UNMAPPED' });
    expect(res.json().errorMessage).toContain("data_source 'default'");
  });

  it('a connection that does not exist: 404 CONNECTION_NOT_FOUND on every route; on /load a data source without one is a 400', async () => {
    for (const [label, send] of routes({ ...CAUSES[0]!, name: 'nope' }).slice(1, 5)) {
      const res = await send();
      expect([label, res.statusCode, res.json().code]).toEqual([label, 404, 'CONNECTION_NOT_FOUND']);
    }
    // The implicit default environment maps data_source `default` to the connection `default`
    // (deleted once no stored environment maps it).
    expect((await call('DELETE', '/api/v1/environments/env_unmapped')).statusCode).toBe(204);
    expect((await call('DELETE', '/api/v1/connections/default')).statusCode).toBe(204);
    const res = await call('POST', '/api/v1/load', {
      query: { measures: ['flights.count'] },
      roles: ['admin'],
    });
    // What the query needs is a mapping for its data source: the environment's to fix, not a URL's.
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'DATA_SOURCE_UNMAPPED' });
    expect(res.json().errorMessage).toContain("no connection for data_source 'default'");
  });

  it('never puts the password in a body or a log line', () => {
    expect(bodies.length).toBeGreaterThan(CAUSES.length * 6);
    for (const b of bodies) expect(b).not.toContain(PASSWORD);
    for (const line of t.logs) expect(line).not.toContain(PASSWORD);
  });
});

describe('credentials that cannot work: 400 CONNECTION_INVALID naming each field and what it expects', () => {
  let t: StoreTestApp;
  beforeAll(async () => {
    t = await storeTestApp('sqlite');
  });
  afterAll(() => t.close());

  const call = apiCaller(() => t);
  const post = (url: string, payload: object) => call('POST', url, payload);

  /** The same check on create, on PUT and on the unsaved test. */
  async function refused(type: string, credentials: Record<string, unknown>) {
    const answers = [
      await post('/api/v1/connections', { name: 'c', type, credentials }),
      await call('PUT', '/api/v1/connections/default', { type, credentials }),
      await post('/api/v1/connections/test', { type, credentials }),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('CONNECTION_INVALID');
      expect(res.body).not.toContain(PASSWORD);
      expect(res.json()).toEqual(answers[0]!.json());
    }
    return answers[0]!.json() as { errorMessage: string; hint?: string; where?: { path?: string } };
  }

  it("the seed's QuestDB connection with only a host names port, user and password", async () => {
    const e = await refused('questdb', { host: '127.0.0.1' });
    expect(e.errorMessage).toContain('invalid questdb credentials');
    expect(e.errorMessage).toContain('port is required (a port number such as 8812');
    expect(e.errorMessage).toContain('user is required (the login, e.g. "admin")');
    expect(e.errorMessage).toContain('password is required');
    expect(e.errorMessage).not.toContain('Invalid input');
    expect(e.where).toEqual({ path: 'credentials' });
    expect(e.hint).toBe('Expected {"host", "port", "user", "password", "database"?, "ssl"?} or {"url"}.');
  });

  it('one wrong field is named with what it expects, and is where the error points', async () => {
    const e = await refused('questdb', { host: 'h', port: 'eighty', user: 'admin', password: PASSWORD });
    expect(e.errorMessage).toContain('port is not valid (expected a port number such as 8812');
    expect(e.where).toEqual({ path: 'credentials.port' });
    const empty = await refused('duckdb', { path: '' });
    expect(empty.errorMessage).toContain('path must not be empty');
    const long = await refused('postgres', {
      host: 'h',
      database: 'd',
      user: 'u',
      password: 'x'.repeat(1001),
    });
    expect(long.errorMessage).toContain('password is too long (at most 1000 characters)');
    expect(long.errorMessage).not.toContain('xxxx');
  });

  it('unknown fields are named with the allowed ones, for every type and the url form', async () => {
    const pg = await refused('postgres', { hots: 'h', database: 'd', user: 'u', password: PASSWORD });
    expect(pg.errorMessage).toContain(
      'unknown field(s) hots; allowed: host, port, database, user, password, ssl (or "url" alone)',
    );
    expect(pg.errorMessage).toContain('host is required');
    const duck = await refused('duckdb', { file: '/x.duckdb' });
    expect(duck.errorMessage).toContain('unknown field(s) file; allowed: path');
    const both = await refused('questdb', { url: 'postgres://admin:quest@h:8812/qdb', host: 'h' });
    expect(both.errorMessage).toContain('unknown field(s) host; allowed: url (with "url", nothing else)');
    const scheme = await refused('postgres', { url: 'mysql://u@h/db' });
    expect(scheme.errorMessage).toContain(
      'url is not valid (expected a postgres:// URL such as postgres://user:password@host:5432/database)',
    );
    expect(scheme.where).toEqual({ path: 'credentials.url' });
  });

  it('an unknown type names the supported ones', async () => {
    const e = await refused('mongodb', {});
    expect(e.errorMessage).toContain(
      "unknown connection type 'mongodb'; supported types: duckdb, postgres, questdb, mysql",
    );
    expect(e.where).toEqual({ path: 'type' });
  });

  it('a URL the driver cannot read is CONNECTION_INVALID on test too, without its password', async () => {
    const res = await post('/api/v1/connections/test', {
      type: 'postgres',
      credentials: { url: `postgres://u:${PASSWORD}@[not-a-host/db` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('CONNECTION_INVALID');
    expect(res.body).not.toContain(PASSWORD);
  });
});

describe('introspection of a schema or table the connection does not have: 400, on every type', () => {
  let t: StoreTestApp;
  const call = apiCaller(() => t);
  // [connection, a schema it has, a table in it]
  const targets: [string, string, string][] = [
    ['default', 'main', 'flights'],
    ['pg', 'public', 'flights'],
    ...(QUESTDB_URL ? [['qdb', 'public', 'inlay_never_created'] as [string, string, string]] : []),
  ];
  beforeAll(async () => {
    t = await storeTestApp('sqlite');
    const pg = { name: 'pg', type: 'postgres', credentials: pgParts() };
    expect((await call('POST', '/api/v1/connections', pg)).statusCode).toBe(201);
    if (QUESTDB_URL) {
      const qdb = { name: 'qdb', type: 'questdb', credentials: { url: QUESTDB_URL } };
      expect((await call('POST', '/api/v1/connections', qdb)).statusCode).toBe(201);
    }
  });
  afterAll(() => t.close());

  it.each(targets)('%s: SCHEMA_UNKNOWN names the schema and lists the real ones', async (name, schema) => {
    const res = await call('POST', `/api/v1/connections/${name}/tables`, [schema, 'inlay_no_schema']);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('SCHEMA_UNKNOWN');
    expect(res.json().errorMessage).toContain("no schema 'inlay_no_schema'");
    expect(res.json().hint).toContain(`'${schema}'`);
    const cols = await call('POST', `/api/v1/connections/${name}/columns`, [
      { schemaName: 'inlay_no_schema', tableName: 'flights' },
    ]);
    expect([cols.statusCode, cols.json().code]).toEqual([400, 'SCHEMA_UNKNOWN']);
  });

  it.each(targets)('%s: TABLE_UNKNOWN names the table (never a 5xx)', async (name, schema) => {
    const res = await call('POST', `/api/v1/connections/${name}/columns`, [
      { schemaName: schema, tableName: 'inlay_no_table' },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('TABLE_UNKNOWN');
    expect(res.json().errorMessage).toContain(`no table '${schema}.inlay_no_table'`);
  });
});
