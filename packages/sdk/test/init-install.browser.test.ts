import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/chromium.js';
import { type CliResult, repoRoot, runCli } from './run-cli.js';

/**
 * The real thing: `inlay init`, then `npm install` in the new folder with the npm registry as the
 * only network (`--prefer-offline`: packages the checkout's own install cached are not fetched
 * again), then `npx inlay validate` and the project's type-check through what npm installed.
 * The @inlay packages are not on the registry, so the install must never ask it for one. Last,
 * the project's own `inlay start` serves its dashboard and `inlay token` opens it for one tenant;
 * `inlay build` and `inlay push` then put the project's own component in front of that tenant in
 * Chromium, showing their number.
 */

const TEN_MINUTES = 600_000;
let work: string;
let project: string;

/** The environment without npm's own variables, so a run under `npm test` behaves as a terminal would. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function run(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      {
        cwd,
        env: { ...cleanEnv(), NO_COLOR: '1', ...env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: TEN_MINUTES,
      },
      (err, stdout, stderr) => {
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The checkout folders the project links (as `inlay init` writes them), by package name. */
const linked = {
  sdk: 'packages/sdk',
  react: 'packages/react',
  components: 'packages/components',
  'example-flights': 'examples/flights',
};
const ownModules = Object.values(linked).map((folder) => join(repoRoot, folder, 'node_modules'));
let modulesBefore: boolean[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'inlay-init-install-'));
  project = join(work, 'shop-analytics');
  modulesBefore = ownModules.map((d) => existsSync(d));
  const r = await runCli(['init', project]);
  expect(r.code).toBe(0);
}, TEN_MINUTES);

let server: ChildProcess | undefined;

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((done) => server!.once('exit', done));
    server.kill('SIGTERM');
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Starts the project's installed `inlay start` on a free port; resolves with its URL. */
function startProjectServer(env: Record<string, string>): Promise<string> {
  const bin = join(project, 'node_modules', '.bin', 'inlay');
  server = spawn(process.execPath, [bin, 'start', '--port', '0'], {
    cwd: project,
    env: { ...cleanEnv(), NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((done, fail) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) done(m[1]!);
    };
    server!.stdout!.on('data', onData);
    server!.stderr!.on('data', onData);
    server!.once('exit', (code) => fail(new Error(`inlay start exited (${code}):\n${out}`)));
  });
}

