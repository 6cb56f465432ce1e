import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { InlayError } from '@inlay/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The browser runtime's files, public (no auth: they hold code, never data):
 * `GET /embed/v1/inlay.js` (revalidated each time: `no-cache` + ETag, so a new build is picked up)
 * and `GET /embed/v1/chunks/<name>.js` (content-hashed: cached for a year, immutable).
 * Served from a built dist folder, built on the first request when it is missing or older
 * than its sources (a component edited since the last build is never served stale).
 */
export interface EmbedAssetsOptions {
  /** Default: `packages/embed/dist`. */
  distDir?: string;
  /** Builds `distDir` when it has no `inlay.js`; default `buildEmbed({outDir})` of `@inlay/embed`. */
  build?: (outDir: string) => Promise<unknown>;
  /** Whether a present build is up to date; default: the manifest's sources are not newer than it. */
  isCurrent?: (outDir: string) => Promise<boolean>;
}

export const DEFAULT_EMBED_DIST = fileURLToPath(new URL('../../../embed/dist', import.meta.url));

/** A chunk name esbuild writes: no slash, no dot-dot, nothing but a file name ending in `.js`. */
const CHUNK_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.js$/;
const JS = 'application/javascript; charset=utf-8';

interface Asset {
  body: Buffer;
  gzip: Buffer;
  etag: string;
  /** `mtime:size`: a rebuilt file is read again. */
  version: string;
}

async function defaultBuild(outDir: string): Promise<unknown> {
  const { buildEmbed } = await import('@inlay/embed/build');
  return buildEmbed({ outDir });
}

async function defaultIsCurrent(outDir: string): Promise<boolean> {
  const { isEmbedBuildCurrent } = await import('@inlay/embed/build');
  return isEmbedBuildCurrent(outDir);
}

export const embedAssetRoutes: FastifyPluginAsync<EmbedAssetsOptions> = async (app, opts) => {
  const distDir = path.resolve(opts.distDir ?? DEFAULT_EMBED_DIST);
  const chunksDir = path.join(distDir, 'chunks');
  const build = opts.build ?? defaultBuild;
  // A caller's own build step decides for itself; the default one knows its sources.
  const isCurrent = opts.isCurrent ?? (opts.build ? async () => true : defaultIsCurrent);
  const assets = new Map<string, Asset>();
  let building: Promise<void> | undefined;

  async function buildIfNeeded(): Promise<void> {
    const present = await stat(path.join(distDir, 'inlay.js')).then(
      () => true,
      () => false,
    );
    if (present && (await isCurrent(distDir))) return;
    try {
      await build(distDir);
    } catch (err) {
      throw new InlayError('CONFIG', `building the embed runtime failed: ${String(err).slice(0, 500)}`, {
        hint: 'Run buildEmbed() from @inlay/embed/build (see packages/embed/README.md).',
      });
    }
  }

  /** One check (and build, when missing or stale) for every request; a failed build is retried next time. */
  function ensureBuilt(): Promise<void> {
    building ??= buildIfNeeded().catch((err: unknown) => {
      building = undefined;
      throw err;
    });
    return building;
  }

  async function read(file: string, shown: string): Promise<Asset> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch {
      throw new InlayError('NOT_FOUND', `no embed file '${shown}'`);
    }
    if (!info.isFile()) throw new InlayError('NOT_FOUND', `no embed file '${shown}'`);
    const version = `${info.mtimeMs}:${info.size}`;
    const known = assets.get(file);
    if (known?.version === version) return known;
    const body = await readFile(file);
    const asset: Asset = {
      body,
      gzip: gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      version,
    };
    assets.set(file, asset);
    return asset;
  }

  function send(req: FastifyRequest, reply: FastifyReply, asset: Asset, cacheControl: string) {
    reply
      .header('content-type', JS)
      .header('cache-control', cacheControl)
      .header('etag', asset.etag)
      // A module script from another origin is fetched with CORS; the files are public.
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').send(asset.gzip);
    }
    return reply.send(asset.body);
  }

  const schema = (summary: string) => ({ tags: ['embed'], summary });
  app.get(
    '/embed/v1/inlay.js',
    {
      config: { auth: 'public' },
      schema: schema('The embed runtime: defines <inlay-dashboard> and <inlay-component> (an ES module)'),
    },
    async (req, reply) => {
      await ensureBuilt();
      return send(req, reply, await read(path.join(distDir, 'inlay.js'), 'inlay.js'), 'no-cache');
    },
  );

  app.get(
    '/embed/v1/chunks/*',
    {
      config: { auth: 'public' },
      schema: schema('A content-hashed part of the runtime (a component, a chart type): immutable'),
    },
    async (req, reply) => {
      const name = (req.params as { '*': string })['*'];
      const shown = name.length > 100 ? `${name.slice(0, 100)}…` : name;
      const file = path.join(chunksDir, name);
      // Only a plain file name, and (belt and braces) one that stays inside the chunks folder.
      if (!CHUNK_NAME.test(name) || path.dirname(file) !== chunksDir) {
        throw new InlayError('NOT_FOUND', `no embed file 'chunks/${shown}'`);
      }
      await ensureBuilt();
      return send(req, reply, await read(file, `chunks/${shown}`), 'public, max-age=31536000, immutable');
    },
  );
};
