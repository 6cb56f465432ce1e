import { cp, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
    expect(manifest.inputs).toContain(path.join(dir, 'src', 'kpi-card.jsx'));
    expect(manifest.files.map((f) => f.file)).toContain('inlay.js');
    expect(await isEmbedBuildCurrent(outDir)).toBe(true);

    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(dir, 'src', 'kpi-card.jsx'), later, later);
    expect(await isEmbedBuildCurrent(outDir)).toBe(false);

    await buildEmbed({ outDir, registry: path.join(dir, 'src', 'registry.js') });
    await utimes(path.join(dir, 'src', 'kpi-card.jsx'), new Date(), new Date(Date.now() - 1000));
    expect(await isEmbedBuildCurrent(outDir)).toBe(true);
  });

  it('a folder without a manifest is not a current build', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'inlay-embed-build-'));
    dirs.push(dir);
    expect(await isEmbedBuildCurrent(dir)).toBe(false);
  });
});
