import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ComponentsManifest, componentsManifestSchema } from '@inlay/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BuildOutcome, buildProject } from '../../src/build/index.js';
import { componentSource, type TempProject, tempProject } from './project.js';

/**
 * `buildProject` on copies of the fixture: what a good build writes (the manifest contract, the
 * bundle taking React from the runtime, CSS inlined), and for each kind of mistake the problem
 * with its file and line, and nothing written.
 */

const problemsOf = (outcome: BuildOutcome) => {
  if (outcome.ok) throw new Error('the build passed');
  return outcome.problems;
};

describe('a good project', () => {
  let project: TempProject;
  let outcome: BuildOutcome;
  let manifest: ComponentsManifest;

  beforeAll(async () => {
    project = tempProject();
    outcome = await buildProject(project.dir);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    manifest = JSON.parse(readFileSync(join(project.dir, '.inlay-build', 'manifest.json'), 'utf8'));
  }, 120_000);
  afterAll(() => project?.remove());

  it('writes a manifest that the contract schema accepts, with every file hashed', () => {
    expect(componentsManifestSchema.parse(manifest)).toEqual(manifest);
    expect(manifest.components.map((c) => c.name)).toEqual(['FlightCount']);
    const [component] = manifest.components;
    expect(component?.file).toMatch(/^components\/FlightCount-[A-Z0-9]+\.js$/);
    expect(component?.meta).toMatchObject({ name: 'FlightCount', label: 'Flight count' });
    for (const [file, { sha256, bytes }] of Object.entries(manifest.files)) {
      const content = readFileSync(join(project.dir, '.inlay-build', file));
      expect(content.length).toBe(bytes);
      expect(createHash('sha256').update(content).digest('hex')).toBe(sha256);
    }
    expect(Object.keys(manifest.files)).toContain(component?.file);
  });

  it('takes React and @inlay/react from globalThis.__inlay.modules, and inlines the CSS', async () => {
    const file = join(project.dir, '.inlay-build', manifest.components[0]!.file);
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/from\s*["'](?:react|react-dom|@inlay\/react)/);
    expect(code).toContain('globalThis.__inlay?.modules?.react');
    const seen: unknown[] = [];
    const fake = {
      react: { useState: (v: unknown) => [v, () => {}] },
      'react/jsx-runtime': { jsx: () => null, jsxs: () => null, Fragment: 'f' },
      '@inlay/react': {
        defineComponent: (Component: unknown, meta: unknown, config: unknown) => {
          seen.push(meta);
          return { Component, meta, config, styles: '.own {}' };
        },
        useClientContext: () => ({}),
      },
    };
    (globalThis as { __inlay?: unknown }).__inlay = { modules: fake };
    try {
      const mod = await import(pathToFileURL(file).href);
      expect(mod.default.meta.name).toBe('FlightCount');
      // The component's own styles first, then its imported CSS file.
      expect(mod.default.styles).toMatch(/^\.own \{\}\n\.flight-count-value \{\s*color: rgb\(1, 2, 3\)/);
      expect(seen).toHaveLength(1);
    } finally {
      delete (globalThis as { __inlay?: unknown }).__inlay;
    }
  });

  it('a later build that fails leaves the previous build whole', async () => {
    const before = readFileSync(join(project.dir, '.inlay-build', 'manifest.json'), 'utf8');
    project.edit('components/FlightCount.emb.ts', "label: 'Flight count'", "label: ''");
    try {
      const problems = problemsOf(await buildProject(project.dir, { typeCheck: false }));
      expect(problems[0]?.message).toContain('meta.label');
      expect(readFileSync(join(project.dir, '.inlay-build', 'manifest.json'), 'utf8')).toBe(before);
      expect(existsSync(join(project.dir, '.inlay-build', manifest.components[0]!.file))).toBe(true);
    } finally {
      project.edit('components/FlightCount.emb.ts', "label: ''", "label: 'Flight count'");
    }
  });
});

describe('a broken project', () => {
  let project: TempProject;
  beforeEach(() => {
    project = tempProject();
  });
  afterEach(() => project?.remove());

  it('a type error: the file, line and column, and nothing is written', async () => {
    project.edit(
      'components/FlightCount.tsx',
      'const value = results?.data',
      'const value: number = results?.data',
    );
    const problems = problemsOf(await buildProject(project.dir));
    const line = project.lineOf('components/FlightCount.tsx', 'const value: number');
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'components/FlightCount.tsx',
        line,
        message: expect.stringMatching(/TS2322/),
      }),
    );
    expect(existsSync(join(project.dir, '.inlay-build'))).toBe(false);
  });

  it("a meta input's config.dataset naming no dataset input", async () => {
    project.edit(
      'components/FlightCount.emb.ts',
      "config: { dataset: 'ds' }",
      "config: { dataset: 'flights' }",
    );
    const problems = problemsOf(await buildProject(project.dir, { typeCheck: false }));
    expect(problems).toEqual([
      {
        file: 'components/FlightCount.emb.ts',
        line: project.lineOf('components/FlightCount.emb.ts', "dataset: 'flights'"),
        message: expect.stringContaining(
          "input 'measure' has config.dataset 'flights', which names no dataset input",
        ),
      },
    ]);
  });

  it('names: a standard name, a name twice, a meta named unlike its file', async () => {
    project.write('components/KpiCard.tsx', componentSource('KpiCard'));
    project.write('components/a/Twin.tsx', componentSource('Twin'));
    project.write('components/b/Twin.tsx', componentSource('Twin'));
    project.write('components/Other.tsx', componentSource('Other', 'Another'));
    const problems = problemsOf(await buildProject(project.dir, { typeCheck: false }));
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      expect.stringMatching(/^components\/KpiCard\.tsx:4: 'KpiCard' is a standard component's name/),
      expect.stringMatching(/^components\/Other\.tsx:4: meta\.name is 'Another' but the file is Other/),
      expect.stringMatching(
        /^components\/b\/Twin\.tsx:4: component 'Twin' is also defined in components\/a\/Twin\.tsx/,
      ),
    ]);
  });

  it('a dashboard naming an unknown component, and an input its component does not declare', async () => {
    const file = 'trips.embeddable.yml';
    project.edit(file, 'component: KpiCard', 'component: KpiCardd');
    project.edit(
      file,
      '{ input: title, inputType: string, valueType: VALUE, value: Trips }',
      '{ input: heading, inputType: string, valueType: VALUE, value: Trips }',
    );
    const problems = problemsOf(await buildProject(project.dir, { typeCheck: false }));
    expect(problems).toEqual([
      {
        file,
        line: project.lineOf(file, 'input: heading'),
        message: expect.stringContaining(
          "widget 'count': FlightCount has no input 'heading'; its inputs: 'ds', 'measure', 'title'.",
        ),
      },
      {
        file,
        line: project.lineOf(file, 'component: KpiCardd'),
        message: expect.stringMatching(
          /widget 'kpi': unknown component 'KpiCardd'; .*'FlightCount'.*'KpiCard'/,
        ),
      },
    ]);
  });

  it('a broken model and a broken dashboard shape, each at its line', async () => {
    project.edit('models/trips.cube.yml', 'type: count', 'type: counted');
    project.edit('trips.embeddable.yml', 'position: { x: 4, y: 0 }', 'position: { x: 4, y: 0, z: 1 }');
    const problems = problemsOf(await buildProject(project.dir, { typeCheck: false }));
    expect(problems.map((p) => [p.file, p.line])).toEqual([
      ['models/trips.cube.yml', project.lineOf('models/trips.cube.yml', 'type: counted')],
      ['trips.embeddable.yml', project.lineOf('trips.embeddable.yml', 'z: 1')],
    ]);
  });
});
