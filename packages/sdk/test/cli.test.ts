import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, DEMO_PROJECT, fixture, repoRoot, runCli, runDemo } from './run-cli.js';

const BY_STATE = JSON.stringify({
  measures: ['flights.count'],
  dimensions: ['airports.state'],
  order: { 'flights.count': 'desc' },
  limit: 4,
});
const COUNT = JSON.stringify({ measures: ['flights.count'] });

/** Numbers computed straight from the test DuckDB file, without the engine. */
const truth = { all: 0, ca: 0, caOrigins: [] as string[], topStates: [] as { state: string; n: number }[] };

beforeAll(async () => {
  const d = new DuckDBDriver({ path: testDataPaths().duckdbPath }, { readOnly: true });
  try {
    const q = async (sql: string) => (await d.query(sql, [])).rows;
    truth.all = Number((await q('SELECT count(*) AS n FROM flights'))[0]!.n);
    const ca = `FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = 'CA'`;
    truth.ca = Number((await q(`SELECT count(*) AS n ${ca}`))[0]!.n);
    truth.caOrigins = (await q(`SELECT DISTINCT f.origin AS o ${ca} ORDER BY 1`)).map((r) => String(r.o));
    truth.topStates = (
      await q(`SELECT a.state AS s, count(*) AS n FROM flights f LEFT JOIN airports a ON f.origin = a.iata
               GROUP BY 1 ORDER BY 2 DESC LIMIT 4`)
    ).map((r) => ({ state: String(r.s), n: Number(r.n) }));
  } finally {
    await d.close();
  }
});

