import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { flightsProject } from '@inlay/example-flights/setup';
import { type RunningServer, startServer } from '@inlay/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './run-cli.js';

/** The workspace key the test server registers (≥ 24 characters, or the server ignores it). */
const KEY = `inlay_push_test_${'k'.repeat(32)}`;
const FLIGHTS_MODEL = 'models/flights.cube.yml';
const DASHBOARD = 'flights-overview.embeddable.yml';

let server: RunningServer;
let dataDir: string;
let work: string;
/** Every HTTP request the server received, counted at the socket: proof that a push sent nothing. */
let requests = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'inlay-push-server-'));
  work = mkdtempSync(join(tmpdir(), 'inlay-push-projects-'));
  // The demo file is already built for the tests; the server finds it in its data dir.
  symlinkSync(testDataPaths().duckdbPath, join(dataDir, 'flights.duckdb'));
  server = await startServer({
    ...flightsProject,
    env: { INLAY_DATA_DIR: dataDir, INLAY_API_KEY: KEY },
    port: 0,
    print: () => {},
    handleSignals: false,
    logger: false,
  });
  server.app.server.on('request', () => {
    requests++;
  });
});

afterAll(async () => {
  await server?.close();
  for (const d of [dataDir, work]) if (d) rmSync(d, { recursive: true, force: true });
});

