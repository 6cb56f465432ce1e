/**
 * `GET /embed/v1/inlay.js` and `/embed/v1/chunks/*` (packages/server/src/routes/embed-assets.ts):
 * built once on the first request, cache headers, ETag revalidation, gzip, clear 404s, and no way
 * out of the dist folder.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { buildApp, createProjectWorkspace, hashApiKey, type InlayApp } from '@inlay/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY } from '../../server/test/helpers.js';
import { buildEmbed, type EmbedManifest } from '../src/build.js';

const REGISTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/registry.js');

function appServing(distDir: string, build: (outDir: string) => Promise<unknown>): InlayApp {
  return buildApp({
    config: {
      apiKeyHash: hashApiKey(API_KEY),
      maxBodyBytes: 1 << 20,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
    },
    workspace: createProjectWorkspace({
      projectDir: flightsProjectDir,
      connection: { type: 'duckdb', credentials: { path: testDataPaths().duckdbPath } },
    }),
    embedAssets: { distDir, build },
    logger: false,
  });
}

describe('embed asset routes', () => {
  let dir: string;
  let distDir: string;
  let app: InlayApp;
  let builds = 0;
  let manifest: EmbedManifest | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'inlay-embed-assets-'));
    distDir = path.join(dir, 'dist');
    app = appServing(distDir, async (outDir) => {
      builds++;
      manifest = await buildEmbed({ outDir, registry: REGISTRY });
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds once on first use (concurrent requests share it); inlay.js is no-cache with an ETag', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => app.inject({ url: '/embed/v1/inlay.js' })));
    expect(builds).toBe(1);
    for (const res of answers) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.body).toContain('inlay-dashboard');
    }
    const etag = answers[0]!.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await app.inject({ url: '/embed/v1/inlay.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const gz = await app.inject({ url: '/embed/v1/inlay.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(answers[0]!.body);
  });

  it('chunks are immutable for a year; every file of the manifest is served', async () => {
    const chunks = manifest!.files.filter((f) => f.file.startsWith('chunks/'));
    expect(chunks.length).toBeGreaterThan(3);
    for (const { file, bytes } of chunks) {
      const res = await app.inject({ url: `/embed/v1/${file}` });
      expect(res.statusCode, file).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.rawPayload.length).toBe(bytes);
    }
  });

  it('unknown files are a 404 naming the file', async () => {
    const res = await app.inject({ url: '/embed/v1/chunks/nope-123.js' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ errorMessage: "no embed file 'chunks/nope-123.js'", code: 'NOT_FOUND' });
  });

  it('no path leaves the chunks folder', async () => {
    // Files a traversal would reach: the dist folder's own, and one beside it.
    await writeFile(path.join(distDir, 'secret.js'), 'SECRET_IN_DIST');
    await writeFile(path.join(dir, 'secret.js'), 'SECRET_BESIDE');
    const attempts = [
      '/embed/v1/chunks/../secret.js',
      '/embed/v1/chunks/..%2Fsecret.js',
      '/embed/v1/chunks/%2e%2e%2fsecret.js',
      '/embed/v1/chunks/%2e%2e/%2e%2e/secret.js',
      '/embed/v1/chunks/..%5csecret.js',
      '/embed/v1/chunks/%2e%2e%2f%2e%2e%2fsecret.js',
      '/embed/v1/chunks/sub/../../secret.js',
      '/embed/v1/chunks/..',
      '/embed/v1/chunks/.',
      '/embed/v1/chunks/',
      `/embed/v1/chunks/${encodeURIComponent(path.join(distDir, 'secret.js'))}`,
      '/embed/v1/chunks/secret.js%00.js',
      '/embed/v1/chunks/manifest.json',
    ];
    for (const url of attempts) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('SECRET');
    }
  });

  it('a failing build is a clear 500, tried again on the next request', async () => {
    let attempts = 0;
    const failing = appServing(path.join(dir, 'never-built'), async () => {
      attempts++;
      throw new Error('registry not found');
    });
    try {
      for (const n of [1, 2]) {
        const res = await failing.inject({ url: '/embed/v1/inlay.js' });
        expect(res.statusCode).toBe(500);
        expect(res.json().errorMessage).toMatch(
          /^building the embed runtime failed: Error: registry not found\b.*buildEmbed/,
        );
        expect(attempts).toBe(n);
      }
    } finally {
      await failing.close();
    }
  });
});