describe.concurrent('inlay query', () => {
  it('prints the response object as JSON with --format json', async () => {
    const r = await runDemo(['query', BY_STATE, '--roles', 'admin', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(Object.keys(body).sort()).toEqual(['annotation', 'data']);
    expect(body.data).toEqual(
      truth.topStates.map((t) => ({ 'airports.state': t.state, 'flights.count': t.n })),
    );
    expect(body.annotation.measures['flights.count'].type).toBe('number');
  });

  it('prints JSON by default when stdout is not a terminal, with total when asked', async () => {
    const r = await runDemo([
      'query',
      JSON.stringify({ ...JSON.parse(COUNT), total: true }),
      '--roles',
      'admin',
    ]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.data).toEqual([{ 'flights.count': truth.all }]);
    expect(body.total).toBe(1);
  });

  it('prints CSV with a header of member names', async () => {
    const r = await runDemo(['query', BY_STATE, '--roles', 'admin', '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('airports.state,flights.count');
    expect(lines.slice(1)).toEqual(truth.topStates.map((t) => `${t.state},${t.n}`));
  });

  it('prints a readable table with --format table', async () => {
    const r = await runDemo(['query', BY_STATE, '--roles', 'admin', '--format', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ airports\.state\s+│ flights\.count │/);
    for (const t of truth.topStates) expect(r.stdout).toMatch(new RegExp(`│ ${t.state}\\s+│\\s+${t.n} │`));
    expect(r.stdout).toContain('4 rows');
    expect(r.stdout).not.toContain('\u001b['); // no colours into a pipe
  });

  it('is closed by default: no security context is an error, not all rows', async () => {
    const r = await runDemo(['query', COUNT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("the security context has no 'states'");
    expect(r.stderr).toContain('--security-context');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('--security-context limits the rows to the tenant (CA-origin flights only)', async () => {
    const ctx = ['--security-context', '{"states":["CA"]}', '--format', 'json'];
    const [count, origins] = await Promise.all([
      runDemo(['query', COUNT, ...ctx]),
      runDemo([
        'query',
        JSON.stringify({ measures: ['flights.count'], dimensions: ['flights.origin'] }),
        ...ctx,
      ]),
    ]);
    expect(count.code).toBe(0);
    expect(JSON.parse(count.stdout).data).toEqual([{ 'flights.count': truth.ca }]);
    expect(truth.ca).toBeGreaterThan(0);
    expect(truth.ca).toBeLessThan(truth.all);
    const rows = JSON.parse(origins.stdout).data as { 'flights.origin': string }[];
    expect(rows.map((row) => row['flights.origin']).sort()).toEqual(truth.caOrigins);
  });

  it('--sql prints placeholders, with security values only among the parameters', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'inlay-sql-'));
    try {
      const q = JSON.stringify({ measures: ['flights.count'], dimensions: ['flights.origin'], limit: 7 });
      const r = await runDemo(['query', q, '--security-context', '{"states":["ZZ-secret"]}', '--sql'], {
        env: { INLAY_DATA_DIR: empty },
      });
      expect(r.code).toBe(0);
      const [sqlPart, rest] = r.stdout.split('-- parameters');
      expect(sqlPart).toContain('-- SQL (duckdb)');
      expect(sqlPart).toMatch(/"state" = \$1/);
      expect(sqlPart).not.toContain('ZZ-secret');
      expect(rest).toContain('$1 = "ZZ-secret"');
      expect(rest).toContain('$2 = 7');
      expect(rest).toContain('root:       flights');
      expect(rest).toContain('flights -> airports (many_to_one)');
      expect(readdirSync(empty)).toEqual([]); // no database was needed
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('--sql --format json gives the statement, parameters and plan for another dialect', async () => {
    const r = await runDemo([
      'query',
      COUNT,
      '--security-context',
      '{"states":["NY","NJ"]}',
      '--sql',
      '--dialect',
      'postgres',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dialect).toBe('postgres');
    expect(out.sql).not.toMatch(/NY|NJ/);
    expect(out.params).toEqual(expect.arrayContaining(['NY', 'NJ']));
    expect(out.plan.roles).toEqual(['default']);
  });

  it('refuses a query that is not JSON with exit code 2', async () => {
    const r = await runDemo(['query', '{measures: [flights.count]}', '--roles', 'admin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: the query is not valid JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('treats a bad flag value or a non-object context as a usage error (exit 2)', async () => {
    const [format, ctx] = await Promise.all([
      runDemo(['query', COUNT, '--format', 'xml']),
      runDemo(['query', COUNT, '--security-context', '["CA"]']),
    ]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('Allowed choices are json, table, csv');
    expect(ctx.code).toBe(2);
    expect(ctx.stderr).toContain('--security-context must be a JSON object');
  });

  it('names an unknown member and the closest one (exit 1)', async () => {
    const r = await runDemo(['query', '{"measures":["flights.cuont"]}', '--roles', 'admin']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Did you mean 'count'?");
  });

  it('reads a DuckDB file given with --connection', async () => {
    const r = await runDemo(['query', COUNT, '--roles', 'admin', '--connection', testDataPaths().duckdbPath]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).data).toEqual([{ 'flights.count': truth.all }]);
  });

  it.each([
    ['PostgreSQL', 'postgres://…', testDataPaths().pgUrl],
    ['MySQL', 'mysql://…', testDataPaths().mysqlUrl],
  ])('reads %s given with --connection %s', async (_name, _form, url) => {
    const r = await runDemo(['query', COUNT, '--security-context', '{"states":["CA"]}', '--connection', url]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).data).toEqual([{ 'flights.count': truth.ca }]);
  });
});

describe('a project with inlay.config.json', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inlay-project-'));
    cpSync(join(flightsProjectDir, 'models'), join(dir, 'models'), { recursive: true });
    const connection = { type: 'duckdb', credentials: { path: testDataPaths().duckdbPath } };
    writeFileSync(join(dir, 'inlay.config.json'), JSON.stringify({ connection }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses ./ as the project when it has models/, and its configured connection', async () => {
    const r = await runCli(['query', COUNT, '--roles', 'admin'], { cwd: dir, env: { INLAY_DATA_DIR: dir } });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).data).toEqual([{ 'flights.count': truth.all }]);
    expect(existsSync(join(dir, 'flights.duckdb'))).toBe(false); // the demo data was not built
  });
});

describe.concurrent('inlay validate', () => {
  it('passes the flights demo with no security gaps', async () => {
    const r = await runDemo(['validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Models in examples/flights compile: 3 cubes, 0 views.');
    expect(r.stdout).toContain('every cube and view has a row-level rule or is marked public');
    expect(r.stdout).not.toMatch(/gap|'flights'|'airports'|'destinations'/);
  });

  it('names the file, line and closest key of a broken model, and exits 1', async () => {
    const r = await runCli(['validate', '--project', fixture('broken')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${fixture('broken')}/models/orders.cube.yml:20 cube 'orders' member 'amount': unknown key 'drill_memebers'. Did you mean 'drill_members'?`,
    );
    expect(r.stderr).toContain('1 problem in the models');
  });

  it('lists every problem of a model, one per line, with the closest member', async () => {
    const r = await runCli(['validate', '--project', fixture('broken-ref')]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.includes('orders.cube.yml:'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /orders\.cube\.yml:21 cube 'orders' member 'paid_share': \{amout\} .*Did you mean 'amount'\?/,
    );
    expect(lines[1]).toMatch(/orders\.cube\.yml:28 .*'orders\.amont'\. Did you mean 'amount'\?/);
  });

  it('lists cubes open to everyone as warnings; --strict makes them fail', async () => {
    const [plain, strict] = await Promise.all([
      runCli(['validate', '--project', fixture('open')]),
      runCli(['validate', '--project', fixture('open'), '--strict']),
    ]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('1 security gap:');
    expect(plain.stdout).toContain(
      "orders.cube.yml:3 cube 'orders' has no row-level rule and is not marked public: add an access_policy with row_level, or set `public: true` if it is meant to be open",
    );
    expect(plain.stdout).not.toContain("'regions'");
    expect(strict.code).toBe(1);
  });

  it('without --project, needs models/ in the current folder', async () => {
    const r = await runCli(['validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${repoRoot} has no models/ folder`);
    expect(r.stderr).toContain('--project examples/flights');
  });

  it('reports a missing project folder as a usage error', async () => {
    const r = await runCli(['validate', '--project', 'no/such/dir']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--project no/such/dir: no such folder');
  });
});

describe('inlay start', () => {
  it('serves the HTTP API with a new API key until SIGTERM, then exits cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'inlay-start-'));
    // The demo file is already built for the tests; the server finds it in its data dir.
    symlinkSync(testDataPaths().duckdbPath, join(dataDir, 'flights.duckdb'));
    const port = await freePort();
    const args = ['start', '--project', DEMO_PROJECT, '--port', String(port), '--data-dir', dataDir];
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, INLAY_API_KEY: '', NO_COLOR: '1' }, // '' = unset: a key is generated
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${base}/healthz`)).ok, 30_000);
      await waitFor(async () => /API key[^:]*: inlay_\S+/.test(stdout), 5_000);
      expect(stdout).toContain(base);
      expect(stdout).toContain(dataDir);
      const key = /API key[^:]*: (inlay_\S+)/.exec(stdout)![1]!;
      const res = await fetch(`${base}/api/v1/load`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: JSON.parse(COUNT), roles: ['admin'] }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: unknown }).data).toEqual([{ 'flights.count': truth.all }]);
      // The project's TypeScript setup shares the server's modules (under the compiled CLI too): a
      // second copy of @inlay/core would register its schemas twice and break the spec.
      expect((await fetch(`${base}/api/openapi.json`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // Logs go to stderr as JSON, and the key is not among them.
      expect(stderr).not.toContain(key);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => done(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
