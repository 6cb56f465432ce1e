import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { flightsProjectDir } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePresetFiles, readPresetDir } from '../src/presets/parse.js';
import { flightsFiles, multipart, type TenantSetup, tarGz, tenantSetup } from './bundle-helpers.js';

/**
 * "View as" presets: `presets/*.sc.yml` (whose rows) and `*.cc.yml` (how it looks), read from
 * the project and pushed in bundles, checked with the file and entry named, served to the builder.
 */
describe('preset files', () => {
  it('the flights project’s presets parse: three customers and an admin, two looks', async () => {
    const presets = parsePresetFiles(await readPresetDir(flightsProjectDir));
    expect(presets.securityContexts.map((p) => p.name)).toEqual([
      'Acme West (California)',
      'Acme East (New York, New Jersey)',
      'Acme South (Texas)',
      'Internal admin (every row)',
    ]);
    expect(presets.securityContexts[1]!.securityContext).toEqual({ states: ['NY', 'NJ'] });
    expect(presets.clientContexts.map((p) => p.clientContext.locale)).toEqual(['en-US', 'de-DE']);
  });

  it('a bad file names itself and the entry; duplicate names are refused; other files are ignored', () => {
    const bad =
      (content: string, path = 'presets/a.sc.yml') =>
      () =>
        parsePresetFiles([{ path, content }]);
    expect(bad('- name: x\n  securityContext: [1]')).toThrow(/presets\/a\.sc\.yml \[0\]\.securityContext: /);
    expect(bad('- name: x\n  securityContext: {}\n  colour: red')).toThrow(
      /presets\/a\.sc\.yml \[0\]: .*colour/,
    );
    expect(bad('- name: x\n  clientContext: {}', 'presets/b.cc.yml')).not.toThrow();
    expect(bad('a: [')).toThrow(/presets\/a\.sc\.yml is not YAML/);
    expect(() =>
      parsePresetFiles([
        { path: 'presets/a.sc.yml', content: '- {name: same, securityContext: {}}' },
        { path: 'presets/b.sc.yml', content: '- {name: same, securityContext: {}}' },
      ]),
    ).toThrow(/presets\/b\.sc\.yml a preset named 'same' exists already/);
    expect(parsePresetFiles([{ path: 'models/x.sc.yml', content: 'not: [a list' }])).toEqual({
      securityContexts: [],
      clientContexts: [],
    });
  });
});

describe('presets over HTTP', () => {
  let t: TenantSetup;
  beforeAll(async () => {
    t = await tenantSetup('sqlite', 256 * 1024);
  });
  afterAll(() => t?.close());
  const get = () =>
    t.app.inject({ method: 'GET', url: '/api/v1/presets', headers: { authorization: `Bearer ${t.a.key}` } });
  const push = async (files: Record<string, string>) => {
    const m = multipart(await tarGz(files), { pushModels: true });
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/bundle/upload',
      headers: { authorization: `Bearer ${t.a.key}`, ...m.headers },
      payload: m.payload,
    });
  };

  it('none until a push brings them; a push with a bad preset file is a 422 naming it and stores nothing', async () => {
    expect((await get()).json()).toEqual({ securityContexts: [], clientContexts: [] });
    const files = await flightsFiles();
    const sc = await readFile(join(flightsProjectDir, 'presets/customers.sc.yml'), 'utf8');
    const broken = await push({
      ...files,
      'presets/customers.sc.yml': `${sc}\n- name: broken\n  securityContext: 3\n`,
    });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().errorMessage).toMatch(/presets\/customers\.sc\.yml \[4\]\.securityContext/);
    expect((await get()).json().securityContexts).toEqual([]);

    const ok = await push({ ...files, 'presets/customers.sc.yml': sc });
    expect(ok.statusCode, ok.body).toBe(200);
    const presets = (await get()).json();
    expect(presets.securityContexts).toHaveLength(4);
    expect(presets.securityContexts[0]).toEqual({
      name: 'Acme West (California)',
      securityContext: { states: ['CA'] },
    });
  });
});