describe('inlay init → npm install → npx inlay', () => {
  let install: CliResult;
  let url: string | undefined;
  let californiaFlights = 0;
  const key = `inlay_init_chain_${'c'.repeat(32)}`;

  it(
    'npm install succeeds, links the checkout’s packages and asks the registry for none of them',
    async () => {
      install = await run(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=http'],
        project,
      );
      expect(install.code, install.stderr.slice(-3000)).toBe(0);
      const log = `${install.stdout}\n${install.stderr}`;
      // Every registry request npm made is logged at `http` level; none may be for an @inlay package.
      const requests = log.split('\n').filter((l) => /npm http (fetch|cache)/.test(l));
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.filter((l) => /@inlay(%2f|\/)/i.test(l))).toEqual([]);
      for (const [name, folder] of Object.entries(linked)) {
        const link = join(project, 'node_modules', '@inlay', name);
        expect(lstatSync(link).isSymbolicLink(), `${link} is a link`).toBe(true);
        expect(realpathSync(link)).toBe(realpathSync(join(repoRoot, folder)));
      }
      expect(existsSync(join(project, 'node_modules', '.bin', 'inlay'))).toBe(true);
      // The links' dependencies come from the checkout's own node_modules: nothing was added inside it.
      expect(ownModules.map((d) => existsSync(d))).toEqual(modulesBefore);
    },
    TEN_MINUTES,
  );

  it(
    'npx inlay validate runs from the installed bin and reads the project’s config',
    async () => {
      expect(install?.code).toBe(0);
      const r = await run('npx', ['--no-install', 'inlay', 'validate'], project);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Models in . compile: 2 cubes, 0 views.');
    },
    TEN_MINUTES,
  );

  it(
    'the project type-checks with the TypeScript and React types npm installed',
    async () => {
      expect(install?.code).toBe(0);
      const r = await run('npm', ['run', '--silent', 'typecheck'], project);
      expect(`${r.stdout}${r.stderr}`).toBe('');
      expect(r.code).toBe(0);
    },
    TEN_MINUTES,
  );

  it(
    'inlay start serves the project, and inlay token opens its dashboard for one tenant only',
    async () => {
      expect(install?.code).toBe(0);
      // An empty data dir, as on a new user's first run: the config's setup builds the data first.
      const dataDir = join(work, 'data');
      url = await startProjectServer({
        INLAY_DATA_DIR: dataDir,
        INLAY_API_KEY: key,
        INLAY_PREAGGS: 'off',
      });
      const r = await run(
        'npx',
        ['--no-install', 'inlay', 'token', '--dashboard', 'overview', '--context', '{"states":["CA"]}'],
        project,
        { INLAY_SERVER_URL: url, INLAY_API_KEY: key },
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const res = await fetch(`${url}/api/v1/load`, {
        method: 'POST',
        headers: { authorization: `Bearer ${r.stdout.trim()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: { measures: ['flights.count'] } }),
      });
      expect(res.status).toBe(200);
      const count = Number(
        ((await res.json()) as { data: Record<string, unknown>[] }).data[0]!['flights.count'],
      );
      const d = new DuckDBDriver({ path: testDataPaths().duckdbPath }, { readOnly: true });
      try {
        const sql = `SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = 'CA'`;
        const truth = Number((await d.query(sql, [])).rows[0]!.n);
        expect(truth).toBeGreaterThan(0);
        expect(count).toBe(truth);
        californiaFlights = truth;
        expect(existsSync(join(dataDir, 'flights.duckdb'))).toBe(true);
      } finally {
        await d.close();
      }
    },
    TEN_MINUTES,
  );

  it(
    'inlay build and inlay push put the project’s own component in an embed, showing the tenant’s number',
    async () => {
      expect(url && californiaFlights > 0, 'the server of the test before is up').toBe(true);
      const built = await run('npx', ['--no-install', 'inlay', 'build'], project);
      expect(built.code, built.stderr).toBe(0);
      expect(built.stdout).toMatch(/Built 1 component into \.inlay-build/);
      const env = { INLAY_SERVER_URL: url!, INLAY_API_KEY: key };
      const pushed = await run('npx', ['--no-install', 'inlay', 'push', '--server', url!], project, env);
      expect(pushed.code, pushed.stderr).toBe(0);
      expect(pushed.stdout).toMatch(/Components version: [0-9a-f]{8,}/);
      const token = await run(
        'npx',
        ['--no-install', 'inlay', 'token', '--dashboard', 'overview', '--context', '{"states":["CA"]}'],
        project,
        env,
      );
      expect(token.code, token.stderr).toBe(0);

      // A page on the server's own origin (no CORS set-up needed) with the element and the token.
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.route(`${url}/host-page`, (route) =>
          route.fulfill({
            contentType: 'text/html',
            body: `<!doctype html><script type="module" src="${url}/embed/v1/inlay.js"></script>
<inlay-dashboard token="${token.stdout.trim()}"></inlay-dashboard>`,
          }),
        );
        await page.goto(`${url}/host-page`);
        const value = page.locator('inlay-dashboard .headline-value').first();
        await expect
          .poll(async () => Number(((await value.textContent()) ?? '').replace(/[^\d]/g, '') || Number.NaN), {
            timeout: 60_000,
          })
          .toBe(californiaFlights);
        expect(await page.locator('inlay-dashboard .headline-title').first().textContent()).toBe('Flights');
      } finally {
        await browser.close();
      }
    },
    TEN_MINUTES,
  );
});
