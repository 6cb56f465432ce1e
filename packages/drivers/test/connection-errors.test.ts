/**
 * A connection that cannot be used fails with one code per cause, on every driver: the login
 * refused (CONNECTION_AUTH 400), no such database (CONNECTION_DATABASE 400), nothing answering at
 * the address (CONNECTION_UNREACHABLE 502), no answer in time (CONNECTION_TIMEOUT 504).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { InlayError } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import { connectionCause } from '../src/errors.js';
import { createDriver } from '../src/index.js';
import { PGURL, uniqueName } from './helpers.js';

const QUESTDB_URL = process.env.QUESTDB_URL;
const SECRET = 'Wr0ng-Distinctive-pw-4k2';

async function failureOf(
  type: 'postgres' | 'questdb' | 'mysql',
  credentials: object,
  connectTimeoutMs = 10_000,
) {
  const d = createDriver(type, credentials, { connectTimeoutMs, poolSize: 1 });
  try {
    return (await d.test().then(
      () => null,
      (e: unknown) => e,
    )) as InlayError | null;
  } finally {
    await d.close();
  }
}

/** A TCP listener on 127.0.0.1 that does `onSocket` with each connection (never speaks the protocol). */
async function listener(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onSocket(s);
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

describe('connectionCause', () => {
  it('reads errno codes, SQLSTATEs and node-postgres messages; anything else is not a connection problem', () => {
    const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
    const cases: [unknown, ReturnType<typeof connectionCause>][] = [
      [err('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), 'unreachable'],
      [err('getaddrinfo ENOTFOUND db.example', 'ENOTFOUND'), 'unreachable'],
      [err('connect EHOSTUNREACH 10.0.0.1:5432', 'EHOSTUNREACH'), 'unreachable'],
      [new AggregateError([err('a', 'ECONNREFUSED'), err('b', 'ECONNREFUSED')], ''), 'unreachable'],
      [err('connect ETIMEDOUT 10.0.0.1:5432', 'ETIMEDOUT'), 'timeout'],
      [err('Connection terminated due to connection timeout'), 'timeout'],
      [err('timeout expired'), 'timeout'],
      [err('password authentication failed for user "x"', '28P01'), 'auth'],
      [err('role "x" does not exist', '28000'), 'auth'],
      [err('database "x" does not exist', '3D000'), 'database'],
      [err('the database system is starting up', '57P03'), 'unreachable'],
      [err('Connection terminated unexpectedly'), 'unreachable'],
      [err('syntax error at or near "SELEC"', '42601'), null],
      [err('relation "nope" does not exist', '42P01'), null],
      [err('canceling statement due to statement timeout', '57014'), null],
      ['a plain string', null],
    ];
    for (const [e, cause] of cases) expect([String(e), connectionCause(e)]).toEqual([String(e), cause]);
  });
});

describe.each(['postgres', 'questdb', 'mysql'] as const)('%s: a connection that cannot be used', (type) => {
  it('nothing listening → CONNECTION_UNREACHABLE 502, without the password', async () => {
    const e = await failureOf(type, {
      host: '127.0.0.1',
      port: 1,
      database: 'x',
      user: 'u',
      password: SECRET,
    });
    expect(e).toMatchObject({
      code: 'CONNECTION_UNREACHABLE',
      status: 502,
      hint: expect.stringContaining('port'),
    });
    expect(JSON.stringify(e!.toJSON())).not.toContain(SECRET);
  });

  it('a server that closes at once → CONNECTION_UNREACHABLE; one that never answers → CONNECTION_TIMEOUT 504', async () => {
    const closing = await listener((s) => s.destroy());
    const silent = await listener(() => {});
    try {
      const creds = (port: number) => ({
        host: '127.0.0.1',
        port,
        database: 'x',
        user: 'u',
        password: SECRET,
      });
      expect(await failureOf(type, creds(closing.port))).toMatchObject({ code: 'CONNECTION_UNREACHABLE' });
      const t0 = performance.now();
      const e = await failureOf(type, creds(silent.port), 300);
      expect(e).toMatchObject({ code: 'CONNECTION_TIMEOUT', status: 504 });
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect(JSON.stringify(e!.toJSON())).not.toContain(SECRET);
    } finally {
      closing.server.close();
      silent.server.close();
    }
  });
});

describe('PostgreSQL refuses', () => {
  const url = new URL(PGURL);
  it('an unknown role → CONNECTION_AUTH 400; an unknown database → CONNECTION_DATABASE 400', async () => {
    const role = new URL(url);
    role.username = uniqueName('inlay_nobody');
    role.password = SECRET;
    const auth = await failureOf('postgres', { url: role.toString() });
    expect(auth).toMatchObject({
      code: 'CONNECTION_AUTH',
      status: 400,
      hint: expect.stringContaining('user'),
    });
    const db = new URL(url);
    db.pathname = `/${uniqueName('inlay_no_db')}`;
    const database = await failureOf('postgres', { url: db.toString() });
    expect(database).toMatchObject({ code: 'CONNECTION_DATABASE', status: 400 });
    for (const e of [auth, database]) {
      expect(JSON.stringify(e!.toJSON())).not.toContain(SECRET);
      expect(e!.message).not.toContain('postgres://');
    }
  });
});

describe.skipIf(!QUESTDB_URL)('QuestDB refuses (live)', () => {
  it('a wrong password → CONNECTION_AUTH 400, without the password', async () => {
    const server = new URL(QUESTDB_URL!);
    const credentials = { host: server.hostname, port: server.port || 8812, user: 'admin', password: SECRET };
    const e = await failureOf('questdb', credentials);
    expect(e).toMatchObject({
      code: 'CONNECTION_AUTH',
      status: 400,
      hint: expect.stringContaining('password'),
    });
    expect(e!.message).toContain('invalid username/password');
    expect(JSON.stringify(e!.toJSON())).not.toContain(SECRET);
  });
});