/** Member names the server now serves to the API key. */
async function servedMembers(): Promise<string[]> {
  const before = requests;
  const res = await fetch(`${server.url}/api/v1/meta`, { headers: { authorization: `Bearer ${KEY}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    cubes: { measures: { name: string }[]; dimensions: { name: string }[] }[];
  };
  // Our own look must not count as the CLI's.
  requests = before;
  return body.cubes.flatMap((c) => [...c.measures, ...c.dimensions].map((m) => m.name));
}

let projects = 0;
/** A copy of the flights project (models and dashboard only), changed by `edit` (path → content). */
function flightsCopy(edit: (files: Record<string, string>) => Record<string, string> = (f) => f): string {
  const dir = join(work, `p${++projects}`);
  const files: Record<string, string> = {};
  for (const f of [FLIGHTS_MODEL, 'models/airports.cube.yml', DASHBOARD]) {
    files[f] = readFileSync(join(flightsProjectDir, f), 'utf8');
  }
  for (const [path, content] of Object.entries(edit(files))) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** The flights model with one more measure, `flights.<name>`, defined by `yaml` lines. */
function withMeasure(files: Record<string, string>, name: string, extra = ''): Record<string, string> {
  const model = files[FLIGHTS_MODEL]!;
  const added = model.replace(
    '    measures:\n',
    `    measures:\n      - name: ${name}\n        type: count\n${extra}`,
  );
  expect(added).not.toBe(model);
  return { ...files, [FLIGHTS_MODEL]: added };
}

function push(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['push', ...args], { env: { INLAY_API_KEY: KEY, INLAY_SERVER_URL: server.url, ...env } });
}

/**
 * A minimal `.inlay-build/` (what `inlay build` writes; its real output is tested with the
 * bundler): one component module and its manifest with real size and SHA-256. Returns the
 * module's path inside the build folder.
 */
function writeBuild(dir: string, name: string, text: string): string {
  const body = Buffer.from(
    `const React = globalThis.__inlay.modules['react'];\nexport default { text: ${JSON.stringify(text)}, React };\n`,
  );
  const sha256 = createHash('sha256').update(body).digest('hex');
  const file = `components/${name}-${sha256.slice(0, 8)}.js`;
  mkdirSync(join(dir, '.inlay-build', 'components'), { recursive: true });
  writeFileSync(join(dir, '.inlay-build', file), body);
  const manifest = {
    format: 1,
    react: 'compat',
    components: [{ name, meta: { name, label: name, inputs: [] }, file, imports: [] }],
    files: { [file]: { sha256, bytes: body.length } },
  };
  writeFileSync(join(dir, '.inlay-build', 'manifest.json'), JSON.stringify(manifest));
  return file;
}

function expectNoKey(r: CliResult): void {
  expect(r.stdout).not.toContain(KEY);
  expect(r.stderr).not.toContain(KEY);
}

describe('inlay push', () => {
  it('sends the models and dashboards, and the server serves the new version at once', async () => {
    expect(await servedMembers()).not.toContain('flights.pushed_marker');
    const dir = flightsCopy((f) => withMeasure(f, 'pushed_marker'));
    const before = requests;

    const r = await push(['--project', dir, '--description', 'adds pushed_marker']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests - before).toBe(1);
    expect(r.stdout).toContain(server.url);
    expect(r.stdout).toContain('2 model files, 1 dashboard file');
    expect(r.stdout).toMatch(/Model version: [0-9a-f]+ \(new\), now served\./);
    // Start-up saved v1; the push pins a new version of the dashboard to the new models.
    expect(r.stdout).toContain('Dashboards: flights-overview v2 (tagged production).');
    expectNoKey(r);
    expect(await servedMembers()).toContain('flights.pushed_marker');

    // The same files again: the server already has them and says so.
    const again = await push(['--project', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already stored: the server had these exact models');
  });

  it('uploads the components build with the models and prints the components version beside the models one', async () => {
    const dir = flightsCopy();
    writeBuild(dir, 'Revenue', 'first');
    const before = requests;
    const r = await push(['--project', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests - before).toBe(1);
    expect(r.stdout).toContain('2 model files, 1 dashboard file, 1 built component');
    expect(r.stdout).toMatch(/Model version: [0-9a-f]{64} /);
    const version = /Components version: ([0-9a-f]{64}) \(new: Revenue\)/.exec(r.stdout)?.[1];
    expect(version, r.stdout).toBeDefined();
    const listed = await fetch(`${server.url}/api/v1/components`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    const body = (await listed.json()) as { version: string; components: { name: string; url?: string }[] };
    expect(body.version).toBe(version);
    const revenue = body.components.find((c) => c.name === 'Revenue')!;
    const file = await fetch(new URL(revenue.url!, `${server.url}/`));
    expect(await file.text()).toContain('first');
    requests = before + 1;

    const again = await push(['--project', dir]);
    expect(again.stdout).toContain(
      `Components version: ${version} (already stored: the server had this exact build)`,
    );
  });

  it('stops on a stale build (a file changed since the manifest) naming it, before sending anything', async () => {
    const dir = flightsCopy();
    const file = writeBuild(dir, 'Revenue', 'stale');
    writeFileSync(join(dir, '.inlay-build', file), 'export default 1;\n');
    const before = requests;
    const r = await push(['--project', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`.inlay-build/${file}: changed since .inlay-build/manifest.json`);
    expect(r.stderr).toContain('npx inlay build');
    expect(requests).toBe(before);
  });

  it('warns when components/ exists without a build, and pushes the models alone', async () => {
    const dir = flightsCopy((f) => ({ ...f, 'components/Revenue.tsx': 'export default null;\n' }));
    const r = await push(['--project', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: .*components exists but there is no build .*Run `npx inlay build` first/,
    );
    expect(r.stdout).not.toContain('built component');
  });

  it('sends the "view as" presets, which the builder then offers', async () => {
    const preset = '- name: Pushed team (Oregon)\n  securityContext:\n    states: [OR]\n';
    const dir = flightsCopy((f) => ({ ...f, 'presets/team.sc.yml': preset }));
    const r = await push(['--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 model files, 1 dashboard file, 1 preset file');
    const res = await fetch(`${server.url}/api/v1/presets`, { headers: { authorization: `Bearer ${KEY}` } });
    const body = (await res.json()) as { securityContexts: { name: string; securityContext: unknown }[] };
    expect(body.securityContexts).toContainEqual({
      name: 'Pushed team (Oregon)',
      securityContext: { states: ['OR'] },
    });
  });

  it('pushes the flights example project back (a rollback), from the current folder by default', async () => {
    const r = await runCli(['push', '--server', server.url, '--api-key', KEY], { cwd: flightsProjectDir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectNoKey(r);
    const members = await servedMembers();
    expect(members).toContain('flights.avg_delay');
    expect(members).not.toContain('flights.pushed_marker');
    // Its "view as" presets go too: the builder offers them.
    expect(r.stdout).toContain('2 model files, 1 dashboard file, 2 preset files');
    const presets = await fetch(`${server.url}/api/v1/presets`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    const body = (await presets.json()) as {
      securityContexts: { name: string }[];
      clientContexts: unknown[];
    };
    expect(body.securityContexts.map((p) => p.name)).toContain('Acme East (New York, New Jersey)');
    expect(body.clientContexts.length).toBeGreaterThan(0);
  });

  it('packs paths longer than a plain tar name (nested model folders) so the server reads them', async () => {
    const nested = `models/${'deeply-nested-folder/'.repeat(6)}flights.cube.yml`;
    expect(nested.length).toBeGreaterThan(100);
    const dir = flightsCopy((f) => {
      const { [FLIGHTS_MODEL]: model, ...rest } = withMeasure(f, 'nested_marker');
      return { ...rest, [nested]: model! };
    });
    const r = await push(['--project', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await servedMembers()).toContain('flights.nested_marker');
  });

  it("reports the server's message and exits 1 on a wrong API key, without showing either key", async () => {
    const served = await servedMembers();
    const wrong = `inlay_wrong_${'w'.repeat(32)}`;
    const r = await push(['--project', flightsCopy((f) => withMeasure(f, 'never_served'))], {
      INLAY_API_KEY: wrong,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the server at ${server.url} refused the push (401`);
    expect(r.stderr).toContain('invalid API key');
    expect(r.stderr).toContain('--api-key or INLAY_API_KEY');
    expect(r.stderr).not.toContain(wrong);
    expectNoKey(r);
    expect(await servedMembers()).toEqual(served);
  });

  it('stops on a broken model with file:line messages before sending anything', async () => {
    const served = await servedMembers();
    const dir = flightsCopy((f) => withMeasure(f, 'broken_marker', '        sql: "{no_such_member}"\n'));
    const before = requests;
    const r = await push(['--project', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/flights\.cube\.yml:\d+/);
    expect(r.stderr).toContain('no_such_member');
    expect(r.stderr).toContain('nothing was pushed');
    expect(r.stdout).toBe('');
    expect(requests).toBe(before);
    expect(await servedMembers()).toEqual(served);
  });

  it('refuses JavaScript models, which the server would not receive', async () => {
    const dir = flightsCopy((f) => ({ ...f, 'models/extra.cube.js': 'export default { cubes: [] };\n' }));
    const before = requests;
    const r = await push(['--project', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('models/extra.cube.js: the server accepts YAML models only');
    expect(requests).toBe(before);
  });

  it("prints every problem the server finds that local checks cannot (a dashboard's unknown cube)", async () => {
    const served = await servedMembers();
    const dir = flightsCopy((f) => {
      const dashboard = f[DASHBOARD]!.replace(
        '        model: airports\n',
        '        model: airports\n      - name: gates\n        model: gates\n',
      );
      expect(dashboard).not.toBe(f[DASHBOARD]);
      return { ...f, [DASHBOARD]: dashboard };
    });
    const r = await push(['--project', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refused the push (422');
    expect(r.stderr).toContain(`${DASHBOARD}: dashboard 'flights-overview' reads 'gates'`);
    expect(r.stderr).toContain('relative to the project folder');
    expect(await servedMembers()).toEqual(served);
  });

  it('--dry-run lists the files and the archive size and sends nothing, even without a key', async () => {
    const served = await servedMembers();
    const dir = flightsCopy((f) => withMeasure(f, 'dry_marker'));
    const before = requests;
    const r = await push(['--project', dir, '--dry-run'], { INLAY_API_KEY: '' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 model files, 1 dashboard file, [\d.]+ (B|KiB) gzipped/);
    for (const f of [FLIGHTS_MODEL, 'models/airports.cube.yml', DASHBOARD]) expect(r.stdout).toContain(f);
    expect(r.stdout).toContain(`Would push from ${dir} to ${server.url}`);
    expect(r.stdout).toContain('models compile: 3 cubes');
    expect(r.stdout).toContain('nothing was sent');
    expect(requests).toBe(before);
    expect(await servedMembers()).toEqual(served);
  });

  it('is a usage error (exit 2) without an API key, and says how to pass one', async () => {
    const before = requests;
    const r = await push(['--project', flightsProjectDir], { INLAY_API_KEY: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no API key');
    expect(r.stderr).toContain('INLAY_API_KEY');
    expect(r.stderr).toContain('--api-key');
    expect(requests).toBe(before);
  });

  it('is a usage error for a folder without models/ and for a URL that is not http(s)', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const noModels = await push(['--project', empty]);
    expect(noModels.code).toBe(2);
    expect(noModels.stderr).toContain('has no models/ folder');

    const badUrl = await push(['--project', flightsProjectDir, '--server', 'ftp://example.com']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain("--server 'ftp://example.com' must start with http:// or https://");
  });

  it('says where pushes go when --server is not the base address (404)', async () => {
    const r = await push(['--project', flightsProjectDir, '--server', `${server.url}/inlay/`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refused the push (404');
    expect(r.stderr).toContain('no route POST /inlay/api/v1/bundle/upload');
    expect(r.stderr).toContain(`Is ${server.url}/inlay an Inlay server's base address?`);
  });

  it('names the URL when nothing listens there', async () => {
    const port = await new Promise<number>((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => done(port));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const r = await push(['--project', flightsProjectDir, '--server', url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot connect to the Inlay server at ${url}: connection refused`);
    expect(r.stderr).toContain('npx inlay start');
    expectNoKey(r);
  });
});
