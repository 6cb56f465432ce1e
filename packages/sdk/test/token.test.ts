import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import { flightsProject } from '@inlay/example-flights/setup';
import { type RunningServer, startServer } from '@inlay/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './run-cli.js';

/** The workspace key the test server registers (≥ 24 characters, or the server ignores it). */
const KEY = `inlay_token_test_${'t'.repeat(32)}`;
const DASHBOARD = 'flights-overview';

let server: RunningServer;
let dataDir: string;
/** Requests the server received, counted at the socket: proof that a refused call sent nothing. */
let requests = 0;
/** Flights leaving California, counted straight from the DuckDB file, without the engine. */
let californiaFlights = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'inlay-token-server-'));
  symlinkSync(testDataPaths().duckdbPath, join(dataDir, 'flights.duckdb'));
  server = await startServer({
    ...flightsProject,
    // No rollups: building them would only compete for the CPU with the CLI runs.
    env: { INLAY_DATA_DIR: dataDir, INLAY_API_KEY: KEY, INLAY_PREAGGS: 'off' },
    port: 0,
    print: () => {},
    handleSignals: false,
    logger: false,
  });
  server.app.server.on('request', () => {
    requests++;
  });
  const d = new DuckDBDriver({ path: testDataPaths().duckdbPath }, { readOnly: true });
  try {
    const sql = `SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = 'CA'`;
    californiaFlights = Number((await d.query(sql, [])).rows[0]!.n);
  } finally {
    await d.close();
  }
});

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** `inlay token …` against the test server, the key from the environment unless `env` says otherwise. */
function token(args: string[], env: Record<string, string> = { INLAY_API_KEY: KEY }): Promise<CliResult> {
  return runCli(['token', '--server', server.url, ...args], { env: { INLAY_SERVER_URL: '', ...env } });
}

function payloadOf(jwt: string): Record<string, unknown> {
  const [, payload] = jwt.split('.');
  return JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The key must never appear in what the command prints, whatever happened. */
function expectNoKey(r: CliResult, key = KEY): void {
  expect(r.stdout).not.toContain(key);
  expect(r.stderr).not.toContain(key);
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  const { port } = s.address() as AddressInfo;
  await new Promise((done) => s.close(done));
  return port;
}

describe('inlay token', () => {
  it('prints only a token that carries the context, roles and lifetime, and reads the tenant’s rows', async () => {
    const r = await token([
      '--dashboard',
      DASHBOARD,
      '--context',
      '{"states":["CA"]}',
      '--roles',
      'default',
      '--ttl',
      '10m',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const jwt = r.stdout.trim();
    expect(r.stdout).toBe(`${jwt}\n`);
    expect(jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = payloadOf(jwt);
    expect(claims.securityContext).toEqual({ states: ['CA'] });
    expect(claims.roles).toEqual(['default']);
    expect(claims.sub).toBe('local-test');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(600);
    expectNoKey(r);

    // The token is what a browser would hold: /load answers with California's flights only.
    const res = await fetch(`${server.url}/api/v1/load`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: { measures: ['flights.count'] } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>[] };
    expect(californiaFlights).toBeGreaterThan(0);
    expect(Number(body.data[0]!['flights.count'])).toBe(californiaFlights);
  });

  it('takes the key from --api-key and the defaults for the rest (1 h, role default)', async () => {
    const r = await token(['--dashboard', DASHBOARD, '--api-key', KEY], { INLAY_API_KEY: '' });
    expect(r.code).toBe(0);
    const claims = payloadOf(r.stdout.trim());
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    expect(claims.securityContext).toEqual({});
    // No roles asked for: the claim stays empty, which the server reads as the `default` role.
    expect(claims.roles).toEqual([]);
    expectNoKey(r);
  });

  it('refuses bad JSON, a bad --ttl and an empty --roles before sending anything (exit 2)', async () => {
    const before = requests;
    // In parallel: each is a CLI start of its own.
    const [bad, array, ttl, long, roles] = await Promise.all([
      token(['--dashboard', DASHBOARD, '--context', '{states: [CA]}']),
      token(['--dashboard', DASHBOARD, '--context', '["CA"]']),
      token(['--dashboard', DASHBOARD, '--ttl', '10 minutes']),
      token(['--dashboard', DASHBOARD, '--ttl', '31d']),
      token(['--dashboard', DASHBOARD, '--roles', ' , ']),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--context is not valid JSON/);
    expect(array.code).toBe(2);
    expect(array.stderr).toContain('--context must be a JSON object');
    expect(ttl.code).toBe(2);
    expect(ttl.stderr).toContain("--ttl '10 minutes' is not a duration");
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('between 1 s and 30 days');
    expect(roles.code).toBe(2);
    for (const r of [bad, array, ttl, long, roles]) expect(r.stdout).toBe('');
    expect(requests).toBe(before);
  });

  it('says which dashboards exist when the name is unknown (exit 1)', async () => {
    const r = await token(['--dashboard', 'no-such-dashboard']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("no dashboard with id or name 'no-such-dashboard'");
    expect(r.stderr).toContain(DASHBOARD);
    expectNoKey(r);
  });

  it('without a key: a usage error that names both ways to give one, nothing sent', async () => {
    const before = requests;
    const r = await token(['--dashboard', DASHBOARD], { INLAY_API_KEY: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no API key');
    expect(r.stderr).toContain('INLAY_API_KEY');
    expect(r.stderr).toContain('--api-key');
    expect(requests).toBe(before);
  });

  it('a wrong key is refused (401) with where it came from, and is never printed', async () => {
    const wrong = `inlay_wrong_${'w'.repeat(32)}`;
    const r = await token(['--dashboard', DASHBOARD], { INLAY_API_KEY: wrong });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('401');
    expect(r.stderr).toContain('from INLAY_API_KEY');
    expectNoKey(r, wrong);
    expectNoKey(r);
  });

  it('an unreachable server is named with the reason (exit 1)', async () => {
    const port = await closedPort();
    const r = await runCli(
      ['token', '--dashboard', DASHBOARD, '--server', `http://127.0.0.1:${port}`, '--api-key', KEY],
      { env: { INLAY_SERVER_URL: '', INLAY_API_KEY: '' } },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot connect to the Inlay server at http://127.0.0.1:${port}`);
    expect(r.stderr).toContain('connection refused');
    expectNoKey(r);
  });

  it('refuses a server URL that carries credentials (exit 2)', async () => {
    const r = await runCli(['token', '--dashboard', DASHBOARD, '--server', 'http://me:secret@127.0.0.1:1'], {
      env: { INLAY_API_KEY: KEY },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must not carry a user or password');
    expect(r.stderr).not.toContain('secret');
  });
});
