import { cp, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { standardComponents } from '@inlay/components/registry';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEmbed, isEmbedBuildCurrent } from '../src/build.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('buildEmbed', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('records its sources: a build is stale once one of them is edited, and a rebuild is current again', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'inlay-embed-build-'));
    dirs.push(dir);
    // A copy of the fixture registry, so editing it touches nothing in the repository.
    await cp(FIXTURES, path.join(dir, 'src'), { recursive: true });
    const outDir = path.join(dir, 'dist');
    const manifest = await buildEmbed({ outDir, registry: path.join(dir, 'src', 'registry.js') });
    expect(manifest.inputs).toContain(path.join(dir, 'src', 'KpiCard.jsx'));
    expect(manifest.files.map((f) => f.file)).toContain('inlay.js');
    expect(await isEmbedBuildCurrent(outDir)).toBe(true);

    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(dir, 'src', 'KpiCard.jsx'), later, later);
    expect(await isEmbedBuildCurrent(outDir)).toBe(false);

    await buildEmbed({ outDir, registry: path.join(dir, 'src', 'registry.js') });
    await utimes(path.join(dir, 'src', 'KpiCard.jsx'), new Date(), new Date(Date.now() - 1000));
    expect(await isEmbedBuildCurrent(outDir)).toBe(true);
  });

  it('knows, per standard component, every chunk it needs, and writes that into inlay.js', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'inlay-embed-build-'));
    dirs.push(dir);
    const manifest = await buildEmbed({ outDir: dir });
    const files = new Set(manifest.files.map((f) => f.file));
    const entry = await readFile(path.join(dir, 'inlay.js'), 'utf8');
    const statics = [...entry.matchAll(/from"\.\/(chunks\/[^"]+)"/g)].map((m) => m[1]);
    expect(statics.length).toBeGreaterThan(0);

    expect(Object.keys(manifest.modules).sort()).toEqual(Object.keys(standardComponents).sort());
    for (const [name, { imports, lazy }] of Object.entries(manifest.modules)) {
      for (const file of [...imports, ...lazy]) {
        expect(files.has(file), `${name}: ${file}`).toBe(true);
        // What inlay.js imports statically is loaded before any component: never asked again.
        expect(statics, `${name}: ${file}`).not.toContain(file);
      }
      expect(imports.filter((f) => lazy.includes(f))).toEqual([]);
    }
    // A chart's chart type and ECharts (the biggest chunk) come lazily; a KPI card needs neither.
    const biggest = [...manifest.files].sort((a, b) => b.bytes - a.bytes)[0]!.file;
    expect(manifest.modules.BarChart!.lazy).toContainEqual(expect.stringMatching(/^chunks\/bar-/));
    expect(manifest.modules.BarChart!.lazy).toContain(biggest);
    expect(manifest.modules.LineChart!.lazy).toContain(biggest);
    expect([...manifest.modules.KpiCard!.imports, ...manifest.modules.KpiCard!.lazy]).not.toContain(biggest);
    // Each component's own chunk is imported by its loader, not listed again.
    const lazyChunks = [...entry.matchAll(/import\("\.\/(chunks\/[^"]+)"\)/g)].map((m) => m[1]!);
    // Besides the components, the modules project components import: lazily, not in inlay.js.
    const runtimeModules = lazyChunks.filter((f) => f.startsWith('chunks/runtime-modules-'));
    expect(runtimeModules).toHaveLength(1);
    expect(statics).not.toContain(runtimeModules[0]);
    const ownChunks = lazyChunks.filter((f) => !runtimeModules.includes(f));
    expect(ownChunks).toHaveLength(Object.keys(standardComponents).length);
    for (const { imports, lazy } of Object.values(manifest.modules))
      for (const own of ownChunks) expect([...imports, ...lazy]).not.toContain(own);

    expect(entry).not.toContain('__INLAY_MODULE_GRAPH__');
    expect(entry).toContain(JSON.stringify(manifest.modules));
  });

  it('a folder without a manifest is not a current build', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'inlay-embed-build-'));
    dirs.push(dir);
    expect(await isEmbedBuildCurrent(dir)).toBe(false);
  });
});
