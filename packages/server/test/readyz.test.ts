import { createServer, type Server, type Socket } from 'node:net';
import { readModelDir } from '@inlay/engine';
import { flightsProjectDir } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READY_TEST_TIMEOUT_MS } from '../src/plugins/health.js';
import { AUTH } from './helpers.js';
import { pgParts, type StoreTestApp, storeTestApp } from './store-app.js';

/** A cube on a second data source, next to the flights models (on `default`). */
const REMOTE_CUBE = {
  path: 'models/remote.cube.yml',
  content: `cubes:
  - name: remote_airports
    sql_table: airports
    data_source: other
    public: true
    dimensions:
      - name: iata
        sql: iata
        type: string
        primary_key: true
    measures:
      - name: count
        type: count
`,
};
const PASSWORD = 'readyz-secret-pw';
const closedPort = { host: '127.0.0.1', port: 1, database: 'test', user: 'postgres', password: PASSWORD };

/** Accepts connections and never answers: a database that hangs. */
function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => void sockets.push(s));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0, sockets });
    }),
  );
}

let t: StoreTestApp;
beforeAll(async () => {
  t = await storeTestApp('sqlite', { files: [...(await readModelDir(flightsProjectDir)), REMOTE_CUBE] });
  await t.store.connections.create(t.workspaceId, {
    name: 'other',
    type: 'postgres',
    credentials: closedPort,
  });
});
afterAll(() => t.close());

const readyz = () => t.app.inject({ method: 'GET', url: '/readyz' });
const pointOtherAt = async (credentials: object) => {
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/connections/other',
    headers: AUTH,
    payload: { type: 'postgres', credentials },
  });
  expect(res.statusCode, res.body).toBe(200);
};

describe('GET /readyz', () => {
  it('is 503 naming the data source whose connection is unreachable, without addresses or secrets', async () => {
    const res = await readyz();
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body).toEqual({
      status: 'not ready',
      errorMessage: 'data source down: other',
      connections: [
        { dataSource: 'default', state: 'ok' },
        { dataSource: 'other', state: 'down', errorMessage: 'the connection test failed' },
      ],
    });
    expect(res.body).not.toContain('127.0.0.1');
    expect(res.body).not.toContain(PASSWORD);
    // The reason is in the log, for the operator.
    expect(t.logs.some((l) => l.includes('"dataSource":"other"') && l.includes('ECONNREFUSED'))).toBe(true);
    expect(t.logs.join('\n')).not.toContain(PASSWORD);
  });

  it('is 200 when every data source answers', async () => {
    await pointOtherAt(pgParts());
    const res = await readyz();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      status: 'ready',
      connections: [
        { dataSource: 'default', state: 'ok' },
        { dataSource: 'other', state: 'ok' },
      ],
    });
  });

  it('calls a connection that does not answer down after the timeout; probes meanwhile share one test', async () => {
    const silent = await silentServer();
    try {
      await pointOtherAt({ ...closedPort, port: silent.port });
      const answers = await Promise.all(Array.from({ length: 5 }, readyz));
      for (const res of answers) {
        expect(res.statusCode).toBe(503);
        expect(res.json().connections[1]).toEqual({
          dataSource: 'other',
          state: 'down',
          errorMessage: `the connection did not answer within ${READY_TEST_TIMEOUT_MS} ms`,
        });
      }
      expect(silent.sockets).toHaveLength(1);
    } finally {
      for (const s of silent.sockets) s.destroy();
      silent.server.close();
      await pointOtherAt(pgParts());
    }
  });
});
