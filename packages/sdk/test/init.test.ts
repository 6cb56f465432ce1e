import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clientContextPresetFileSchema,
  componentMetaSchema,
  type DashboardDocument,
  dashboardFileSchema,
  documentMembers,
  securityContextPresetFileSchema,
} from '@inlay/core';
import { DuckDBDriver } from '@inlay/drivers';
import { compileModel, readModelDir, securityGaps } from '@inlay/engine';
import { FLIGHT_ROWS, testDataPaths } from '@inlay/example-flights';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import headline, { meta as headlineMeta } from '../templates/project/components/Headline.emb.js';
import { repoRoot, runCli } from './run-cli.js';

let work: string;
/** The project `inlay init` wrote, shared by the checks of its contents. */
let project: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'inlay-init-'));
  project = join(work, 'My Analytics');
  const r = await runCli(['init', project]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const read = (path: string) => readFileSync(join(project, path), 'utf8');

/** What `npm install` links and fetches, made by hand: the checkout's packages and its registry copies. */
function linkNodeModules(dir: string): void {
  const links: [string, string][] = [
    ['@inlay/sdk', join(repoRoot, 'packages', 'sdk')],
    ['@inlay/react', join(repoRoot, 'packages', 'react')],
    ['@inlay/components', join(repoRoot, 'packages', 'components')],
    ['@inlay/example-flights', join(repoRoot, 'examples', 'flights')],
    ['react', join(repoRoot, 'node_modules', 'react')],
    ['@types/react', join(repoRoot, 'node_modules', '@types', 'react')],
    ['@types/node', join(repoRoot, 'node_modules', '@types', 'node')],
  ];
  for (const [name, target] of links) {
    mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(target, join(dir, 'node_modules', name));
  }
}

function tsc(dir: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [
        join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        join(dir, 'tsconfig.json'),
        '--pretty',
        'false',
      ],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => done({ code: err ? Number(err.code) || 1 : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('inlay init: what it writes', () => {
  it('writes the project files, and names the package after the folder', () => {
    for (const path of [
      'package.json',
      '.npmrc',
      '.gitignore',
      'README.md',
      'inlay.config.ts',
      'tsconfig.json',
      'models/flights.cube.yml',
      'components/Headline.tsx',
      'components/Headline.emb.ts',
      'presets/customers.sc.yml',
      'presets/looks.cc.yml',
      'dashboards/overview.embeddable.yml',
    ]) {
      expect(existsSync(join(project, path)), path).toBe(true);
    }
    expect(readdirSync(project).some((f) => f === 'gitignore' || f === 'npmrc')).toBe(false);
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.name).toBe('my-analytics');
    expect(pkg.type).toBe('module');
    expect(read('README.md')).toMatch(/^# my-analytics\n/);
  });

  it('points @inlay/sdk, react, components and example-flights at this checkout, and npm links them', () => {
    const pkg = JSON.parse(read('package.json'));
    const folders = {
      sdk: 'packages/sdk',
      react: 'packages/react',
      components: 'packages/components',
      'example-flights': 'examples/flights',
    };
    for (const [name, folder] of Object.entries(folders)) {
      const spec = pkg.dependencies[`@inlay/${name}`] as string;
      expect(spec).toBe(`file:${join(repoRoot, folder)}`);
      expect(JSON.parse(readFileSync(join(spec.slice(5), 'package.json'), 'utf8')).name).toBe(
        `@inlay/${name}`,
      );
    }
    // Nothing else of ours: @inlay/core and the rest are not on the registry.
    const all = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(Object.keys(all).filter((d) => d.startsWith('@inlay/'))).toHaveLength(4);
    for (const d of ['react', 'typescript', '@types/react', '@types/node']) expect(all[d]).toMatch(/^\^\d/);
    expect(read('.npmrc')).toMatch(/^install-links=false$/m);
  });

  it('README gives the next three commands', () => {
    const readme = read('README.md');
    for (const command of ['npm install', 'npx inlay build', 'npx inlay dev', 'npx inlay push']) {
      expect(readme).toContain(command);
    }
  });

  it('inlay.config.ts uses defineConfig on the flights demo data', () => {
    const config = read('inlay.config.ts');
    expect(config).toContain("import { defineConfig } from '@inlay/sdk/config';");
    expect(config).toMatch(/export default defineConfig\(\{[\s\S]*setup: '@inlay\/example-flights\/setup'/);
  });
});

// Concurrent: each test is a CLI start of its own, in a folder of its own.
describe.concurrent('inlay init: refusing to overwrite', () => {
  it('refuses a non-empty folder with exit 1 and writes nothing', async () => {
    const dir = join(work, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = await runCli(['init', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('is not empty');
    expect(r.stderr).toContain('--force');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('refuses a path that is a file', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['init', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a folder');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('--force writes into a non-empty folder, keeping the files it does not replace', async () => {
    const dir = join(work, 'forced');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'README.md'), 'old');
    const r = await runCli(['init', dir, '--force']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('npx inlay push');
    expect(existsSync(join(dir, 'components', 'Headline.emb.ts'))).toBe(true);
  });
});

describe('inlay init: the files are valid', () => {
  it('the models compile with the engine and leave no cube open by accident', async () => {
    const model = compileModel(await readModelDir(project));
    expect([...model.cubes.keys()].sort()).toEqual(['airports', 'flights']);
    expect(securityGaps(model)).toEqual([]);
  });

  it('the dashboard parses with the core schema, reads only model members, and uses Headline as its meta says', async () => {
    const model = compileModel(await readModelDir(project));
    const file = dashboardFileSchema.parse(parse(read('dashboards/overview.embeddable.yml')));
    const doc: DashboardDocument = file.embeddables[0]!;
    expect(doc.name).toBe('overview');
    for (const { member } of documentMembers(doc)) {
      const [cube, name] = member.split('.') as [string, string];
      const def = model.cubes.get(cube);
      expect(def, member).toBeDefined();
      expect(def!.measures.has(name) || def!.dimensions.has(name), member).toBe(true);
    }
    const widgets = doc.widgets.filter((w) => w.component === headlineMeta.name);
    expect(widgets.length).toBeGreaterThan(0);
    for (const w of widgets) {
      for (const input of w.inputs) {
        const declared = headlineMeta.inputs.find((i) => i.name === input.input);
        expect(declared, `${w.id}: input ${input.input}`).toBeDefined();
        expect(input.inputType).toBe(declared!.type);
      }
      for (const required of headlineMeta.inputs.filter((i) => 'required' in i && i.required)) {
        expect(
          w.inputs.some((i) => i.input === required.name),
          `${w.id} sets ${required.name}`,
        ).toBe(true);
      }
    }
  });

  it('the presets parse with the core schemas', () => {
    const sc = securityContextPresetFileSchema.parse(parse(read('presets/customers.sc.yml')));
    expect(sc.some((p) => Array.isArray(p.securityContext.states))).toBe(true);
    expect(clientContextPresetFileSchema.parse(parse(read('presets/looks.cc.yml'))).length).toBeGreaterThan(
      0,
    );
  });

  it('Headline: meta.name is the file name, the meta is valid, and it shows the number it loaded', () => {
    expect(headlineMeta.name).toBe('Headline');
    expect(componentMetaSchema.safeParse(headlineMeta).success).toBe(true);
    expect(headline.meta).toBe(headlineMeta);
    const ds = { datasetName: 'flights', model: 'flights', filters: [], timeRanges: [] };
    const measure = { name: 'flights.count' };
    const props = headline.config.props!({ ds, measure, title: 'Flights' }, [undefined, () => {}], {});
    expect(props.results).toMatchObject({ __inlayLoadData: true, from: ds, measures: [measure], limit: 1 });
    const html = renderToStaticMarkup(
      createElement(headline.Inner, {
        title: 'Flights',
        caption: 'leaving your states',
        measure,
        results: { isLoading: false, data: [{ 'flights.count': 1234567 }] },
      }),
    );
    expect(html).toContain('1,234,567');
    expect(html).toContain('Flights');
    expect(html).toContain('leaving your states');
    expect(headline.styles).toContain('.headline-value');
  });

  it('the TypeScript type-checks against the local packages, and a wrong prop does not', async () => {
    const dir = join(work, 'typed');
    expect((await runCli(['init', dir])).code).toBe(0);
    linkNodeModules(dir);
    const ok = await tsc(dir);
    expect(ok.output).toBe('');
    expect(ok.code).toBe(0);
    // The same project with a misuse: Headline needs `measure` and `results`.
    writeFileSync(
      join(dir, 'components', 'Oops.tsx'),
      'import { Headline } from \'./Headline\';\nexport const oops = <Headline title="t" />;\n',
    );
    const broken = await tsc(dir);
    expect(broken.code).not.toBe(0);
    expect(broken.output).toMatch(/components\/Oops\.tsx\(2,\d+\): error TS2739/);
  }, 120_000);
});

describe('inlay init: the CLI runs in the project', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(work, 'runs');
    expect((await runCli(['init', dir])).code).toBe(0);
    linkNodeModules(dir);
  });

  it('inlay validate reads inlay.config.ts and compiles the models', async () => {
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('compile: 2 cubes, 0 views');
    expect(r.stdout).toContain('every cube and view has a row-level rule or is marked public');
  });

  it('inlay query answers from the demo data: every flight as admin, a tenant’s own as default', async () => {
    const all = await runCli(['query', '{"measures":["flights.count"]}', '--roles', 'admin', '-f', 'json'], {
      cwd: dir,
    });
    expect(all.stderr).toBe('');
    expect(JSON.parse(all.stdout).data[0]['flights.count']).toBe(FLIGHT_ROWS);
    const tenant = await runCli(
      ['query', '{"measures":["flights.count"]}', '--security-context', '{"states":["CA"]}', '-f', 'json'],
      { cwd: dir },
    );
    const d = new DuckDBDriver({ path: testDataPaths().duckdbPath }, { readOnly: true });
    try {
      const sql = `SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = 'CA'`;
      const truth = Number((await d.query(sql, [])).rows[0]!.n);
      expect(truth).toBeGreaterThan(0);
      expect(JSON.parse(tenant.stdout).data[0]['flights.count']).toBe(truth);
    } finally {
      await d.close();
    }
  });

  it('a config that cannot load names the file and what to do', async () => {
    const bare = join(work, 'bare');
    expect((await runCli(['init', bare])).code).toBe(0);
    // No node_modules: `@inlay/sdk/config` cannot be resolved.
    const r = await runCli(['validate'], { cwd: bare });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('inlay.config.ts');
    expect(r.stderr).toContain('npm install');
  });
});
